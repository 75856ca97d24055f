"""Placing flattened cells into columns when the text lost blanks or joined cells, using the rules.

Each row becomes a `Unit`: its field keys and the candidate readings of its cells (which column
each number goes to, how a joined digit run splits). A row read one cell per column has one
candidate. The solver then looks for the assignments that make the most rules hold; a key on
which all of them agree is placed, a key on which they differ stays ambiguous and is reported
with its candidates, never silently picked.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from layout.cell_text import CellKind, is_digit_run, normalize_text, parse_cell
from layout.rows import Cell
from ocr.origin import Origin
from table_recon.rules import Number, Rule, side_sum

MAX_CANDIDATES = 5000
MAX_SOLUTIONS = 32
MAX_NODES = 300_000
MAX_FAILURES_TRIED = 3


@dataclass(frozen=True)
class Piece:
    """One column's reading: a number, a printed-empty cell, or a cell that flattening dropped."""

    value: Number | None
    origin: Origin | None
    how: str  # "read", "empty", "dropped", "split", "unreadable"

    @property
    def rule_value(self) -> Number | None:
        if self.how == "unreadable":
            return None
        return 0 if self.value is None else self.value


@dataclass(frozen=True)
class Unit:
    keys: tuple[str, ...]
    candidates: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Placement:
    """The solver's answer: a piece for each placed key, the candidates of each ambiguous key."""

    placed: Mapping[str, Piece]
    ambiguous: Mapping[str, tuple[Piece, ...]]
    solutions: int
    failures: int  # rules failing in the best assignments (0 where the rules can all hold)
    exhausted: bool  # the search hit its node limit: ambiguity may be under-reported


def _pieces_of(cell: Cell, columns: int, liberal: bool) -> list[tuple[Piece, ...]]:
    """The readings of one printed cell: usually one piece; a joined digit run, several."""
    parsed = parse_cell(cell.text)
    if parsed.kind is CellKind.EMPTY:
        return [(Piece(None, cell.origin, "empty"),)]
    if parsed.kind is CellKind.TEXT:
        return [(Piece(None, cell.origin, "unreadable"),)]
    text = normalize_text(cell.text)
    may_join = is_digit_run(text) and len(text) > 1 and columns > 1
    alternatives: list[tuple[Piece, ...]] = []
    if not (cell.glued and may_join) or liberal:
        alternatives.append((Piece(parsed.number, cell.origin, "read"),))
    if may_join and (cell.glued or liberal):
        counts = range(2, min(columns, len(text)) + 1) if liberal else [min(columns, len(text))]
        for count in counts:
            for parts in split_digit_run(text, count):
                alternatives.append(tuple(Piece(int(p), cell.origin, "split") for p in parts))
    return alternatives


def split_digit_run(text: str, parts: int) -> Iterator[tuple[str, ...]]:
    """Every way to cut a digit run into `parts` numbers written without leading zeros."""
    if parts == 1:
        if text and (text == "0" or not text.startswith("0")):
            yield (text,)
        return
    first_max = 1 if text.startswith("0") else len(text) - parts + 1
    for cut in range(1, first_max + 1):
        for rest in split_digit_run(text[cut:], parts - 1):
            yield (text[:cut], *rest)


def row_candidates(cells: tuple[Cell, ...], columns: int, *, liberal: bool = False) -> tuple[tuple[Piece, ...], ...]:
    """Candidate readings of a row's cells as exactly `columns` pieces.

    Cells missing from flattened text are blanks that were dropped: they may have stood in any
    column. Surplus empty cells are spacing. `liberal` also tries splitting any digit run and
    dropping up to two stray numbers (a page number between cells).
    """
    out: dict[tuple, tuple[Piece, ...]] = {}
    per_cell = [_pieces_of(cell, columns, liberal) for cell in cells]
    for choice in itertools.product(*per_cell):
        sequence = [piece for pieces in choice for piece in pieces]
        for candidate in _fit(sequence, columns, liberal):
            signature = tuple((p.rule_value, p.how == "dropped") for p in candidate)
            out.setdefault(signature, candidate)
            if len(out) >= MAX_CANDIDATES:
                return tuple(out.values())
    return tuple(out.values())


