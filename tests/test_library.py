"""`disclosure.read` as a library call, and errors that say the stage (and page) they stopped in."""

import json
import pickle
import subprocess
import sys

import numpy as np
import pytest

import disclosure
from disclosure.ocr.errors import DisclosureError, EncryptedInput, InputError, Stage, TimedOut
from disclosure.workers.cli import main
from disclosure.workers.document_job import process_document
from tests.conftest import ROOT, SEED


def test_read_returns_the_verified_report(monkeypatch):
    monkeypatch.chdir(ROOT)  # the README's example, as written there
    report = disclosure.read("samples/zhenhai_hrss_2020.txt")
    assert report.status.value == "verified" and report.year == 2020 and report.errors == ()


def test_import_stays_light():
    code = ("import sys, disclosure; heavy = [m for m in sys.modules if m.split('.')[0] in "
            "('paddle', 'ray', 'camelot', 'pdfplumber', 'cv2', 'disclosure.pipeline')]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_bad_input_raises_the_error_with_its_stage(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(disclosure.DisclosureError) as caught:
        disclosure.read(empty)
    assert isinstance(caught.value, InputError) and caught.value.stage is Stage.INPUT
    assert "empty" in str(caught.value)


def test_an_unknown_option_is_refused():
    with pytest.raises(TypeError):
        disclosure.read(SEED, max_pagez=3)


def test_the_error_survives_a_trip_between_processes():
    err = pickle.loads(pickle.dumps(TimedOut("slow", page=7)))
    assert type(err) is TimedOut and err.stage is Stage.TIMEOUT and err.page == 7 and str(err) == "page 7: slow"


def test_an_encrypted_pdf_is_its_own_type(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica")
    pdf.cell(text="2020")
    pdf.set_encryption(owner_password="o", user_password="u")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(EncryptedInput):
        disclosure.read(path)


def _page_image(tmp_path):
    import cv2

    path = tmp_path / "scan.png"
    cv2.imwrite(str(path), np.full((1600, 1200, 3), 255, np.uint8))
    return path


def test_an_ocr_failure_is_stage_ocr_with_its_page(tmp_path, monkeypatch):
    from disclosure.ocr import scan

    def crash(*args, **kwargs):
        raise RuntimeError("(PreconditionNotMet) the predictor crashed")

    monkeypatch.setattr(scan, "read_scan_page", crash)
    outcome = process_document(_page_image(tmp_path))
    assert outcome.failure.stage is Stage.OCR and outcome.failure.page == 1
    assert outcome.report.as_dict()["errors"][0] == {"stage": "ocr", "page": 1,
                                           "message": "RuntimeError: (PreconditionNotMet) the predictor crashed"}


def test_a_page_the_layout_cannot_read_is_stage_layout(tmp_path, monkeypatch):
    from disclosure.ocr import scan, scan_grid
    from disclosure.pipeline import document

    monkeypatch.setattr(scan, "read_scan_page", lambda image, number, *rest, **options: object())
    monkeypatch.setattr(scan_grid, "scan_cell_reader", lambda *args: None)
    monkeypatch.setattr(scan_grid, "page_from_scan", lambda *args: object())
    monkeypatch.setattr(document, "with_tables", lambda *args: 1 / 0)
    with pytest.raises(DisclosureError) as caught:
        disclosure.read(_page_image(tmp_path))
    assert caught.value.stage is Stage.LAYOUT and caught.value.page == 1
    assert isinstance(caught.value.__cause__, ZeroDivisionError)  # kept for --verbose


def test_a_timeout_is_recorded_as_one(capsys, monkeypatch):
    from disclosure.pipeline import document

    def slow(path, options):
        raise TimedOut(f"{path.name}: not finished after 1 s")

    monkeypatch.setattr(document, "inspect_file", slow)
    code = main(["inspect", str(SEED), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 2 and result["status"] == "error" and result["errors"][0]["stage"] == "timeout"


def test_a_report_without_tables_names_its_stage_and_reason(capsys, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    code = main(["inspect", str(path), "--json"])
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert code == 2 and result["errors"][-1]["stage"] == "table_recon"
    assert result["errors"][-1]["message"] in captured.err

