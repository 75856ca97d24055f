"""Layout rows matched to the template's rows, table by table.

Section headings switch the table; within a table the label pattern that matches last names the
row. A value row whose label matches nothing, standing alone where exactly one template row is
missing between two matched neighbours, is taken as that row (a typo in the label), with a
warning. Other unmatched value rows are kept aside as extra rows, never shifted into keys.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from disclosure.layout.cell_text import CellKind, may_be_joined_cells, normalize_text, parse_cell
from disclosure.layout.rows import LabeledRow
from disclosure.ocr.origin import Origin
from disclosure.table_recon.formats import FormatSpec, RowSpec, TableSpec
from disclosure.table_recon.labels import is_end_of_tables, is_heading, match_row
from disclosure.table_recon.row_align import HowMatched, ValueRow, align


@dataclass(frozen=True)
class MatchedRow:
    table: TableSpec
    spec: RowSpec
    row: LabeledRow
    label: str
    how: HowMatched


@dataclass(frozen=True)
class RowMatches:
    matched: tuple[MatchedRow, ...]
    extra: tuple[tuple[str, LabeledRow], ...]  # (table name, row) of unmatched value rows
    tables_seen: frozenset[str]
    warnings: tuple[str, ...]
    # rows whose label names a template row already taken: another plausible reading of that row
    set_aside: tuple[MatchedRow, ...] = ()


@dataclass(frozen=True)
class _Segment:
    table: TableSpec
    lines: tuple[str, ...]
    origins: tuple[Origin, ...]
    row: LabeledRow | None  # None: label lines with no cells of their own, before a heading
    exact: bool


def _heading_at(rows: tuple[LabeledRow, ...], r: int, i: int, fmt: FormatSpec) -> tuple[TableSpec | None, bool, bool]:
    """The table whose heading line `i` of row `r` is, whether it is a heading at all (the end of
    the tables is one, with no table), and whether it runs on into the next label line (a heading
    wrapped over two lines)."""
    labels = rows[r].label_lines
    line, following = labels[i], None
    if i + 1 < len(labels):
        following = labels[i + 1]
    elif not rows[r].cells and r + 1 < len(rows) and rows[r + 1].label_lines:
        following = rows[r + 1].label_lines[0]
    def heading_of(text: str) -> tuple[TableSpec | None, bool]:
        new = next((spec for spec in fmt.tables if is_heading(text, spec.heading)), None)
        return new, new is not None or is_end_of_tables(text)

    new, heading = heading_of(line)
    if heading:
        return new, True, False
    if following and not heading_of(following)[1]:  # only a heading that neither half is alone
        new, heading = heading_of(line + following)
        if heading:
            return new, True, True
    return None, False, False


def _segments(rows: tuple[LabeledRow, ...], fmt: FormatSpec) -> Iterator[_Segment]:
    """Cut the rows at section headings; label lines before a heading stay with the old table."""
    table: TableSpec | None = None
    carried = False  # the previous row's heading ran on into this row's first line
    for r, row in enumerate(rows):
        start = 1 if carried else 0
        carried = False
        i = start
        while i < len(row.label_lines):
            new, heading, joined = _heading_at(rows, r, i, fmt)
            if not heading:
                i += 1
                continue
            if table is not None and i > start:
                yield _Segment(table, row.label_lines[start:i], row.label_origins[start:i], None, row.exact)
            consumed = 2 if joined and i + 1 < len(row.label_lines) else 1
            carried = joined and consumed == 1
            table, start = new, i + consumed
            i = start
        if table is not None and not (carried and not row.cells):
            yield _Segment(table, row.label_lines[start:], row.label_origins[start:], row, row.exact)


def _has_number(row: LabeledRow | None) -> bool:
    return row is not None and any(parse_cell(cell.text).kind is not CellKind.TEXT and normalize_text(cell.text)
                                   or may_be_joined_cells(cell.text) for cell in row.cells)


def _value_rows(segments: list[_Segment]) -> tuple[list[ValueRow], tuple[str, ...]]:
    """A table's rows of numbers, each with the label printed on its own line and the label lines
    since the previous one; and the label lines after the last. A row of cells with no number (a
    header, a label whose numbers went elsewhere) is label lines only."""
    out: list[ValueRow] = []
    pending: list[tuple[str, Origin]] = []
    for segment in segments:
        lines = list(zip(segment.lines, segment.origins))
        if not _has_number(segment.row):
            pending += lines
            continue
        first_line = segment.row.cells[0].origin.line
        inline = "".join(text for text, origin in lines if origin.line == first_line)
        pending += [(text, origin) for text, origin in lines if origin.line != first_line]
        out.append(ValueRow(segment.row, inline, tuple(pending)))
        pending = []
    return out, tuple(text for text, _ in pending)


def _labels_lost(segments: list[_Segment]) -> bool:
    """A row of numbers with no label at all between rows of numbers: an extractor moved labels
    off their numbers' lines, and only the order of the rows places them."""
    with_numbers = [s for s in segments if _has_number(s.row)]
    return any(not s.row.exact and not s.lines for s in with_numbers[1:])


