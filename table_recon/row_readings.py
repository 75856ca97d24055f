"""The candidate readings of one row: which column each printed number goes to, how a run of
digits copied without separators splits, where blank cells that flattening dropped stood.

A row read one cell per column has one candidate. Each candidate is a `Piece` per column; the
row's own rules (its total) prune them as they are built. `placement` then chooses among the rows'
candidates with the rules between rows.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from disclosure.layout.cell_text import CellKind, joined_digits, may_be_joined_cells, parse_cell
from disclosure.layout.flat_rows import is_blank_line
from disclosure.layout.rows import Cell
from disclosure.ocr.origin import Origin
from disclosure.table_recon.rules import Number, Rule

MAX_CANDIDATES = 5000


class HowRead(enum.StrEnum):
    """How a column's piece was come by."""

    READ = "read"  # a number printed in its own cell
    EMPTY = "empty"  # a cell printed empty ("", "/", "—" …)
    DROPPED = "dropped"  # a blank cell the flattened text lost, placed by the rules
    SPLIT = "split"  # cut from a run of digits copied without separators
    UNREADABLE = "unreadable"  # the cell holds text, not a number


@dataclass(frozen=True)
class Piece:
    """One column's reading: a number, a printed-empty cell, or a cell that flattening dropped."""

    value: Number | None
    origin: Origin | None
    how: HowRead

    @property
    def rule_value(self) -> Number | None:
        if self.how is HowRead.UNREADABLE:
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


def _pieces_of(cell: Cell, columns: int) -> list[tuple[Piece, ...]]:
    """The readings of one printed cell: usually one piece; a joined digit run, several, or one
    (a run that did not split into a whole row may be fewer cells, the row's blanks dropped)."""
    parsed = parse_cell(cell.text)
    text = joined_digits(cell.text)
    may_join = may_be_joined_cells(text) and columns > 1
    if parsed.kind is CellKind.EMPTY:
        return [(Piece(None, cell.origin, HowRead.EMPTY),)]
    if parsed.kind is CellKind.TEXT and not may_join:
        return [(Piece(None, cell.origin, HowRead.UNREADABLE),)]
    alternatives: list[tuple[Piece, ...]] = []
    if parsed.kind is CellKind.NUMBER:
        alternatives.append((Piece(parsed.number, cell.origin, HowRead.READ),))
    if may_join and cell.glued:
        for count in range(2, min(columns, len(text)) + 1):
            for parts in split_digit_run(text, count):
                alternatives.append(tuple(Piece(_number(p), cell.origin, HowRead.SPLIT) for p in parts))
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
        return all(rule_state(rule, values, {}) is not False for last, rule in ready if last < len(prefix))

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
        return Piece(None, cell.origin, HowRead.EMPTY)
    if parsed.kind is CellKind.NUMBER:
        return Piece(parsed.number, cell.origin, HowRead.READ)
    return Piece(None, cell.origin, HowRead.UNREADABLE)


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
    digits = [0] * (len(cells) + 1)  # the digits the cells from i on print
    for i in range(len(cells) - 1, -1, -1):
        widest[i] = widest[i + 1] + (len(texts[i]) if runs[i] else 1)
        digits[i] = digits[i + 1] + (len(texts[i]) if runs[i] else sum(ch.isdigit() for ch in cells[i].text))
    # counts are never negative: the columns left of a rule can close a gap of at most their number
    # times the largest number the digits left can print
    unsigned = [not any(k.endswith(".delta") for k in rule.keys) for rule in within]
    unfilled = [[sum(1 for k in rule.keys if keys.index(k) >= c) for rule in within] for c in range(len(keys) + 1)]
    memo: dict[tuple, list[tuple[Piece, ...]]] = {}

    def _digits_left(j: int, tail: str) -> int:
        if j >= len(cells):
            return 0
        return (len(tail) if runs[j] else digits[j] - digits[j + 1]) + digits[j + 1]

    def following(i: int, tail: str) -> tuple[int, str]:
        return (i, tail) if tail else (i + 1, texts[i + 1] if i + 1 < len(cells) else "")

    def options(i: int, rest: str, column: int) -> Iterator[tuple[Piece, int, str]]:
        """Each piece the next column can take, with where the cutting then stands."""
        if i < len(cells) and runs[i]:
            signed = keys[column].endswith(".delta")
            if rest[:1] == "-" and not signed:  # a count is never negative: "-" is a blank cell
                yield (Piece(None, cells[i].origin, HowRead.EMPTY), *following(i, rest[1:]))
            for head in _heads(rest) if signed or rest[:1] not in "+-" else ():
                yield (Piece(_number(head), cells[i].origin, HowRead.SPLIT), *following(i, rest[len(head):]))
        elif i < len(cells):
            yield (_single_piece(cells[i]), i + 1, texts[i + 1] if i + 1 < len(cells) else "")
        if blanks:
            yield _DROPPED, i, rest

    def steps(i: int, rest: str, column: int, gaps: tuple) -> Iterator[tuple[Piece, int, str, tuple]]:
        """The next column's pieces that keep the row possible, each with the state it leads to."""
        left = len(keys) - column
        fewest = len(cells) - i - (1 if i < len(cells) and runs[i] and not rest else 0)
        here = len(rest) if i < len(cells) and runs[i] else 1 if i < len(cells) else 0
        most = here + widest[min(i + 1, len(cells))]
        if left < fewest or (not blanks and left > most) or left == 0:
            return
        for piece, j, tail in options(i, rest, column):
            value = piece.rule_value
            moved = tuple(None if gap is None or value is None and sign else gap + sign * (value or 0)
                          for gap, sign in zip(gaps, signs[column]))
            if not all(moved[r] in (None, 0) for r in closes[column]):
                continue
            room = 10 ** _digits_left(j, tail)
            if any(gap is not None and free and abs(gap) > room * unfilled[column + 1][r]
                   for r, (gap, free) in enumerate(zip(moved, unsigned))):
                continue
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
        out.setdefault(_signature(candidate), candidate)
        if len(out) >= MAX_CANDIDATES:
            raise TooManyCandidates(tuple(out.values()))
    return tuple(out.values())


