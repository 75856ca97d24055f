"""Stage 2: the page model becomes rows of labelled cells, whatever the input.

The result is a `RowSequence` of `LabeledRow`s: the label text printed before a row's numbers and
the number cells themselves, each with its origin. Positioned and flow pages get them from their
grids (`page_rows.py`) and from tables set without rules among their words (`unruled_grid.py`); a
text file's lines from `flat_rows.py`, after `crawled_text.py` and `extracted_text.py` undo what a
crawler or an extractor did to them. Layout reads only `ocr.page_model` and `ocr.origin`: no
pixels, no recogniser (an import contract in pyproject.toml); where a scan's cell must be read
again, it is handed a `CellReader`.
"""
