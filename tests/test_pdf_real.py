"""The three real born-digital reports in samples/, and PDFs that cannot be read."""

import json
from pathlib import Path

import pytest

from disclosure.pipeline.document import inspect_file
from disclosure.workers.cli import main
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden"
REAL = ["huaian_city_2024", "huaian_hongze_2023", "huaian_hongze_2024"]


@pytest.fixture(scope="module")
def reports():
    return {name: inspect_file(SAMPLES / f"{name}.pdf") for name in REAL}


@pytest.mark.parametrize("name", REAL)
def test_real_pdf_matches_golden(reports, name):
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    report = reports[name]
    assert (report.format, report.agency, report.year) == (golden["format"], golden["agency"], golden["year"])
    assert report.fields == golden["fields"]
    assert report.status.value == golden["status"]
    assert sorted(c.rule for c in report.checks if c.ok is False) == golden["failing"]


def test_city_report_is_verified_with_every_field_read(reports):
    report = reports["huaian_city_2024"]
    assert report.status.value == "verified" and None not in report.fields.values()
    assert report.fields["apply.total.total"] == 3050 and report.fields["active.fee.amount"] == 96171.6


def test_hongze_2023_prints_its_appeal_totals_wrong(reports):
    # the report prints 10 upheld and 1 corrected under 行政复议 with a total of 0
    checks = {c.rule: c for c in reports["huaian_hongze_2023"].checks}
    assert (checks["appeal.sum.review"].lhs, checks["appeal.sum.review"].rhs) == (0, 11)
    assert reports["huaian_hongze_2023"].fields["appeal.review.total"] == 0  # printed value kept


@pytest.mark.parametrize("name", ["huaian_hongze_2023", "huaian_hongze_2024"])
def test_collapsed_other_handling_and_label_typo_are_warned(reports, name):
    report = reports[name]
    assert any("（六）其他处理 is printed as one row" in w for w in report.warnings)
    assert any("其他法律行政止公开" in w for w in report.warnings)
    assert report.readings["apply.other_handling.no_fee.total"].state.value == "derived"


def test_pdf_fields_carry_page_and_box(reports):
    cell = reports["huaian_city_2024"].readings["apply.total.total"]
    assert cell.origin.page == 5 and cell.origin.box.x1 > cell.origin.box.x0 and cell.origin.raw == "3050"


def _fpdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return pdf


def _run(capsys, path):
    code = main(["inspect", str(path)])
    _, err = capsys.readouterr()
    return code, err


def test_encrypted_pdf(capsys, tmp_path):
    pdf = _fpdf()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret")
    pdf.set_encryption(owner_password="o", user_password="u")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    code, err = _run(capsys, path)
    assert code == 2 and "encrypted" in err and "Traceback" not in err


def test_truncated_pdf(capsys, tmp_path):
    data = (SAMPLES / "huaian_hongze_2024.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    code, err = _run(capsys, path)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_pdf_without_tables_is_not_a_report(capsys, tmp_path):
    pdf = _fpdf()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text="Quarterly newsletter. Nothing to see here.")
    path = tmp_path / "newsletter.pdf"
    pdf.output(str(path))
    code, err = _run(capsys, path)
    assert code == 2 and "not a government information disclosure annual report" in err


def test_image_only_pdf_without_tables_is_read_by_ocr_and_refused(capsys, tmp_path):
    from PIL import Image

    image = tmp_path / "page.png"
    Image.new("RGB", (200, 200), "white").save(image)
    pdf = _fpdf()
    pdf.image(str(image), x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    code, err = _run(capsys, path)
    assert code == 2 and "no statutory table" in err and len(err.strip().splitlines()) == 1
