"""Ruling segments and text pieces of a scanned page become its page model: ruled grids with
merged cells, and the pieces outside them.

Rules that touch form one table. Its row and column boundaries are the clustered positions of its
horizontal and vertical rules; two neighbouring base cells are one merged cell where no rule
separates them (a rule that runs only part of the way is how a merged cell is drawn). Each
detected text piece goes to the cell holding its centre; with a `CellReader`, every cell is read
again from its own crop. The pieces outside every ruled grid are the page's words, among which
layout looks for a table printed without rules (`layout.unruled_grid`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from disclosure.ocr import cell_reading
from disclosure.ocr.ctc_reading import DIGIT_LOOKALIKES
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.paddle_engine import OcrModels
from disclosure.ocr.page_model import CellReader, CellReading, Grid, GridCell, PageLine, PositionedPage
from disclosure.ocr.scan import Rule, ScanPage, rule_ink

SNAP = 8  # pixels within which rule positions are one boundary
_DIGIT_LOOKALIKES = str.maketrans(DIGIT_LOOKALIKES)


def _as_cell_text(text: str) -> str:
    """A cell made only of digits and digit look-alikes is a number; anything else stays as read."""
    mapped = text.translate(_DIGIT_LOOKALIKES)
    return mapped if mapped.strip() and all(ch.isdigit() or ch in " .,+-" for ch in mapped) else text


_TOUCH = 6  # pixels: rules this near each other touch (blur and a seal break a crossing)


def _tables(rules: tuple[Rule, ...]) -> list[list[Rule]]:
    """The rules in groups that touch, a horizontal rule touching a vertical one, each group a
    table's; in the order of their first rule. Hundreds of segments a page, so every horizontal
    rule is tested against every vertical one at once."""
    import numpy as np

    boxes = np.array([(r.box.x0, r.box.top, r.box.x1, r.box.bottom) for r in rules], dtype=float).reshape(-1, 4)
    across = np.array([r.horizontal for r in rules], dtype=bool)
    rows, cols = np.flatnonzero(across), np.flatnonzero(~across)
    a, b = boxes[rows][:, None, :], boxes[cols][None, :, :]
    touching = ((a[..., 0] - _TOUCH <= b[..., 2]) & (b[..., 0] - _TOUCH <= a[..., 2])
                & (a[..., 1] - _TOUCH <= b[..., 3]) & (b[..., 1] - _TOUCH <= a[..., 3]))
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(rows[np.nonzero(touching)[0]].tolist(), cols[np.nonzero(touching)[1]].tolist()):
        parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    tables = [_own_rules(g) for g in groups.values()]
    return [t for t in tables if sum(r.horizontal for r in t) >= 2 and sum(not r.horizontal for r in t) >= 2]


_MIN_TABLE_WIDTH = 200  # pixels, 25 mm: wider than the glyph of a bold title, whose strokes cross


def _own_rules(rules: list[Rule]) -> list[Rule]:
    """The rules of a table: those between, or across, its first and last long horizontal rules
    (half as long as its longest). The strokes of a heading just above it or a line of print just
    below touch it from outside; a column rule that runs on past a page break crosses. Strokes
    crossing inside one glyph are no table at all."""
    longest = max((r.box.x1 - r.box.x0 for r in rules if r.horizontal), default=0.0)
    if longest < _MIN_TABLE_WIDTH:
        return []
    long_ys = [(r.box.top + r.box.bottom) / 2 for r in rules if r.horizontal and r.box.x1 - r.box.x0 >= longest / 2]
    first, last = min(long_ys) - SNAP, max(long_ys) + SNAP
    return [r for r in rules if r.box.bottom >= first and r.box.top <= last]


def _positions(rules: list[Rule], horizontal: bool) -> list[float]:
    """Boundary positions across the rules' direction, longest rules first: a rule within SNAP of
    a longer one is the same boundary. Clustering by nearness alone would chain glyph strokes
    (which blur and noise turn into short segments) into one cluster and pull a rule's position
    off the rule."""
    spans = sorted(((r.box.x1 - r.box.x0, (r.box.top + r.box.bottom) / 2) if horizontal else
                    (r.box.bottom - r.box.top, (r.box.x0 + r.box.x1) / 2) for r in rules if r.horizontal == horizontal),
                   reverse=True)
    positions: list[float] = []
    for _, at in spans:
        if all(abs(at - p) > SNAP for p in positions):
            positions.append(at)
    return sorted(positions)


def _covered(ink, horizontal: bool, at: float, start: float, end: float) -> bool:
    """Is there a rule at `at` all the way from `start` to `end`? Ink must cover nearly every pixel
    of the run in some line within a few pixels of `at`; a glyph's stroke covers only part of a
    cell's height, with paper (the cell's padding) between it and the rules."""
    low, high = int(round(start)) + 2, int(round(end)) - 2
    centre = int(round(at))
    if high <= low:
        return False
    near = slice(max(centre - 3, 0), centre + 4)
    band = ink[near, low:high] if horizontal else ink[low:high, near].T
    # the share of the best line's pixels that are ink (a count, then one division: its mean)
    return band.size > 0 and int(band.sum(axis=1).max()) / band.shape[1] >= (
        _ROW_RULE_COVERAGE if horizontal else _COVERAGE)


Covered = Callable[[bool, float, float, float], bool]


def _coverage(ink) -> Covered:
    """`_covered` on the page's rule ink, each run measured once: rows are settled, then
    columns, then cells merged and streaks told from rules, asking again of the same runs."""
    @functools.lru_cache(maxsize=None)
    def covered(horizontal: bool, at: float, start: float, end: float) -> bool:
        return _covered(ink, horizontal, at, start, end)
    return covered


_COVERAGE = 0.92
# a horizontal rule can lose more of its length (under a seal, faded) and still be one: no line of
# print covers most of a cell's width at a rule's height
_ROW_RULE_COVERAGE = 0.8


_OPEN_ROW = 25  # pixels: the least height of a row left open at a page break (rows are 40 or more)


def _open_edges(rules: list[Rule], ys: list[float]) -> tuple[float | None, float | None]:
    """Where a table cut by a page break ends without a rule: the top and bottom at which three or
    more vertical rules that run across the outermost horizontal rule stop together, a row's
    height beyond it. Word draws no border where a table continues on the next page. The strokes
    of a heading just above a table touch its top rule but do not cross it."""
    if not ys:
        return None, None
    verticals = [r.box for r in rules if not r.horizontal]

    def common(ends: list[float]) -> float | None:
        for end in ends:
            if sum(abs(e - end) <= SNAP for e in ends) >= 3:
                return end
        return None

    first, last = ys[0], ys[-1]
    top = common(sorted(b.top for b in verticals if b.top < first - _OPEN_ROW and b.bottom > first + _OPEN_ROW))
    bottom = common(sorted((b.bottom for b in verticals if b.bottom > last + _OPEN_ROW and b.top < last - _OPEN_ROW),
                           reverse=True))
    return top, bottom


_THINNEST_ROW = 20  # pixels: no row holding a line of print is thinner (at 200 dpi rows are 40 or more)
_STREAK_BESIDE_RULE = 0.75  # of the darker of two close boundaries, under which the other is a streak


def _darkness(grey, y: float, x0: float, x1: float) -> float:
    """How dark a row boundary is: the mean, along its run, of the darkest pixel within a few
    pixels of it."""
    centre = int(round(y))
    band = grey[max(centre - 3, 0):centre + 4, int(x0):int(x1)]
    return 255.0 - float(band.min(axis=0).mean()) if band.size else 0.0


def _without_streaks(ys: list[float], xs: list[float], grey, covered: Covered,
                     open_edges: set[float] = frozenset()) -> list[float]:
    """Row boundaries without a scanner's roller streaks, which run the page's width far paler
    than the table's rules: one much paler than the table's rules (`_pale`), and the lighter of
    two too close to hold a row between them (a streak beside a rule)."""
    dark = {y: _rule_darkness(grey, covered, y, xs) for y in ys}
    ruled = sorted(dark[y] for y in ys if y not in open_edges)
    reference = ruled[(3 * len(ruled)) // 4] if ruled else 0.0  # most of a table's boundaries are rules
    out: list[float] = []
    for y in ys:
        if y not in open_edges and _pale(dark[y], reference, _runs_on(covered, y, xs, grey.shape[1])):
            continue
        if out and y - out[-1] < _THINNEST_ROW:
            # two rules this close are a streak beside a rule only where one is much the paler:
            # two tables printed one under the other leave two dark rules a gap apart
            here, before = _darkness(grey, y, xs[0], xs[-1]), _darkness(grey, out[-1], xs[0], xs[-1])
            if min(here, before) < _STREAK_BESIDE_RULE * max(here, before):
                if here > before:
                    out[-1] = y
                continue
        out.append(y)
    return out


# of the darkness of a table's rules: a line paler than the first is no rule of it (a rule whose
# seal was divided out keeps 0.35 or more); one paler than the second that runs on past the
# table's outer rules, where no rule of it runs, is a streak (streaks of dirty rollers: 0.15-0.45)
_PALEST_RULE, _PALE_RULE = 0.25, 0.5
_MARGIN = 40  # pixels beside a table where a streak runs on


def _pale(darkness: float, reference: float, runs_on: bool) -> bool:
    return darkness < (_PALE_RULE if runs_on else _PALEST_RULE) * reference


def _rule_darkness(grey, covered: Covered, y: float, xs: list[float]) -> float:
    """How dark a row boundary is where it runs: the mean darkness of the columns it covers."""
    runs = [_darkness(grey, y, xs[j], xs[j + 1]) for j in range(len(xs) - 1)
            if covered(True, y, xs[j], xs[j + 1])]
    return sum(runs) / len(runs) if runs else 0.0


def _runs_on(covered: Covered, y: float, xs: list[float], width: int) -> bool:
    """Does the line at `y` go on past the table's left or right rule (on a page `width` wide)?"""
    return (covered(True, y, max(xs[0] - _MARGIN - 5, 0), xs[0] - 5)
            or covered(True, y, xs[-1] + 5, min(xs[-1] + _MARGIN + 5, width)))


