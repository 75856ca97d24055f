"""Placing flattened cells into columns when the text lost blanks or joined cells, using the rules.

Each row becomes a `Unit`: its field keys and the candidate readings of its cells
(`row_readings`). The solver then looks for the assignments that make the most rules hold; a key
on which all of them agree is placed, a key on which they differ stays ambiguous and is reported
with its candidates, never silently picked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from disclosure.table_recon.row_readings import Piece, Unit, rule_state
from disclosure.table_recon.rule_support import supported_readings
from disclosure.table_recon.rules import Number, Rule

MAX_SOLUTIONS = 32
MAX_NODES = 60_000
MAX_FAILURES_TRIED = 3


@dataclass(frozen=True)
class Placement:
    """The solver's answer: a piece for each placed key, the candidates of each ambiguous key."""

    placed: Mapping[str, Piece]
    ambiguous: Mapping[str, tuple[Piece, ...]]
    solutions: int
    failures: int  # rules failing in the best assignments (0 where the rules can all hold)
    exhausted: bool  # the search hit its node limit: ambiguity may be under-reported


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
    groups: list[tuple[set[str], list[int]]] = []  # the keys a group's rules reach, its units
    for index, unit in enumerate(units):
        reach = set(unit.keys).union(*(rule.keys for rule in rules if set(rule.keys) & set(unit.keys)))
        touching = [group for group in groups if group[0] & reach]
        groups = [group for group in groups if not group[0] & reach]
        groups.append((reach.union(*(g[0] for g in touching)), [i for g in touching for i in g[1]] + [index]))
    return [[units[i] for i in sorted(members)] for _, members in groups]


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
                if all(rule_state(rule, values, others) is not False for rule in touched):
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
        return sum(1 for rule in rules if rule_state(rule, values, bounds) is False)

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
