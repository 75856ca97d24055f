from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.recon import read_report

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "zhenhai_hrss_2020.txt"


def read_bytes(data: bytes, name: str = "report.txt"):
    return read_report(rows_from_text(text_document_from_bytes(data, name)))


def assert_right_or_ambiguous(report, expected: dict) -> None:
    """Every field placed as printed, or reported ambiguous with the printed value (a blank: 0)
    among its candidates."""
    candidates = {a["field"]: a["candidates"] for a in report.ambiguities}
    for key, value in expected.items():
        if key in candidates:
            assert value in candidates[key] or (value is None and 0 in candidates[key]), (key, value, candidates[key])
        else:
            assert report.readings[key].state.value != "missing", key
            assert report.fields[key] == value, (key, value, report.fields[key])


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
