"""The output contract read back: a report's JSON (docs/output.md) and a results folder's document
record as typed, frozen values. The results store, the archive, its database, review page, workbook
and the reviewers' corrections work on these and look no name up in a dict.

`Report.as_dict()` writes a report's JSON; this module is the one place that reads it. The
published schema, docs/report.schema.json, is generated from `StoredReport`
(`python -m disclosure.workers.stored_report > docs/report.schema.json`), and a test keeps the two
the same. A name a later version adds to the JSON is passed over here, never refused, so a results
folder written by a newer version still loads.

Pydantic dataclasses with slots, not models: an archive of 10,000 reports holds two million cells,
and a slotted cell takes a fifth of a model's memory (and less than the JSON's own dict).
"""

from __future__ import annotations

import functools
import json

from pydantic import ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

from disclosure.ocr.errors import Stage
from disclosure.table_recon.report import FieldState, Status, rule_value_of
from disclosure.table_recon.rules import Check
from disclosure.workers.document_job import Outcome

# As JSON carries them: a count, or an amount that is not whole (the rules count amounts exactly,
# as Decimal; JSON has floats only)
Number = int | float
_UNREAD = (FieldState.MISSING, FieldState.AMBIGUOUS)


_stored = functools.partial(dataclass, frozen=True, slots=True, kw_only=True)


@_stored
class Where:
    """Where a piece of text was read and how sure its reading is: a line of text; a page and box of
    a PDF or scan; a table, row and column of markup."""

    raw: str | None = Field(None, description="the text as printed")
    line: int | None = None
    page: int | None = None
    box: tuple[float, float, float, float] | None = Field(None, description="x0, top, x1, bottom on the page")
    table: int | None = None
    row: int | None = None
    column: int | None = None
    confidence: float | None = Field(None, description="the recogniser's score; absent: 1.0 (a text layer, markup)")
    alternatives: tuple[tuple[str, float], ...] = Field(
        (), description="other readings of the same pixels, each with its weight")
    doubts: tuple[str, ...] = Field((), description="why a confident reading may be wrong: `seal`, `noise`")

    @property
    def read_confidence(self) -> float | None:
        """1.0 for text no recogniser read (a text layer, markup, a text file); None where nothing was."""
        if self.confidence is not None:
            return self.confidence
        return 1.0 if self.raw is not None else None

    def where(self) -> str:
        if self.line is not None:
            return f"line {self.line}"
        if self.table is not None:
            return f"table {self.table} row {self.row} column {self.column}"
        if self.page is not None:
            return f"page {self.page}"
        return ""


@_stored
class StoredCell(Where):
    """One field's reading: its value, its state and where it was read."""

    value: Number | None
    state: FieldState
    note: str | None = Field(None, description="how the cell was placed, or what was read and what was taken")
    # a reviewer's correction, made while the archive is built: never in a report's own JSON
    printed: Number | None = Field(None, exclude=True)
    printed_state: FieldState | None = Field(None, exclude=True)
    correction: str | None = Field(None, exclude=True)

    @property
    def rule_value(self) -> Number | None:
        """What a rule counts of the cell: its number, 0 where printed empty, None where unread."""
        return rule_value_of(self.state, self.value)

    @property
    def unread(self) -> bool:
        return self.state in _UNREAD


@_stored
class DoubtCells:
    """Cells in doubt together (one row's cells placed together are one group), and the readings
    each combination of them may have."""

    fields: tuple[str, ...]
    why: str
    readings: tuple[tuple[Number | None, ...], ...]


@_stored
class StoredDoubt:
    """Why a rule that fails as read is no finding."""

    cells: tuple[DoubtCells, ...]
    holds_under: tuple[dict[str, Number | None], ...] = Field(
        description="up to three combinations of changed cells under which the rule holds")

    def as_dict(self) -> dict:
        return _DOUBT.dump_python(self, mode="json")


@_stored
class StoredCheck:
    """One rule: `ok` true (holds), false (a finding), null (a field unknown, or in doubt)."""

    rule: str
    ok: bool | None
    lhs: Number | None
    rhs: Number | None
    doubt: StoredDoubt | None = None

    @classmethod
    def of(cls, check: Check) -> StoredCheck:
        return _CHECK.validate_python(check.as_dict())

    def as_dict(self) -> dict:
        """As `Check.as_dict` writes it: no `doubt` where there is none."""
        out = {"rule": self.rule, "ok": self.ok, "lhs": self.lhs, "rhs": self.rhs}
        if self.doubt is not None:
            out["doubt"] = self.doubt.as_dict()
        return out


