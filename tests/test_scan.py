"""Scanned reports: generated born-digital reports rasterised like a scanner, read back by OCR
(PaddleOCR, offline, the models installed with the package) and OpenCV grids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from layout.image_grid import _reading_order
from ocr.errors import InputError
from ocr.origin import Box, Origin
from ocr.paddle_engine import OcrModels
from ocr.pdf_text import PositionedLine
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.scan_render import SCAN_STYLES, render_scan
from synthetic.scoring import score
from synthetic.values import random_truth
from table_recon.formats import FORMATS
from workers.cli import main
from workers.pipeline import InspectOptions, inspect_file


def _scanned_pdf(fmt: str, style: str, seed: int, folder: Path):
    truth = random_truth(FORMATS[fmt], seed)
    pdf = render_pdf(truth, PDF_STYLES["portrait"], folder / f"{fmt}_{seed}.pdf", seed)
    pages = [Image.open(p).convert("RGB") for p in render_scan(pdf, SCAN_STYLES[style], folder, seed)]
    path = folder / f"{fmt}_{seed}_{style}_scan.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=SCAN_STYLES[style].dpi)
    return truth, path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_clean_scan_is_read_field_for_field(tmp_path, fmt):
    truth, path = _scanned_pdf(fmt, "clean", 7, tmp_path)
    report = inspect_file(path, InspectOptions())
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == "verified"
    cell = report.readings["apply.received.total"]
    assert cell.origin.page is not None and cell.origin.box is not None and 0 < cell.origin.confidence <= 1


def test_ocr_models_from_a_folder_that_has_none_are_refused(tmp_path, capsys):
    with pytest.raises(InputError, match="no Paddle inference model"):
        OcrModels.from_folder(tmp_path)
    code = main(["inspect", str(tmp_path / "x.pdf"), "--ocr-models", str(tmp_path)])
    assert code == 2 and "no Paddle inference model" in capsys.readouterr().err


def test_the_packaged_models_are_found_offline():
    models = OcrModels.packaged()
    for folder in (models.det, models.rec, models.cls):
        assert any(folder.glob("inference.pd*")), folder


def _line(text: str, x0: float, top: float, x1: float, bottom: float) -> PositionedLine:
    return PositionedLine(text, Origin("s", text, page=1, box=Box(x0, top, x1, bottom)))


def test_pieces_of_one_printed_line_are_joined_in_reading_order():
    # detection cut a heading in two, and skew put the right piece two pixels higher
    lines = [_line("行政诉讼情况", 438, 1177, 621, 1218), _line("四、政府信息公开行政复议、", 84, 1179, 431, 1213),
             _line("五、存在的主要问题", 84, 1300, 400, 1334)]
    assert [line.text for line in _reading_order(lines)] == ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题"]
