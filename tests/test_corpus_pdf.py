"""Generated born-digital PDFs of both formats in every typesetting style, read back."""

from pathlib import Path

import pytest

from synthetic.font_subset import FONT, printed_characters
from synthetic.flat_text import STYLES, render_text
from synthetic.pdf_render import PDF_STYLES, render_pdf
from synthetic.scoring import score
from synthetic.values import random_truth
from table_recon.formats import FORMATS
from workers.pipeline import inspect_file


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
@pytest.mark.parametrize("style", ["portrait", "break_header", "landscape"])
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
