"""Text crawlers extract from web pages: the real page through three extractors, generated pages of
every style through four, the site's navigation and footer around the tables."""

import json
from pathlib import Path

import pytest

from disclosure.layout.crawled_text import split_line
from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.labels import TABLE_VOCABULARY
from synthetic.crawled_text import EXTRACTORS, crawled_text
from synthetic.html_render import HTML_STYLES, page_truth, render_html
from synthetic.scoring import score
from synthetic.values import random_truth
from tests.conftest import SAMPLES, assert_right_or_ambiguous

GOLDEN = json.loads((Path(__file__).parent / "golden" / "shanghai_szfbgt_2019.json").read_text(encoding="utf-8"))
# extractors that lose blank cells or the boundaries between cells: the rules decide, or say they cannot
LOSSY = ("get_text", "get_text_space", "collapsed")


def _read(tmp_path: Path, text: bytes, name: str = "page.txt"):
    path = tmp_path / name
    path.write_bytes(text)
    return inspect_file(path)


@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
def test_real_page_extracts(tmp_path, extractor):
    page = (SAMPLES / "shanghai_szfbgt_2019.html").read_bytes()
    report = _read(tmp_path, crawled_text(page, "utf-8", extractor))
    assert (report.format, report.agency, report.year) == ("2019", "上海市人民政府办公厅", 2019)
    assert_right_or_ambiguous(report, GOLDEN["fields"])
    if extractor == "html2text":  # cells kept between `|`: exactly the page's own reading
        assert report.fields == GOLDEN["fields"]
        assert sorted(c.rule for c in report.checks if c.ok is False) == GOLDEN["failing"]
    else:  # a finding only where the page really has it; where blanks were lost, never "verified"
        assert {c.rule for c in report.checks if c.ok is False} <= set(GOLDEN["failing"])
        assert report.status.value in ("incomplete", "failed_checks")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("style", sorted(HTML_STYLES))
def test_generated_pages_through_every_extractor(tmp_path, fmt, style):
    for seed in range(3):
        truth = random_truth(FORMATS[fmt], seed, blank_zeros=0.4)
        page = render_html(truth, HTML_STYLES[style], seed)
        expected = page_truth(truth, HTML_STYLES[style])
        for extractor in EXTRACTORS:
            if extractor in LOSSY and HTML_STYLES[style].blank_totals:
                continue  # a blank total and lost blanks: placements that satisfy rules the page breaks
            report = _read(tmp_path, crawled_text(page, HTML_STYLES[style].encoding, extractor))
            assert report.format == fmt
            assert_right_or_ambiguous(report, expected.expected_fields())
            if extractor == "html2text":
                assert score(expected, report).right == len(FORMATS[fmt].keys())
                assert {c.rule for c in report.checks if c.ok is False} == expected.failing_rules


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_markdown_tables_find_exactly_the_planted_errors(tmp_path, fmt):
    for seed in range(3):
        truth = random_truth(FORMATS[fmt], 60 + seed, plant_error=True, blank_zeros=0.4)
        text = crawled_text(render_html(truth, HTML_STYLES["word"], seed), "utf-8", "html2text")
        report = _read(tmp_path, text)
        assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules
        assert report.status.value == "failed_checks"


def test_one_line_page_is_cut_at_its_labels_and_keeps_its_prose(tmp_path):
    truth = random_truth(FORMATS["2021"], 5)
    text = crawled_text(render_html(truth, HTML_STYLES["word"], 5), "utf-8", "collapsed").decode()
    assert "\n" not in text.strip() and text.startswith(truth.agency)  # the whole page on one line
    pieces = split_line(text, TABLE_VOCABULARY)
    assert any(p.startswith("当前位置：首页") or "当前位置：首页" in p for p in pieces)  # navigation kept
    assert any("全年共受理政府信息公开申请" in p and "结转下年度办理" in p for p in pieces)  # prose whole
    assert any(p.strip().startswith("规章") for p in pieces)
    report = _read(tmp_path, text.encode())
    ties = {tie.phrase: tie for tie in report.ties}
    assert ties and all(tie.ok is not False for tie in report.ties)
    # the footer's telephone number is no cell of table 四
    assert not any("0571" in cell for row in report.extra_rows for cell in row["cells"])


def test_blank_cells_written_as_no_break_spaces_count(tmp_path):
    # `get_text()` of Word-exported HTML keeps each blank cell's &nbsp;: the row's columns are known
    line = "一、本年新收政府信息公开申请数量36350\u00a00\u00a071"
    from disclosure.layout.flat_rows import _split_line

    label, cells = _split_line(line)
    assert label == "一、本年新收政府信息公开申请数量"
    assert [text for text, _ in cells] == ["36350", "", "0", "", "71"] and all(glued for _, glued in cells)


def test_cell_separators_and_markdown_rules(tmp_path):
    from disclosure.layout.flat_rows import _split_line, is_page_furniture

    assert _split_line("（一）予以公开| 258| 12|  |  | 1| 1|    ")[1] == [
        (t, False) for t in ("258", "12", "", "", "1", "1", "")]
    assert _split_line("| 规章 | 13 | 13 | 524 |")[1] == [(t, False) for t in ("13", "13", "524")]
    # html2text writes a blank first cell as a space before the first pipe
    assert _split_line(" | 1| 3| 3| 7")[1] == [(t, False) for t in ("", "1", "3", "3", "7")]
    assert is_page_furniture("---|---") and is_page_furniture("| --- | :---: |")
    pieces = split_line("第二十条第（一）项|信息内容|本年制发件数|本年废止件数|现行有效件数|规章|2|0|3|行政规范性文件|5|1|9",
                        TABLE_VOCABULARY)
    assert "规章|2|0|3" in pieces and "行政规范性文件|5|1|9" in pieces
