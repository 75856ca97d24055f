"""Reads the statutory tables of Chinese government information disclosure annual reports and
verifies their arithmetic.

Installed under this one name; its parts are the repository's top-level folders, in the order data
flows through them: `disclosure.ocr` (a file becomes a page model), `disclosure.layout` (pages or
flattened lines become rows), `disclosure.table_recon` (rows become the statutory fields, checked),
`disclosure.workers` (the CLI, the watched folder, the backfill).
"""
