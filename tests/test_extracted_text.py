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
from synthetic.crawled_text import appeal_on_one_line, crawled_text, with_heading_typos
from synthetic.html_render import HTML_STYLES, page_truth, render_html
from synthetic.scoring import score
from synthetic.transcription import render_transcription
from synthetic.values import random_truth

HERE = Path(__file__).parent
EXTRACTED = HERE / "fixtures" / "extracted"
TOOLS = ("markitdown", "pymupdf4llm", "pdftext")
REPORTS = ("huaian_city_2024", "huaian_hongze_2023", "huaian_hongze_2024")


def _read(data: bytes, name: str = "report.md"):
    return read_report(rows_from_text(split_runs(text_document_from_bytes(data, name), TABLE_VOCABULARY)))


def _right_or_ambiguous_with_truth(report, expected: dict) -> None:
    candidates = {a["field"]: a["candidates"] for a in report.ambiguities}
    for key, value in expected.items():
        if key in candidates:
            assert value in candidates[key] or (value is None and 0 in candidates[key]), (key, value, candidates[key])
        else:
            assert report.readings[key].state.value != "missing", key
            assert report.fields[key] == value, (key, value, report.fields[key])


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("tool", TOOLS)
def test_extractor_output_of_the_real_pdfs_reads_every_field(tool, name):
    golden = json.loads((HERE / "golden" / f"{name}.json").read_text(encoding="utf-8"))
    report = _read((EXTRACTED / tool / f"{name}.md").read_bytes(), f"{name}.md")
    assert (report.format, report.agency, report.year) == (golden["format"], golden["agency"], golden["year"])
    _right_or_ambiguous_with_truth(report, golden["fields"])
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
                                     "|---|---|---|---|---|---|\n")).lines
    assert [line.text for line in lines] == ["| 一、本年新收政府信息公开申请数量 |  | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |"]


def test_a_merged_cell_repeated_under_a_repeated_header_is_one_cell():
    text = ("|第二十条第（五）项|第二十条第（五）项|第二十条第（五）项|\n|---|---|---|\n"
            "|信息内容|本年处理决定数量|本年处理决定数量|\n|行政许可|550|550|\n")
    assert normalize_extracted(_doc(text)).lines[-1].text == "| 行政许可 | 550 |"


def test_a_header_row_and_a_page_footer_in_pipes_are_no_rows():
    lines = normalize_extracted(_doc("| 结果 结果 | 其他 | 尚未 |  |\n| - 3 | - |\n     - 4 \n")).lines
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


@pytest.mark.parametrize("extractor", ("get_text", "html2text"))
def test_a_typo_in_table_four_heading_still_opens_it(extractor):
    truth = random_truth(FORMATS["2021"], 1, blank_zeros=0.4)
    page = render_html(truth, HTML_STYLES["word"], 1)
    clean = _read(crawled_text(page, "utf-8", extractor))
    typo = _read(with_heading_typos(crawled_text(page, "utf-8", extractor)))
    assert not any("not found" in w for w in typo.warnings)
    assert typo.fields == clean.fields
    _right_or_ambiguous_with_truth(typo, page_truth(truth, HTML_STYLES["word"]).expected_fields())


def test_table_four_numbers_after_its_two_level_header_on_one_line():
    truth = random_truth(FORMATS["2021"], 4)
    values = tuple(truth.values[k] for k in FORMATS["2021"].keys() if k.startswith("appeal."))
    text = (f"{truth.agency}{truth.year}年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n本年制发件数\n"
            + appeal_on_one_line(values, "四、政府信息公开行政法复议、行政诉讼情况") + "\n五、存在的主要问题及改进情况\n无。\n")
    report = _read(text.encode("utf-8"))
    for key, value in zip((k for k in FORMATS["2021"].keys() if k.startswith("appeal.")), values):
        assert report.fields[key] == value and report.readings[key].state.value == "read", key
