from disclosure.layout.flat_rows import is_page_furniture, rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.row_readings import HowRead, row_candidates


def _rows(text: str):
    return rows_from_text(text_document_from_bytes(text.encode(), "t.txt")).rows


def test_label_then_one_cell_per_line():
    rows = _rows("规章\n0\n 1\n2 \n规范性文件\n3\n4\n5\n")
    assert [r.label for r in rows] == ["规章", "规范性文件"]
    assert [c.text for c in rows[0].cells] == ["0", "1", "2"]
    assert [c.origin.raw for c in rows[0].cells] == ["0", " 1", "2 "]  # provenance keeps the printed line


def test_header_split_over_lines_joins_into_the_label():
    rows = _rows("本年新\n制作数量\n规章\n1\n")
    assert rows[0].label == "本年新制作数量规章"


def test_values_on_the_label_line_separated_by_spaces():
    (row,) = _rows("行政规范性文件 0 5 5\n")
    assert row.label == "行政规范性文件" and [c.text for c in row.cells] == ["0", "5", "5"]


def test_value_glued_to_the_label_is_marked_glued():
    (row,) = _rows("行政规范性文件6233440\n")
    assert row.label == "行政规范性文件"
    assert row.cells[0].glued and row.cells[0].text == "6233440"


def test_empty_lines_inside_a_row_are_blank_cells_and_trailing_ones_spacing_past_its_width():
    # this text writes a blank cell as an empty line: those after the 1 may be the row's last cells
    (row, nxt) = _rows("规章\n\n1\n\n\n规范性文件\n1\n")
    assert [c.text for c in row.cells] == ["", "1", "", ""]
    keys = ("active.rules.issued", "active.rules.repealed", "active.rules.in_force")
    (only,) = row_candidates(row.cells, keys)  # the row's width takes one of them; the other is spacing
    assert [(p.value, p.how) for p in only] == [(None, HowRead.EMPTY), (1, HowRead.READ), (None, HowRead.EMPTY)]


def test_trailing_empty_lines_are_spacing_where_no_blank_cell_is_an_empty_line():
    (row, nxt) = _rows("规章\n3\n1\n\n\n规范性文件\n1\n")
    assert [c.text for c in row.cells] == ["3", "1"]


def test_page_numbers_and_running_headers_between_cells_are_dropped():
    text = "某局2020年政府信息公开工作年度报告\n规章\n1\n- 3 -\n某局2020年政府信息公开工作年度报告\n2\n3\n"
    rows = _rows(text)
    assert [c.text for c in rows[-1].cells] == ["1", "2", "3"]


def test_page_number_shapes():
    for text in ["- 3 -", "—3—", "第3页", "第 3 页 共 10 页", "3/10"]:
        assert is_page_furniture(text), text
    assert not is_page_furniture("3")


def test_origins_give_line_numbers():
    (row,) = _rows("\n规章\n7\n")
    assert row.label_origins[0].line == 2 and row.cells[0].origin.line == 3
