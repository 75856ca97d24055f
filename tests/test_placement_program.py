"""The placement solvers against every assignment listed by hand, on small random problems: the
fewest failing rules, the rules failing in all best assignments, and each cell's values over them."""

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disclosure.table_recon.placement_program import fewest_failures
from disclosure.table_recon.residual_walk import supported_readings
from disclosure.table_recon.rules import Rule

# 400 problems, each solved by HiGHS and by hand; tests/test_placement.py checks the placement quickly
pytestmark = pytest.mark.slow


@st.composite
def problems(draw):
    unit_count = draw(st.integers(2, 4))
    units = []
    for u in range(unit_count):
        keys = tuple(f"u{u}.k{c}" for c in range(draw(st.integers(1, 3))))
        value = st.one_of(st.integers(0, 3), st.just(None)) if draw(st.booleans()) else st.integers(0, 3)
        candidates = draw(st.lists(st.tuples(*[value] * len(keys)), min_size=1, max_size=4))
        units.append((keys, [list(c) for c in candidates]))
    fixed = {f"f{i}": draw(st.integers(0, 4)) for i in range(draw(st.integers(0, 2)))}
    unit_keys = [k for keys, _ in units for k in keys]
    rules = []
    for r in range(draw(st.integers(1, 4))):  # each rule reaches a row: a rule of fixed cells alone is no placement's
        first = draw(st.sampled_from(unit_keys))
        others = [k for k in unit_keys + list(fixed) if k != first]
        chosen = [first] + draw(st.lists(st.sampled_from(others), min_size=1, max_size=4, unique=True))
        chosen = draw(st.permutations(chosen))
        cut = draw(st.integers(1, len(chosen) - 1))
        rules.append(Rule(f"r{r}", tuple(chosen[:cut]), tuple(chosen[cut:])))
    return units, fixed, rules


def _failing(rules, units, fixed, choice):
    values = dict(fixed)
    for (keys, candidates), index in zip(units, choice):
        values.update(zip(keys, candidates[index]))
    out = set()
    for rule in rules:
        residual = rule.contribution(list(values), list(values.values()))
        if residual is not None and residual != 0:
            out.add(rule.id)
    return out


def _by_hand(units, fixed, rules):
    every = [(choice, _failing(rules, units, fixed, choice))
             for choice in itertools.product(*(range(len(c)) for _, c in units))]
    fewest = min(len(failed) for _, failed in every)
    best = [(choice, failed) for choice, failed in every if len(failed) == fewest]
    return fewest, best


def _cell_values(units, support):
    return [{key: {tuple(candidates[i])[column] for i in support[u]} for column, key in enumerate(keys)}
            for u, (keys, candidates) in enumerate(units)]


@settings(max_examples=400, deadline=None)
@given(problems())
# no reading meets the one rule: HiGHS's presolve gives a solve error, not an answer
@example(([(("u0.k0", "u0.k1"), [[0, 2], [3, 3], [0, 3]]), (("u1.k0",), [[0]])], {"f0": 0, "f1": 4},
          [Rule("r0", ("u0.k0", "u0.k1"), ("u1.k0", "f0", "f1"))]))
def test_both_solvers_match_every_assignment_listed(problem):
    units, fixed, rules = problem
    fewest, best = _by_hand(units, fixed, rules)
    by_hand = [{choice[u] for choice, _ in best} for u in range(len(units))]

    found = fewest_failures(units, fixed, rules)
    assert found is not None and found.support is not None
    assert found.failures == fewest
    assert found.failing == frozenset.intersection(*(frozenset(failed) for _, failed in best))
    assert _cell_values(units, found.support) == _cell_values(units, by_hand)

    # the residual walk answers only where every rule can hold, and then reading by reading
    assert supported_readings(units, fixed, rules) == (by_hand if fewest == 0 else [set() for _ in units])
