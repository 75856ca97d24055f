"""The real 2020 report in samples/, flattened to one cell per line, read end to end."""

import json
from pathlib import Path

from tests.conftest import SEED, read_bytes

GOLDEN = json.loads((Path(__file__).parent / "golden" / "zhenhai_hrss_2020.json").read_text(encoding="utf-8"))


def test_seed_matches_golden_fields():
    report = read_bytes(SEED.read_bytes(), SEED.name)
    assert report.format == GOLDEN["format"] == "2019"
    assert (report.agency, report.year) == (GOLDEN["agency"], GOLDEN["year"])
    assert report.fields == GOLDEN["fields"]
    assert len(report.fields) == 198


def test_seed_is_verified_with_every_rule_evaluated():
    report = read_bytes(SEED.read_bytes(), SEED.name)
    assert report.status.value == "verified"
    assert len(report.checks) == 40 and all(check.ok for check in report.checks)
    assert report.warnings == ()


def test_seed_fields_keep_their_line_and_raw_text():
    report = read_bytes(SEED.read_bytes(), SEED.name)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cell = report.readings["active.license.decisions"]
    assert cell.value == 391 and lines[cell.origin.line - 1] == cell.origin.raw == "391"


def test_seed_narrative_ties_hold():
    report = read_bytes(SEED.read_bytes(), SEED.name)
    assert {tie.phrase: tie.ok for tie in report.ties} == {
        "受理/新收": True, "办结/答复": True, "结转下年度": True, "行政复议": True, "行政诉讼": True}


def test_seed_in_gbk_reads_the_same():
    utf8 = read_bytes(SEED.read_bytes(), SEED.name)
    gbk = read_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"), SEED.name)
    assert gbk.fields == utf8.fields and gbk.status == utf8.status


def test_a_section_heading_wrapped_over_two_lines_still_opens_its_table(seed_text):
    wrapped = seed_text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、\n行政诉讼情况")
    assert wrapped != seed_text
    report = read_bytes(wrapped.encode("utf-8"))
    assert report.status.value == "verified"
    assert report.fields == read_bytes(seed_text.encode("utf-8")).fields