def _boundaries(rules: list[Rule], covered: Covered,
                grey=None) -> tuple[list[float], list[float], dict[float, list[bool]]]:
    """Row and column boundaries, and for each column boundary the rows it runs through.

    A column boundary is a vertical rule covering the full height of at least one row; a row
    boundary, a horizontal rule covering the full width of at least one column, or the open edge
    of a table cut by a page break (`_open_edges`). Short segments from glyph strokes or a seal's
    remains pass neither test. Rows are settled first with every candidate column, then the
    columns again between the settled rows."""
    ys = _positions(rules, horizontal=True)
    open_edges = {edge for edge in _open_edges(rules, ys) if edge is not None}
    ys = sorted({*ys, *open_edges})
    candidates = _positions(rules, horizontal=False)
    for _ in range(2):
        vertical = {x: [covered(False, x, ys[k], ys[k + 1]) for k in range(len(ys) - 1)] for x in candidates}
        xs = [x for x in candidates if any(vertical[x])]
        if len(xs) < 2:
            return ys, xs, vertical
        ys = [y for y in ys if y in open_edges
              or any(covered(True, y, xs[j], xs[j + 1]) for j in range(len(xs) - 1))]
        if grey is not None:
            ys = _without_streaks(ys, xs, grey, covered, open_edges)
    return ys, xs, {x: [covered(False, x, ys[k], ys[k + 1]) for k in range(len(ys) - 1)] for x in xs}


