"""Synthetic reports for tests and benchmarks: consistent random values, planted errors, and
renderings as flattened text (and, in sibling modules, PDFs and scans) with known ground truth."""
