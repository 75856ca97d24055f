from decimal import Decimal

import pytest

from disclosure.layout.cell_text import CellKind, may_be_joined_cells, parse_cell


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