@dataclass(frozen=True)
class _Layout:
    """A ruled table's boundaries, and its cells: each merged cell's box, keyed by its top-left
    base cell, and the merged cell each base cell belongs to."""

    ys: list[float]
    xs: list[float]
    boxes: dict[tuple[int, int], Box]
    owner: dict[tuple[int, int], tuple[int, int]]


def _layout(rules: list[Rule], covered: Covered, grey=None) -> _Layout | None:
    """The table's rows, columns and merged cells; None where it is no grid of two rows and two
    columns or more."""
    ys, xs, vertical = _boundaries(rules, covered, grey)
    if len(xs) < 3 or len(ys) < 3:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    owner = {(i, j): (i, j) for i in range(rows) for j in range(cols)}

    def root(cell):
        while owner[cell] != cell:
            cell = owner[cell]
        return cell

    def merge(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            owner[max(ra, rb)] = min(ra, rb)

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not vertical[xs[j + 1]][i]:
                merge((i, j), (i, j + 1))
            if i + 1 < rows and not covered(True, ys[i + 1], xs[j], xs[j + 1]):
                merge((i, j), (i + 1, j))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell in owner:
        members.setdefault(root(cell), []).append(cell)
    boxes = {r: Box(xs[min(c[1] for c in cells)], ys[min(c[0] for c in cells)],
                    xs[max(c[1] for c in cells) + 1], ys[max(c[0] for c in cells) + 1])
             for r, cells in sorted(members.items())}
    return _Layout(ys, xs, boxes, {cell: root(cell) for cell in owner})


def _grid(layout: _Layout, lines: list[PageLine], source: str, page: int,
          readings: dict[tuple[int, int], CellReading | None] | None) -> tuple[Grid, set[int]]:
    """The table's grid, each cell's text from its own crop's reading (`readings`, by merged
    cell) or, without them, from the page's lines whose centre it holds; and those lines."""
    ys, xs, owner = layout.ys, layout.xs, layout.owner
    rows, cols = len(ys) - 1, len(xs) - 1
    texts: dict[tuple[int, int], list[PageLine]] = {}
    used: set[int] = set()
    for index, line in enumerate(lines):
        x, y = line.origin.box.center
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            continue
        i = max(k for k in range(rows) if ys[k] <= y) if y < ys[-1] else rows - 1
        j = max(k for k in range(cols) if xs[k] <= x) if x < xs[-1] else cols - 1
        texts.setdefault(owner[(i, j)], []).append(line)
        used.add(index)
    grid_rows = []
    for i in range(rows):
        row = []
        for j in range(cols):
            if owner[(i, j)] != (i, j):
                row.append(GridCell(None, None))
                continue
            found = sorted(texts.get((i, j), []),
                           key=lambda line: (round(line.origin.box.top / 10), line.origin.box.x0))
            reading = CellReading("".join(line.text for line in found),
                                  min((line.origin.confidence for line in found), default=1.0))
            if readings is not None:  # every cell read from its own crop: the page's lines can run across rules
                reading = readings[(i, j)] or CellReading("", 1.0)
            row.append(GridCell(_as_cell_text(reading.text),
                                Origin(source, reading.text, page=page, box=layout.boxes[(i, j)],
                                       confidence=reading.confidence, alternatives=reading.alternatives,
                                       doubts=reading.doubts)))
        grid_rows.append(tuple(row))
    return Grid(Box(xs[0], ys[0], xs[-1], ys[-1]), tuple(grid_rows)), used


_SEAL_SHARE = 0.02  # of a cell's box the seal's zone covers, from which its reading is in doubt


def _under_seal(reading: CellReading | None, box: Box, seal) -> CellReading | None:
    """The reading with a doubt where it is a number or blank (a seal can take a digit with it)
    and the seal's zone overlaps its box: its print was recovered from under the ink."""
    if reading is not None and any("\u4e00" <= ch <= "\u9fff" for ch in reading.text):
        return reading
    x0, top, x1, bottom = (max(int(v), 0) for v in (box.x0, box.top, box.x1, box.bottom))
    covered = seal[top:bottom, x0:x1]
    if covered.size == 0 or covered.mean() < _SEAL_SHARE:
        return reading
    reading = reading or CellReading("", 1.0)
    return replace(reading, doubts=(*reading.doubts, "seal"))


def scan_cell_reader(scan: ScanPage, models: OcrModels) -> CellReader:
    """Reads cells of the scanned page from their own crops; a cell the seal covered carries the
    doubt "seal"."""
    def read(boxes: list[Box], ruled: bool = True) -> list[CellReading | None]:
        readings = cell_reading.read_cells(scan.image, boxes, models, ruled=ruled)
        if scan.seal is None:
            return readings
        return [_under_seal(reading, box, scan.seal) for reading, box in zip(readings, boxes)]
    return read


def page_from_scan(scan: ScanPage, source: str, read_cells: CellReader | None = None) -> PositionedPage:
    """The scanned page's model: its ruled grids, and the text pieces outside them as words. With
    `read_cells`, every cell is also read from its own crop, and that reading is taken over the
    page-level one (which can join neighbouring cells)."""
    lines = list(scan.lines)
    grey = scan.grey
    covered = _coverage(rule_ink(grey))
    grids, used = [], set()
    for layout in (layout for layout in (_layout(rules, covered, grey) for rules in _tables(scan.rules)) if layout):
        # a table's cells are read in a run of the reader of their own: packed with another
        # table's labels into strips, labels read otherwise, and rows were lost
        readings = dict(zip(layout.boxes, read_cells(list(layout.boxes.values()), True))) if read_cells else None
        grid, taken = _grid(layout, lines, source, scan.number, readings)
        grids.append(grid)
        used |= taken
    words = tuple(PageLine(_as_cell_text(line.text), line.origin) for i, line in enumerate(lines) if i not in used)
    return PositionedPage(scan.number, scan.width, scan.height, (), tuple(grids), words)
