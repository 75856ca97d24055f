"""Placing flattened cells into columns when the text lost blanks or joined cells, using the rules.

Each row becomes a `Unit`: its field keys and the candidate readings of its cells (which column
each number goes to, how a joined digit run splits). A row read one cell per column has one
candidate. The solver then looks for the assignments that make the most rules hold; a key on
which all of them agree is placed, a key on which they differ stays ambiguous and is reported
with its candidates, never silently picked.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from layout.cell_text import CellKind, joined_digits, may_be_joined_cells, parse_cell
from layout.rows import Cell
from ocr.origin import Origin
from table_recon.rule_support import supported_readings
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


class _TooMany(Exception):
    """More completions than are worth holding, found part of the way through a row."""


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


def _heads(text: str) -> Iterator[str]:
    """Each number a digit run can start with, as a report prints one."""
    for cut in range(1, len(text) + 1):
        head = text[:cut]
        if cut < len(text) and (text[cut] == "." or text[cut - 1] in "+-"):
            continue
        if _valid_part(head):
            yield head


def _leading_zero(text: str) -> bool:
    digits = joined_digits(text).lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()


def _single_piece(cell: Cell) -> Piece:
    parsed = parse_cell(cell.text)
    if parsed.kind is CellKind.EMPTY:
        return Piece(None, cell.origin, "empty")
    if parsed.kind is CellKind.NUMBER:
        return Piece(parsed.number, cell.origin, "read")
    return Piece(None, cell.origin, "unreadable")


def _joined_cells(cells: tuple[Cell, ...], keys: tuple[str, ...], rules: Sequence[Rule], runs: Sequence[bool],
                  blanks: bool) -> tuple[tuple[Piece, ...], ...]:
    """Cells in printed order, of which those marked in `runs` are digit runs copied without
    separators: each run is cut into one or more numbers, every other cell fills one column (with
    `blanks`, blank cells the copy dropped may stand in any column), and each of the row's own
    rules holds once its columns are filled.

    The completions of a row from a given point depend only on where the cutting stands and on how
    far each unfinished rule is from balancing, so they are worked out once per such state: a run
    of fifteen digits cut into table 四's three groups costs the three groups, not their product."""
    if not cells:
        return ()
    within = [rule for rule in rules if all(k in keys for k in rule.keys)]
    signs = [tuple(1 if key in rule.lhs else -1 if key in rule.rhs else 0 for rule in within) for key in keys]
    closes = [tuple(r for r, rule in enumerate(within) if max(keys.index(k) for k in rule.keys) == c)
              for c in range(len(keys))]
    texts = [joined_digits(cell.text) if run else "" for cell, run in zip(cells, runs)]
    widest = [0] * (len(cells) + 1)  # the most columns the cells from i on can fill
    for i in range(len(cells) - 1, -1, -1):
        widest[i] = widest[i + 1] + (len(texts[i]) if runs[i] else 1)
    memo: dict[tuple, list[tuple[Piece, ...]]] = {}

    def following(i: int, tail: str) -> tuple[int, str]:
        return (i, tail) if tail else (i + 1, texts[i + 1] if i + 1 < len(cells) else "")

    def options(i: int, rest: str, column: int) -> Iterator[tuple[Piece, int, str]]:
        """Each piece the next column can take, with where the cutting then stands."""
        if i < len(cells) and runs[i]:
            signed = keys[column].endswith(".delta")
            if rest[:1] == "-" and not signed:  # a count is never negative: "-" is a blank cell
                yield (Piece(None, cells[i].origin, "empty"), *following(i, rest[1:]))
            for head in _heads(rest) if signed or rest[:1] not in "+-" else ():
                yield (Piece(_number(head), cells[i].origin, "split"), *following(i, rest[len(head):]))
        elif i < len(cells):
            yield (_single_piece(cells[i]), i + 1, texts[i + 1] if i + 1 < len(cells) else "")
        if blanks:
            yield _DROPPED, i, rest

    def steps(i: int, rest: str, column: int, gaps: tuple) -> Iterator[tuple[Piece, int, str, tuple]]:
        """The next column's pieces that keep the row possible, each with the state it leads to."""
        left = len(keys) - column
        fewest = len(cells) - i - (1 if i < len(cells) and runs[i] and not rest else 0)
        most = (len(rest) if i < len(cells) and runs[i] else 1 if i < len(cells) else 0) + widest[min(i + 1, len(cells))]
        if left < fewest or (not blanks and left > most) or left == 0:
            return
        for piece, j, tail in options(i, rest, column):
            value = piece.rule_value
            moved = tuple(None if gap is None or value is None and sign else gap + sign * (value or 0)
                          for gap, sign in zip(gaps, signs[column]))
            if all(moved[r] in (None, 0) for r in closes[column]):
                yield piece, j, tail, moved

    def done(i: int, rest: str, column: int) -> bool:
        return column == len(keys) and i >= len(cells) and not rest

    def completions(i: int, rest: str, column: int, gaps: tuple) -> list[tuple[Piece, ...]]:
        if done(i, rest, column):
            return [()]
        state = (i, len(rest), column, gaps)
        if state not in memo:
            found: list[tuple[Piece, ...]] = []
            for piece, j, tail, moved in steps(i, rest, column, gaps):
                found += [(piece, *suffix) for suffix in completions(j, tail, column + 1, moved)]
                if len(found) > MAX_CANDIDATES:
                    raise _TooMany
            memo[state] = found
        return memo[state]

    def first(i: int, rest: str, column: int, gaps: tuple) -> Iterator[tuple[Piece, ...]]:
        """Completions one at a time, for a row with too many to hold."""
        if done(i, rest, column):
            yield ()
        for piece, j, tail, moved in steps(i, rest, column, gaps):
            yield from ((piece, *suffix) for suffix in first(j, tail, column + 1, moved))

    start = (0, texts[0], 0, (0,) * len(within))
    out: dict[tuple, tuple[Piece, ...]] = {}
    try:
        found: Iterable[tuple[Piece, ...]] = completions(*start)
    except _TooMany:
        found = first(*start)
    for candidate in found:
        out.setdefault(tuple((p.rule_value, p.how == "dropped") for p in candidate), candidate)
        if len(out) >= MAX_CANDIDATES:
            raise TooManyCandidates(tuple(out.values()))
    return tuple(out.values())


