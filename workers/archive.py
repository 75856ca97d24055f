"""An archive seen whole: from a results folder's document JSONs (and a reviewer's corrections), the
cross-year ties, the tables, `archive.sqlite` and the review page `index.html`.

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
from disclosure.workers.corrections import apply_corrections, read_corrections, rule_value
from disclosure.workers.result_store import DOCUMENTS, ResultFolder, fields_unread
from disclosure.workers.review_page import write_review_page

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


def year_report(record: dict) -> YearReport | None:
    """What the ties need of one finished document; None where it names no agency, year or format."""
    if record["outcome"] != "done" or not record.get("report"):
        return None
    report = record["report"]
    agency = agency_key(report.get("agency"))
    if agency is None or report.get("year") is None or report.get("format") is None:
        return None
    cells = report.get("cells", {})
    return YearReport(record["sha256"], agency, report["year"], report["format"],
                      {key: rule_value(cell) for key, cell in cells.items()}, report.get("status", ""),
                      fields_unread(report))


def archive_ties(records: Iterable[dict]) -> tuple[tuple[CrossYearTie, ...], tuple[SameYear, ...]]:
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
    done = [r for r in records if r["outcome"] == "done"]
    return ArchiveSummary(
        reports=len(done), failures=len(records) - len(done), ties=len(ties),
        ties_failed=sum(t.ok is False for t in ties), ties_unevaluated=sum(t.ok is None for t in ties),
        same_year=len(same_year), corrected=sum(bool(r["report"].get("corrected")) for r in done),
        seconds=time.perf_counter() - started)
