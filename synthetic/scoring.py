"""Comparing a report read by the service with the truth it was generated from."""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.table_recon.report import Report
from synthetic.values import Truth


@dataclass(frozen=True)
class Score:
    fields: int  # keys of the format
    right: int  # placed keys equal to the truth
    wrong: tuple[str, ...]  # placed keys that differ from the truth: always a bug
    ambiguous: int  # keys reported ambiguous, with the truth among the candidates
    ambiguous_missed: tuple[str, ...]  # keys reported ambiguous without the truth among the candidates
    unread: tuple[str, ...]  # keys neither placed nor reported ambiguous

    @property
    def accuracy_where_placed(self) -> float:
        placed = self.right + len(self.wrong)
        return self.right / placed if placed else 1.0


def score(truth: Truth, report: Report) -> Score:
    expected = truth.expected_fields()
    got = report.fields
    candidates = {a["field"]: a["candidates"] for a in report.ambiguities}
    right, wrong, ambiguous, missed, unread = 0, [], 0, [], []
    for key, value in expected.items():
        if key in candidates:
            truthy = [None if c is None else c for c in candidates[key]]
            (missed.append(key) if value not in truthy and not (value is None and 0 in truthy) else None)
            ambiguous += key not in missed
        elif key not in report.readings or report.readings[key].state.value == "missing":
            unread.append(key)
        elif got[key] == value:
            right += 1
        else:
            wrong.append(key)
    return Score(len(expected), right, tuple(wrong), ambiguous, tuple(missed), tuple(unread))


@dataclass(frozen=True)
class Findings:
    """A report's failed rules against the errors its truth prints."""

    false: tuple[str, ...]  # rules reported failing that hold as printed: the worst outcome
    found: tuple[str, ...]  # printed errors reported failing
    in_doubt: tuple[str, ...]  # printed errors reported in doubt (ok null with the cells named)
    missed: tuple[str, ...]  # printed errors reported holding, or not evaluated with nothing said

    @property
    def falsely_failed(self) -> bool:
        return bool(self.false)


def findings(truth: Truth, report: Report) -> Findings:
    failing = {c.rule for c in report.checks if c.ok is False}
    doubted = {c.rule for c in report.checks if c.doubt is not None}
    unevaluated = {c.rule for c in report.checks if c.ok is None}
    printed = set(truth.failing_rules)
    return Findings(tuple(sorted(failing - printed)), tuple(sorted(failing & printed)),
                    tuple(sorted((doubted & printed) - failing)),
                    tuple(sorted(printed - failing - doubted - unevaluated)))
