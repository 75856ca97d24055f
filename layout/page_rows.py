"""Pages (`ocr.page_model`) become `LabeledRow`s in reading order: ruled grids, tables set without
rules (`layout.unruled_grid`, from the page's words) and text lines, ordered by where they sit on
the page; or, for markup (HTML, Word), the page's flow in document order.

In a grid, labels are printed on the left: the value columns are those right of the rightmost column
that holds label text in a row with numbers (so a column of blanks or "/" is still a value column),
allowing for a misread cell. A row with more text than numbers in the value columns is a header row
(label only); otherwise its text cells make the label (merged label cells
print their text once, in their first row) and its value-column cells are exactly the printed
columns, blanks included; a position covered by a cell spanning several columns is no column of
its own (a data row may span other columns than its header's).
"""

from __future__ import annotations

from disclosure.layout.cell_text import CellKind, parse_cell
from disclosure.layout.rows import Cell, LabeledRow, RowSequence
from disclosure.layout.unruled_grid import lines_of, unruled_tables
from disclosure.ocr.page_model import Grid, Page, PageDocument, PageLine


def _value_columns(grid: Grid) -> set[int]:
    """The columns right of the split that fits the data rows best: fewest numbers left of it and
    fewest text cells right of it, the leftmost such split. With exact text that is the column after
    the rightmost label; with OCR, one misread cell ("No" for "0") does not move the split."""
    kinds = [[None if c.text is None else parse_cell(c.text).kind for c in row] for row in grid.rows]
    data_rows = [row for row in kinds if CellKind.NUMBER in row]
    if not data_rows:
        return set()
    width = max(len(row) for row in grid.rows)

    def misfits(split: int) -> int:
        return sum((kind is CellKind.NUMBER) if j < split else (kind is CellKind.TEXT)
                   for row in data_rows for j, kind in enumerate(row))

    split = min(range(width + 1), key=lambda k: (misfits(k), k))
    return set(range(split, width))


def _is_header(value_cells) -> bool:
    """A row whose value columns hold more text than numbers (a misread number is one text cell
    among numbers)."""
    kinds = [parse_cell(c.text).kind for c in value_cells if c.text is not None and c.text.strip()]
    texts = sum(kind is CellKind.TEXT for kind in kinds)
    return texts > 0 and texts > sum(kind is CellKind.NUMBER for kind in kinds)


def grid_rows(grid: Grid, page: int | None) -> list[tuple[int, LabeledRow]]:
    """The rows of a grid, each with the index of the grid row it comes from."""
    values = _value_columns(grid)
    out = []
    for index, row in enumerate(grid.rows):
        if all(c.origin is None for c in row):
            continue
        value_cells = [row[j] for j in sorted(values) if j < len(row)]
        header = _is_header(value_cells)
        labels = [c for j, c in enumerate(row) if c.text and c.text.strip() and (header or j not in values)]
        if grid.ruled:
            label_lines = tuple(c.text.replace("\n", "") for c in labels)
            origins = tuple(c.origin for c in labels)
        else:
            lines = [(line, c.origin) for c in labels for line in c.text.split("\n") if line.strip()]
            label_lines, origins = tuple(line for line, _ in lines), tuple(origin for _, origin in lines)
        if header or all(c.text is None for c in value_cells):
            cells: tuple[Cell, ...] = ()
        else:
            cells = tuple(Cell(c.text.replace("\n", ""), c.origin) for c in value_cells if c.text is not None)
        out.append((index, LabeledRow(label_lines, origins, cells, exact=grid.ruled, page=page)))
    return out


def _top(cells) -> float:
    return min(c.origin.box.top for c in cells if c.origin is not None)


def page_rows(page: Page) -> list[LabeledRow]:
    unruled = unruled_tables(page.words, page.words[0].origin.source, page.number) if page.words else []
    used = {i for table in unruled for i in table.used}
    lines = [line for line in page.lines
             if not any(line.origin.box.holds(page.words[i].origin.box.center) for i in used)]
    # a printed line that a table took words from keeps the rest of its words (a label's wrapped
    # line set at the height of the row above)
    cut = [line for line in page.lines if line not in lines]
    lines += lines_of([word for i, word in enumerate(page.words) if i not in used
                       and any(line.origin.box.holds(word.origin.box.center) for line in cut)])
    items = [(line.origin.box.top, LabeledRow((line.text,), (line.origin,), (), exact=True, page=page.number))
             for line in lines]
    for grid in (*page.grids, *(table.grid for table in unruled)):
        items += [(_top(grid.rows[index]), row) for index, row in grid_rows(grid, page.number)]
    items.sort(key=lambda item: item[0])
    return [row for _, row in items]


def flow_rows(page: Page) -> list[LabeledRow]:
    """A markup page's paragraphs and tables in document order; a picture in it read as a page."""
    rows: list[LabeledRow] = []
    for piece in page.flow:
        if isinstance(piece, PageLine):
            rows.append(LabeledRow((piece.text,), (piece.origin,), (), exact=True))
        elif isinstance(piece, Grid):
            rows += [row for _, row in grid_rows(piece, None)]
        elif isinstance(piece, Page):  # a picture read by the scan path
            rows += page_rows(piece)
    return rows


def rows_from_pages(doc: PageDocument) -> RowSequence:
    rows: list[LabeledRow] = []
    text_lines = []
    notes = []
    for page in doc.pages:
        if page.needs_ocr:
            notes.append(f"page {page.number}: {page.needs_ocr}; it needs OCR")
            continue
        for row in flow_rows(page) if page.flow else page_rows(page):
            rows.append(row)
            text_lines += [(text, origin) for text, origin in zip(row.label_lines, row.label_origins)]
            text_lines += [(cell.text, cell.origin) for cell in row.cells]
    if doc.total_pages > len(doc.pages) and not doc.stopped_early:
        notes.append(f"only the first {len(doc.pages)} of {doc.total_pages} pages were read")
    return RowSequence(doc.source, tuple(rows), tuple(text_lines), tuple(notes))
