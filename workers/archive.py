"""An archive seen whole: from a results folder's document JSONs (and a reviewer's corrections), the
cross-year ties, the tables, `archive.sqlite`, the review page `index.html` and `reports.xlsx`.

Run at the end of every backfill and by `disclosure archive DIR`; it reads no document again, so
it can be rerun at will (after adding corrections, or documents). A corrections file given once
is kept in the folder as `corrections.csv` and applied on every later build.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from disclosure.ocr.errors import InputError
from disclosure.table_recon.agency import agency_key
from disclosure.table_recon.cross_year import CrossYearTie, SameYear, YearReport, cross_year_ties
from disclosure.workers.archive_db import write_database
from disclosure.workers.corrections import apply_corrections, read_corrections
from disclosure.workers.result_store import DOCUMENTS, ResultFolder
from disclosure.workers.review_page import write_review_page
from disclosure.workers.spreadsheet import WORKBOOK, workbook_sheets, write_workbook
from disclosure.workers.stored_report import StoredRecord

CORRECTIONS = "corrections.csv"
DATABASE = "archive.sqlite"


@dataclass(frozen=True)
class ArchiveSummary:
    reports: int
    failures: int
    ties: int
    ties_failed: int
    ties_unevaluated: int
    same_year: int
    corrected: int
    seconds: float

    def line(self) -> str:
        return (f"archive: {self.reports} reports, {self.failures} failed documents; ties {self.ties} "
                f"({self.ties_failed} failed, {self.ties_unevaluated} not evaluated); "
                f"{self.same_year} agency-years printed more than once; {self.corrected} reports corrected")


def year_report(record: StoredRecord) -> YearReport | None:
    """What the ties need of one finished document; None where it names no agency, year or format."""
    if not record.done:
        return None
    report = record.report
    agency = agency_key(report.agency)
    if agency is None or report.year is None or report.format is None:
        return None
    return YearReport(record.sha256, agency, report.year, report.format, report.rule_values(),
                      report.status.value, report.fields_unread)


def archive_ties(records: Iterable[StoredRecord]) -> tuple[tuple[CrossYearTie, ...], tuple[SameYear, ...]]:
    return cross_year_ties(y for y in map(year_report, records) if y is not None)


def check_results_folder(root: Path) -> None:
    if not (root / DOCUMENTS).is_dir():
        raise InputError(f"{root} is not a results folder of `disclosure backfill` (it has no {DOCUMENTS}/ folder)")


def keep_corrections(root: Path, corrections_file: Path) -> None:
    """A copy of a corrections file that has been applied, in the results folder for every later build."""
    if corrections_file.resolve() != (root / CORRECTIONS).resolve():
        shutil.copyfile(corrections_file, root / CORRECTIONS)


def build_archive(root: Path, corrections_file: Path | None = None) -> ArchiveSummary:
    """Ties, tables, database and page of a results folder. A corrections file that cannot be used
    stops it in one line, before anything is written."""
    started = time.perf_counter()
    check_results_folder(root)
    kept = root / CORRECTIONS
    source = corrections_file or kept
    corrections = read_corrections(source) if corrections_file or kept.is_file() else ()
    results = ResultFolder(root)
    records = apply_corrections(results.records(), corrections, source)
    if corrections_file is not None:
        keep_corrections(root, corrections_file)
    ties, same_year = archive_ties(records)
    results.write_tables(records, ties)
    write_database(root / DATABASE, records, ties, same_year)
    write_review_page(root, records, ties, same_year)
    write_workbook(root / WORKBOOK, workbook_sheets(records, ties))
    done = [r for r in records if r.done]
    return ArchiveSummary(
        reports=len(done), failures=len(records) - len(done), ties=len(ties),
        ties_failed=sum(t.ok is False for t in ties), ties_unevaluated=sum(t.ok is None for t in ties),
        same_year=len(same_year), corrected=sum(bool(r.report.corrected) for r in done),
        seconds=time.perf_counter() - started)
