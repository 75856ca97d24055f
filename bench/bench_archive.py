"""The archive built at the end of a backfill (`disclosure archive`): cross-year ties, the Parquet and
CSV tables, `archive.sqlite` and the review page, for a results folder of N generated reports, time
and size; and the page opened in headless Chromium, with 10,000 reports against 100.

Corpus: N/5 agencies × 5 consecutive years (2018 → 2022, so both formats and the change between
them), each report's values tied to the year before's (`synthetic/archive.py`), written straight
into a results folder as the backfill would (every field read from a line of text), so no document
is read and only the archive is measured. Baseline, in the same run on the same folder: what the end
of a backfill cost before the archive, reading every document JSON and writing the Parquet and CSV
tables (`ResultFolder.write_tables`).

    PYTHONPATH=. python bench/bench_archive.py [--reports 10000] [--browser]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from disclosure.ocr.origin import Origin
from disclosure.table_recon.cross_year import cross_year_ties
from disclosure.table_recon.report import FieldReading, FieldState, Report, status_of
from disclosure.table_recon.rules import build_rules, evaluate_all
from disclosure.workers.archive import archive_ties, build_archive, year_report
from disclosure.workers.archive_db import write_database
from disclosure.workers.document_job import DocumentOutcome
from disclosure.workers.result_store import DocumentRecord, ResultFolder
from disclosure.workers.review_page import write_review_page
from synthetic.archive import AGENCY_SPELLINGS, agency_years


def _report(truth, source: str) -> Report:
    readings = {}
    for line, (key, value) in enumerate(truth.values.items(), start=100):
        origin = Origin(source, raw="" if value is None else str(value), line=line)
        readings[key] = FieldReading(value, FieldState.EMPTY if value is None else FieldState.READ, origin)
    values = {k: (0 if r.state is FieldState.EMPTY else r.value) for k, r in readings.items()}
    checks = evaluate_all(build_rules(truth.format), values)
    return Report(source, truth.format.name, truth.agency, truth.year, status_of(readings, checks), readings, checks)


def write_results(root: Path, reports: int) -> None:
    folder = ResultFolder(root)
    folder.prepare()
    for agency in range(reports // 5):
        spelling = AGENCY_SPELLINGS[agency % len(AGENCY_SPELLINGS)]
        for truth in agency_years(agency % len(AGENCY_SPELLINGS), 2018, 5, agency):
            name = f"{agency:05d}-{truth.year}.txt"
            truth = truth.__class__(truth.format, truth.year, f"{spelling[0][:-1]}{agency}号{spelling[0][-1]}",
                                    truth.values)
            sha = hashlib.sha256(name.encode()).hexdigest()
            outcome = DocumentOutcome(name, _report(truth, name), None, 0.0)
            folder.save(DocumentRecord(sha, (f"/archive/{name}",), outcome, 1))


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _drawn_ms(page: Path, fragment: str) -> int | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                              "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True, timeout=300)
    found = re.search(r'data-drawn-ms="(\d+)"', run.stdout)
    return int(found[1]) if found else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--browser", action="store_true", help="also open the page in headless Chromium")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for count in sorted({100, args.reports}):
            root = Path(scratch) / f"results-{count}"
            made = _timed(lambda: write_results(root, count))
            folder = ResultFolder(root)
            baseline = _timed(folder.write_tables)
            records = list(folder.records())
            ties = _timed(lambda: cross_year_ties(y for y in map(year_report, records) if y is not None))
            found = archive_ties(records)
            database = _timed(lambda: write_database(root / "archive.sqlite", records, *found))
            page = _timed(lambda: write_review_page(root, records, *found))
            whole = _timed(lambda: build_archive(root))
            drawn = (_drawn_ms(root / "index.html", ""), _drawn_ms(root / "index.html", "#year=2021&status=verified")) \
                if args.browser else (None, None)
            rows.append((count, made, baseline, ties, database, page, whole, len(found[0]),
                         _size(root / "archive.sqlite"), _size(root / "index.html"), _size(root / "review"),
                         _size(root / "documents"), drawn))
    print("| reports | ties | baseline: JSONs → Parquet/CSV (s) | ties (s) | archive.sqlite (s) | page (s) | "
          "whole archive (s) | whole / baseline | archive.sqlite MB | index.html MB | review/ MB | documents/ MB | "
          "page drawn (ms): all / filtered |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    mb = 1 << 20
    for count, _, baseline, ties, database, page, whole, tie_count, db_size, index_size, review, docs, drawn in rows:
        shown = " / ".join("—" if d is None else str(d) for d in drawn)
        print(f"| {count:,} | {tie_count:,} | {baseline:.2f} | {ties:.2f} | {database:.2f} | {page:.2f} | "
              f"{whole:.2f} | "
              f"{whole / baseline:.1f}× | {db_size / mb:.1f} | {index_size / mb:.2f} | {review / mb:.1f} | "
              f"{docs / mb:.1f} | {shown} |")


if __name__ == "__main__":
    main()
