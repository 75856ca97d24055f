"""Placing flattened cells into columns when the text lost blanks or joined cells, using the rules.

Each row becomes a `Unit`: its field keys and the candidate readings of its cells (which column
each number goes to, how a joined digit run splits). A row read one cell per column has one
candidate. The solver then looks for the assignments that make the most rules hold; a key on
which all of them agree is placed, a key on which they differ stays ambiguous and is reported
with its candidates, never silently picked.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from layout.cell_text import CellKind, joined_digits, may_be_joined_cells, parse_cell
from layout.rows import Cell
from ocr.origin import Origin
from table_recon.rules import Number, Rule

MAX_CANDIDATES = 5000
MAX_SOLUTIONS = 32
MAX_NODES = 60_000
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
    truncated: bool = False  # more candidates existed than were generated: no key may be taken as sure


class TooManyCandidates(Exception):
    """A row has more readings than are worth enumerating; carries those generated."""

    def __init__(self, candidates: tuple[tuple[Piece, ...], ...]) -> None:
        super().__init__(f"{len(candidates)}+ candidate readings")
        self.candidates = candidates


@dataclass(frozen=True)
class Placement:
    """The solver's answer: a piece for each placed key, the candidates of each ambiguous key."""

    placed: Mapping[str, Piece]
    ambiguous: Mapping[str, tuple[Piece, ...]]
    solutions: int
    failures: int  # rules failing in the best assignments (0 where the rules can all hold)
    exhausted: bool  # the search hit its node limit: ambiguity may be under-reported


def _pieces_of(cell: Cell, columns: int) -> list[tuple[Piece, ...]]:
    """The readings of one printed cell: usually one piece; a joined digit run, several, or one
    (a run that did not split into a whole row may be fewer cells, the row's blanks dropped)."""
    parsed = parse_cell(cell.text)
    text = joined_digits(cell.text)
    may_join = may_be_joined_cells(text) and columns > 1
    if parsed.kind is CellKind.EMPTY:
        return [(Piece(None, cell.origin, "empty"),)]
    if parsed.kind is CellKind.TEXT and not may_join:
        return [(Piece(None, cell.origin, "unreadable"),)]
    alternatives: list[tuple[Piece, ...]] = []
    if parsed.kind is CellKind.NUMBER:
        alternatives.append((Piece(parsed.number, cell.origin, "read"),))
    if may_join and cell.glued:
        for count in range(2, min(columns, len(text)) + 1):
            for parts in split_digit_run(text, count):
                alternatives.append(tuple(Piece(_number(p), cell.origin, "split") for p in parts))
    return alternatives


def _number(part: str) -> Number:
    return Decimal(part) if "." in part else int(part)


def _valid_part(part: str) -> bool:
    """A number as a report prints it: a sign only in front, no leading zeros, digits around a point."""
    body = part[1:] if part[:1] in "+-" else part
    whole = body.split(".")[0]
    return (bool(whole) and whole.isdigit() and not body.endswith(".") and body.count(".") <= 1
            and body.replace(".", "").isdigit() and (whole == "0" or not whole.startswith("0")))


