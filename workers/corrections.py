"""Reviewers' corrections: a CSV of (report, field, value, note) applied over the printed readings.

A corrected field keeps what was printed beside the correction, and the note, in its cell
(`printed`, `printed_state`, `correction`); the report's checks and status are recomputed from the
corrected values. The document's own JSON is never changed: corrections are applied each time the
archive is built, so removing a line of the file undoes it.

`report` names a document by its id (the sha256, or a unique prefix of at least 8 of its digits),
by a path it was found at, or by its file name where only one document has it. `value` empty means
the cell is blank.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from disclosure.ocr.errors import InputError
from disclosure.table_recon.doubt import Plausible, with_doubt
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.report import FieldState, status_from
from disclosure.table_recon.rules import build_rules, evaluate_all, json_number
from disclosure.workers.stored_report import StoredCheck, StoredRecord, StoredReport

COLUMNS = ("report", "field", "value", "note")
_SHORTEST_ID = 8


@dataclass(frozen=True)
class Correction:
    report: str
    field: str
    value: int | float | None
    note: str
    line: int  # in the file, for messages

    def where(self, path: Path) -> str:
        return f"{path.name} line {self.line}"


def _number(text: str, where: str) -> int | float | None:
    text = text.strip().replace(",", "")
    if text == "":
        return None
    try:
        return json_number(Decimal(text))
    except InvalidOperation:
        raise InputError(f"{where}: value {text!r} is not a number (leave it empty for a blank cell)") from None


def read_corrections(path: Path) -> tuple[Correction, ...]:
    """The file's corrections; one line naming the line at fault where it cannot be used."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise InputError(f"cannot read the corrections file {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; save the corrections as CSV UTF-8") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip().lower() for c in rows[0][:4]] != list(COLUMNS):
        raise InputError(f"{path.name}: the first line must be the header {','.join(COLUMNS)}")
    out, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3:
            raise InputError(f"{path.name} line {number}: expected {','.join(COLUMNS)}, got {len(row)} columns")
        report, key, value = row[0].strip(), row[1].strip(), row[2]
        note = row[3].strip() if len(row) > 3 else ""
        correction = Correction(report, key, _number(value, f"{path.name} line {number}"), note, number)
        if (report, key) in seen:
            raise InputError(f"{path.name} line {number}: {report} {key} is corrected on line {seen[report, key]} too")
        seen[report, key] = number
        out.append(correction)
    return tuple(out)


def _identify(name: str, records: list[StoredRecord]) -> StoredRecord | None:
    by_id = [r for r in records if len(name) >= _SHORTEST_ID and r.sha256.startswith(name.lower())]
    if len(by_id) == 1:
        return by_id[0]
    by_path = [r for r in records if name in r.paths]
    if len(by_path) == 1:
        return by_path[0]
    by_name = [r for r in records if any(Path(p).name == name for p in r.paths)]
    return by_name[0] if len(by_name) == 1 else None


def recheck(report: StoredReport) -> StoredReport:
    """The report's checks and status from its cells as they now stand. The readings that left a
    rule in doubt still count, less those of cells a reviewer corrected: a corrected cell is sure."""
    fmt = FORMATS.get(report.format)
    if fmt is None:
        return report
    values = report.rule_values()
    rules = build_rules(fmt)
    checks = with_doubt(evaluate_all(rules, values), rules, values, _doubts_left(report))
    status = status_from((cell.state for cell in report.cells.values()), (c.ok for c in checks),
                         in_doubt=any(c.doubt is not None for c in checks))
    return replace(report, checks=tuple(map(StoredCheck.of, checks)), status=status)


def _doubts_left(report: StoredReport) -> list[Plausible]:
    """The plausible readings the report's checks name, each narrowed to the corrected values."""
    corrected = {key: cell.rule_value for key, cell in report.cells.items() if cell.correction is not None}
    groups: dict[tuple[str, ...], Plausible] = {}
    for check in report.checks:
        for group in check.doubt.cells if check.doubt is not None else ():
            keys = group.fields
            options = tuple(tuple(_rule_number(v) for v in option) for option in group.readings)
            options = tuple(o for o in options if all(k not in corrected or v == corrected[k] for k, v in zip(keys, o)))
            if len(options) > 1:
                groups.setdefault(keys, Plausible(keys, options, group.why))
    return list(groups.values())


def _rule_number(value):
    """A reading's value as JSON carries it, back as the rules count it (amounts exactly)."""
    return Decimal(str(value)) if isinstance(value, float) else value


def _corrected(report: StoredReport, corrections: list[Correction]) -> StoredReport:
    """The report with the corrections over its cells: what was printed is kept beside each."""
    cells, fields = dict(report.cells), dict(report.fields)
    for correction in corrections:
        cell = cells[correction.field]
        cells[correction.field] = replace(
            cell, printed=cell.value, printed_state=cell.state, value=correction.value,
            state=FieldState.EMPTY if correction.value is None else FieldState.READ,
            correction=correction.note or "corrected by a reviewer")
        fields[correction.field] = correction.value
    return recheck(replace(report, cells=cells, fields=fields))


def apply_corrections(records: Iterable[StoredRecord], corrections: tuple[Correction, ...],
                      source: Path) -> list[StoredRecord]:
    """The records with every correction applied (new values; the inputs are untouched). A
    correction naming no finished report, or a field its format does not have, is refused in one line."""
    records = list(records)
    done = [r for r in records if r.done]
    by_id: dict[str, list[Correction]] = {}
    for correction in corrections:
        record = _identify(correction.report, done)
        if record is None:
            raise InputError(f"{correction.where(source)}: no report {correction.report!r} in these results "
                             f"(name it by its id, a path it was read from, or its file name)")
        fmt = FORMATS.get(record.report.format)
        if fmt is None or correction.field not in fmt.keys():
            raise InputError(f"{correction.where(source)}: the report {correction.report!r} (format "
                             f"{record.report.format}) has no field {correction.field!r}")
        by_id.setdefault(record.sha256, []).append(correction)
    return [replace(record, report=_corrected(record.report, by_id[record.sha256]))
            if record.sha256 in by_id else record for record in records]
