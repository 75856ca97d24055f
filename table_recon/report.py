"""The result of reading one report: fields with provenance, checks, status, warnings, errors.

`Report.as_dict()` is the output contract (docs/output.md); the extra top-level names (`cells`,
`ambiguities`, `ties`, `extra_rows`, `errors`) carry per-field detail and never change the meaning
of the contract's names.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from disclosure.ocr.errors import Stage, StageError
from disclosure.ocr.origin import Origin
from disclosure.table_recon.narrative import Tie
from disclosure.table_recon.rules import Check, Number, json_number


class Status(str, enum.Enum):
    VERIFIED = "verified"
    FAILED_CHECKS = "failed_checks"
    INCOMPLETE = "incomplete"
    ERROR = "error"


class FieldState(str, enum.Enum):
    READ = "read"  # a number printed in the cell
    EMPTY = "empty"  # the cell is printed empty ("", "/", "—", "无"): null, counts as 0 in rules
    DERIVED = "derived"  # implied by other cells (a collapsed row summing to 0)
    AMBIGUOUS = "ambiguous"  # several placements satisfy the rules equally
    MISSING = "missing"  # not found or unreadable


def rule_value_of(state: FieldState, value: Number | None) -> Number | None:
    """What a rule counts of a field: its number, 0 where printed empty, None where unread."""
    if state is FieldState.EMPTY:
        return 0
    return value if state in (FieldState.READ, FieldState.DERIVED) else None


@dataclass(frozen=True)
class FieldReading:
    value: Number | None
    state: FieldState
    origin: Origin | None = None
    note: str | None = None

    @property
    def rule_value(self) -> Number | None:
        return rule_value_of(self.state, self.value)

    def as_dict(self) -> dict:
        out: dict = {"value": json_number(self.value), "state": self.state.value}
        if self.origin is not None:
            out.update(self.origin.as_dict())
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Report:
    source: str
    format: str | None
    agency: str | None
    year: int | None
    status: Status
    readings: dict[str, FieldReading] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = ()
    ambiguities: tuple[dict, ...] = ()
    ties: tuple[Tie, ...] = ()
    extra_rows: tuple[dict, ...] = ()
    errors: tuple[StageError, ...] = ()

    @property
    def fields(self) -> dict[str, int | float | None]:
        return {key: json_number(r.value) if r.state in (FieldState.READ, FieldState.DERIVED) else None
                for key, r in self.readings.items()}

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "status": self.status.value,
            "fields": self.fields,
            "checks": [check.as_dict() for check in self.checks],
            "warnings": list(self.warnings),
            "cells": {key: r.as_dict() for key, r in self.readings.items()},
            "ambiguities": list(self.ambiguities),
            "ties": [tie.as_dict() for tie in self.ties],
            "extra_rows": list(self.extra_rows),
            "errors": [e.as_dict() for e in self.errors],
        }


def status_of(readings: dict[str, FieldReading], checks: tuple[Check, ...]) -> Status:
    return status_from((r.state for r in readings.values()), (check.ok for check in checks),
                       in_doubt=any(check.doubt is not None for check in checks))


def status_from(states: Iterable[FieldState], oks: Iterable[bool | None], *, in_doubt: bool = False) -> Status:
    """A failed rule wins over fields left unread (docs/output.md); a rule that fails as read but holds
    under a plausible reading of its cells leaves the report incomplete, never verified."""
    if any(ok is False for ok in oks):
        return Status.FAILED_CHECKS
    if in_doubt or any(state in (FieldState.MISSING, FieldState.AMBIGUOUS) for state in states):
        return Status.INCOMPLETE
    return Status.VERIFIED


def error_report(source: str, message: str, stage: Stage, *, year: int | None = None,
                 agency: str | None = None) -> Report:
    return Report(source=source, format=None, agency=agency, year=year, status=Status.ERROR,
                  warnings=(message,), errors=(StageError(stage, message),))
