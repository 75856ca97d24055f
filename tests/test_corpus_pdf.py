"""Generated born-digital PDFs of both formats in every typesetting style, read back."""

import pytest

from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from synthetic.flat_text import STYLES, render_text
from synthetic.font_subset import FONT, printed_characters
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.scoring import score
from synthetic.values import random_truth


def _truth(fmt: str, seed: int, style, **kwargs):
    # a style that prints empty cells as "0" cannot show a blank: its truth has none
    return random_truth(FORMATS[fmt], seed, blank_zeros=0.0 if style.empty == "0" else 0.4, **kwargs)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("style", sorted(PDF_STYLES))
def test_every_field_right_and_verified(tmp_path, fmt, style):
    truth = _truth(fmt, 11, PDF_STYLES[style])
    report = inspect_file(render_pdf(truth, PDF_STYLES[style], tmp_path / "r.pdf", 11))
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == "verified" and report.warnings == ()
    assert report.readings["apply.total.total"].origin.page is not None


@pytest.mark.parametrize("fmt", sorted(FORMATS))
# one style is the quick check; every style is read right without the error above
@pytest.mark.parametrize("style", ["unruled", *(pytest.param(s, marks=pytest.mark.slow)
                                                for s in ("portrait", "break_header", "landscape"))])
def test_planted_error_fails_exactly_its_rules(tmp_path, fmt, style):
    truth = _truth(fmt, 21, PDF_STYLES[style], plant_error=True)
    report = inspect_file(render_pdf(truth, PDF_STYLES[style], tmp_path / "r.pdf", 21))
    assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules
    assert report.status.value == "failed_checks" and score(truth, report).wrong == ()


def test_shipped_font_has_every_glyph_the_generators_print():
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(FONT)).getBestCmap()
    printed = set(printed_characters())
    for fmt in FORMATS.values():
        printed |= set(render_text(random_truth(fmt, 0), STYLES["noisy"], 0).decode("gb18030"))
    missing = {ch for ch in printed if not ch.isspace() and ord(ch) not in cmap}
    assert not missing, f"regenerate the font subset (python -m synthetic.font_subset): missing {missing}"



@pytest.mark.slow
def test_a_300_page_pdf_costs_only_the_pages_with_the_tables(tmp_path):
    from disclosure.ocr.pdf_text import read_pdf
    from disclosure.pipeline.policies import pages_hold_no_more_fields as _tables_have_ended
    from synthetic.pdf_render import pdf_style_variant

    truth = _truth("2021", 5, PDF_STYLES["portrait"])
    path = render_pdf(truth, pdf_style_variant("portrait", appendix_pages=298), tmp_path / "long.pdf", 5)
    document = read_pdf(path, last_page_needed=_tables_have_ended)
    assert document.total_pages >= 300 and document.stopped_early and len(document.pages) <= 4
    report = inspect_file(path)
    assert score(truth, report).right == 200 and report.status.value == "verified"


def test_pages_beyond_the_limit_are_named(tmp_path):
    from disclosure.pipeline.document import InspectOptions

    truth = _truth("2019", 6, PDF_STYLES["portrait"])
    report = inspect_file(render_pdf(truth, PDF_STYLES["portrait"], tmp_path / "r.pdf", 6),
                          InspectOptions(max_pages=1))
    assert any("only the first 1 of" in w for w in report.warnings)
    assert report.status.value == "incomplete"


def test_rules_referee_takes_camelots_reading_over_a_broken_one(tmp_path, monkeypatch):
    from disclosure.ocr import pdf_text
    from disclosure.ocr.page_model import Grid, GridCell
    from disclosure.pipeline.document import InspectOptions

    def shifted_row(page, path):  # a grid reader that slips the 本年新收 row one column left
        out = []
        for grid in pdf_text.GRID_READERS["pdfplumber"](page, path):
            rows = [row[:3] + row[4:] + (GridCell("", row[-1].origin),)
                    if len(row) == 10 and "本年新收" in (row[0].text or "") else row for row in grid.rows]
            out.append(Grid(grid.box, tuple(rows)))
        return out

    monkeypatch.setitem(pdf_text.GRID_READERS, "shifted", shifted_row)
    truth = random_truth(FORMATS["2019"], 8)
    path = render_pdf(truth, PDF_STYLES["portrait"], tmp_path / "r.pdf", 8)
    broken = inspect_file(path, InspectOptions(grid_readers=("shifted",)))
    assert broken.status.value == "failed_checks"
    refereed = inspect_file(path, InspectOptions(grid_readers=("shifted", "camelot")))
    assert refereed.status.value == "verified" and score(truth, refereed).right == 198
    assert any("camelot's reading of the tables was taken" in w for w in refereed.warnings)


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_pages_turned_by_rotate_are_read_upright(tmp_path, angle):
    from pypdf import PdfReader, PdfWriter

    from disclosure.pipeline.document import InspectOptions

    truth = _truth("2021", 4, PDF_STYLES["wide"])
    source = render_pdf(truth, PDF_STYLES["wide"], tmp_path / "r.pdf", 4)
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.rotate(angle)
    writer.write(tmp_path / "turned.pdf")
    report = inspect_file(tmp_path / "turned.pdf", InspectOptions(grid_readers=("pdfplumber",)))
    assert score(truth, report).right == 200 and report.status.value == "verified"
