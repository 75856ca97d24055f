"""Stage 5: the ways to run the pipeline, which schedule, store and show what `disclosure.pipeline`
reads.

Entry points: `cli.entry_point` (the `disclosure` command: `inspect`, `backfill`, `watch`,
`archive`); `backfill.run_backfill`, the Ray backfill of folders into a results folder;
`watch.watch_folder`, the watched folder; `archive.build_archive`, the cross-year ties, tables,
`archive.sqlite`, review page and `reports.xlsx` of a results folder. Each document goes through
`document_job.process_document`, which never raises and returns a `DocumentOutcome` holding the
typed `Report`; its JSON is made only where it is written (`result_store`, `watch`). What is read
back from disk is typed by `stored_report` (the one reader of the output contract), and the
archive, its database, the review page, the workbook and the reviewers' corrections work on those
values, never on JSON by string keys.

May import every lower part (`pipeline`, `table_recon`, `layout`, `ocr`); nothing imports this
one. Ray, pyarrow, openpyxl and pydantic are imported where a command needs them, so that
`disclosure inspect` loads none of them.
"""
