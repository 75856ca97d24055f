"""Tables printed without ruling lines: rows and columns found from where the text sits.

A row of such a table is a band of text (pieces whose vertical centres are close) holding values
that stand apart from their neighbours, as a table's cells do and a sentence's numbers do not.
Rows follow one another into a table until a header intervenes (text over the value columns) or a
long gap; the value columns are the values' horizontal extents, merged where they overlap. The
text left of the first value column is the row's label. Bands without values (a label wrapped
onto another line, a group label printed between rows, a header) stay page lines, which the row
reader joins to the next row's label, as it does for flattened text.

Such a label's lines stay apart in the cell (one per printed line): a row printed all blank has
no values to make it a row, and its label is then the line before the next row's own, from which
the row reader recovers it as an emptied row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from disclosure.layout.cell_text import CellKind, parse_cell
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.page_model import CellReader, CellReading, Grid, GridCell, PageLine

_APART = 1.0  # a value stands apart: at least this many text heights of paper on either side
_LONGEST_GAP = 6.0  # text heights between two rows beyond which they are not one table
_HEADER_LINES = 8  # the most printed lines a table's header is looked for in


@dataclass(frozen=True)
class UnruledTable:
    grid: Grid
    used: frozenset[int]  # indices of the pieces the grid holds


@dataclass(frozen=True)
class _Band:
    pieces: tuple[int, ...]  # indices into the page's pieces, left to right
    values: tuple[int, ...]  # those that stand apart and read as a value
    top: float
    bottom: float
    value_top: float  # the extent of the values alone: a label beside them may sit higher or lower
    value_bottom: float
    is_row: bool  # holds a number standing apart, or several values (a row of "/" is a row too)


def _bands(pieces: Sequence[PageLine]) -> list[list[int]]:
    """Pieces grouped into printed lines, values first: values whose centres lie within half a
    text height of a line's mean centre make that line, then each text piece joins the line of
    values it sits on, and the rest make lines of their own. Lines of values anchor the rows, so
    a label printed between two rows (a group label centred on its rows) neither chains them into
    one nor splits one."""
    def value(i: int) -> bool:
        return bool(pieces[i].text.strip()) and parse_cell(pieces[i].text).kind is not CellKind.TEXT

    def grouped(indices: list[int], lines: list[list[int]]) -> list[list[int]]:
        for i in sorted(indices, key=lambda i: pieces[i].origin.box.center[1]):
            box = pieces[i].origin.box
            line = next((line for line in lines if _near(box, line, pieces)), None)
            if line is None:
                lines.append([i])
            else:
                line.append(i)
        return lines

    values = grouped([i for i in range(len(pieces)) if value(i)], [])
    lines = grouped([i for i in range(len(pieces)) if not value(i)], values)
    lines.sort(key=lambda line: median(pieces[i].origin.box.center[1] for i in line))
    return [sorted(line, key=lambda i: pieces[i].origin.box.x0) for line in lines]


def _near(box: Box, line: list[int], pieces: Sequence[PageLine]) -> bool:
    middle = sum(pieces[i].origin.box.center[1] for i in line) / len(line)
    height = median(pieces[i].origin.box.height for i in line)
    return abs(box.center[1] - middle) <= 0.5 * min(box.height, height)


def _band(indices: list[int], pieces: Sequence[PageLine]) -> _Band:
    boxes = [pieces[i].origin.box for i in indices]
    height = median(b.height for b in boxes)
    values = []
    for k, i in enumerate(indices):
        if parse_cell(pieces[i].text).kind is CellKind.TEXT or not pieces[i].text.strip():
            continue
        left = boxes[k].x0 - boxes[k - 1].x1 if k > 0 else float("inf")
        right = boxes[k + 1].x0 - boxes[k].x1 if k + 1 < len(boxes) else float("inf")
        if min(left, right) >= _APART * height:
            values.append(i)
    value_boxes = [pieces[i].origin.box for i in values] or boxes
    is_row = len(values) >= 2 or any(parse_cell(pieces[i].text).kind is CellKind.NUMBER for i in values)
    return _Band(tuple(indices), tuple(values), min(b.top for b in boxes), max(b.bottom for b in boxes),
                 min(b.top for b in value_boxes), max(b.bottom for b in value_boxes), is_row)


def _runs(bands: list[_Band], pieces: Sequence[PageLine]) -> list[list[_Band]]:
    """Consecutive value bands that make one table, with the label bands between them: broken by
    a band with text over the value columns (a header or a paragraph) or by a long gap. The label
    bands just above a table's first row join it (its label's first line)."""
    runs: list[list[_Band]] = []
    current: list[_Band] = []
    span: tuple[float, float] | None = None
    pending: list[_Band] = []  # label bands since the last value band

    def over_values(band: _Band) -> bool:
        return span is not None and any(pieces[i].origin.box.x1 > span[0] and pieces[i].origin.box.x0 < span[1]
                                        for i in band.pieces)

    def close() -> None:
        nonlocal current, span
        if current:
            runs.append(current)
        current, span = [], None

    for band in bands:
        height = median(pieces[i].origin.box.height for i in band.pieces)
        if not band.is_row:
            if over_values(band):
                close()
                pending = []
            else:
                pending.append(band)
            continue
        if current and band.top - current[-1].bottom > _LONGEST_GAP * height:
            close()
            pending = pending[-1:]
        value_boxes = [pieces[i].origin.box for i in band.values]
        low, high = min(b.x0 for b in value_boxes), max(b.x1 for b in value_boxes)
        span = (low, high) if span is None else (min(span[0], low), max(span[1], high))
        if not current:  # only the label lines right above the first row: a heading or title stays
            pending = _adjoining(pending, band, pieces, over_values)
        current += pending + [band]
        pending = []
    close()
    return runs


def _adjoining(pending: list[_Band], first: _Band, pieces: Sequence[PageLine], over_values) -> list[_Band]:
    """The label bands right above a table's first row, each within a text height of the next."""
    taken: list[_Band] = []
    below = first
    for band in reversed(pending):
        height = median(pieces[i].origin.box.height for i in band.pieces)
        if below.top - band.bottom > height or over_values(band):
            break
        taken.insert(0, band)
        below = band
    return taken


