"""Layout rows matched to the template's rows, table by table.

Section headings switch the table; within a table the label pattern that matches last names the
row. A value row whose label matches nothing, standing alone where exactly one template row is
missing between two matched neighbours, is taken as that row (a typo in the label), with a
warning. Other unmatched value rows are kept aside as extra rows, never shifted into keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.rows import LabeledRow
from table_recon.formats import FormatSpec, RowSpec, TableSpec
from table_recon.labels import is_end_of_tables, is_heading, match_row


@dataclass(frozen=True)
class MatchedRow:
    table: TableSpec
    spec: RowSpec
    row: LabeledRow
    label: str
    how: str  # "label", "position"


@dataclass(frozen=True)
class RowMatches:
    matched: tuple[MatchedRow, ...]
    extra: tuple[tuple[str, LabeledRow], ...]  # (table name, row) of unmatched value rows
    tables_seen: frozenset[str]
    warnings: tuple[str, ...]


def _sections(rows: tuple[LabeledRow, ...], fmt: FormatSpec):
    """Yield (table or None, label after any heading, row) following the section headings."""
    table: TableSpec | None = None
    for row in rows:
        start = 0
        for i, line in enumerate(row.label_lines):
            if is_end_of_tables(line):
                table, start = None, i + 1
            for spec in fmt.tables:
                if is_heading(line, spec.heading):
                    table, start = spec, i + 1
        yield table, "".join(row.label_lines[start:]), row


def match_rows(rows: tuple[LabeledRow, ...], fmt: FormatSpec) -> RowMatches:
    per_table: dict[str, list[tuple[RowSpec | None, str, LabeledRow, str]]] = {}
    seen: set[str] = set()
    for table, label, row in _sections(rows, fmt):
        if table is None:
            continue
        seen.add(table.name)
        if not row.cells:
            continue
        per_table.setdefault(table.name, []).append((match_row(label, table), label, row, "label"))

    matched: list[MatchedRow] = []
    extra: list[tuple[str, LabeledRow]] = []
    warnings: list[str] = []
    for name, entries in per_table.items():
        table = fmt.table(name)
        entries = _place_by_position(table, entries, warnings)
        taken: set[str] = set()
        for spec, label, row, how in entries:
            if spec is None:
                extra.append((name, row))
                continue
            if spec.key in taken:
                warnings.append(f"row {spec.label} printed twice in table {name}; the second is kept aside")
                extra.append((name, row))
                continue
            taken.add(spec.key)
            matched.append(MatchedRow(table, spec, row, label, how))
    return RowMatches(tuple(matched), tuple(extra), frozenset(seen), tuple(warnings))


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
            out[i] = (gap[0], label, row, "position")
    return out
