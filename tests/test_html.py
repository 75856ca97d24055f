"""Web pages: the real page in samples/, generated pages in every style of both formats, pictures
read by the scan path (MHTML parts, files beside the page), and pages that are no report."""

import json
from pathlib import Path

import pytest

from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main
from synthetic.html_render import HTML_STYLES, PICTURE_STYLE, page_truth, picture_pages, render_html, render_mhtml
from synthetic.scoring import score
from synthetic.values import random_truth
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden"
REAL_PAGE = SAMPLES / "shanghai_szfbgt_2019.html"


@pytest.fixture(scope="module")
def real_page():
    return inspect_file(REAL_PAGE)


def test_real_page_matches_golden_with_its_own_findings(real_page):
    golden = json.loads((GOLDEN / "shanghai_szfbgt_2019.json").read_text(encoding="utf-8"))
    assert (real_page.format, real_page.agency, real_page.year) == ("2019", "上海市人民政府办公厅", 2019)
    assert real_page.fields == golden["fields"] and real_page.status.value == "failed_checks"
    failing = sorted(c.rule for c in real_page.checks if c.ok is False)
    assert failing == golden["failing"]
    # the page leaves 总计 blank on every detail row of table 三: those row sums fail as printed,
    # and so does the sum of the outcomes' totals; every column's own balance holds
    assert set(failing) - {"apply.outcome_sum.total"} == {f"apply.row_sum.{row}" for row in (
        "granted", "partial", "denied.state_secret", "denied.internal_affairs", "denied.process_info",
        "denied.admin_query", "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
        "rejected.complaint", "rejected.duplicate")} and "apply.outcome_sum.total" in failing
    assert all(c.ok for c in real_page.checks if c.rule.startswith("apply.balance.") or
               (c.rule.startswith("apply.outcome_sum.") and c.rule != "apply.outcome_sum.total"))
    assert real_page.fields["apply.granted.total"] is None  # blank stays blank, never filled in


def test_real_page_values_as_printed(real_page):
    fields = real_page.fields
    assert [fields[f"apply.received.{c}"] for c in ("natural", "business", "research", "ngo", "legal", "other", "total")] \
        == [821, 35, None, None, 2, 1, 859]
    assert (fields["active.procurement.items"], fields["active.procurement.amount"]) == (6, 251000)  # "251000元"
    assert (fields["active.rules.made"], fields["active.normative.total"]) == (13, 368)
    # a data row of table 二 whose value cells span other columns than its header's
    assert [fields[f"active.license.{c}"] for c in ("prev", "delta", "decisions")] == [0, 0, 0]
    assert (fields["appeal.review.total"], fields["appeal.litigation_direct.total"]) == (7, 9)


def test_real_page_fields_carry_table_row_column_and_text(real_page):
    origin = real_page.readings["apply.received.natural"].origin
    assert origin.cell == (2, 4, 4) and origin.raw == "821"
    assert origin.as_dict() == {"raw": "821", "table": 2, "row": 4, "column": 4}
    assert real_page.readings["active.procurement.amount"].origin.raw == "251000元"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("style", sorted(HTML_STYLES))
def test_generated_pages_read_every_field_and_exactly_the_findings(tmp_path, fmt, style):
    for seed in range(2):
        for plant in (False, True):
            truth = random_truth(FORMATS[fmt], seed + 40 * plant, plant_error=plant, blank_zeros=0.4)
            page = tmp_path / f"{style}-{seed}-{plant}.html"
            page.write_bytes(render_html(truth, HTML_STYLES[style], seed))
            report = inspect_file(page)
            expected = page_truth(truth, HTML_STYLES[style])
            result = score(expected, report)
            assert result.right == result.fields, (seed, plant, result.wrong, result.unread)
            assert {c.rule for c in report.checks if c.ok is False} == expected.failing_rules
            assert report.status.value == ("failed_checks" if expected.failing_rules else "verified")


def test_style_markup_is_what_the_style_says(tmp_path):
    truth = random_truth(FORMATS["2019"], 3, blank_zeros=0.4)
    word = render_html(truth, HTML_STYLES["word"], 3).decode()
    assert "MsoNormal" in word and "&nbsp;" in word and "<br>" in word and "colspan=2" in word
    gbk = render_html(truth, HTML_STYLES["gbk_undeclared"], 3)
    assert b"charset" not in gbk and gbk.decode("gb18030")
    split = render_html(truth, HTML_STYLES["split"], 3).decode()
    assert split.count("<table") == 1 + 5 + 2 + 1  # the layout table, 二's blocks, 三 in two, 四


@pytest.fixture(scope="module")
def picture_truth():
    # pictures of the typeset report print blanks as "0": no blank cells in the truth
    return random_truth(FORMATS["2021"], 4)