def _columns(run: list[_Band], pieces: Sequence[PageLine]) -> list[tuple[float, float]]:
    """The value columns: extents of the values, merged where they overlap (give or take a
    third of a text height), left to right."""
    boxes = sorted((pieces[i].origin.box for band in run if band.is_row for i in band.values),
                   key=lambda b: b.x0)
    pad = median(b.height for b in boxes) / 3
    columns: list[list[float]] = []
    for box in boxes:
        if columns and box.x0 <= columns[-1][1] + pad:
            columns[-1][1] = max(columns[-1][1], box.x1)
        else:
            columns.append([box.x0, box.x1])
    return [(low, high) for low, high in columns]


def _column_of(box: Box, columns: list[tuple[float, float]], pad: float) -> int | None:
    x = box.center[0]
    return next((j for j, (low, high) in enumerate(columns) if low - pad <= x <= high + pad), None)


def _cell_boxes(columns: list[tuple[float, float]], top: float, bottom: float, pad: float) -> list[Box]:
    """Each value cell's box: its column and row widened by up to a text height, never past the
    middle of the paper between it and its neighbour (`top`, `bottom` are already so bounded), so
    a crop holds the whole printed value and no other."""
    out = []
    for j, (low, high) in enumerate(columns):
        left = max(low - 3 * pad, (columns[j - 1][1] + low) / 2) if j > 0 else low - 3 * pad
        right = min(high + 3 * pad, (high + columns[j + 1][0]) / 2) if j + 1 < len(columns) else high + 3 * pad
        out.append(Box(max(left, 0.0), max(top, 0.0), right, bottom))
    return out


