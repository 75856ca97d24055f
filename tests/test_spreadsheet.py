"""`reports.xlsx`, the results for people who work in spreadsheets: it opens, its sheets are headed
by the labels the tables print, and the failing ties name the agency as its report prints it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from disclosure.table_recon.agency import agency_key
from disclosure.workers.cli import main
from disclosure.workers.document_job import content_hash, process_document
from disclosure.workers.result_store import DocumentRecord, ResultFolder
from disclosure.workers.spreadsheet import WORKBOOK
from synthetic.archive import AGENCY_SPELLINGS, PlantedBreak, write_archive

BREAK = PlantedBreak(0, 2020, "ties.carried_in.natural")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Two agencies' 2019-2020 reports, one tie broken, and an unreadable file, read without Ray."""
    root = tmp_path_factory.mktemp("sheet")
    documents = write_archive(root / "in", agencies=2, years=2, seed=5, breaks=(BREAK,))
    (root / "in" / "empty.txt").write_bytes(b"")
    folder = ResultFolder(root / "out")
    folder.prepare()
    for path in sorted((root / "in").iterdir()):
        folder.save(DocumentRecord(content_hash(path), (str(path),), process_document(path), 1))
    assert main(["archive", str(root / "out"), "-q"]) == 0
    return root / "out", documents


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_the_workbook_opens_with_its_sheets_headers_frozen_and_filtered(results):
    from openpyxl import load_workbook

    out, documents = results
    book = load_workbook(out / WORKBOOK, read_only=False)
    assert book.sheetnames == ["报告", "表二 主动公开", "表三 依申请公开", "表四 复议诉讼", "未通过的规则",
                               "未通过的跨年核对", "无法读取的文件"]
    reports = _rows(book["报告"])
    assert reports[0][:4] == ("机关", "年度", "格式", "状态") and len(reports) == 1 + len(documents)
    assert {row[3] for row in reports[1:]} == {"verified"}
    apply = _rows(book["表三 依申请公开"])
    labels = dict(zip(apply[1], apply[0]))  # column label -> the row label printed over it
    assert apply[1][:3] == ("机关", "年度", "状态") and "自然人" in apply[1] and "总计" in apply[1]
    assert any("予以公开" in row for row in apply[0] if row) and labels["机关"] in ("", None)
    appeal = _rows(book["表四 复议诉讼"])
    assert "行政复议" in appeal[0] and "结果维持" in appeal[1] and len(appeal) == 2 + len(documents)
    active = _rows(book["表二 主动公开"])
    assert any(text and "规章" in text for text in active[0])
    for name in book.sheetnames:
        sheet = book[name]
        header_rows = 2 if name.startswith("表") else 1
        assert sheet.freeze_panes.endswith(str(header_rows + 1)), name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{header_rows}:"), name
    failure = _rows(book["无法读取的文件"])
    assert len(failure) == 2 and failure[1][1] == "input" and "empty" in failure[1][2]


def test_a_failing_tie_names_the_agency_as_printed_beside_its_key(results):
    from openpyxl import load_workbook

    out, _ = results
    ties = _rows(load_workbook(out / WORKBOOK)["未通过的跨年核对"])
    assert ties[0][:3] == ("机关（印）", "机关（归并键）", "年度")
    failing = {(row[1], row[2], row[4]) for row in ties[1:]}
    key = agency_key(AGENCY_SPELLINGS[0][0])
    assert failing == {(key, 2020, rule) for rule in BREAK.failing_rules()}
    assert all(row[0] and agency_key(row[0]) == key for row in ties[1:])


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_opens_it(results, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    if not (Path(os.path.realpath(soffice)).parent / "libsclo.so").is_file():
        pytest.skip("LibreOffice has no Calc here (Debian: apt-get install libreoffice-calc-nogui)")
    out, documents = results
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
                           str(out / WORKBOOK)],
                          capture_output=True, text=True, timeout=180)
    csv = tmp_path / "reports.csv"  # the first sheet; 44,34,76: comma, double quote, UTF-8
    assert done.returncode == 0 and csv.is_file(), done.stderr
    lines = csv.read_text(encoding="utf-8", errors="replace").splitlines()
    assert lines[0].startswith("机关,年度") and len(lines) == 1 + len(documents)


def test_the_review_page_heads_each_column_as_its_table_prints_it():
    # one set of headers (table_recon/formats.py) for the review page and the workbook: table 二's
    # "total" of 2019 is 对外公开总数量, table 四's "other" 其他结果, never table 三's words
    from disclosure.table_recon.formats import FORMATS, TABLE_TITLES
    from disclosure.workers.printed_labels import field_labels, layout

    for fmt in FORMATS.values():
        tables = layout(fmt)
        assert [title for title, _ in tables] == [t.printed for t in TABLE_TITLES.values()]
        on_page = {key: header for _, rows in tables for _, cells in rows for header, key in cells}
        assert on_page == {key: column for key, (_, column) in field_labels(fmt).items()}
    assert TABLE_TITLES["active"].printed == "二、主动公开政府信息情况"
    active_2019 = dict((key, header) for _, cells in layout(FORMATS["2019"])[0][1] for header, key in cells)
    assert active_2019["active.rules.total"] == "对外公开总数量"
    appeal = dict((key, header) for _, cells in layout(FORMATS["2021"])[2][1] for header, key in cells)
    assert appeal["appeal.review.other"] == "其他结果" and appeal["appeal.review.total"] == "总计"
