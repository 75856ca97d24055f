"""Rows of numbers whose labels an extractor moved or lost, aligned to the statutory rows.

A PDF-to-text tool often sets a row's numbers on one line and its label on the line before, the
line after, or both halves around it (a label centred on a row two lines high); sometimes the
label is gone. What never changes is the statutory order of the rows. So the rows of numbers of a
table, in printed order, are aligned to the template's rows in order: each takes a template row
after the one before it, or none (an extra row, kept aside). An alignment scores

- a label printed on the numbers' own line that names the row (strongly), or names another;
- a label line just before the numbers, or just after, that names it (the same either way: a
  tool sets a label centred on its row before or after the numbers, and a run of rows read one
  line off gains on every row what it loses at its ends, so only the ends tell);
- a label line naming a template row that no row of numbers took: a row whose numbers are lost.

The alignments that score best, or within less than a label line of it, are all found; a row of
numbers that they give to different template rows is left unplaced, with a warning naming the rows
it may be: never guessed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from disclosure.layout.rows import LabeledRow
from disclosure.ocr.origin import Origin
from disclosure.table_recon.formats import RowSpec, TableSpec
from disclosure.table_recon.labels import match_row

_INLINE, _BEFORE, _AFTER, _CONTRADICTED, _UNCLAIMED, _PLACED = 6.0, 2.0, 2.0, -6.0, -1.0, 1.0
_CLOSE = 1.0  # less than a label line before or after the numbers is worth


class HowMatched(enum.StrEnum):
    """How a row of cells was given its template row."""

    LABEL = "label"  # its label prints the statutory wording
    LOOSE = "loose"  # its label matches a row's pattern, not the statutory wording
    POSITION = "position"  # by its place between the rows matched around it


@dataclass(frozen=True)
class ValueRow:
    """A row of numbers with the label text on its own line and the free label lines before it."""

    row: LabeledRow
    inline: str
    before: tuple[tuple[str, Origin], ...]


@dataclass(frozen=True)
class Alignment:
    # (row, template row or None, how, the label text that named it)
    placed: tuple[tuple[ValueRow, RowSpec | None, HowMatched, str], ...]
    warnings: tuple[str, ...]


def _named(lines: tuple[str, ...], table: TableSpec) -> frozenset[RowSpec]:
    """The template rows that label lines name: each line alone, and each with the next (a label
    wrapped over two lines)."""
    texts = list(lines) + [a + b for a, b in zip(lines, lines[1:])]
    found = {match_row(text, table) for text in texts if text.strip()}
    return frozenset(spec for spec in found if spec is not None and spec.key)


def _span(table: TableSpec) -> dict[RowSpec, tuple[int, int]]:
    """Each template row's place in the printed order; a collapsed row stands for its parts."""
    index = {spec.key: i for i, spec in enumerate(table.rows) if not spec.collapses}
    out = {spec: (index[spec.key], index[spec.key]) for spec in table.rows if not spec.collapses}
    for spec in table.rows:
        if spec.collapses:
            parts = [index[key] for key in spec.collapses]
            out[spec] = (min(parts), max(parts))
    return out


def align(rows: list[ValueRow], trailing: tuple[str, ...], table: TableSpec) -> Alignment:
    """The template row of each row of numbers, where every best alignment agrees on it."""
    span = _span(table)
    specs = sorted(span, key=lambda s: span[s])
    inline = [_named((r.inline,), table) for r in rows]
    gaps = [_named(tuple(t for t, _ in r.before), table) for r in rows] + [_named(trailing, table)]
    n = len(rows)
    NONE = None

    def own(i: int, spec: RowSpec | None) -> float:
        if spec is None:
            return 0.0
        score = _PLACED
        if inline[i]:
            score += _INLINE if spec in inline[i] else _CONTRADICTED
        score += _BEFORE if spec in gaps[i] else 0.0
        score += _AFTER if spec in gaps[i + 1] else 0.0
        return score

    def unclaimed(gap: frozenset[RowSpec], left: RowSpec | None, right: RowSpec | None) -> float:
        return _UNCLAIMED * sum(1 for spec in gap if spec is not left and spec is not right)

    def steps(i: int, key: tuple) -> Iterator[tuple[tuple, float]]:
        """The states row `i` may take after row i-1 in state `key`, with what that adds."""
        last, mine = key
        end = span[last][1] if last is not None else -1
        for spec in [NONE, *specs]:
            if spec is None or span[spec][0] > end:
                yield (spec if spec is not None else last, spec), own(i, spec) + unclaimed(gaps[i], mine, spec)

    # forward[i][state]: the best score of rows 0..i ending in `state` (the last template row taken
    # so far, this row's); backward[i][state]: the best that rows i+1.. add to it
    forward: list[dict[tuple, float]] = [{(spec, spec): own(0, spec) + unclaimed(gaps[0], None, spec)
                                          for spec in [NONE, *specs]}]
    for i in range(1, n):
        here: dict[tuple, float] = {}
        for key, score in forward[-1].items():
            for state, gain in steps(i, key):
                here[state] = max(here.get(state, float("-inf")), score + gain)
        forward.append(here)
    backward: list[dict[tuple, float]] = [{} for _ in range(n)]
    backward[-1] = {key: unclaimed(gaps[n], key[1], None) for key in forward[-1]}
    for i in range(n - 1, 0, -1):
        backward[i - 1] = {key: max(gain + backward[i][state] for state, gain in steps(i, key))
                           for key in forward[i - 1]}
    best = max(score + backward[-1][key] for key, score in forward[-1].items())

    def within(i: int, margin: float) -> set[RowSpec | None]:
        return {key[1] for key, score in forward[i].items() if score + backward[i][key] >= best - margin - 1e-9}

    placed, warnings = [], []
    for i, row in enumerate(rows):
        options = within(i, 0.0)
        # another template row that an alignment scoring within `_CLOSE` of the best gives the row
        # puts it in doubt as much as a tie: a label line more or less would tip it (leaving the
        # row aside scores less than placing it, never close)
        close = {spec for spec in within(i, _CLOSE) if spec is not None}
        if len(close) > 1:
            options = options | close
        if len(options) == 1 and None not in options:
            spec = next(iter(options))
            label = _naming_text(spec, row.inline, [t for t, _ in row.before],
                                 [t for t, _ in rows[i + 1].before] if i + 1 < n else list(trailing), table)
            placed.append((row, spec, HowMatched.LABEL if label is not None else HowMatched.POSITION,
                           label or row.inline))
            continue
        if len(options) > 1:
            names = sorted(spec.label if spec else "no row" for spec in options)
            warnings.append(f"a row of numbers ({' '.join(c.text for c in row.row.cells)}) may be any of "
                            f"{', '.join(names)} in table {table.name}; left unplaced")
        placed.append((row, None, HowMatched.LABEL, row.inline))
    return Alignment(tuple(placed), tuple(warnings))


def _naming_text(spec: RowSpec, inline: str, before: list[str], after: list[str], table: TableSpec) -> str | None:
    """The printed label text that names `spec`: on the numbers' line, or the lines around them."""
    for lines in ([inline], before, after):
        texts = list(lines) + [a + b for a, b in zip(lines, lines[1:])]
        named = [text for text in texts if text.strip() and match_row(text, table) is spec]
        if named:
            return min(named, key=len)
    return None
