"""Generated reports of both formats, rendered as flattened text in every style, read back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.table_recon.formats import FORMATS
from synthetic.flat_text import STYLES, render_text, style_variant
from synthetic.scoring import score
from synthetic.values import random_truth
from tests.conftest import read_bytes

# Styles whose cells survive one per column: every field is placed, none ambiguous.
EXACT_STYLES = ("cells", "markers", "rows", "noisy")
# Blank share per style: a style that drops blank cells is realistic only where zeros print blank.
BLANKS = {"cells": 0.3, "markers": 0.5, "rows": 0.5, "noisy": 0.5, "dropped": 1.0, "bom": 1.0, "joined": 0.0}
# Styles that drop blank cells leave each number's column to the placement search: seconds a report.
STYLE_PARAMS = [pytest.param(s, marks=pytest.mark.slow) if s in ("dropped", "bom") else s for s in sorted(STYLES)]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("style", STYLE_PARAMS)
def test_every_placed_field_is_right_and_ambiguity_names_the_truth(fmt, style):
    for seed in range(3):
        truth = random_truth(FORMATS[fmt], seed, blank_zeros=BLANKS[style])
        report = read_bytes(render_text(truth, STYLES[style], seed))
        result = score(truth, report)
        assert report.format == fmt
        assert result.wrong == () and result.ambiguous_missed == () and result.unread == (), (seed, result)
        assert not [c.rule for c in report.checks if c.ok is False], seed  # no error the report does not print
        if style in EXACT_STYLES:
            assert result.right == result.fields
            assert report.status.value == "verified"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("style", STYLE_PARAMS)
def test_planted_errors_are_found(fmt, style):
    for seed in range(3):
        truth = random_truth(FORMATS[fmt], 100 + seed, plant_error=True, blank_zeros=BLANKS[style])
        report = read_bytes(render_text(truth, STYLES[style], seed))
        failing = {c.rule for c in report.checks if c.ok is False}
        assert report.status.value != "verified"
        if not report.ambiguities:
            assert failing == truth.failing_rules, (seed, truth.planted_key)
        else:  # the lost blanks leave the placement open: the report says so, and never claims success
            assert report.status.value in ("incomplete", "failed_checks")
            # no rule the error leaves whole is blamed, and one it breaks is still not passed
            assert failing <= truth.failing_rules, (seed, truth.planted_key, failing - truth.failing_rules)
            not_passed = {c.rule for c in report.checks if c.ok is not True}
            assert truth.failing_rules & not_passed, (seed, truth.planted_key)


@pytest.mark.parametrize("style", ["markers", "cells"])
def test_exact_styles_find_exactly_the_planted_rules(style):
    for fmt in FORMATS.values():
        for seed in range(10):
            truth = random_truth(fmt, 500 + seed, plant_error=True, blank_zeros=0.3)
            report = read_bytes(render_text(truth, STYLES[style], seed))
            assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules
            assert report.status.value == "failed_checks"


def test_a_row_whose_last_cell_is_an_empty_line_is_read_in_order():
    # every cell on its own line, a blank cell an empty line: 其他对外管理服务事项 15, 2 and a blank
    truth = random_truth(FORMATS["2019"], 11, blank_zeros=0.5)
    truth.values["active.service.prev"], truth.values["active.service.delta"] = 15, 2
    truth.values["active.service.decisions"] = None
    text = render_text(truth, STYLES["cells"], 11).decode()
    assert "其他对外管理服务事项\n15\n2\n\n" in text
    report = read_bytes(text.encode())
    assert report.status.value == "verified" and not report.ambiguities
    assert [report.fields[f"active.service.{c}"] for c in ("prev", "delta", "decisions")] == [15, 2, None]


def test_provincial_extra_row_is_kept_aside_without_shifting_keys():
    truth = random_truth(FORMATS["2021"], 7)
    report = read_bytes(render_text(truth, style_variant("cells", extra_row=True, annotate=True), 7))
    assert score(truth, report).wrong == ()
    assert [row["label"] for row in report.extra_rows] == ["其他主动公开文件"]


def test_joined_table_two_row_without_rules_is_ambiguous_with_candidates():
    truth = random_truth(FORMATS["2021"], 3)
    truth.values["active.normative.issued"], truth.values["active.normative.repealed"] = 6, 23
    truth.values["active.normative.in_force"] = 3440
    report = read_bytes(render_text(truth, STYLES["joined"], 3))
    assert "行政规范性文件6233440" in render_text(truth, STYLES["joined"], 3).decode()
    ambiguous = {a["field"]: a["candidates"] for a in report.ambiguities}
    assert 23 in ambiguous["active.normative.repealed"] and report.status.value == "incomplete"


perturbations = st.fixed_dictionaries({
    "fullwidth": st.booleans(), "stray_spaces": st.booleans(), "thousands": st.booleans(),
    "split_headers": st.booleans(), "half_brackets": st.booleans(), "comma_numbering": st.booleans(),
    "page_furniture": st.booleans(), "extra_row": st.booleans(), "annotate": st.booleans(),
    "empty": st.sampled_from(["/", "—", "无", "-"]), "layout": st.sampled_from(["cells", "rows"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
})


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.integers(0, 10**6), perturbations)
def test_any_combination_of_perturbations_reads_every_field(fmt, seed, changes):
    truth = random_truth(FORMATS[fmt], seed, blank_zeros=0.4)
    report = read_bytes(render_text(truth, style_variant("cells", **changes), seed))
    result = score(truth, report)
    assert result.right == result.fields, (result.wrong, result.unread)
    assert report.status.value == "verified"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_cell_dropped_is_placed_within_the_budget_with_the_planted_findings(fmt):
    # every zero printed blank and every blank dropped: each number's column is left to the rules
    for seed in range(4):
        truth = random_truth(FORMATS[fmt], seed, blank_zeros=1.0)
        report = read_bytes(render_text(truth, STYLES["dropped"], seed))
        result = score(truth, report)
        assert not any("limit" in w for w in report.warnings), seed
        assert result.wrong == () and result.ambiguous_missed == () and result.unread == (), (seed, result)
        assert not any(c.ok is False for c in report.checks)

        planted = random_truth(FORMATS[fmt], 300 + seed, plant_error=True, blank_zeros=1.0)
        report = read_bytes(render_text(planted, STYLES["dropped"], seed))
        failing = {c.rule for c in report.checks if c.ok is False}
        assert not any("limit" in w for w in report.warnings), seed
        assert report.status.value != "verified"
        # table 四 is one row of 15 numbers once its blanks are dropped: the fewest failures may put
        # the error in another group of that row, so only the table is sure
        table = planted.planted_key.split(".")[0]
        assert all(rule.startswith(table + ".") for rule in failing), (seed, planted.planted_key, failing)
        if table == "apply":
            assert failing <= planted.failing_rules, (seed, planted.planted_key, failing)
            # a cell missing from the text may have been a number the copy lost, so a planted error is
            # a finding only where no such reading explains it; otherwise its rules name the cells in doubt
            doubted = {c.rule for c in report.checks if c.doubt is not None}
            unevaluated = {c.rule for c in report.checks if c.ok is None}
            assert planted.failing_rules & (failing | doubted | unevaluated), (seed, planted.planted_key)
            assert report.status.value in ("failed_checks", "incomplete")
