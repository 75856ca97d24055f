"""The readings of each row that take part in the assignments with the fewest failing rules, and
the rules that fail in every one of them, by integer programming (HiGHS, through scipy).

The residual walk (`residual_walk`) lists every state the rows can reach; where many rows each have
many placements (a table whose blank cells were all dropped) those states run to hundreds of
thousands. Here each distinct reading of a row is a 0/1 variable, each row takes exactly one, and
each rule is a linear equation over them that may be given up at the cost of one failure (a rule
with an unreadable value in it is given up for free: it is unevaluated, not failed). One solve gives
the fewest failures and a best assignment. Best assignments are then collected until every value
of every cell that some best assignment could give it has been seen: the last solve asks for one
more such value and is proved infeasible. What a caller reports of a cell is the set of its values
over the best assignments, so that is what is collected, not every reading, whose number can be far
larger.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from disclosure.table_recon.residual_walk import Units, candidates_of, distinct_readings, settled, shared_rules
from disclosure.table_recon.rules import Number, Rule

MAX_NODES = 20_000  # branch-and-bound nodes per solve; past them the group's cells are left ambiguous
# Solves times the square of the variables (a solve's cost grows faster than its size): the work of
# collecting best assignments. Past it every open cell of the group is left ambiguous, though the
# fewest failures and the rules failing in all best assignments are still given. About 100 solves
# of a table whose blanks were all dropped (300 variables), 4 of one whose rows lost their totals too.
MAX_WORK = 10_000_000
_SOLVE_ERROR = 4  # scipy.optimize.milp's status where HiGHS reports an error rather than an answer


@dataclass(frozen=True)
class Fewest:
    support: list[set[int]] | None  # per unit, the candidates in some best assignment; None: over budget
    failures: int  # rules failing in each best assignment
    failing: frozenset[str]  # rules failing in every best assignment


class _OverBudget(Exception):
    """The solver needs more than its budget, or gave an answer that does not check out."""


def _scale(values: list[Number]) -> int:
    """The power of ten that makes every amount of a rule a whole number."""
    places = [-value.as_tuple().exponent for value in values if isinstance(value, Decimal)]
    return 10 ** max([0, *places])


class _Model:
    """The 0/1 program of one linked group of rows, solved again with extra rows as the search asks."""

    def __init__(self, units: Units, fixed: Mapping[str, Number | None], rules: Sequence[Rule]) -> None:
        self.units = units
        # a shared rule whose fixed cells are unread can never fail: it is no part of the program
        starts = {rule: rule.contribution(list(fixed), list(fixed.values())) for rule in shared_rules(units, rules)}
        self.shared = [rule for rule, start in starts.items() if start is not None]
        self.starts = [starts[rule] for rule in self.shared]
        own = [[rule for rule in rules if rule not in self.shared and any(k in rule.keys for k in keys)]
               for keys, _ in units]
        self.columns = [(u, i) for u, (_, candidates) in enumerate(units) for i in range(len(candidates))]
        self.of_unit = [[col for col, (v, _) in enumerate(self.columns) if v == u] for u in range(len(units))]
        self.own_failing = [[rule.id for rule in own[u] if not settled(rule, units[u][0], units[u][1][i], fixed)]
                            for u, i in self.columns]
        self.moves = [tuple(rule.contribution(units[u][0], units[u][1][i]) for rule in self.shared)
                      for u, i in self.columns]
        n, units_count, rules_count = len(self.columns), len(units), len(self.shared)
        self.size = n + rules_count  # the readings' variables, then one failure variable per rule
        self.scaled = []  # per rule: each column's whole-number move (None: unreadable), the start, a bound
        for r in range(rules_count):
            scale = _scale([m[r] for m in self.moves if m[r] is not None] + [self.starts[r]])
            adds = [None if m[r] is None else int(m[r] * scale) for m in self.moves]
            start = int(self.starts[r] * scale)
            bound = abs(start) + sum(max((abs(adds[col] or 0) for col in self.of_unit[u]), default=0)
                                     for u in range(units_count)) + 1
            self.scaled.append((adds, start, bound))
        self._programs: dict[frozenset[int] | None, object] = {}
        # A row's own failures above the fewest any of its readings has: what the choice of reading
        # costs. The rest (a row whose total is off under every reading) is the same in every
        # assignment, and left out of the program, which then solves far quicker.
        least = [min(len(self.own_failing[col]) for col in cols) for cols in self.of_unit]
        self.unavoidable = sum(least)
        self.cost = np.array([len(failing) - least[u] for (u, _), failing in zip(self.columns, self.own_failing)]
                             + [1] * rules_count, float)

    def _constraints(self, failed: frozenset[int] | None):
        """A reading per unit, and the rules. With `failed` None, each rule as two inequalities that
        its failure variable (or an unreadable value) relaxes. Otherwise the rules `failed` are left
        out, and every other rule holds: as one equation where it has no unreadable value, which
        keeps the program's relaxation close to it and the solves quick."""
        from scipy.optimize import LinearConstraint
        from scipy.sparse import coo_array

        rows, cols, vals = [], [], []
        lower, upper = [1.0] * len(self.units), [1.0] * len(self.units)
        for col, (u, _) in enumerate(self.columns):
            rows.append(u), cols.append(col), vals.append(1)
        for r, (adds, start, bound) in enumerate(self.scaled):
            if failed is not None and r in failed:
                continue
            if failed is not None and None not in adds:
                row = len(lower)
                for col, add in enumerate(adds):
                    if add:
                        rows.append(row), cols.append(col), vals.append(add)
                lower.append(-start), upper.append(-start)
                continue
            # -bound·(failed + unevaluated) <= start + sum(adds) <= bound·(failed + unevaluated)
            for sign in (1, -1):
                row = len(lower)
                for col, add in enumerate(adds):
                    coefficient = -bound if add is None else sign * add
                    if coefficient:
                        rows.append(row), cols.append(col), vals.append(coefficient)
                rows.append(row), cols.append(len(self.columns) + r), vals.append(-bound)
                lower.append(-np.inf), upper.append(-sign * start)
        matrix = coo_array((vals, (rows, cols)), shape=(len(lower), self.size)).tocsr()
        return LinearConstraint(matrix, np.array(lower), np.array(upper))

    def failing(self, assignment: Sequence[int]) -> list[str]:
        """The rules an assignment (a column per unit) fails, counted exactly."""
        out = [rule_id for col in assignment for rule_id in self.own_failing[col]]
        for r, rule in enumerate(self.shared):
            residual = self.starts[r]
            for col in assignment:
                move = self.moves[col][r]
                residual = None if residual is None or move is None else residual + move
            if residual is not None and residual != 0:
                out.append(rule.id)
        return out

    def failing_as_best(self, assignment: Sequence[int], best: int) -> list[str]:
        """The rules a solved assignment fails, which must number `best`."""
        failed = self.failing(assignment)
        if len(failed) != best:
            raise _OverBudget  # a rounded solution that is not what the solver claimed
        return failed

    def within(self, best: int) -> tuple[np.ndarray, float, float]:
        """The extra row keeping a solve to assignments failing at most `best` rules."""
        return self.cost, -np.inf, best - self.unavoidable

    def solve(self, failed: frozenset[str] | None, objective: np.ndarray | None = None,
              extra: Sequence[tuple[np.ndarray, float, float]] = (), excluded: Iterable[int] = ()) -> list[int] | None:
        """A column per unit of an optimal (or, without an objective, any) solution in which the
        rules `failed` are taken as failed and every other rule holds (a pure feasibility program,
        the quickest kind), or, with `failed` None, any rule may fail; no `excluded` variable is 1.
        None where none exists."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        upper = np.ones(self.size)
        upper[list(excluded)] = 0
        program: frozenset[int] | None = None
        if failed is not None:
            program = frozenset(r for r, rule in enumerate(self.shared) if rule.id in failed)
            upper[len(self.columns):] = 0
            upper[[col for col, own in enumerate(self.own_failing) if not failed.issuperset(own)]] = 0
        if program not in self._programs:
            self._programs[program] = self._constraints(program)
        constraints = [self._programs[program]]
        constraints += [LinearConstraint(row[None, :], low, high) for row, low, high in extra]
        # HiGHS's presolve can end in a solve error on a small infeasible program (one equation no
        # reading meets); solved again without it, the program is proved infeasible
        for presolve in (True, False):
            with _stdout_silenced():
                result = milp(np.zeros(self.size) if objective is None else objective, integrality=np.ones(self.size),
                              bounds=Bounds(np.zeros(self.size), upper), constraints=constraints,
                              options={"node_limit": MAX_NODES, "presolve": presolve})
            if result.status != _SOLVE_ERROR:
                break
        if result.status == 2:
            return None
        if result.status != 0:
            raise _OverBudget
        chosen = [col for col in np.flatnonzero(result.x[:len(self.columns)] > 0.5)]
        if sorted(self.columns[col][0] for col in chosen) != list(range(len(self.units))):
            raise _OverBudget  # not a reading per row: the solver's tolerance, not an answer
        return chosen


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS writes a stray line to standard output from its C++ when it repairs a solution
    (ERGO-Code/HiGHS#2783), whatever its options say; `inspect --json` writes JSON there."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def fewest_failures(units: Units, fixed: Mapping[str, Number | None], rules: Sequence[Rule]) -> Fewest | None:
    """For each unit (its keys and its candidates' values), the candidates that occur in an
    assignment failing the fewest rules; how many that is; the rules failing in all such
    assignments. A candidate counts as occurring where each of its values occurs in its cell in
    some best assignment. Without the candidates where collecting them needs more than the budget;
    None where even the fewest failures do."""
    distinct, index_of = distinct_readings(units)
    model = _Model(distinct, fixed, rules)
    if not model.shared:  # the rows are independent: each row's best readings are its own
        return _independent(model, index_of)
    try:
        first, best, failing = _fewest(model)
    except _OverBudget:
        return None
    try:
        covered = _collect(model, first, best)
    except _OverBudget:
        return Fewest(None, best, failing)
    kept = [{d for d, values in enumerate(found) if all((u, c, value) in covered for c, value in enumerate(values))}
            for u, (_, found) in enumerate(distinct)]
    return Fewest(candidates_of(index_of, kept), best, failing)


def _independent(model: _Model, index_of: list[list[int]]) -> Fewest:
    kept, failing = [], set()
    for cols in model.of_unit:
        least = min(len(model.own_failing[col]) for col in cols)
        best = [col for col in cols if len(model.own_failing[col]) == least]
        kept.append({model.columns[col][1] for col in best})
        failing.update(set.intersection(*(set(model.own_failing[col]) for col in best)))
    return Fewest(candidates_of(index_of, kept), model.unavoidable, frozenset(failing))


def _fewest(model: _Model) -> tuple[list[int], int, frozenset[str]]:
    """A best assignment, its number of failures, and the rules failing in every best assignment."""
    # Every rule held first: the common case, and the tightest program. Only where that has no
    # solution may rules fail.
    first = model.solve(frozenset(), model.cost)
    if first is None:
        first = model.solve(None, model.cost)
    if first is None:
        raise _OverBudget  # every row has a reading and every rule may fail: the solver went wrong
    best = len(model.failing(first))
    always = set(model.failing(first))
    for rule_id in sorted(always):
        if rule_id in always:  # a solve for an earlier rule may have shown this one can hold
            found = _holding(model, rule_id, best)
            if found is not None:
                always.intersection_update(model.failing_as_best(found, best))
    return first, best, frozenset(always)


def _collect(model: _Model, first: list[int], best: int) -> set[tuple[int, int, Number | None]]:
    """The (unit, column, value) triples of the best assignments, collected from `first` on."""
    failed_sets = [frozenset(model.failing(first))]  # the sets of rules failing in best assignments
    covered: set[tuple[int, int, Number | None]] = set()
    pairs = [[(u, c, value) for c, value in enumerate(model.units[u][1][i])] for u, i in model.columns]

    def take(assignment: list[int]) -> None:
        failed = frozenset(model.failing_as_best(assignment, best))
        if failed not in failed_sets:
            failed_sets.append(failed)
        for col in assignment:
            covered.update(pairs[col])

    def grow(assignment: list[int]) -> None:
        take(assignment)
        for other in _swaps(model, assignment, lambda col: all(p in covered for p in pairs[col])):
            take(other)

    grow(first)
    solves = 0
    while True:
        weights = np.array([sum(p not in covered for p in pairs[col]) for col in range(len(model.columns))]
                           + [0] * len(model.shared), float)
        if not weights.any():
            break
        solves += 1
        if solves * model.size ** 2 > MAX_WORK:
            raise _OverBudget
        new_value = (weights, 1, np.inf)
        # Best assignments failing a set of rules already seen: each a pure feasibility program, as
        # tight as the one where every rule holds. Only where none has more, one where any rule may fail.
        found = None
        for failed in list(failed_sets):
            found = model.solve(failed, None, [new_value])
            if found is not None:
                break
        if found is None and best:
            found = model.solve(None, None, [model.within(best), new_value])
        if found is None:
            break
        grow(found)
    return covered


def _holding(model: _Model, rule_id: str, best: int) -> list[int] | None:
    """A best assignment in which the rule does not fail, or None."""
    within_best = model.within(best)
    shared = [r for r, rule in enumerate(model.shared) if rule.id == rule_id]
    if shared:
        return model.solve(None, None, [within_best], excluded=[len(model.columns) + shared[0]])
    unit = next(model.columns[col][0] for col, failing in enumerate(model.own_failing) if rule_id in failing)
    holding = np.zeros(model.size)
    holding[[col for col in model.of_unit[unit] if rule_id not in model.own_failing[col]]] = 1
    if not holding.any():
        return None
    return model.solve(None, None, [within_best, (holding, 1, 1)])


MAX_SWAPS = 40  # assignments a round of swaps starts from


def _swaps(model: _Model, start: list[int], covered) -> Iterator[list[int]]:
    """Best assignments one pair of rows away: a row changing its reading, another row changing its
    own so that every rule's residual is what it was. Cheap where a solve is not; nothing where a
    rule has an unreadable value (its residual is then no number)."""
    if len(model.units) < 2 or any(move is None for moves in model.moves for move in moves):
        return
    queue = [start]
    for _ in range(MAX_SWAPS):
        if not queue:
            return
        base = queue.pop(0)
        deltas: dict[tuple, dict[int, int]] = {}  # a change of residuals -> a unit making it -> how
        for u, cols in enumerate(model.of_unit):
            before = model.moves[base[u]]
            for col in cols:
                if col != base[u]:
                    makers = deltas.setdefault(tuple(a - b for a, b in zip(model.moves[col], before)), {})
                    if len(makers) < 2:  # one unit other than the one to undo is all a lookup needs
                        makers.setdefault(u, col)
        for u, cols in enumerate(model.of_unit):
            before = model.moves[base[u]]
            for col in cols:
                if col == base[u] or covered(col):
                    continue
                undo = tuple(b - a for a, b in zip(model.moves[col], before))
                for v, other in deltas.get(undo, {}).items():
                    cost = len(model.own_failing[col]) + len(model.own_failing[other])
                    if v != u and cost == len(model.own_failing[base[u]]) + len(model.own_failing[base[v]]):
                        assignment = list(base)
                        assignment[u], assignment[v] = col, other
                        yield assignment
                        queue.append(assignment)
                        break