@pytest.mark.slow
@pytest.mark.ocr
def test_mhtml_tables_as_pictures_are_read_by_ocr(tmp_path, picture_truth):
    page = tmp_path / "report.mht"
    page.write_bytes(render_mhtml(picture_truth, 4))
    report = inspect_file(page)
    result = score(picture_truth, report)
    assert result.right == result.fields and report.status.value == "verified", (result.wrong, result.unread)
    assert any("picture" in w for w in report.warnings)
    assert report.readings["apply.total.total"].origin.box is not None


@pytest.mark.slow
@pytest.mark.ocr
def test_pictures_saved_beside_the_page_are_read(tmp_path, picture_truth):
    pictures = picture_pages(picture_truth, 4)
    (tmp_path / "report_files").mkdir()
    for name, data in pictures:
        (tmp_path / "report_files" / name).write_bytes(data)
    page = tmp_path / "report.html"
    page.write_bytes(render_html(picture_truth, PICTURE_STYLE, 4, pictures, picture_folder="report_files"))
    report = inspect_file(page)
    assert score(picture_truth, report).right == len(FORMATS["2021"].keys())


def test_a_picture_reference_never_leaves_the_page_folder(tmp_path):
    from disclosure.ocr.html_page import read_html

    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG not really")
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    page.write_text("<html><body><p>年度报告</p><img src='../secret.png'><img src='/etc/passwd'></body></html>")
    flow = read_html(page).pages[0].flow
    assert [type(piece).__name__ for piece in flow] == ["PageLine"]


BAD_PAGES = {
    "index.html": ("<html><head><title>政府信息公开年报</title></head><body><ul><li><a href='a.html'>2019年年度报告"
                   "</a></li><li><a href='b.html'>2020年年度报告</a></li></ul></body></html>", "no statutory table"),
    "404.html": ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
                 "<p>The requested URL was not found on this server.</p></body></html>", "no statutory table"),
    "empty.html": ("<html><head></head><body></body></html>", "has no text"),
    "parts.mht": ("MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"b\"\n\n--b\n"
                  "Content-Type: image/png\nContent-Location: a.png\n\nxx\n--b--\n", "without its HTML part"),
}


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_pages_that_are_no_report_are_refused_in_one_line(tmp_path, capsys, name):
    text, words = BAD_PAGES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = main(["inspect", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_truncated_and_misencoded_pages_still_read(tmp_path):
    truth = random_truth(FORMATS["2021"], 9, blank_zeros=0.4)
    data = render_html(truth, HTML_STYLES["gbk"], 9)  # declares gb2312, encoded GB18030
    # cut inside a multi-byte character, and inside table 四: tables 二 and 三 still read
    cut = data.index("四、政府信息公开行政复议".encode("gb18030")) + 301
    (tmp_path / "cut.html").write_bytes(data[:cut])
    report = inspect_file(tmp_path / "cut.html")
    assert all(report.fields[k] == v for k, v in truth.expected_fields().items() if k.startswith(("active.", "apply.")))
    # declared UTF-8, served as GBK: read as GB18030 all the same
    wrong = data.replace(b"charset=gb2312", b"charset=utf-8")
    (tmp_path / "wrong.html").write_bytes(wrong)
    assert score(truth, inspect_file(tmp_path / "wrong.html")).right == len(FORMATS["2021"].keys())


def test_what_a_file_is_comes_from_its_bytes(tmp_path):
    from disclosure.ocr.input_kind import InputKind, sniff_kind

    cases = {
        "report.doc": (b"<html><head><meta charset='gbk'></head><body><table></table></body></html>", InputKind.HTML),
        "page.htm": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n", InputKind.MHTML),
        "page.mht": (b"From: <Saved by Blink>\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/related;\n"
                     b"\tboundary=x\n\n", InputKind.MHTML),
        "bom.html": ("\ufeff<!DOCTYPE html><html></html>".encode("utf-8"), InputKind.HTML),
        "crawl.txt": ("当前位置：首页 > 年度报告\n一、总体情况".encode(), InputKind.TEXT),
        "report.wps": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, InputKind.BINARY_WORD),
        "report.docx": (b"PK\x03\x04" + b"\0" * 64, InputKind.DOCX),
    }
    for name, (data, kind) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert sniff_kind(tmp_path / name) is kind, name


def test_backfill_skips_the_folder_of_a_saved_page(tmp_path):
    from disclosure.workers.backfill import discover

    (tmp_path / "page.html").write_text("<html></html>")
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "other_files").mkdir()
    (tmp_path / "other_files" / "report.txt").write_text("x")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])) == \
        ["other_files/report.txt", "page.html"]
