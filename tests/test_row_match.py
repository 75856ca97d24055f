"""How each row of cells was given its template row: by the statutory wording, by a pattern only
(loosely), or by its place between its neighbours; the last two leave the row's values in doubt."""

from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.formats import FORMAT_2021
from disclosure.table_recon.row_align import HowMatched
from disclosure.table_recon.row_match import match_rows

_ACTIVE = "二、主动公开政府信息情况\n"


def _matches(text: str):
    rows = rows_from_text(text_document_from_bytes(text.encode(), "t.txt")).rows
    return match_rows(rows, FORMAT_2021)


def test_a_row_is_matched_by_its_label_loosely_or_by_its_place():
    matches = _matches(_ACTIVE + "规章 1 0 1\n行政规范性文件 2 0 2\n行政许可 5\n某某表述 3\n行政强制 1\n")
    how = {m.spec.key: m.how for m in matches.matched}
    assert how == {"rules": HowMatched.LABEL, "normative": HowMatched.LABEL, "license": HowMatched.LABEL,
                   "penalty": HowMatched.POSITION, "coercion": HowMatched.LABEL}
    assert all(isinstance(m.how, HowMatched) for m in matches.matched)
    loose = _matches(_ACTIVE + "规章 1 0 1\n其他的规范性文件 2 0 2\n")
    assert {m.spec.key: m.how for m in loose.matched}["normative"] is HowMatched.LOOSE
    assert any("differs from the statute" in w for w in loose.warnings)
