"""Placing flattened cells into columns when the text lost blanks or joined cells, using the rules.

Each row becomes a `Unit`: its field keys and the candidate readings of its cells
(`row_readings`). The solver then looks for the assignments that make the most rules hold; a key
on which all of them agree is placed, a key on which they differ stays ambiguous and is reported
with its candidates, never silently picked. Rules failing in every such assignment are findings
even where the placement of their cells is in doubt.

Two solvers, the first cheaper where it suffices: the residual walk (`residual_walk`), exact but
bounded in steps, for assignments under which every rule holds; then the integer program
(`placement_program`), for any number of failing rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from disclosure.table_recon.placement_program import fewest_failures
from disclosure.table_recon.residual_walk import supported_readings
from disclosure.table_recon.row_readings import Piece, Unit
from disclosure.table_recon.rules import Number, Rule


@dataclass(frozen=True)
class Placement:
    """The solver's answer: a piece for each placed key, the candidates of each ambiguous key."""

    placed: Mapping[str, Piece]
    ambiguous: Mapping[str, tuple[Piece, ...]]
    failures: int  # rules failing in the best assignments (0 where the rules can all hold; -1 unknown)
    failing: frozenset[str]  # rule ids failing in every best assignment
    exhausted: bool  # the solver went over its budget: every open key of a group is left ambiguous


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
        return Placement(placed, {}, 0, frozenset(), False)
    # Rows that share no rule are placed independently: a search over their product would only
    # multiply solutions (table 二's rows, which no rule ties, against table 三's).
    parts = [_solve_linked(linked, fixed, rules) for linked in _linked_units(open_units, rules)]
    for part in parts:
        placed.update(part.placed)
    failures = -1 if any(part.failures < 0 for part in parts) else sum(part.failures for part in parts)
    return Placement(placed, {k: v for part in parts for k, v in part.ambiguous.items()}, failures,
                     frozenset().union(*(part.failing for part in parts)), any(part.exhausted for part in parts))


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
    open_keys = {key for unit in open_units for key in unit.keys}
    relevant = [rule for rule in rules if open_keys.intersection(rule.keys)]
    fixed = {k: v for k, v in fixed.items() if any(k in rule.keys for rule in relevant)}
    # Units that make up a whole side of a rule (a total row) go first: they bound the others.
    sides = [set(side) for rule in relevant for side in (rule.lhs, rule.rhs)]
    open_units = sorted(open_units, key=lambda u: (-sum(side <= set(u.keys) for side in sides), len(u.candidates)))
    values = [(u.keys, [[p.rule_value for p in c] for c in u.candidates]) for u in open_units]
    support = supported_readings(values, fixed, relevant)
    if support is not None and all(support):
        return _summarise(open_units, support, 0, frozenset())
    fewest = fewest_failures(values, fixed, relevant)
    if fewest is None:
        return _summarise(open_units, None, -1, frozenset())
    # over its budget, the solver still gives the rules failing in every best assignment
    return _summarise(open_units, fewest.support, fewest.failures, fewest.failing)


def _summarise(units: list[Unit], support: list[set[int]] | None, failures: int,
               failing: frozenset[str]) -> Placement:
    """Keys on which every supported reading of their row agrees are placed. Without `support` (the
    solver went over its budget) a key is placed only if every candidate of its row agrees on it."""
    placed: dict[str, Piece] = {}
    ambiguous: dict[str, tuple[Piece, ...]] = {}
    for depth, unit in enumerate(units):
        readings = sorted(support[depth]) if support is not None else range(len(unit.candidates))
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
    return Placement(placed, ambiguous, failures, failing, support is None)
