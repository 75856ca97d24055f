from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.rules import build_rules, evaluate_all
from synthetic.values import random_truth


def test_rule_counts_per_format():
    assert len(build_rules(FORMATS["2019"])) == 7 + 23 + 7 + 3
    assert len(build_rules(FORMATS["2021"])) == 7 + 25 + 7 + 3


def test_every_rule_key_is_a_field_key():
    for fmt in FORMATS.values():
        assert all(set(rule.keys) <= set(fmt.keys()) for rule in build_rules(fmt))


def _values(truth):
    return {k: 0 if v is None else v for k, v in truth.values.items()}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.integers(0, 10**6))
def test_generated_values_satisfy_every_rule(name, seed):
    truth = random_truth(FORMATS[name], seed, blank_zeros=0.5)
    assert all(check.ok for check in evaluate_all(build_rules(FORMATS[name]), _values(truth)))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.integers(0, 10**6))
def test_a_planted_error_fails_exactly_the_rules_through_its_cell(name, seed):
    truth = random_truth(FORMATS[name], seed, plant_error=True)
    failing = {c.rule for c in evaluate_all(build_rules(FORMATS[name]), _values(truth)) if c.ok is False}
    assert failing == truth.failing_rules and failing


def test_unread_field_leaves_its_rules_unevaluated():
    fmt = FORMATS["2019"]
    values = _values(random_truth(fmt, 1))
    values["apply.received.natural"] = None
    checks = {c.rule: c for c in evaluate_all(build_rules(fmt), values)}
    assert checks["apply.balance.natural"].ok is None
    assert checks["apply.row_sum.received"].ok is None
    assert checks["apply.balance.total"].ok is True
