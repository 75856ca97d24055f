"""Stage 3: a report's rows become its statutory fields, placed, verified and explained.

Entry point: `recon.read_report(rows)`, which takes the `layout.rows.RowSequence` of one file and
returns a `report.Report` (fields with provenance, checks, status, warnings); `Report.as_dict()`
is the output contract (docs/output.md). `rules.build_rules` and `recon.verify` check readings
made elsewhere; `cross_year.cross_year_ties` ties one agency's reports across years.

In the order `recon` runs them: `formats` holds the two statutory formats as data (tables with
their titles and numbering, rows, column headers, label patterns, field keys); `detect` tells the
formats apart and finds the agency and year; `labels` and `row_match` (with `row_align` where an
extractor moved the labels) give each row of cells its template row; `row_readings` lists the ways
a row's cells may fill its columns; `placement` chooses among them with the rules, by the residual
walk of `residual_walk` and, where that does not suffice, the integer program of
`placement_program`; `rules` verifies; `alternatives` and `doubt` keep a failed rule from being a
finding where a plausible other reading makes it hold; `narrative` ties the prose to the tables.

Imports `disclosure.layout` and `disclosure.ocr` (origins, errors) only: never `pipeline` or
`workers` (the import contracts of pyproject.toml).
"""