def row_candidates(cells: tuple[Cell, ...], keys: tuple[str, ...], rules: Sequence[Rule] = (), *,
                   joined: bool = False, liberal: bool = False,
                   every_split: bool = False) -> tuple[tuple[Piece, ...], ...]:
    """Candidate readings of a row's cells as exactly `len(keys)` pieces.

    Cells missing from flattened text are blanks that were dropped: they may have stood in any
    column. Surplus empty cells are spacing. Digit runs glued to their label (or any, with
    `joined`) are read as cells copied without separators, each cut into one or more numbers. `liberal` also
    tries dropping up to two stray numbers where a row has more numbers than columns (a bare page
    number between cells). Candidates breaking `rules` are pruned as their columns fill.
    `every_split` keeps the readings with blanks dropped beside those that fill every column.
    """
    columns = len(keys)
    # a run with a leading zero ("006") is no number a report prints: cells joined
    runs = [columns > 1 and may_be_joined_cells(cell.text) and (cell.glued or joined or _leading_zero(cell.text))
            for cell in cells]
    if any(runs):
        # every column printed first; only runs too short for that lost blank cells (with
        # `every_split`, both)
        candidates = _joined_cells(cells, keys, rules, runs, blanks=False)
        if every_split or not candidates or True:
            exact = {tuple((p.rule_value, p.how == "dropped") for p in c) for c in candidates}
            candidates += tuple(c for c in _joined_cells(cells, keys, rules, runs, blanks=True)
                                if tuple((p.rule_value, p.how == "dropped") for p in c) not in exact)
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
    # Rows that share no rule are placed independently: a search over their product would only
    # multiply solutions (table 二's rows, which no rule ties, against table 三's).
    parts = [_solve_linked(linked, fixed, rules) for linked in _linked_units(open_units, rules)]
    for part in parts:
        placed.update(part.placed)
    return Placement(placed, {k: v for part in parts for k, v in part.ambiguous.items()},
                     min(part.solutions for part in parts), sum(max(part.failures, 0) for part in parts)
                     if all(part.failures >= 0 for part in parts) else -1, any(part.exhausted for part in parts))


def _linked_units(units: list[Unit], rules: tuple[Rule, ...]) -> list[list[Unit]]:
    """The units in groups that rules tie together, each group in the units' order."""
    group = list(range(len(units)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    owner = {key: index for index, unit in enumerate(units) for key in unit.keys}
    for rule in rules:
        touched = sorted({owner[key] for key in rule.keys if key in owner})
        for other in touched[1:]:
            group[root(other)] = root(touched[0])
    linked: dict[int, list[Unit]] = {}
    for index, unit in enumerate(units):
        linked.setdefault(root(index), []).append(unit)
    return list(linked.values())


def _solve_linked(open_units: list[Unit], fixed: dict[str, Number | None], rules: tuple[Rule, ...]) -> Placement:
    placed: dict[str, Piece] = {}
    open_keys = {key for unit in open_units for key in unit.keys}
    relevant = [rule for rule in rules if open_keys.intersection(rule.keys)]
    fixed = {k: v for k, v in fixed.items() if any(k in rule.keys for rule in relevant)}
    narrowed = _propagate(open_units, fixed, relevant)
    if narrowed is not None:
        open_units = narrowed
    # Units that make up a whole side of a rule (a total row) go first: they bound the others.
    sides = [set(side) for rule in relevant for side in (rule.lhs, rule.rhs)]
    open_units.sort(key=lambda u: (-sum(side <= set(u.keys) for side in sides), len(u.candidates)))

    if narrowed is not None:
        support = supported_readings([(u.keys, [[p.rule_value for p in c] for c in u.candidates]) for u in open_units],
                                     fixed, relevant)
        if support is not None and all(support):
            return _summarise(open_units, [], placed, 0, False, support)
        if support is not None:
            narrowed = None  # no assignment holds every rule: look for those with the fewest failing
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


def _summarise(units, solutions, placed, bound, capped, support: list[set[int]] | None = None) -> Placement:
    """Keys on which every assignment agrees are placed; where the search was cut short, a key is
    placed only if every candidate of its row agrees on it. `support`, where given, holds each
    unit's readings that occur in some assignment, in place of listed `solutions`."""
    placed = dict(placed)
    ambiguous: dict[str, tuple[Piece, ...]] = {}
    for depth, unit in enumerate(units):
        if support is not None:
            readings = sorted(support[depth])
        else:
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
    count = len(solutions) if support is None else max(1, min(len(found) for found in support))
    return Placement(placed, ambiguous, count, bound, capped)
