"""Reports held only as text another tool made: PDF-to-markdown extractors run on the real PDFs in
samples/ (fixtures, with the PDFs' own readings as truth), OCR transcriptions, crawled pages with
typos in their headings."""

import json
from pathlib import Path

import pytest

from disclosure.layout.crawled_text import split_runs
from disclosure.layout.extracted_text import normalize_extracted
from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.labels import TABLE_VOCABULARY
from disclosure.table_recon.recon import read_report
from synthetic.crawled_text import EXTRACTORS, appeal_on_one_line, crawled_text, with_heading_typos
from synthetic.html_render import HTML_STYLES, page_truth, render_html
from synthetic.scoring import score
from synthetic.transcription import render_transcription
from synthetic.values import random_truth
from tests.conftest import assert_right_or_ambiguous

HERE = Path(__file__).parent
EXTRACTED = HERE / "fixtures" / "extracted"
TOOLS = ("markitdown", "pymupdf4llm", "pdftext")
REPORTS = ("huaian_city_2024", "huaian_hongze_2023", "huaian_hongze_2024")


def _read(data: bytes, name: str = "report.md"):
    return read_report(rows_from_text(split_runs(text_document_from_bytes(data, name), TABLE_VOCABULARY)))


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("tool", TOOLS)
def test_extractor_output_of_the_real_pdfs_reads_every_field(tool, name):
    golden = json.loads((HERE / "golden" / f"{name}.json").read_text(encoding="utf-8"))
    report = _read((EXTRACTED / tool / f"{name}.md").read_bytes(), f"{name}.md")
    assert (report.format, report.agency, report.year) == (golden["format"], golden["agency"], golden["year"])
    assert_right_or_ambiguous(report, golden["fields"])
    # the report's own errors (huaian_hongze_2023's table 四) and nothing else
    assert sorted(c.rule for c in report.checks if c.ok is False) == golden["failing"]


def test_a_table_four_found_in_pieces_is_read_not_reported_empty():
    report = _read((EXTRACTED / "pdftext" / "huaian_hongze_2023.md").read_bytes())
    states = {report.readings[key].state.value for key in report.readings if key.startswith("appeal.")}
    assert states == {"read"}
    assert report.fields["appeal.review.upheld"] == 10


def _doc(text: str):
    return text_document_from_bytes(text.encode("utf-8"), "t.md")


def test_markitdown_cells_joined_with_a_space_and_spacer_columns():
    lines = normalize_extracted(_doc("| 一、本年新收政府信息公开申请数量 |  | 3001 53 | 0 0 | 61 4 | 3119 |\n"
                                     "|---|---|---|---|---|---|\n")).flow_lines()
    # cells joined: the extractor's columns are off in this row, so its empty cells are left out
    assert [line.text for line in lines] == ["| 一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |"]


def test_a_merged_cell_repeated_under_a_repeated_header_is_one_cell():
    text = ("|第二十条第（五）项|第二十条第（五）项|第二十条第（五）项|\n|---|---|---|\n"
            "|信息内容|本年处理决定数量|本年处理决定数量|\n|行政许可|550|550|\n")
    assert normalize_extracted(_doc(text)).flow_lines()[-1].text == "| 行政许可 | 550 |"


def test_a_header_row_and_a_page_footer_in_pipes_are_no_rows():
    lines = normalize_extracted(_doc("| 结果 结果 | 其他 | 尚未 |  |\n| - 3 | - |\n     - 4 \n")).flow_lines()
    assert [line.text for line in lines] == ["结果 结果其他尚未"]


def test_a_label_split_around_its_numbers_places_the_row_by_order():
    report = _read((EXTRACTED / "markitdown" / "huaian_hongze_2023.md").read_bytes())
    assert report.fields["apply.denied.state_secret.natural"] == 1
    assert report.fields["apply.carried_over.total"] == 0
    assert report.readings["apply.carried_over.total"].state.value == "read"


