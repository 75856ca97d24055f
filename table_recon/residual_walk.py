"""Which readings of each row can stand in an assignment under which every rule holds.

Every rule is a linear sum (one side's cells add up to the other's), so an assignment of readings
to rows, taken row by row, needs to remember only how far each rule still is from balancing: the
rows chosen so far matter only through those residuals. Walking the rows forward over the set of
residual vectors reachable, then back from the vectors where every rule balances, marks each
reading that takes part in at least one full assignment, without listing the assignments, whose
number is the product of the rows' readings.

A value that cannot be read (None) leaves its rules unevaluated: they neither hold nor fail, as in
`rules.evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from disclosure.table_recon.rules import Number, Rule

MAX_STEPS = 20_000  # (vector, reading) pairs tried; past it the caller solves an integer program

Units = Sequence[tuple[tuple[str, ...], Sequence[Sequence[Number | None]]]]

_UNKNOWN = None  # a rule with an unreadable value in it: it can no longer fail


def _shift(residual: Number | None, by: Number | None) -> Number | None:
    return _UNKNOWN if residual is None or by is None else residual + by


def settled(rule: Rule, keys: Sequence[str], values: Sequence[Number | None],
             fixed: Mapping[str, Number | None]) -> bool:
    """A rule all of whose cells are this reading's or fixed holds, or cannot be evaluated."""
    both = {**fixed, **dict(zip(keys, values))}
    residual = rule.contribution(list(both), list(both.values()))
    return residual is None or residual == 0


def _prune_rule_by_rule(units, fixed: Mapping[str, Number | None], rules: Sequence[Rule],
                        allowed: list[set[int]]) -> bool:
    """Narrow `allowed` (in place) to the readings each rule alone can complete: for one rule the
    rows matter only through the sum they add to it, so the sums every prefix and suffix of the
    rows can reach are small sets. Repeated until no rule narrows any row further; False where a
    row is left with no reading."""
    changed = True
    while changed:
        changed = False
        for rule in rules:
            adds = [{index: rule.contribution(keys, candidates[index]) for index in allowed[u]}
                    for u, (keys, candidates) in enumerate(units)]
            start = rule.contribution(list(fixed), list(fixed.values()))
            if start is None or any(value is None for add in adds for value in add.values()):
                continue  # the rule may go unevaluated: it rules nothing out
            ahead: list[set] = [{start}]
            for add in adds:
                ahead.append({sum_ + value for sum_ in ahead[-1] for value in set(add.values())})
            behind: list[set] = [{0}]
            for add in reversed(adds):
                behind.insert(0, {sum_ + value for sum_ in behind[0] for value in set(add.values())})
            for u, add in enumerate(adds):
                keep = {index for index, value in add.items()
                        if any(-(value + rest) in ahead[u] for rest in behind[u + 1])}
                if not keep:
                    return False
                if keep != allowed[u]:
                    allowed[u] = keep
                    changed = True
    return True


def distinct_readings(units: Units) -> tuple[list[tuple[tuple[str, ...], list[tuple]]], list[list[int]]]:
    """Each unit with its candidates' distinct values (a blank dropped here or a 0 printed there are
    one to the rules), and for each candidate the index of its values among them."""
    distinct = [list(dict.fromkeys(tuple(values) for values in candidates)) for _, candidates in units]
    index_of = [[found.index(tuple(values)) for values in candidates]
                for found, (_, candidates) in zip(distinct, units)]
    return [(keys, found) for (keys, _), found in zip(units, distinct)], index_of


def candidates_of(index_of: list[list[int]], kept: Sequence[set[int]]) -> list[set[int]]:
    """Per unit, the candidates whose distinct values (`distinct_readings`) are among those kept."""
    return [{i for i, index in enumerate(indices) if index in found} for indices, found in zip(index_of, kept)]


def shared_rules(units: Units, rules: Sequence[Rule]) -> list[Rule]:
    """The rules that reach more than one unit; a rule within one unit is settled by its readings alone."""
    touching = [[rule for rule in rules if any(k in rule.keys for k in keys)] for keys, _ in units]
    return [rule for rule in rules if sum(rule in touched for touched in touching) > 1]