def _header_above(bands: list[_Band], first: int, pieces: Sequence[PageLine]) -> list[int]:
    """The pieces of the header block right above a table's first row: the text bands above it,
    each within a text height and a half of the one below, up to the previous row of values."""
    out: list[int] = []
    below = bands[first]
    for band in reversed(bands[max(first - _HEADER_LINES, 0):first]):
        height = median(pieces[i].origin.box.height for i in band.pieces)
        if band.is_row or below.top - band.bottom > 1.5 * height:
            break
        out += band.pieces
        below = band
    return out


def _leaf_columns(columns: list[tuple[float, float]], header: list[int], pieces: Sequence[PageLine],
                  pad: float, labels_end: float) -> list[tuple[float, float]]:
    """The columns with those the header names and no row fills (a column printed blank in every
    row, as a one-row table's blank cells are). The header's leaves (pieces with no header text
    below them: the lowest level of a header spanning several) right of the row labels name one
    column each; they are used only where every value column falls under exactly one of them."""
    boxes = [pieces[i].origin.box for i in header if pieces[i].origin.box.x0 > labels_end]
    leaves = sorted((b for b in boxes if not any(o is not b and o.top > b.bottom - pad and o.x0 < b.x1 and b.x0 < o.x1
                                                   for o in boxes)), key=lambda b: b.x0)
    if len(leaves) <= len(columns) or any(a.x1 > b.x0 for a, b in pairwise(leaves)):
        return columns
    under = [[k for k, leaf in enumerate(leaves) if leaf.x0 - pad <= (low + high) / 2 <= leaf.x1 + pad]
             for low, high in columns]
    if any(len(k) != 1 for k in under) or len({k[0] for k in under}) != len(columns):
        return columns
    filled = {k[0]: column for k, column in zip(under, columns)}
    return [filled.get(k, (leaf.x0, leaf.x1)) for k, leaf in enumerate(leaves)]


def _table(run: list[_Band], pieces: Sequence[PageLine], source: str, page: int,
           read_cells: CellReader | None, header: list[int], room: tuple[float, float]) -> UnruledTable | None:
    """The table of one run of bands; `room` is how far up and down its cells may reach (the
    middle of the paper between it and the print above and below)."""
    columns = _columns(run, pieces)
    if header:
        labels_end = max((pieces[i].origin.box.x1 for band in run for i in band.pieces
                          if pieces[i].origin.box.x1 < columns[0][0]), default=float("-inf"))
        columns = _leaf_columns(columns, header, pieces, median(pieces[i].origin.box.height for i in header) / 3,
                                labels_end)
    pad = median(pieces[i].origin.box.height for band in run for i in band.pieces) / 3
    rows: list[tuple[list[list[int]], list[list[int]], _Band]] = []
    label: list[list[int]] = []  # the label's lines: the bands since the previous row's values
    for band in run:
        if not band.is_row:
            label.append(list(band.pieces))
            continue
        cells: list[list[int]] = [[] for _ in columns]
        own: list[int] = []
        for i in band.pieces:
            j = _column_of(pieces[i].origin.box, columns, pad)
            (own if j is None else cells[j]).append(i)
        rows.append((_label_lines(label + [own], pieces), cells, band))
        label = []
    labelled = any(label for label, _, _ in rows)
    if not (len(columns) >= 3 or labelled):
        return None  # a lone number (a page number): not a table
    bands = [band for _, _, band in rows]
    tops = [max(band.value_top - pad, room[0] if k == 0 else (bands[k - 1].value_bottom + band.value_top) / 2)
            for k, band in enumerate(bands)]
    bottoms = [min(band.value_bottom + pad, room[1] if k + 1 == len(bands) else
                   (band.value_bottom + bands[k + 1].value_top) / 2) for k, band in enumerate(bands)]
    boxes = [_cell_boxes(columns, top, bottom, pad) for top, bottom in zip(tops, bottoms)]
    readings = iter(read_cells([b for row in boxes for b in row], False)
                    if read_cells else [])
    grid_rows = []
    for (label, cells, band), cell_boxes in zip(rows, boxes):
        row = []
        if labelled:
            members = [i for line in label for i in line]
            left = min([pieces[i].origin.box.x0 for i in members] + [cell_boxes[0].x0])
            top = min([pieces[i].origin.box.top for i in members] + [band.top])
            text = "\n".join(" ".join(pieces[i].text for i in line) for line in label)
            row.append(GridCell(text, Origin(source, text, page=page, box=Box(left, top, cell_boxes[0].x0, band.bottom),
                                             confidence=min((pieces[i].origin.confidence for i in members),
                                                            default=1.0))))
        for members, box in zip(cells, cell_boxes):
            cell = _joined(members, pieces, source, page, box)
            if read_cells:
                reading = next(readings) or CellReading("", 1.0)
                cell = GridCell(reading.text, Origin(source, reading.text, page=page, box=box,
                                                     confidence=reading.confidence, alternatives=reading.alternatives,
                                                     doubts=reading.doubts))
            row.append(cell)
        grid_rows.append(tuple(row))
    used = frozenset(i for band in run for i in band.pieces)
    every = [b for row in boxes for b in row] + [pieces[i].origin.box for i in used]
    box = Box(min(b.x0 for b in every), min(b.top for b in every), max(b.x1 for b in every),
              max(b.bottom for b in every))
    return UnruledTable(Grid(box, tuple(grid_rows), ruled=False), used)