@pytest.mark.parametrize("seed", range(4))
def test_transcriptions_read_every_field_and_exactly_the_planted_errors(seed):
    truth = random_truth(FORMATS[("2019", "2021")[seed % 2]], seed, blank_zeros=0.3, plant_error=seed % 2 == 0)
    data, agency = render_transcription(truth, seed)
    report = _read(data)
    assert (report.format, report.agency, report.year) == (truth.format.name, agency, truth.year)
    assert agency != truth.agency  # one character misread, and read as printed
    assert score(truth, report).right == len(truth.format.keys())
    assert {c.rule for c in report.checks if c.ok is False} == truth.failing_rules


@pytest.mark.parametrize("fmt", ("2019", "2021"))
def test_transcriptions_of_many_seeds_right_or_ambiguous_and_no_false_finding(fmt):
    for seed in range(10, 22):
        truth = random_truth(FORMATS[fmt], seed, blank_zeros=(0.0, 0.3, 0.6)[seed % 3], plant_error=seed % 2 == 0)
        report = _read(render_transcription(truth, seed)[0])
        assert_right_or_ambiguous(report, truth.expected_fields())
        assert {c.rule for c in report.checks if c.ok is False} <= truth.failing_rules, seed


@pytest.mark.parametrize("fmt", ("2019", "2021"))
@pytest.mark.parametrize("extractor", sorted(EXTRACTORS))
def test_crawled_text_with_typos_right_or_ambiguous_and_no_false_finding(fmt, extractor):
    # a page whose own arithmetic is broken and whose blanks were lost may mislead the placement
    # (README, "Inputs"): planted errors only where the extractor keeps the cells apart
    for seed in range(3, 7):
        truth = random_truth(FORMATS[fmt], seed, blank_zeros=0.4, plant_error=extractor == "html2text" and seed % 2 == 0)
        for style in ("word", "gbk"):
            page = render_html(truth, HTML_STYLES[style], seed)
            report = _read(with_heading_typos(crawled_text(page, HTML_STYLES[style].encoding, extractor)))
            assert_right_or_ambiguous(report, truth.expected_fields())
            found = {c.rule for c in report.checks if c.ok is False}
            assert found <= truth.failing_rules, (seed, style, found)
            if extractor == "html2text":
                assert found == truth.failing_rules


@pytest.mark.parametrize("extractor", ("get_text", "html2text"))
def test_a_typo_in_table_four_heading_still_opens_it(extractor):
    truth = random_truth(FORMATS["2021"], 1, blank_zeros=0.4)
    page = render_html(truth, HTML_STYLES["word"], 1)
    clean = _read(crawled_text(page, "utf-8", extractor))
    typo = _read(with_heading_typos(crawled_text(page, "utf-8", extractor)))
    assert not any("not found" in w for w in typo.warnings)
    assert typo.fields == clean.fields
    assert_right_or_ambiguous(typo, page_truth(truth, HTML_STYLES["word"]).expected_fields())


def test_table_four_numbers_after_its_two_level_header_on_one_line():
    truth = random_truth(FORMATS["2021"], 4)
    values = tuple(truth.values[k] for k in FORMATS["2021"].keys() if k.startswith("appeal."))
    text = (f"{truth.agency}{truth.year}年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n本年制发件数\n"
            + appeal_on_one_line(values, "四、政府信息公开行政法复议、行政诉讼情况") + "\n五、存在的主要问题及改进情况\n无。\n")
    report = _read(text.encode("utf-8"))
    for key, value in zip((k for k in FORMATS["2021"].keys() if k.startswith("appeal.")), values):
        assert report.fields[key] == value and report.readings[key].state.value == "read", key


def _apply_text(rows: str) -> bytes:
    return ("某区人民政府2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n本年制发件数\n" + rows
            + "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n").encode("utf-8")


def test_spacer_columns_go_before_printed_blank_markers():
    # markitdown: empty spacer columns and a printed "/" in one row; the "/" is the blank cell
    report = _read(_apply_text("| 4.无正当理由大量反复申请 |  | / |  | 0 | 0 |  | 0 | 0 | 0 | / |\n"))
    keys = [f"apply.rejected.excessive.{c}" for c in ("natural", "business", "research", "ngo", "legal", "other", "total")]
    assert [report.readings[k].state.value for k in keys] == ["empty", "read", "read", "read", "read", "read", "empty"]


