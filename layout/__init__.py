"""Stage 2: positioned text or flattened lines become tables.

Whatever the input, the result is a sequence of `LabeledRow`s: the label text printed before a
row's numbers and the number cells themselves, each with its origin. Flattened text gets them from
`flat_rows`; PDFs and scans from ruled grids.
"""
