"""Where a rule fails, a cell the recogniser was unsure of may have been misread; where a cell could
not be read as a number at all ("!" for a thin, blurred "1"), its rules cannot be evaluated.

The recogniser keeps, for a number cell, the other readings it gave some weight (one character
changed, dropped or added; `Origin.alternatives`). One of them is taken only when it makes every
rule the cell is part of hold (for an unreadable cell: every one of them evaluated, and holding),
and no other cell's alternative does the same for those rules; the field keeps what was read and
notes why another reading was taken. A printed error read with confidence has no such
alternative, so it stays a failed rule. Where a rule still fails, the readings in it that the
recogniser was unsure of are named.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from disclosure.layout.cell_text import CellKind, parse_cell
from disclosure.table_recon.report import FieldReading, FieldState
from disclosure.table_recon.rules import Check, Number, Rule, evaluate

DOUBTFUL_CONFIDENCE = 0.9
NAMED_DOUBTS = 3  # the least sure readings of a failed rule; a rough scan has many unsure zeros


@dataclass(frozen=True)
class Choice:
    key: str
    read: str
    taken: str
    weight: float
    rules: tuple[str, ...]  # the failed rules it makes hold

    def describe(self) -> str:
        return (f"{self.key}: read {self.read!r}, taken as {self.taken!r}, a reading the recogniser gave "
                f"weight {self.weight:.2f}, because it makes {', '.join(self.rules)} hold")


def _number(text: str) -> Number | None:
    parsed = parse_cell(text)
    return parsed.number if parsed.kind is CellKind.NUMBER else None


def _unreadable(reading: FieldReading | None) -> bool:
    """A cell that was found and read, but not as a number: its rules wait on it."""
    return (reading is not None and reading.state is FieldState.MISSING and reading.origin is not None
            and bool(reading.origin.alternatives))


def _fixes(failed: list[Rule], readings: dict[str, FieldReading], rules: tuple[Rule, ...],
           values: dict[str, Number | None]) -> list[tuple[Choice, Number]]:
    failed_ids = {rule.id for rule in failed}
    suspects = {key for rule in failed for key in rule.keys
                if (r := readings.get(key)) is not None and r.state is FieldState.READ and r.origin is not None}
    unreadable = {key for key, reading in readings.items() if _unreadable(reading)}
    found = []
    for key in sorted(suspects | unreadable):
        reading = readings[key]
        involved = [rule for rule in rules if key in rule.keys]
        for text, weight in reading.origin.alternatives:
            number = _number(text)
            if number is None or number == reading.value:
                continue
            trial = {**values, key: number}
            checks = [evaluate(rule, trial) for rule in involved]
            if key in unreadable:  # nothing failed: each of its rules must now be evaluated and hold
                fixed = tuple(c.rule for c in checks) if checks and all(c.ok for c in checks) else ()
            else:
                fixed = tuple(c.rule for c in checks if c.ok and c.rule in failed_ids)
                fixed = fixed if all(c.ok is not False for c in checks) else ()
            if fixed:
                found.append((Choice(key, reading.origin.raw, text, weight, fixed), number))
    return found


def choose_alternatives(readings: dict[str, FieldReading],
                        rules: tuple[Rule, ...]) -> tuple[dict[str, FieldReading], tuple[Choice, ...]]:
    """Readings with the alternatives taken that the rules single out, and those choices."""
    readings = dict(readings)
    choices: list[Choice] = []
    for _ in range(len(readings)):
        values = {key: r.rule_value for key, r in readings.items()}
        failed = [rule for rule in rules if evaluate(rule, values).ok is False]
        fixes = _fixes(failed, readings, rules, values)
        # a fix is taken only where no other fix competes for any of the rules it makes hold
        unique = [(choice, number) for choice, number in fixes
                  if not any(other is not choice and set(other.rules) & set(choice.rules) for other, _ in fixes)]
        if not unique:
            break
        for choice, number in unique:
            readings[choice.key] = replace(readings[choice.key], value=number, state=FieldState.READ,
                                           note=choice.describe())
            choices.append(choice)
    return readings, tuple(choices)


def doubts(readings: dict[str, FieldReading], checks: tuple[Check, ...]) -> list[str]:
    """For each failed rule, the readings in it that the recogniser was least sure of."""
    out = []
    for check in checks:
        if check.ok is not False:
            continue
        unsure = sorted(((r.origin.confidence, key, r) for key in check.keys
                         if (r := readings.get(key)) is not None and r.origin is not None
                         and r.state is FieldState.READ and r.origin.confidence < DOUBTFUL_CONFIDENCE),
                        key=lambda item: item[:2])[:NAMED_DOUBTS]
        unsure = [f"{key} (read {r.origin.raw!r}, confidence {confidence:.2f}, {r.origin.describe()})"
                  for confidence, key, r in unsure]
        if unsure:
            out.append(f"{check.rule} fails, and the recogniser was unsure of {'; '.join(unsure)}")
    return out