def _label_lines(lines: list[list[int]], pieces: Sequence[PageLine]) -> list[list[int]]:
    """A row's label lines in reading order: label columns (pieces whose extents overlap) left to
    right, each top to bottom. A group label printed beside the rows comes before the row's own
    label instead of interleaving with its wrapped lines."""
    columns: list[list[int]] = []
    for i in sorted((i for line in lines for i in line), key=lambda i: pieces[i].origin.box.x0):
        box = pieces[i].origin.box
        if columns and box.x0 <= max(pieces[k].origin.box.x1 for k in columns[-1]):
            columns[-1].append(i)
        else:
            columns.append([i])
    return [[i for i in line if i in column] for column in columns for line in lines
            if any(i in column for i in line)]


def _joined(members: list[int], pieces: Sequence[PageLine], source: str, page: int, box: Box) -> GridCell:
    """One cell from the pieces in it, left to right; a cell with none is blank."""
    text = " ".join(pieces[i].text for i in members)
    confidence = min((pieces[i].origin.confidence for i in members), default=1.0)
    return GridCell(text, Origin(source, text, page=page, box=box, confidence=confidence))


def lines_of(pieces: Sequence[PageLine]) -> list[PageLine]:
    """Pieces joined into printed lines, left to right: the words of a page's lines that no table
    took, made into lines again."""
    out = []
    for band in _bands(pieces):
        text = "".join(pieces[i].text for i in band)
        box = pieces[band[0]].origin.box
        for i in band[1:]:
            box = box.union(pieces[i].origin.box)
        first = pieces[band[0]].origin
        out.append(PageLine(text, Origin(first.source, text, page=first.page, box=box,
                                               confidence=min(pieces[i].origin.confidence for i in band))))
    return out


def unruled_tables(pieces: Sequence[PageLine], source: str, page: int,
                   read_cells: CellReader | None = None) -> list[UnruledTable]:
    """The tables printed without rules among a page's text pieces (words of a PDF, detected text
    boxes of a scan). With `read_cells`, every value cell is read again from its own crop."""
    if not pieces:
        return []
    bands = [_band(indices, pieces) for indices in _bands(pieces)]
    tables = []
    for run in _runs(bands, pieces):
        first, last = bands.index(run[0]), bands.index(run[-1])
        room = ((bands[first - 1].bottom + run[0].value_top) / 2 if first > 0 else float("-inf"),
                (run[-1].value_bottom + bands[last + 1].top) / 2 if last + 1 < len(bands) else float("inf"))
        tables.append(_table(run, pieces, source, page, read_cells, _header_above(bands, first, pieces), room))
    return [t for t in tables if t is not None]