def supported_readings(units: Units, fixed: Mapping[str, Number | None],
                       rules: Sequence[Rule]) -> list[set[int]] | None:
    """For each unit (its keys and its candidate readings' values), the indices of the readings
    that occur in some assignment where every rule holds or cannot be evaluated; every set empty
    where no such assignment exists; None where that takes more than MAX_STEPS steps.

    Readings of a row with the same values (a blank dropped here or a 0 printed there) are one to
    the rules: each distinct set of values is tried once."""
    distinct, index_of = distinct_readings(units)
    found = _supported_values(distinct, fixed, rules)
    if found is None:
        return None
    return candidates_of(index_of, found)


def _supported_values(units: Units, fixed: Mapping[str, Number | None], rules: Sequence[Rule]) -> list[set[int]] | None:
    touching = [[rule for rule in rules if any(k in rule.keys for k in keys)] for keys, _ in units]
    shared = shared_rules(units, rules)
    # a rule within one row (and fixed cells) is settled by each reading alone
    allowed = []
    for (keys, candidates), touched in zip(units, touching):
        own = [rule for rule in touched if rule not in shared]
        allowed.append({index for index, values in enumerate(candidates)
                        if all(settled(rule, keys, values, fixed) for rule in own)})
    if not all(allowed):
        return [set() for _ in units]
    rules = shared
    if not _prune_rule_by_rule(units, fixed, rules, allowed):
        return [set() for _ in units]
    start = tuple(rule.contribution(list(fixed), list(fixed.values())) for rule in rules)
    # how each reading moves each rule's residual, and the range the rows after it can still move it
    moves = [[tuple(rule.contribution(keys, values) for rule in rules) for values in candidates]
             for keys, candidates in units]
    touches = [[r for r, rule in enumerate(rules) if any(k in rule.keys for k in keys)] for keys, _ in units]
    last = [max((u for u in range(len(units)) if r in touches[u]), default=-1) for r in range(len(rules))]
    closing = [[r for r in touches[u] if last[r] == u] for u in range(len(units))]
    later: list[list[tuple[Number, Number] | None]] = [[(0, 0)] * len(rules)]
    for unit_moves in reversed(moves):
        step = []
        for r in range(len(rules)):
            shifts = [move[r] for move in unit_moves]
            before = later[0][r]
            step.append(None if before is None or any(s is None for s in shifts)
                        else (before[0] + min(shifts), before[1] + max(shifts)))
        later.insert(0, step)

    def possible(residuals: tuple, after: int) -> bool:
        for r, residual in enumerate(residuals):
            reach = later[after][r]
            if residual is None or reach is None:
                continue
            if not reach[0] <= -residual <= reach[1]:
                return False
        return True

    if not possible(start, 0):
        return [set() for _ in units]
    # layers[u]: residual vector before unit u -> the (previous vector, reading) pairs that reach it
    layers: list[dict[tuple, list[tuple[tuple, int]]]] = [{start: []}]
    steps = 0
    for u, unit_moves in enumerate(moves):
        reached: dict[tuple, list[tuple[tuple, int]]] = {}
        for residuals in layers[-1]:
            for index in allowed[u]:
                steps += 1
                shifted = list(residuals)
                for r in touches[u]:
                    shifted[r] = _shift(shifted[r], unit_moves[index][r])
                # a rule whose last row this is must balance now; then it is no part of the state
                if any(shifted[r] not in (None, 0) for r in closing[u]):
                    continue
                for r in closing[u]:
                    shifted[r] = 0
                state = tuple(shifted)
                if possible(state, u + 1):
                    reached.setdefault(state, []).append((residuals, index))
            if steps > MAX_STEPS:
                return None
        layers.append(reached)
    final = {state for state in layers[-1] if all(value in (None, 0) for value in state)}
    support: list[set[int]] = [set() for _ in units]
    alive = final
    for u in range(len(units) - 1, -1, -1):
        previous = set()
        for state in alive:
            for before, index in layers[u + 1][state]:
                support[u].add(index)
                previous.add(before)
        alive = previous
    return support