def _fit(sequence: list[Piece], columns: int, liberal: bool) -> Iterator[tuple[Piece, ...]]:
    surplus = len(sequence) - columns
    if surplus == 0:
        yield tuple(sequence)
    elif surplus < 0:
        dropped = Piece(None, None, "dropped")
        for positions in itertools.combinations(range(columns), len(sequence)):
            row = [dropped] * columns
            for position, piece in zip(positions, sequence):
                row[position] = piece
            yield tuple(row)
    else:
        removable = [i for i, p in enumerate(sequence) if p.how == "empty"]
        if liberal and surplus <= 2:
            removable = list(range(len(sequence)))
        for gone in itertools.combinations(removable, surplus):
            yield tuple(p for i, p in enumerate(sequence) if i not in gone)


def _rule_state(rule: Rule, values: Mapping[str, Number | None]) -> bool | None:
    """True/False once decided by the values present; None while it may still go either way."""
    present = [key in values for key in rule.keys]
    if all(present):
        lhs, rhs = side_sum(rule.lhs, values), side_sum(rule.rhs, values)
        return True if lhs is None or rhs is None else lhs == rhs
    if rule.nonnegative:
        # with counts, a side already larger than the other side's total can only stay larger
        for full, partial in ((rule.lhs, rule.rhs), (rule.rhs, rule.lhs)):
            if all(k in values for k in full):
                total = side_sum(full, values)
                known = [values[k] for k in partial if k in values]
                if total is not None and None not in known and sum(known) > total:
                    return False
    return None


def solve(units: list[Unit], rules: tuple[Rule, ...]) -> Placement:
    fixed: dict[str, Number | None] = {}
    placed: dict[str, Piece] = {}
    open_units: list[Unit] = []
    for unit in units:
        if len(unit.candidates) == 1:
            for key, piece in zip(unit.keys, unit.candidates[0]):
                fixed[key] = piece.rule_value
                placed[key] = piece
        else:
            open_units.append(unit)
    if not open_units:
        return Placement(placed, {}, 1, 0, False)
    open_keys = {key for unit in open_units for key in unit.keys}
    relevant = [rule for rule in rules if open_keys.intersection(rule.keys)]
    open_units.sort(key=lambda u: len(u.candidates))
    by_key: dict[str, list[Rule]] = {}
    for rule in relevant:
        for key in rule.keys:
            by_key.setdefault(key, []).append(rule)

    for bound in range(MAX_FAILURES_TRIED + 1):
        solutions, exhausted = _search(open_units, fixed, relevant, by_key, bound)
        if solutions:
            return _summarise(open_units, solutions, placed, bound, exhausted)
    return Placement(placed, {key: () for key in open_keys}, 0, -1, True)


def _search(units, fixed, relevant, by_key, bound):
    values = dict(fixed)
    solutions: list[tuple[int, ...]] = []
    nodes = 0
    initial = sum(1 for rule in relevant if _rule_state(rule, values) is False)

    def failures_after(unit: Unit) -> int:
        touched = {id(r): r for key in unit.keys for r in by_key.get(key, ())}
        return sum(1 for r in touched.values() if _rule_state(r, values) is False)

    def visit(depth: int, failed: int, chosen: list[int]) -> bool:
        nonlocal nodes
        if depth == len(units):
            solutions.append(tuple(chosen))
            return len(solutions) >= MAX_SOLUTIONS
        unit = units[depth]
        before = failures_after(unit)
        for index, candidate in enumerate(unit.candidates):
            nodes += 1
            if nodes > MAX_NODES:
                return True
            for key, piece in zip(unit.keys, candidate):
                values[key] = piece.rule_value
            now = failed + failures_after(unit) - before
            if now <= bound:
                chosen.append(index)
                stop = visit(depth + 1, now, chosen)
                chosen.pop()
                if stop:
                    for key in unit.keys:
                        values.pop(key, None)
                    return True
            for key in unit.keys:
                values.pop(key, None)
        return False

    stopped = visit(0, initial, [])
    return solutions, stopped and nodes > MAX_NODES


def _summarise(units, solutions, placed, bound, exhausted) -> Placement:
    placed = dict(placed)
    ambiguous: dict[str, tuple[Piece, ...]] = {}
    for depth, unit in enumerate(units):
        readings = {solution[depth] for solution in solutions}
        for column, key in enumerate(unit.keys):
            pieces = {}
            for index in sorted(readings):
                piece = unit.candidates[index][column]
                pieces.setdefault(piece.value, piece)
            if len(pieces) == 1:
                placed[key] = next(iter(pieces.values()))
            else:
                ambiguous[key] = tuple(pieces.values())
    return Placement(placed, ambiguous, len(solutions), bound, exhausted)
