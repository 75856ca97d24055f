"""The real web page in samples/ as a reader meets it printed: a browser's PDF of it (the print header
with date and time above the title), and that PDF printed and scanned another way than our own
scan generator (augraphy, a stamp of another design). Every field it reads is the page's, its
findings exactly the page's own (its 总计 column is blank, so its row sums fail as printed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import disclosure
from tests.conftest import SAMPLES

GOLDEN = json.loads((Path(__file__).parent / "golden" / "shanghai_szfbgt_2019.json").read_text(encoding="utf-8"))
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(BROWSER is None, reason="headless Chromium is not installed (Debian: chromium)")]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("printed")
    pdf = folder / "shanghai.pdf"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}",
                    (SAMPLES / "shanghai_szfbgt_2019.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    return pdf


def _findings(report) -> list[str]:
    return sorted(c.rule for c in report.checks if c.ok is False)


def test_a_browsers_print_of_the_real_page_reads_as_the_page(printed):
    report = disclosure.read(printed)
    assert report.fields == GOLDEN["fields"]
    assert _findings(report) == GOLDEN["failing"]
    # the print header (date, time) stands before the title on its first line
    assert (report.agency, report.year) == ("上海市人民政府办公厅", 2019)


@pytest.mark.ocr
def test_the_print_scanned_another_way_gives_no_wrong_number_and_no_finding_of_its_own(printed, tmp_path):
    from synthetic.printed_scans import printed_scan

    scan, _ = printed_scan(printed, "double_ring", tmp_path, seed=1)
    report = disclosure.read(scan)
    wrong = {key: (GOLDEN["fields"][key], report.fields[key]) for key, r in report.readings.items()
             if r.state.value in ("read", "empty", "derived") and report.fields[key] != GOLDEN["fields"][key]}
    assert wrong == {}
    assert set(_findings(report)) <= set(GOLDEN["failing"])
