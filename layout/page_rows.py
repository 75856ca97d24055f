"""Pages (`ocr.page_model`) become `LabeledRow`s in reading order: ruled grids, tables set without
rules (`layout.unruled_grid`, from the page's words) and text lines, ordered by where they sit on
the page; or, for markup (HTML, Word), the page's flow in document order. A text file's flow of
lines goes to `layout.flat_rows` instead, which finds the tables flattened in it.

In a grid, labels are printed on the left: the value columns are those right of the rightmost column
that holds label text in a row with numbers (so a column of blanks or "/" is still a value column),
allowing for a misread cell. A row with more text than numbers in the value columns is a header row
(label only); otherwise its text cells make the label (merged label cells
print their text once, in their first row) and its value-column cells are exactly the printed
columns, blanks included; a position covered by a cell spanning several columns is no column of
its own (a data row may span other columns than its header's).
"""

from __future__ import annotations

from dataclasses import replace

from disclosure.layout.cell_text import CellKind, parse_cell
from disclosure.layout.rows import Cell, LabeledRow, RowSequence
from disclosure.layout.unruled_grid import lines_of, unruled_tables
from disclosure.ocr.origin import Origin
from disclosure.ocr.page_model import (
    CellReader,
    FlowPage,
    Grid,
    PageDocument,
    PageLine,
    PositionedPage,
    UnreadPage,
)


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


def reading_order(lines: list[PageLine]) -> list[PageLine]:
    """Lines top to bottom; pieces of one printed line (detection can cut a line in two, and skew
    can put the right piece higher) are joined left to right into one."""
    rows: list[list[PageLine]] = []
    for line in sorted(lines, key=lambda piece: piece.origin.box.center[1]):
        box = line.origin.box
        if rows:
            last = rows[-1][-1].origin.box
            if abs(box.center[1] - last.center[1]) <= 0.5 * min(box.height, last.height):
                rows[-1].append(line)
                continue
        rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda piece: piece.origin.box.x0)
        merged = row[0]
        for piece in row[1:]:
            gap = piece.origin.box.x0 - merged.origin.box.x1
            if 0 <= gap <= 2 * piece.origin.box.height:
                text = merged.text + piece.text
                merged = PageLine(text, Origin(merged.origin.source, text, page=merged.origin.page,
                                               box=merged.origin.box.union(piece.origin.box),
                                               confidence=min(merged.origin.confidence, piece.origin.confidence)))
            else:
                out.append(merged)
                merged = piece
        out.append(merged)
    return out


def with_tables(page: PositionedPage, read_cells: CellReader | None = None) -> PositionedPage:
    """The page with the tables set without rules among its words made grids, and its words made
    lines; with `read_cells` (a scan), each value cell of such a table is read from its own crop.

    A page with printed lines of its own (a PDF) keeps them, less those a table took words from;
    such a line keeps the rest of its words (a label's wrapped line set at the height of the row
    above). A page with words only (a scan's detected text) has the words no table took as its
    lines, in reading order."""
    if not page.words:
        return page
    unruled = unruled_tables(page.words, page.words[0].origin.source, page.number, read_cells)
    used = {i for table in unruled for i in table.used}
    rest = [word for i, word in enumerate(page.words) if i not in used]
    if page.lines:
        lines = [line for line in page.lines
                 if not any(line.origin.box.holds(page.words[i].origin.box.center) for i in used)]
        cut = [line for line in page.lines if line not in lines]
        lines += lines_of([word for word in rest if any(line.origin.box.holds(word.origin.box.center) for line in cut)])
    else:
        lines = reading_order(rest)
    return replace(page, lines=tuple(lines), grids=(*page.grids, *(table.grid for table in unruled)), words=())


def page_rows(page: PositionedPage) -> list[LabeledRow]:
    page = with_tables(page)
    items = [(line.origin.box.top, LabeledRow((line.text,), (line.origin,), (), exact=True, page=page.number))
             for line in page.lines]
    for grid in page.grids:
        items += [(_top(grid.rows[index]), row) for index, row in grid_rows(grid, page.number)]
    items.sort(key=lambda item: item[0])
    return [row for _, row in items]


def flow_rows(page: FlowPage) -> list[LabeledRow]:
    """A markup page's paragraphs and tables in document order; a picture in it read as a page."""
    rows: list[LabeledRow] = []
    for piece in page.flow:
        if isinstance(piece, PageLine):
            rows.append(LabeledRow((piece.text,), (piece.origin,), (), exact=True))
        elif isinstance(piece, Grid):
            rows += [row for _, row in grid_rows(piece, None)]
        elif isinstance(piece, PositionedPage):  # a picture read by the scan path
            rows += page_rows(piece)
    return rows


def rows_from_pages(doc: PageDocument) -> RowSequence:
    rows: list[LabeledRow] = []
    text_lines = []
    notes = []
    for page in doc.pages:
        if isinstance(page, UnreadPage):
            notes.append(f"page {page.number}: {page.why}; it needs OCR")
            continue
        for row in flow_rows(page) if isinstance(page, FlowPage) else page_rows(page):
            rows.append(row)
            text_lines += [(text, origin) for text, origin in zip(row.label_lines, row.label_origins)]
            text_lines += [(cell.text, cell.origin) for cell in row.cells]
    if doc.total_pages > len(doc.pages) and not doc.stopped_early:
        notes.append(f"only the first {len(doc.pages)} of {doc.total_pages} pages were read")
    return RowSequence(doc.source, tuple(rows), tuple(text_lines), tuple(notes))