def split_digit_run(text: str, parts: int,
                    prefix_ok: Callable[[tuple[str, ...]], bool] = lambda prefix: True,
                    _prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every way to cut a digit run (at most one decimal point) into `parts` numbers written without
    leading zeros; `prefix_ok` prunes as soon as the numbers cut so far break a rule."""
    if parts == 1:
        if _valid_part(text) and prefix_ok(_prefix + (text,)):
            yield _prefix + (text,)
        return
    for cut in range(1, len(text) - parts + 2):
        head = text[:cut]
        if not _valid_part(head) or text[cut] == "." or (cut < len(text) - 1 and text[cut - 1] in "+-"):
            continue
        if prefix_ok(_prefix + (head,)):
            yield from split_digit_run(text[cut:], parts - 1, prefix_ok, _prefix + (head,))


def _prefix_checker(keys: tuple[str, ...], rules: Sequence[Rule]) -> Callable[[tuple[Number | None, ...]], bool]:
    """A test of the values of a row's first columns against the row's rules that they complete."""
    ready = [(max(keys.index(k) for k in rule.keys), rule) for rule in rules if all(k in keys for k in rule.keys)]

    def ok(prefix: tuple[Number | None, ...]) -> bool:
        values = dict(zip(keys, prefix))
        return all(_rule_state(rule, values, {}) is not False for last, rule in ready if last < len(prefix))

    return ok


def _joined_row(cell: Cell, keys: tuple[str, ...], rules: Sequence[Rule]) -> tuple[tuple[Piece, ...], ...]:
    """A whole row copied as one digit run: cut it with the row's own rules checked on each prefix."""
    checker = _prefix_checker(keys, rules)

    def prefix_ok(prefix: tuple[str, ...]) -> bool:
        return checker(tuple(_number(p) for p in prefix))

    out = []
    for parts in split_digit_run(joined_digits(cell.text), len(keys), prefix_ok):
        out.append(tuple(Piece(_number(p), cell.origin, "split") for p in parts))
        if len(out) >= MAX_CANDIDATES:
            raise TooManyCandidates(tuple(out))
    return tuple(out)


def row_candidates(cells: tuple[Cell, ...], keys: tuple[str, ...], rules: Sequence[Rule] = (), *,
                   joined: bool = False, liberal: bool = False) -> tuple[tuple[Piece, ...], ...]:
    """Candidate readings of a row's cells as exactly `len(keys)` pieces.

    Cells missing from flattened text are blanks that were dropped: they may have stood in any
    column. Surplus empty cells are spacing. A single cell glued to its label (or any single digit
    run, with `joined`) is first read as the whole row copied without separators. `liberal` also
    tries dropping up to two stray numbers where a row has more numbers than columns (a bare page
    number between cells). Candidates breaking `rules` are pruned as their columns fill.
    """
    columns = len(keys)
    if len(cells) == 1 and columns > 1 and may_be_joined_cells(cells[0].text) and (cells[0].glued or joined):
        candidates = _joined_row(cells[0], keys, rules)
        if candidates:
            return candidates
    out: dict[tuple, tuple[Piece, ...]] = {}
    per_cell = [_pieces_of(cell, columns) for cell in cells]
    prefix_ok = _prefix_checker(keys, rules)
    for choice in itertools.product(*per_cell):
        sequence = [piece for pieces in choice for piece in pieces]
        for candidate in _fit(sequence, columns, liberal, prefix_ok):
            signature = tuple((p.rule_value, p.how == "dropped") for p in candidate)
            out.setdefault(signature, candidate)
            if len(out) >= MAX_CANDIDATES:
                raise TooManyCandidates(tuple(out.values()))
    return tuple(out.values())


def _fit(sequence: list[Piece], columns: int, liberal: bool,
         prefix_ok: Callable[[tuple[Number | None, ...]], bool]) -> Iterator[tuple[Piece, ...]]:
    surplus = len(sequence) - columns
    if surplus == 0:
        yield tuple(sequence)
    elif surplus < 0:
        yield from _place(sequence, columns, prefix_ok, ())
    else:
        removable = [i for i, p in enumerate(sequence) if p.how == "empty"]
        if liberal and surplus <= 2:
            removable = list(range(len(sequence)))
        for gone in itertools.combinations(removable, surplus):
            yield tuple(p for i, p in enumerate(sequence) if i not in gone)


def _interval(keys: tuple[str, ...], values: Mapping[str, Number | None],
              bounds: Mapping[str, tuple[Number, Number] | None]) -> tuple[Number, Number] | None:
    lo: Number = 0
    hi: Number = 0
    for key in keys:
        if key in values:
            value = values[key]
            if value is None:
                return None
            lo, hi = lo + value, hi + value
        else:
            bound = bounds.get(key)
            if bound is None:
                return None
            lo, hi = lo + bound[0], hi + bound[1]
    return lo, hi


def _place(sequence: list[Piece], columns: int, prefix_ok, row: tuple[Piece, ...]) -> Iterator[tuple[Piece, ...]]:
    """The pieces in printed order, with dropped blanks between them, pruned by the row's rules."""
    if len(row) == columns:
        yield row
        return
    options = []
    if sequence:
        options.append((sequence[0], sequence[1:]))
    if columns - len(row) > len(sequence):
        options.append((_DROPPED, sequence))
    for piece, rest in options:
        extended = row + (piece,)
        if prefix_ok(tuple(p.rule_value for p in extended)):
            yield from _place(rest, columns, prefix_ok, extended)


_DROPPED = Piece(None, None, "dropped")


def _rule_state(rule: Rule, values: Mapping[str, Number | None],
                bounds: Mapping[str, tuple[Number, Number] | None]) -> bool | None:
    """False once no completion of the assignment can satisfy the rule; True once it holds."""
    lhs, rhs = _interval(rule.lhs, values, bounds), _interval(rule.rhs, values, bounds)
    if lhs is None or rhs is None:
        return True if all(k in values for k in rule.keys) else None
    if lhs[1] < rhs[0] or rhs[1] < lhs[0]:
        return False
    if lhs[0] == lhs[1] == rhs[0] == rhs[1]:
        return True
    return None


def _bounds(unit: Unit) -> dict[str, tuple[Number, Number] | None]:
    out: dict[str, tuple[Number, Number] | None] = {}
    for column, key in enumerate(unit.keys):
        values = [candidate[column].rule_value for candidate in unit.candidates]
        out[key] = None if any(v is None for v in values) else (min(values), max(values))
    return out


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
    fixed = {k: v for k, v in fixed.items() if any(k in rule.keys for rule in relevant)}
    narrowed = _propagate(open_units, fixed, relevant)
    if narrowed is not None:
        open_units = narrowed
    # Units that make up a whole side of a rule (a total row) go first: they bound the others.
    sides = [set(side) for rule in relevant for side in (rule.lhs, rule.rhs)]
    open_units.sort(key=lambda u: (-sum(side <= set(u.keys) for side in sides), len(u.candidates)))

    for bound in range(0 if narrowed is not None else 1, MAX_FAILURES_TRIED + 1):
        solutions, capped = _search(open_units, fixed, relevant, bound)
        if solutions:
            return _summarise(open_units, solutions, placed, bound, capped)
        if capped:
            break
    # No assignment found within the limits: every open key stays ambiguous with its candidates.
    return _summarise(open_units, [], placed, -1, True)


def _propagate(units: list[Unit], fixed: dict, rules: list[Rule]) -> list[Unit] | None:
    """Drop each unit's candidates that no values of the other units could complete into a solution
    where every rule holds; None when some unit is left with none (the rules cannot all hold)."""
    by_key: dict[str, list[Rule]] = {}
    for rule in rules:
        for key in rule.keys:
            by_key.setdefault(key, []).append(rule)
    domains = [list(unit.candidates) for unit in units]
    changed = True
    while changed:
        changed = False
        bounds: dict[str, tuple[Number, Number] | None] = {}
        for unit, domain in zip(units, domains):
            bounds.update(_bounds(Unit(unit.keys, tuple(domain))))
        for index, unit in enumerate(units):
            touched = list({id(r): r for key in unit.keys for r in by_key.get(key, ())}.values())
            others = {k: v for k, v in bounds.items() if k not in unit.keys}
            keep = []
            for candidate in domains[index]:
                values = {**fixed, **{k: p.rule_value for k, p in zip(unit.keys, candidate)}}
                if all(_rule_state(rule, values, others) is not False for rule in touched):
                    keep.append(candidate)
            if not keep:
                return None
            if len(keep) < len(domains[index]):
                domains[index] = keep
                changed = True
                bounds.update(_bounds(Unit(unit.keys, tuple(keep))))
    return [Unit(unit.keys, tuple(domain)) for unit, domain in zip(units, domains)]


def _search(units: list[Unit], fixed: dict, relevant: list[Rule], bound: int) -> tuple[list[tuple[int, ...]], bool]:
    values = dict(fixed)
    bounds: dict[str, tuple[Number, Number] | None] = {}
    for unit in units:
        bounds.update(_bounds(unit))
    by_key: dict[str, list[Rule]] = {}
    for rule in relevant:
        for key in rule.keys:
            by_key.setdefault(key, []).append(rule)
    touched_by = [list({id(r): r for key in unit.keys for r in by_key.get(key, ())}.values()) for unit in units]
    solutions: list[tuple[int, ...]] = []
    nodes = 0
    capped = False

    def failures(rules: list[Rule]) -> int:
        return sum(1 for rule in rules if _rule_state(rule, values, bounds) is False)

    def visit(depth: int, failed: int, chosen: list[int]) -> bool:
        nonlocal nodes, capped
        if depth == len(units):
            solutions.append(tuple(chosen))
            capped = len(solutions) >= MAX_SOLUTIONS
            return capped
        unit, touched = units[depth], touched_by[depth]
        before = failures(touched)
        saved = {key: bounds.pop(key) for key in unit.keys}
        for index, candidate in enumerate(unit.candidates):
            nodes += 1
            if nodes > MAX_NODES:
                capped = True
                break
            for key, piece in zip(unit.keys, candidate):
                values[key] = piece.rule_value
            now = failed + failures(touched) - before
            if now <= bound:
                chosen.append(index)
                stop = visit(depth + 1, now, chosen)
                chosen.pop()
                if stop:
                    break
        for key in unit.keys:
            values.pop(key, None)
        bounds.update(saved)
        return capped

    visit(0, failures(relevant), [])
    return solutions, capped


def _summarise(units, solutions, placed, bound, capped) -> Placement:
    """Keys on which every assignment agrees are placed; where the search was cut short, a key is
    placed only if every candidate of its row agrees on it."""
    placed = dict(placed)
    ambiguous: dict[str, tuple[Piece, ...]] = {}
    for depth, unit in enumerate(units):
        readings = sorted({solution[depth] for solution in solutions}) if solutions and not capped \
            else range(len(unit.candidates))
        for column, key in enumerate(unit.keys):
            if unit.truncated:
                ambiguous[key] = tuple({p.value: p for p in (c[column] for c in unit.candidates)}.values())
                continue
            pieces: dict = {}
            for index in readings:
                piece = unit.candidates[index][column]
                pieces.setdefault(piece.value, piece)
            if len(pieces) == 1:
                placed[key] = next(iter(pieces.values()))
            else:
                ambiguous[key] = tuple(pieces.values())
    return Placement(placed, ambiguous, len(solutions), bound, capped)