def row_candidates(cells: tuple[Cell, ...], keys: tuple[str, ...], rules: Sequence[Rule] = (), *,
                   joined: bool = False, liberal: bool = False) -> tuple[tuple[Piece, ...], ...]:
    """Candidate readings of a row's cells as exactly `len(keys)` pieces.

    Cells missing from flattened text are blanks that were dropped: they may have stood in any
    column. Surplus empty cells are spacing. Digit runs glued to their label (or any, with
    `joined`) are read as cells copied without separators, each cut into one or more numbers, with
    or without blank cells the copy dropped: the digits alone cannot tell. `liberal` also tries
    dropping up to two stray numbers where a row has more numbers than columns (a bare page number
    between cells). Candidates breaking `rules` are pruned as their columns fill.
    """
    columns = len(keys)
    while len(cells) > columns and is_blank_line(cells[-1]):  # empty lines past the row's width: spacing
        cells = cells[:-1]
    # a run with a leading zero ("006") is no number a report prints: cells joined
    runs = [columns > 1 and may_be_joined_cells(cell.text) and (cell.glued or joined or _leading_zero(cell.text))
            for cell in cells]
    if any(runs):
        candidates = _joined_cells(cells, keys, rules, runs, blanks=True)
        if candidates:
            return candidates
    out: dict[tuple, tuple[Piece, ...]] = {}
    per_cell = [[(pieces, not cell.text.strip()) for pieces in _pieces_of(cell, columns)] for cell in cells]
    prefix_ok = _prefix_checker(keys, rules)
    for choice in itertools.product(*per_cell):
        sequence = [piece for pieces, _ in choice for piece in pieces]
        bare = [blank for pieces, blank in choice for _ in pieces]
        for candidate in _fit(sequence, bare, columns, liberal, prefix_ok):
            out.setdefault(_signature(candidate), candidate)
            if len(out) >= MAX_CANDIDATES:
                raise TooManyCandidates(tuple(out.values()))
    return tuple(out.values())


def _signature(candidate: tuple[Piece, ...]) -> tuple:
    """What tells two readings apart: the values the rules see, which cells the copy dropped, and
    which are printed blank rather than 0 (the same to the rules, not to the reader)."""
    return tuple((p.rule_value, p.how is HowRead.DROPPED, p.value is None) for p in candidate)


def _fit(sequence: list[Piece], bare: list[bool], columns: int, liberal: bool,
         prefix_ok: Callable[[tuple[Number | None, ...]], bool]) -> Iterator[tuple[Piece, ...]]:
    surplus = len(sequence) - columns
    if surplus == 0:
        yield tuple(sequence)
    elif surplus < 0:
        yield from _place(sequence, columns, prefix_ok, ())
    else:
        removable = [i for i, p in enumerate(sequence) if p.how is HowRead.EMPTY]
        # a cell with nothing in it is an extractor's spacer column before a printed blank marker
        # ("/", "—") is: the marker is text the page printed
        spacers = [i for i in removable if bare[i]]
        if len(spacers) >= surplus:
            removable = spacers
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


_DROPPED = Piece(None, None, HowRead.DROPPED)


def rule_state(rule: Rule, values: Mapping[str, Number | None],
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
