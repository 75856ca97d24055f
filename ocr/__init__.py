"""Stage 1: a file becomes its page model (`page_model.py`), whatever the input.

One reader per kind of input, each giving a `PageDocument`: a PDF's text layer (`pdf_text.py`,
with grids from pdfplumber or camelot) and a scan (`scan.py`: pages rendered, a seal's ink taken
out, skew undone, text detected by PaddleOCR; `scan_grid.py`: ruled grids from the rules' pixels,
each cell read again from its own crop) give positioned pages; a web page, a Word file and a text
file give flow pages. Every piece keeps an `Origin`. Nothing here knows the statutory tables.
"""
