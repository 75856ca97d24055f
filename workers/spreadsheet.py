"""`reports.xlsx`: a backfill's results for people who work in spreadsheets.

Sheets: the reports (agency, year, status, counts) and the documents that could not be read; one
sheet per statutory table (二, 三, 四), a report per row, headed by the labels the tables print (the
row's label over the column's); the rules that fail; the cross-year ties that fail, naming the
agency as printed beside the key that ties its years. Each sheet has its header rows frozen and a
filter on. Written in openpyxl's streaming mode, so 10,000 reports cost seconds, not gigabytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from disclosure.table_recon.cross_year import CrossYearTie
from disclosure.table_recon.formats import TABLE_TITLES
from disclosure.workers.printed_labels import table_fields
from disclosure.workers.stored_report import StoredRecord

WORKBOOK = "reports.xlsx"
_REPORT_HEADER = ("机关", "年度", "格式", "状态", "核对的规则", "未通过的规则", "未读出的数", "警告", "文件", "sha256")
_WHO = ("机关", "年度", "状态")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its header rows (the last one is what the filter sits on), then its rows."""

    title: str
    header: tuple[tuple, ...]
    rows: tuple[tuple, ...]
    frozen_columns: int = 0


def report_sheet(done: Sequence[StoredRecord]) -> Sheet:
    rows = tuple((r.report.agency, r.report.year, r.report.format, r.report.status.value, r.report.rules_checked,
                  r.report.rules_failed, r.report.fields_unread, len(r.report.warnings), r.path or "", r.sha256)
                 for r in done)
    return Sheet("报告", (_REPORT_HEADER,), rows, frozen_columns=2)


def failure_sheet(failed: Sequence[StoredRecord]) -> Sheet:
    rows = tuple((r.path or "", r.failure and r.failure.stage.value, r.failure and r.failure.reason, r.attempts,
                  r.sha256) for r in failed)
    return Sheet("无法读取的文件", (("文件", "环节", "原因", "尝试次数", "sha256"),), rows)


def table_sheet(table: str, done: Sequence[StoredRecord]) -> Sheet:
    """A report per row; over each field's column the row label it is printed in, then its column label."""
    fields = table_fields(table)
    header = (("", "", "", *(row for row, _ in fields.values())),
              (*_WHO, *(column for _, column in fields.values())))
    rows = tuple((r.report.agency, r.report.year, r.report.status.value, *(r.report.fields.get(key) for key in fields))
                 for r in done)
    title = TABLE_TITLES[table]
    return Sheet(f"表{title.numeral} {title.short}", header, rows, frozen_columns=len(_WHO))


def failed_rules_sheet(done: Sequence[StoredRecord]) -> Sheet:
    rows = tuple((r.report.agency, r.report.year, check.rule, check.lhs, check.rhs, r.path or "")
                 for r in done for check in r.report.checks if check.ok is False)
    return Sheet("未通过的规则", (("机关", "年度", "规则", "左边", "右边", "文件"),), rows, frozen_columns=2)


def failed_ties_sheet(ties: Iterable[CrossYearTie], done: Sequence[StoredRecord]) -> Sheet:
    """Each failing tie with the agency as its report prints it: the key alone (folded, its
    punctuation gone) is not what a reader searches for."""
    by_id = {r.sha256: r for r in done}

    def printed(report_id: str | None) -> str | None:
        record = by_id.get(report_id)
        return record.report.agency if record else None

    rows = tuple((printed(t.report), t.agency, t.year, t.prior_year, t.rule, t.lhs, t.rhs,
                  (by_id[t.report].path or "") if t.report in by_id else t.report, t.prior_report)
                 for t in ties if t.ok is False)
    header = (("机关（印）", "机关（归并键）", "年度", "上一年度", "核对", "本年", "按上年推算", "本年文件",
               "上年报告"),)
    return Sheet("未通过的跨年核对", header, rows, frozen_columns=2)


def workbook_sheets(records: Sequence[StoredRecord], ties: Iterable[CrossYearTie]) -> tuple[Sheet, ...]:
    done = sorted((r for r in records if r.done), key=lambda r: (r.report.agency or "", r.report.year or 0))
    failed = [r for r in records if not r.done]
    return (report_sheet(done), *(table_sheet(t, done) for t in TABLE_TITLES), failed_rules_sheet(done),
            failed_ties_sheet(ties, done), failure_sheet(failed))


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_workbook(path: Path, sheets: Iterable[Sheet]) -> Path:
    """The sheets as one workbook, written beside `path` and moved over it (a reader never sees half)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        page = book.create_sheet(sheet.title)
        width = max(len(row) for row in sheet.header)
        for index in range(1, width + 1):
            page.column_dimensions[_column(index)].width = 14 if index > sheet.frozen_columns else 24
        page.freeze_panes = f"{_column(sheet.frozen_columns + 1)}{len(sheet.header) + 1}"
        page.auto_filter.ref = f"A{len(sheet.header)}:{_column(width)}{len(sheet.header) + len(sheet.rows)}"
        for header in sheet.header:
            page.append([_styled(page, text, bold, wrap) for text in header])
        for row in sheet.rows:
            page.append(list(row))
    temporary = path.with_name(f".{path.name}.partial")
    book.save(temporary)
    temporary.replace(path)
    return path


def _styled(page, text, font, alignment):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(page, value=text)
    cell.font, cell.alignment = font, alignment
    return cell
