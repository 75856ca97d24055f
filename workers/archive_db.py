"""`archive.sqlite` (SPEC §6): the results of a whole archive, to be queried with any SQLite client.

    reports    one row per report: id, source, path, agency (printed and its key), year, format,
               status, counts, whether a reviewer corrected it, and the report it was printed
               again as (same agency and year)
    fields     one row per report and field: value, state, and where corrected what was printed
    checks     one row per report and rule: ok (1, 0 or null), both sides, and where it fails as read
               but a plausible reading of its cells makes it hold, those cells (JSON) in doubt
    ties       one row per agency, year and tie: ok (1, 0 or null), both sides, both reports
    failures   one row per document that could not be processed

The file is built whole in a temporary file and moved into place, so a reader never sees half.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from disclosure.table_recon.agency import agency_key
from disclosure.table_recon.cross_year import CrossYearTie, SameYear
from disclosure.table_recon.report import FieldState
from disclosure.workers.stored_report import StoredRecord

_SCHEMA = """
create table reports (report text primary key, source text, path text, agency text, agency_key text,
    year integer, format text, status text, rules_checked integer, rules_failed integer,
    fields_unread integer, ties_failed integer, corrected integer, same_year_as text);
create table fields (report text, key text, value real, state text, printed real, printed_state text,
    correction text, page integer, line integer, raw text, confidence real, primary key (report, key))
    without rowid;
create table checks (report text, rule text, ok integer, lhs real, rhs real, doubt text);
create table ties (rule text, agency text, year integer, prior_year integer, ok integer, lhs real, rhs real,
    report text, prior_report text, fields text, prior_fields text);
create table failures (report text, path text, stage text, reason text, attempts integer);
"""
_INDEXES = """
create index reports_agency_year on reports (agency_key, year);
create index reports_status on reports (status);
create index checks_report on checks (report);
create index checks_rule_ok on checks (rule, ok);
create index ties_agency_year on ties (agency, year);
create index ties_ok on ties (ok, rule);
create index ties_report on ties (report);
"""


def _ok(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _report_rows(records: list[StoredRecord], ties_failed: dict[str, int], same_year_as: dict[str, str]):
    for record in records:
        if not record.done:
            continue
        report = record.report
        yield (record.sha256, report.source, record.path, report.agency, agency_key(report.agency), report.year,
               report.format, report.status.value, report.rules_checked, report.rules_failed,
               report.fields_unread, ties_failed.get(record.sha256, 0), int(bool(report.corrected)),
               same_year_as.get(record.sha256))


def _state(state: FieldState | None) -> str | None:
    return None if state is None else state.value


def _field_rows(records: list[StoredRecord]):
    for record in records:
        if not record.done:
            continue
        for key, cell in record.report.cells.items():
            yield (record.sha256, key, cell.value, cell.state.value, cell.printed, _state(cell.printed_state),
                   cell.correction, cell.page, cell.line, cell.raw, cell.read_confidence)


def _check_rows(records: list[StoredRecord]):
    for record in records:
        if not record.done:
            continue
        for check in record.report.checks:
            doubt = check.doubt
            yield (record.sha256, check.rule, _ok(check.ok), check.lhs, check.rhs,
                   None if doubt is None else json.dumps(doubt.as_dict(), ensure_ascii=False))


def _failure_rows(records: list[StoredRecord]):
    for record in records:
        if record.done:
            continue
        failure = record.failure
        yield (record.sha256, record.path, failure and failure.stage.value, failure and failure.reason,
               record.attempts)


def write_database(path: Path, records: Iterable[StoredRecord], ties: tuple[CrossYearTie, ...],
                   same_year: tuple[SameYear, ...]) -> None:
    records = list(records)
    ties_failed: dict[str, int] = {}
    for tie in ties:
        if tie.ok is False:
            ties_failed[tie.report] = ties_failed.get(tie.report, 0) + 1
    same_year_as = {other: group.tied for group in same_year for other in group.others}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".archive-", suffix=".sqlite")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            db.executescript(_SCHEMA)
            db.executemany("insert into reports values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           _report_rows(records, ties_failed, same_year_as))
            db.executemany("insert into fields values (?,?,?,?,?,?,?,?,?,?,?)", _field_rows(records))
            db.executemany("insert into checks values (?,?,?,?,?,?)", _check_rows(records))
            db.executemany("insert into ties values (?,?,?,?,?,?,?,?,?,?,?)", (
                (t.rule, t.agency, t.year, t.prior_year, _ok(t.ok), t.lhs, t.rhs, t.report, t.prior_report,
                 json.dumps(t.lhs_keys), json.dumps(t.prior_keys)) for t in ties))
            db.executemany("insert into failures values (?,?,?,?,?)", _failure_rows(records))
            db.executescript(_INDEXES)
        db.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
