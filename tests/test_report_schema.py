"""The output contract as a JSON schema (docs/report.schema.json) and as the typed values the archive
reads: real reports validate against it, every name a report writes is read back, and a results
folder's records load as they have always been written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

import disclosure
from disclosure.ocr.errors import Stage, StageError
from disclosure.ocr.origin import Box, Origin
from disclosure.table_recon.narrative import Tie
from disclosure.table_recon.report import FieldReading, FieldState, Report, Status, error_report
from disclosure.workers.document_job import Outcome, failed_outcome, process_document
from disclosure.workers.result_store import DocumentRecord, ResultFolder
from disclosure.workers.stored_report import StoredReport, report_json, report_schema, schema_text, stored_report
from synthetic.flat_text import STYLES, render_text
from synthetic.values import random_truth
from tests.conftest import SEED, read_bytes

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report.schema.json"


@pytest.fixture(scope="module")
def validator():
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _in_doubt() -> dict:
    """A report whose balance rule fails as read but holds under another reading: its carried-in row
    printed twice, other numbers first (tests/test_findings_hold.py)."""
    from disclosure.table_recon.formats import FORMATS

    truth = random_truth(FORMATS["2021"], 1, blank_zeros=0.3)
    text = render_text(truth, STYLES["rows"], 1).decode("utf-8")
    line = next(x for x in text.splitlines() if x.startswith("二、上年结转政府信息公开申请数量"))
    report = read_bytes(text.replace(line, "二、上年结转政府信息公开申请数量 1 2 3 4 5 6 21\n" + line).encode("utf-8"))
    return report.as_dict()


def _every_name() -> dict:
    """A report that writes every optional name: a scan's box, confidence, other readings and doubts,
    a markup cell, a prose tie, a row kept aside, an error on a page."""
    sample = disclosure.read(SEED)
    scanned = Origin("scan.pdf", "7", page=2, box=Box(1, 2, 30, 12), confidence=0.61,
                     alternatives=(("1", 0.2),), doubts=("seal",))
    markup = Origin("page.html", "3", cell=(2, 4, 5))
    readings = dict(sample.readings)
    readings["apply.received.natural"] = FieldReading(7, FieldState.READ, scanned, "read '7', taken 7")
    readings["apply.received.legal"] = FieldReading(3, FieldState.READ, markup)
    tie = Tie("受理/新收", ("apply.received.total",), 4, 4, "受理4件。", Origin("scan.pdf", "受理4件。", page=1))
    extra = {"table": "apply", "label": "其他", "cells": ["1", ""], "origin": {"raw": "其他", "line": 40}}
    return replace(sample, readings=readings, ties=(tie,), extra_rows=(extra,),
                   ambiguities=({"field": "apply.received.natural", "candidates": [7, 1]},),
                   errors=(StageError(Stage.OCR, "page 3 unreadable", 3),)).as_dict()


def test_the_published_schema_is_the_one_the_model_makes():
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), \
        "regenerate it: python -m disclosure.workers.stored_report > docs/report.schema.json"


def test_real_reports_validate_against_the_schema(validator):
    sample = disclosure.read(SEED).as_dict()
    in_doubt = _in_doubt()
    assert any("doubt" in check for check in in_doubt["checks"])
    for report in (sample, in_doubt, _every_name(), failed_outcome("x.pdf", StageError(Stage.INPUT, "damaged")).report.as_dict()):
        validator.validate(report)


@pytest.mark.parametrize("broken", [
    {"status": "ok"},
    {"cells": {"apply.received.natural": {"value": 1, "state": "guessed"}}},
    {"checks": [{"rule": "apply.balance.natural", "ok": None, "lhs": 1}]},
    {"year": "2020"},
])
def test_the_schema_refuses_what_the_contract_does_not_allow(validator, broken):
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**disclosure.read(SEED).as_dict(), **broken})


@pytest.mark.parametrize("make", [lambda: disclosure.read(SEED).as_dict(), _in_doubt, _every_name])
def test_every_name_a_report_writes_is_read_back(make):
    written = make()
    stored = stored_report(written)
    assert report_json(stored) == written
    assert stored_report({**written, "a_name_added_later": 1}) == stored  # passed over, never refused
    assert [check.as_dict() for check in stored.checks] == written["checks"]


def test_typed_values_carry_the_enums_and_the_counts_the_archive_shows():
    stored = stored_report(_in_doubt())
    assert stored.status is Status.INCOMPLETE and stored.rules_failed == 0
    assert all(isinstance(cell.state, FieldState) for cell in stored.cells.values())
    doubted = [check for check in stored.checks if check.doubt is not None]
    assert doubted and all(check.ok is None for check in doubted)
    assert stored.rules_checked == sum(check["ok"] is not None for check in _in_doubt()["checks"])
    scanned = stored_report(_every_name()).cells["apply.received.natural"]
    assert scanned.read_confidence == 0.61 and scanned.where() == "page 2" and scanned.doubts == ("seal",)
    assert stored_report(_every_name()).cells["apply.received.legal"].where() == "table 2 row 4 column 5"


def test_a_results_folder_reads_back_typed_and_a_damaged_record_is_read_again(tmp_path):
    folder = ResultFolder(tmp_path)
    folder.prepare()
    outcome = process_document(SEED, name="zhenhai.txt")
    report = outcome.report
    assert isinstance(report, Report)  # typed to the end: the JSON is made where it is written
    folder.save(DocumentRecord("a" * 64, ("in/zhenhai.txt",), replace(outcome, seconds=1.5), 1))
    folder.save(DocumentRecord("b" * 64, ("in/x.pdf",), failed_outcome("x.pdf", StageError(Stage.OCR, "crash", 2)), 3))
    text = folder.path_of("a" * 64).read_text(encoding="utf-8")
    written = json.loads(text)
    # what is written is `inspect --json`'s text, byte for byte
    assert f'"report": {json.dumps(report.as_dict(), ensure_ascii=False)}' in text
    damaged = {**written, "sha256": "c" * 64, "report": None}  # done, yet no report
    folder.path_of("c" * 64).write_text(json.dumps(damaged), encoding="utf-8")
    done, failed = list(folder.records())
    assert done.outcome is Outcome.DONE and done.done and done.path == "in/zhenhai.txt"
    assert isinstance(done.report, StoredReport) and done.report.status is Status.VERIFIED
    assert failed.outcome is Outcome.FAILED and failed.failure.stage is Stage.OCR and failed.attempts == 3
    assert failed.failure.reason == "page 2: crash" and failed.report.status is Status.ERROR
    assert folder.finished(retry_failed=True) == {"a" * 64}
    assert folder.finished(retry_failed=False) == {"a" * 64, "b" * 64}


def test_the_schema_is_the_contract_as_written_without_the_reviewers_fields():
    cell = report_schema()["$defs"]["StoredCell"]["properties"]
    assert {"value", "state", "raw", "box", "note"} <= set(cell)
    assert not {"printed", "printed_state", "correction"} & set(cell)
    assert set(report_schema()["required"]) == set(error_report("x", "y", Stage.INPUT).as_dict())


def test_an_error_report_is_typed_like_any_other():
    stored = stored_report(failed_outcome("x.pdf", StageError(Stage.INPUT, "damaged")).report.as_dict())
    assert stored.status is Status.ERROR and stored.errors[0].stage is Stage.INPUT and stored.format is None
    assert Report("x", None, None, None, Status.ERROR).as_dict().keys() == report_json(stored).keys()