def _aligned_entries(segments: list[_Segment], table: TableSpec, warnings: list[str]) -> list:
    rows, trailing = _value_rows(segments)
    alignment = align(rows, trailing, table)
    warnings.extend(alignment.warnings)
    return [(spec, label, row.row, how) for row, spec, how, label in alignment.placed]


def _one_row_of_fifteen(segments: list[_Segment], table: TableSpec) -> list[_Segment]:
    """Table 四's segments with a header row of no numbers left out (it is no row, and table 四's
    one row is recognised by its numbers), and its numbers printed as several small tables (one per
    group, five cells each) joined into its one row, where together they fill it exactly."""
    numbered = [s for s in segments if _has_number(s.row)]
    if not numbered:
        return segments
    width = len(table.rows[0].columns)
    out: list[_Segment] = []
    for segment in numbered:
        previous = out[-1] if out else None
        count = len(previous.row.cells) if previous else 0
        if previous and not previous.exact and count < width and count + len(segment.row.cells) <= width \
                and width % len(segment.row.cells) == 0:
            row = LabeledRow(previous.row.label_lines, previous.row.label_origins,
                             previous.row.cells + segment.row.cells, exact=False, page=previous.row.page)
            out[-1] = _Segment(previous.table, previous.lines, previous.origins, row, previous.exact)
        else:
            out.append(segment)
    return out


def match_rows(rows: tuple[LabeledRow, ...], fmt: FormatSpec) -> RowMatches:
    per_table: dict[str, list[tuple[RowSpec | None, str, LabeledRow, HowMatched]]] = {}
    seen: set[str] = set()
    segments: dict[str, list[_Segment]] = {}
    early: list[str] = []
    for segment in _segments(rows, fmt):
        segments.setdefault(segment.table.name, []).append(segment)
    if "appeal" in segments:
        segments["appeal"] = _one_row_of_fifteen(segments["appeal"], fmt.table("appeal"))
    aligned = {name for name, found in segments.items() if name != "appeal" and _labels_lost(found)}
    for name in aligned:
        seen.add(name)
        per_table[name] = _aligned_entries(segments[name], fmt.table(name), early)
    for found in segments.values():
        for previous, segment in zip([None, *found], found):
            if segment.table.name in aligned:
                continue
            seen.add(segment.table.name)
            entries = per_table.setdefault(segment.table.name, [])
            has_cells = segment.row is not None and segment.row.cells
            final = match_row("".join(segment.lines), segment.table) if has_cells else None
            if has_cells and final is None and _wrapped_label(previous, segment, entries):
                final, label = _wrapped_label(previous, segment, entries)
                entries.pop()
                entries.append((final, label, segment.row, HowMatched.LABEL))
                continue
            entries.extend(_label_only_rows(segment, final, entries))
            if has_cells:
                entries.append((final, "".join(segment.lines), segment.row, HowMatched.LABEL))

    matched: list[MatchedRow] = []
    extra: list[tuple[str, LabeledRow]] = []
    set_aside: list[MatchedRow] = []
    warnings: list[str] = early
    for name, entries in per_table.items():
        table = fmt.table(name)
        entries = _place_by_position(table, entries, warnings)
        taken: set[str] = set()
        for index, (spec, label, row, how) in enumerate(entries):
            if spec is None:
                extra.append((name, row))
                continue
            if spec.key in taken:
                warnings.append(f"row {spec.label} printed twice in table {name}; the second is kept aside")
                extra.append((name, row))
                set_aside.append(MatchedRow(table, spec, row, label, how))
                continue
            taken.add(spec.key)
            following = entries[index + 1][2].label_lines if index + 1 < len(entries) else ()
            if how is HowMatched.LABEL and spec.key and not _prints_statutory_label(label, spec, following) \
                    and not _prints_wording_between_groups(spec, row.label_lines, following, table):
                warnings.append(f"label {label!r} differs from the statute's {spec.label!r}; "
                                f"read as {name}.{spec.key}")
                how = HowMatched.LOOSE
            matched.append(MatchedRow(table, spec, row, label, how))
    return RowMatches(tuple(matched), tuple(extra), frozenset(seen), tuple(warnings), tuple(set_aside))