@_stored
class ProseTie(Where):
    """What the report's prose says against its table: a warning, never a failure."""

    phrase: str
    fields: tuple[str, ...]
    narrative: Number
    table: Number | None  # the table's total for the same count
    ok: bool | None
    sentence: str


@_stored
class Ambiguity:
    """A field several placements of the text's cells leave open, and the values they give it."""

    field: str
    candidates: tuple[Number | None, ...]


@_stored
class ExtraRow:
    """A row the template does not know (a provincial addition), kept aside."""

    table: str
    label: str
    cells: tuple[str, ...]
    origin: Where | None


@_stored
class StoredError:
    """Where reading stopped: a report with status `error` holds one."""

    stage: Stage
    message: str
    page: int | None = None


@_stored(config=ConfigDict(title="disclosure report",
                            json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"}))
class StoredReport:
    """One report as `disclosure inspect --json` writes it: the output contract (docs/output.md)."""

    source: str = Field(description="the file's name")
    format: str | None = Field(description='"2019", "2021", or null: not an annual report of these formats')
    agency: str | None
    year: int | None
    status: Status
    fields: dict[str, Number | None] = Field(
        description="every key of the format: a number, or null where printed empty or not read")
    checks: tuple[StoredCheck, ...]
    warnings: tuple[str, ...]
    cells: dict[str, StoredCell]
    ambiguities: tuple[Ambiguity, ...]
    ties: tuple[ProseTie, ...]
    extra_rows: tuple[ExtraRow, ...]
    errors: tuple[StoredError, ...]

    @property
    def rules_checked(self) -> int:
        return sum(check.ok is not None for check in self.checks)

    @property
    def rules_failed(self) -> int:
        return sum(check.ok is False for check in self.checks)

    @property
    def fields_unread(self) -> int:
        """Fields that could not be read, or placed: missing or ambiguous."""
        return sum(cell.unread for cell in self.cells.values())

    @property
    def corrected(self) -> tuple[str, ...]:
        """The fields a reviewer corrected, in order of their keys."""
        return tuple(sorted(key for key, cell in self.cells.items() if cell.correction is not None))

    def rule_values(self) -> dict[str, Number | None]:
        return {key: cell.rule_value for key, cell in self.cells.items()}


@_stored
class StoredFailure:
    """Why a document could not be processed; its message is the `reason`."""

    stage: Stage
    reason: str
    page: int | None = None


@_stored
class StoredRecord:
    """One document of a results folder, `documents/<sha256>.json`, as `DocumentRecord` writes it."""

    sha256: str
    paths: tuple[str, ...]
    outcome: Outcome
    failure: StoredFailure | None
    attempts: int
    seconds: float = 0.0
    report: StoredReport | None

    def __post_init__(self) -> None:
        # the archive reads a finished document's report without asking; a record without one is
        # damaged, and damaged records are read again (`ResultFolder.records`)
        if self.outcome is Outcome.DONE and self.report is None:
            raise ValueError("a finished document's record holds no report")

    @property
    def done(self) -> bool:
        return self.outcome is Outcome.DONE

    @property
    def path(self) -> str | None:
        """The first path the document was found at."""
        return self.paths[0] if self.paths else None


_CHECK = TypeAdapter(StoredCheck)
_DOUBT = TypeAdapter(StoredDoubt)
_REPORT = TypeAdapter(StoredReport)
_RECORD = TypeAdapter(StoredRecord)


def read_record(text: str) -> StoredRecord:
    """A document record from its JSON; ValueError where it is not one."""
    return _RECORD.validate_json(text)


def stored_report(report: dict) -> StoredReport:
    """A report's JSON, as a worker returns it, typed."""
    return _REPORT.validate_python(report)


def report_json(report: StoredReport) -> dict:
    """The report as its JSON was written: a name left at its default was not written."""
    return _REPORT.dump_python(report, mode="json", exclude_defaults=True)


def report_schema() -> dict:
    """The JSON schema of a report: what is written, so the reviewers' fields are not in it."""
    return _REPORT.json_schema(mode="serialization")


def schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
