"""Tables printed without ruling lines: rows and columns from where the text sits, in born-digital
PDFs (words of the text layer) and in the pieces of a page's text, as the scan path has them."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from disclosure.layout.unruled_grid import unruled_tables
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.page_model import PageLine
from disclosure.ocr.scan import measure_skew
from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from synthetic.pdf_render import pdf_style_variant, render_pdf
from synthetic.scoring import score
from synthetic.values import random_truth

HEIGHT = 10.0


def _piece(text: str, x0: float, top: float, width: float | None = None) -> PageLine:
    width = width if width is not None else 8.0 * len(text)
    return PageLine(text, Origin("t.pdf", text, page=1, box=Box(x0, top, x0 + width, top + HEIGHT)))


def _row(label: str, values: list[str], top: float, first: float = 200, pitch: float = 60) -> list[PageLine]:
    out = [_piece(label, 20, top)] if label else []
    return out + [_piece(v, first + k * pitch, top) for k, v in enumerate(values) if v]


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.grid.rows]


def test_rows_and_columns_come_from_where_the_values_sit():
    pieces = [*_row("", ["甲", "乙", "丙"], 0), *_row("规章", ["5", "0", "12"], 20), *_row("规范性文件", ["3", "", "7"], 40)]
    [table] = unruled_tables(pieces, "t.pdf", 1)
    assert _cells(table) == [["规章", "5", "0", "12"], ["规范性文件", "3", "", "7"]]
    assert not table.grid.ruled
    assert table.used == frozenset(range(3, len(pieces)))  # the header stays page text


def test_numbers_inside_a_sentence_make_no_table():
    words = ["全年共受理", "12", "件，已办结", "10", "件"]
    pieces, x = [], 20.0
    for word in words:
        pieces.append(_piece(word, x, 0))
        x += 8.0 * len(word) + 3  # a space between words, far less than a text height
    pieces.append(_piece("3", 300, 400))  # a page number alone at the foot
    assert unruled_tables(pieces, "t.pdf", 1) == []


def test_a_group_label_between_two_rows_joins_neither_row_to_the_other():
    pieces = [*_row("1.本机关不掌握", ["2", "1"], 0), *_row("2.没有现成信息", ["0", "4"], 16)]
    pieces.append(PageLine("（四）无法提供", Origin("t.pdf", "（四）无法提供", page=1, box=Box(0, 8, 15, 18))))
    [table] = unruled_tables(pieces, "t.pdf", 1)
    assert [row[1:] for row in _cells(table)] == [["2", "1"], ["0", "4"]]
    # printed since the first row's values, the group label goes with the second row's label
    assert _cells(table)[1][0].split("\n") == ["（四）无法提供", "2.没有现成信息"]


def test_a_header_over_the_values_starts_a_new_table():
    pieces = [*_row("规章", ["5", "0", "12"], 0), *_row("规范性文件", ["3", "1", "7"], 20),
              _piece("信息内容", 20, 40), _piece("处理决定数量", 260, 40),
              *_row("行政许可", ["9"], 60, first=290), *_row("其他事项", ["4"], 80, first=290)]
    tables = unruled_tables(pieces, "t.pdf", 1)
    assert [_cells(t) for t in tables] == [[["规章", "5", "0", "12"], ["规范性文件", "3", "1", "7"]],
                                           [["行政许可", "9"], ["其他事项", "4"]]]


def test_a_one_row_table_takes_its_blank_columns_from_the_header():
    headers = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    pieces = [_piece("行政复议", 200, 0), *[_piece(h, 160 + 60 * k, 15, 40) for k, h in enumerate(headers)],
              *[_piece(v, 175 + 60 * k, 35, 8) for k, v in enumerate(["1", "", "2", "", "3"]) if v]]
    [table] = unruled_tables(pieces, "t.pdf", 1)
    assert _cells(table) == [["1", "", "2", "", "3"]]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_blank_cells_and_rows_printed_all_blank_are_read_empty(tmp_path, fmt):
    truth = random_truth(FORMATS[fmt], 1, blank_zeros=0.4)
    rows: dict[str, list[str]] = {}
    for key in truth.values:
        if key.startswith("apply."):
            rows.setdefault(key.rsplit(".", 1)[0], []).append(key)
    # every row of table 三 whose counts are all zero is printed all blank: no value makes it a row
    blank = [key for keys in rows.values() if all(not truth.values[k] for k in keys) for key in keys]
    assert len(blank) >= 14, "the seed has fewer than two rows of zeros to blank"
    truth = replace(truth, values={**truth.values, **{key: None for key in blank}})
    report = inspect_file(render_pdf(truth, pdf_style_variant("unruled", empty=""), tmp_path / "r.pdf", 1))
    result = score(truth, report)
    assert result.right == result.fields, result
    assert report.status.value == "verified"
    assert all(report.readings[key].state.value == "empty" for key in blank)


@pytest.mark.parametrize("degrees", [0.0, 0.7, -1.6])
def test_a_page_without_rules_is_deskewed_by_its_lines_of_print(degrees):
    page = np.full((1100, 800), 255, np.uint8)
    rng = np.random.default_rng(4)
    for top in range(80, 1000, 36):  # lines of "print": runs of glyph-sized blocks
        x = 60
        while x < 700:
            width = int(rng.integers(12, 24))
            page[top:top + 20, x:x + width] = 0
            x += width + int(rng.integers(4, 30))
    turned = cv2.warpAffine(page, cv2.getRotationMatrix2D((400, 550), degrees, 1.0), (800, 1100), borderValue=255)
    assert measure_skew(turned) == pytest.approx(-degrees, abs=0.1)