def _prints_statutory_label(label: str, spec: RowSpec, following: tuple[str, ...] = ()) -> bool:
    """The statutory wording, less its numbering, appears in the printed label (spacing and
    bracket styles aside), or in it continued by one line of the next row's label: in a table
    without rules, a label wrapped around its row's values ends among the next row's lines."""
    numbering = r"^(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+\.)"
    wording = re.sub(numbering, "", normalize_text(spec.label, label=True))
    return any(wording in normalize_text(label + tail, label=True) for tail in ("", *following))


def _wrapped_label(previous: _Segment | None, segment: _Segment, entries: list) -> tuple[RowSpec, str] | None:
    """A label wrapped over lines with a paragraph break inside (`2.申请人逾期…缴纳` / `费用、…信息`,
    an empty line, `公开申请` and the numbers): its first part, with no numbers, was taken for a
    row whose blanks were all dropped; its last part names nothing. Together they name that row."""
    if previous is None or _has_number(previous.row) or not entries or entries[-1][2].cells:
        return None
    lines = "".join(previous.lines[-2:] + segment.lines)
    spec = match_row(lines, segment.table)
    if spec is None or spec is not entries[-1][0]:
        return None
    return spec, lines


_WRAPPED_LINES = 6  # the most lines a label wraps over, among pieces of the headings beside it


def _prints_wording_between_groups(spec: RowSpec, lines: tuple[str, ...], following: tuple[str, ...],
                                   table: TableSpec) -> bool:
    """The statutory wording in the row's label lines run on into the next row's, once the pieces of
    the group headings beside them are left out (`三、本` / `年度办` / `理结果`: a heading written
    down its merged cell and read across the rows, alone on a line or in front of a label line,
    `（六）其他处2.申请人…`). A line's front is tried both with and without such a piece: `公开申请`
    may be the end of a label as well as `公开` of `（三）不予公开`."""
    groups = {normalize_text(group, label=True) for row in table.rows for group in row.groups}

    def variants(text: str) -> set[str]:
        cuts = [i for i in range(len(text) + 1) if any(text[:i] in group for group in groups)]
        return {text, text[max(cuts):]}

    def kept(texts: tuple[str, ...], cut: bool) -> list[set[str]]:
        out = []
        for text in (normalize_text(text, label=True) for text in texts):
            options = variants(text) if cut else {text}
            if "" not in options and not any(text in group for group in groups):
                out.append(options)
        return out

    for cut in (False, True):
        own = ["".join(choice) for choice in itertools.product(*kept(lines, cut)[-_WRAPPED_LINES:])]
        tails = [("",), *((t,) for t in (kept(following, cut)[:1] or [set()])[0])]
        if any(_prints_statutory_label(text, spec, tail) for text in own for tail in tails):
            return True
    return False


def _label_only_rows(segment: _Segment, final: RowSpec | None, entries: list) -> list:
    """Rows whose cells were all blank and dropped: their label runs straight into the next label.

    A label line before the row's own label that names a template row in order (after the last
    row taken, before this one) is such a row, with no cells.
    """
    table = segment.table
    order = {spec.key: i for i, spec in enumerate(table.rows) if not spec.collapses}
    if segment.exact or (final is not None and final.key not in order):
        return []  # a grid keeps blank cells: a label without cells is a heading, not an emptied row
    ceiling = order[final.key] if final is not None else max(order.values()) + 1
    floor = max((order.get(e[0].key, -1) for e in entries if e[0] is not None), default=-1)
    lines = segment.lines[:-1] if final is not None else segment.lines
    found = []
    for line, origin in zip(lines, segment.origins):
        spec = match_row(line, table)
        if spec is None or spec.key not in order or (final is not None and spec.key == final.key):
            continue
        if not any(spec.patterns):  # a catch-all row (table 四) needs numbers to be recognised
            continue
        if floor < order[spec.key] < ceiling:
            floor = order[spec.key]
            found.append((spec, line, LabeledRow((line,), (origin,), (), exact=False), HowMatched.LABEL))
    return found


def _place_by_position(table, entries, warnings):
    """Give a lone unmatched row the one template row missing between its matched neighbours."""
    order = {row.key: i for i, row in enumerate(table.rows) if not row.collapses}
    out = list(entries)
    for i, (spec, label, row, _) in enumerate(entries):
        if spec is not None or i == 0 or i == len(entries) - 1:
            continue
        before, after = entries[i - 1][0], entries[i + 1][0]
        if before is None or after is None or before.key not in order or after.key not in order:
            continue
        gap = [r for r in table.rows if not r.collapses
               and order[before.key] < order[r.key] < order[after.key]]
        if len(gap) == 1:
            warnings.append(f"label {label!r} not recognised; read as {gap[0].label!r} "
                            f"({table.name}.{gap[0].key}) from its place between its neighbours")
            out[i] = (gap[0], label, row, HowMatched.POSITION)
    return out
