"""Ruled grids from camelot's lattice parser: the second reader of PDF tables.

camelot finds the ruling lines on a rendered image of the page (OpenCV) rather than from the
drawn PDF objects, so it can see a table pdfplumber misses, and vice versa. Its cells use PDF
coordinates (origin bottom-left); they are turned into the top-left boxes every other reader uses.
"""

from __future__ import annotations

from pathlib import Path

from disclosure.ocr.errors import LayoutError
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.page_model import Grid, GridCell


def camelot_grids(path: Path, page: int, page_height: float) -> tuple[Grid, ...]:
    try:
        import camelot
    except ImportError:
        raise LayoutError("camelot is not installed: pip install camelot-py") from None
    tables = camelot.read_pdf(str(path), pages=str(page), flavor="lattice", suppress_stdout=True)
    grids = []
    for table in tables:
        rows = []
        for row in table.cells:
            cells = []
            for cell in row:
                box = Box(float(cell.x1), page_height - float(cell.y2), float(cell.x2), page_height - float(cell.y1))
                text = cell.text.strip("\n")
                cells.append(GridCell(text, Origin(path.name, text, page=page, box=box)))
            rows.append(tuple(cells))
        x0, y0, x1, y1 = table._bbox
        grids.append(Grid(Box(float(x0), page_height - float(y1), float(x1), page_height - float(y0)),
                               tuple(rows)))
    return tuple(grids)
