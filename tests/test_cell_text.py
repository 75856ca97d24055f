from decimal import Decimal

import pytest

from disclosure.layout.cell_text import CellKind, may_be_joined_cells, normalize_text, parse_cell
from disclosure.table_recon.agency import agency_key
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.labels import match_row


@pytest.mark.parametrize("raw, number", [
    ("0", 0), (" 0", 0), ("4 ", 4), ("　0", 0), ("１２", 12), ("1,234", 1234), ("１，２３４", 1234),
    ("+2", 2), ("-1", -1), ("－3", -3), ("251000元", 251000), ("7730.28", Decimal("7730.28")),
    ("12.5万元", Decimal("12.5")),
])
def test_numbers_in_their_printed_forms(raw, number):
    cell = parse_cell(raw)
    assert cell.kind is CellKind.NUMBER
    assert cell.number == number


@pytest.mark.parametrize("raw", ["", "/", "—", "-", "无", "——", " / "])
def test_empty_markers(raw):
    assert parse_cell(raw).kind is CellKind.EMPTY


@pytest.mark.parametrize("raw", ["规章", "1.属于国家秘密", "12a", "1,23", "第3页"])
def test_text_is_not_a_number(raw):
    assert parse_cell(raw).kind is CellKind.TEXT


def test_units_are_kept():
    assert parse_cell("251000元").unit == "元"


@pytest.mark.parametrize("raw, joined", [("6233440", True), ("0-4129", True), ("121234.56", True),
                                         ("1.2.3", False), ("规章", False), ("7", False)])
def test_joined_cell_shapes(raw, joined):
    assert may_be_joined_cells(raw) is joined


@pytest.mark.parametrize("raw, cell, label", [
    ("１，２３４", "1,234", "1.234"),  # a cell's "," separates thousands; a label's is a separator
    ("（三）不予公开", "(三)不予公开", "(三)不予公开"),
    ("【一】 予以公开", "【一】予以公开", "(一)予以公开"),
    ("3.危及“三安全一稳定”", "3.危及“三安全一稳定”", "3.危及三安全一稳定"),
    ("1、属于国家秘密", "1、属于国家秘密", "1.属于国家秘密"),
    ("−５", "-5", "-5"), ("＋ 2", "+2", "+2"), ("本年\u3000新收", "本年新收", "本年新收"),
])
def test_one_normaliser_for_cells_and_labels(raw, cell, label):
    assert normalize_text(raw) == cell
    assert normalize_text(raw, label=True) == label


def test_why_cells_and_labels_are_folded_differently():
    # with a label's folding a thousands separator would turn a count into a decimal amount
    assert parse_cell("1,234").number == 1234 and normalize_text("1,234", label=True) == "1.234"
    # and without it a label numbered with "、" and set in black brackets names no row
    apply = FORMATS["2021"].table("apply")
    assert match_row("【七】总计", apply).key == "total" and match_row("1、重复申请", apply).key == "rejected.duplicate"
    assert "(七)总计" not in normalize_text("【七】总计") and "1.重复申请" not in normalize_text("1、重复申请")


def test_the_agency_key_folds_on_the_same_normaliser():
    assert agency_key("宁波市镇海区人力资源和社会保障局") == agency_key("宁波市 镇海区 人力资源社会保障局") \
        == agency_key("宁波市·镇海区人力资源社会保障局") == "宁波市镇海区人力资源社会保障局"
    assert agency_key("某县（区）政府") == agency_key("某县〔区〕人民政府") == agency_key("某县【区】政府") == "某县(区)政府"
    assert agency_key("某局、某办") != agency_key("某局某办")  # a label's folding is no part of the key
