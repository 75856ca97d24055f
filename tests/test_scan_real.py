"""The real born-digital reports in samples/, printed and scanned (`synthetic.scan_render`), read
by the scan path to the same fields as their text layer gives (tests/golden).

Real layouts carry what generated ones do not: hairline rules that a 150 dpi blurred scan turns
grey, a table left open at a page break (Word draws no bottom border there), a bold heading and a
bold title just above or far from a table, shaded header rows, serif digits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure.pipeline.document import InspectOptions, inspect_file
from synthetic.scan_render import scanned_copy
from tests.conftest import SAMPLES

pytestmark = [pytest.mark.slow, pytest.mark.ocr]

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name, style", [
    # hairline rules at 150 dpi, blurred: without them no table was found
    ("huaian_hongze_2024", "rough"),
    # table 三 open at the bottom of page 3, and the report's own error in table 四
    ("huaian_hongze_2023", "rough"),
    # headings just above tables 二 and 四, a bold title, shaded block headers, a seal
    ("huaian_city_2024", "sealed"),
])
def test_a_real_report_scanned_reads_as_its_text_layer(tmp_path, name, style):
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    scan, _ = scanned_copy(SAMPLES / f"{name}.pdf", style, tmp_path, seed=1)
    report = inspect_file(scan, InspectOptions())
    assert (report.format, report.agency, report.year) == (golden["format"], golden["agency"], golden["year"])
    wrong = {key: (value, report.fields[key]) for key, value in golden["fields"].items() if report.fields[key] != value}
    assert wrong == {}
    assert report.status.value == golden["status"]
    assert sorted(c.rule for c in report.checks if c.ok is False) == golden["failing"]
    assert all(report.readings[key].origin.confidence is not None for key in golden["fields"]
               if report.readings[key].state.value == "read")