def test_a_blank_and_a_zero_the_text_cannot_tell_apart_are_ambiguous():
    # one empty cell too many, and whether it or its neighbour is the blank changes no rule
    report = _read(_apply_text("| 4.无正当理由大量反复申请 | 0 |  | 0 | 0 | 0 |  | 0 |  |\n"))
    candidates = {a["field"]: a["candidates"] for a in report.ambiguities}
    assert all(v is None or v == 0 for values in candidates.values() for v in values)
    assert any(set(values) == {None, 0} for values in candidates.values())
    assert all(report.fields[k] in (None, 0) for k in report.fields if "excessive" in k)


def test_a_pipe_table_whose_grid_is_not_the_tables_keeps_only_its_value_columns():
    # labels in different columns, empty gaps between: only columns where some row prints a value count
    text = ("|  | 一、本年新收政府信息公开申请数量 |  |  | 3 | 2 | 0 | 0 | 39 |  | 44 |\n"
            "|  |  | （一）予以公开 |  | 3 | 0 |  | 0 | 2 |  | 2 |\n"
            "|  |  |  | 1.属于国家秘密 | 0 | 0 |  | 0 | 0 | 0 |  |\n")
    lines = [line.text for line in normalize_extracted(_doc(text)).flow_lines()]
    assert lines[1] == "| （一）予以公开 | 3 | 0 |  | 0 | 2 |  | 2 |"


def test_two_numbers_in_one_cell_leave_the_rows_empty_cells_to_the_rules():
    lines = normalize_extracted(_doc("| 5 |  |  | 5 | 3 13 | 3 | 1 |  | 0 | 4 | 3 | 0 | 0 | 3 |\n")).flow_lines()
    assert lines[0].text == "| 5 | 5 | 3 | 13 | 3 | 1 | 0 | 4 | 3 | 0 | 0 | 3 |"


def test_a_label_wrapped_with_an_empty_line_inside_keeps_its_numbers():
    # pymupdf4llm on a table without rules: the label's last part, after an empty line, with the numbers
    report = _read(_apply_text("1.申请人无正当理由逾期不补正、行\n0 0 3 2 1 3 9\n政机关不再处理其政府信息公开申请\n"
                               "2.申请人逾期未按收费通知要求缴纳\n费用、行政机关不再处理其政府信息\n\n公开申请\n"
                               "0 0 2 1 2 4 9\n3.其他 0 1 0 1 0 0 2\n"))
    assert report.fields["apply.other_handling.no_fee.total"] == 9
    assert not report.extra_rows


def test_pieces_of_a_group_heading_between_label_lines_leave_the_label_statutory():
    report = _read(_apply_text("| 5.要求行政机关确认或重新出具已获 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n三、本\n取信息\n年度办\n"
                               "| 1.申请人无正当理由逾期不补正、行 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n理结果\n"
                               "政机关不再处理其政府信息公开申请\n（六）其他处2.申请人逾期未按收费通知要求缴纳\n"
                               "| 理费用、行政机关不再处理其政府信息 | 0 | 0 | 5 | 0 | 0 | 0 | 5 |\n公开申请\n"
                               "| 3.其他 | 0 | 0 | 2 | 0 | 0 | 0 | 2 |\n"))
    assert report.fields["apply.other_handling.no_fee.research"] == 5
    assert not any("differs from the statute" in w for w in report.warnings)


def test_rows_that_an_alignment_close_to_the_best_places_otherwise_are_not_guessed():
    # the label before the first row names the second statutory row and the label before the second
    # names the first: the first row is 一 with its label after it, or 二 with its label before it
    from disclosure.layout.rows import Cell, LabeledRow
    from disclosure.ocr.origin import Origin
    from disclosure.table_recon.row_align import ValueRow, align

    origin = Origin("t.md", "1", 1)

    def row(inline: str, before: str | None) -> ValueRow:
        return ValueRow(LabeledRow((), (), (Cell("1", origin),), False), inline,
                        ((before, origin),) if before else ())

    alignment = align([row("", "二、上年结转政府信息公开申请数量"), row("", "一、本年新收政府信息公开申请数量"),
                       row("（一）予以公开", None)], (), FORMATS["2021"].table("apply"))
    assert [spec.key if spec else None for _, spec, _, _ in alignment.placed] == [None, None, "granted"]
    assert len(alignment.warnings) == 2
