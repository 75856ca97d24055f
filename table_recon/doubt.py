"""A failed rule is a finding only where no plausible reading of its cells makes it hold.

A cell's plausible readings are what it may have printed, given how it was read: the other readings
the recogniser gave weight to; for a digit the recogniser was unsure of, or one under a seal or
noise, the digits it is commonly mistaken for (and, under a seal, a blank whose "digit" was the
seal's residue); every placement of a row whose blanks or separators the text lost; and for a row
matched by a loose label or by its place, or one whose label was printed twice, the other row or
no knowledge at all. Cells that vary together (a row's placements) are one `Plausible` group.

For each failing rule the sums its groups can reach are walked (a small set: each group adds one of
a few values); if zero is among them, the rule is no finding: `ok` null and a `Doubt` saying which
cells and which readings make it hold. Cells read from a text layer or markup have no group, so a
rule that fails on them alone stays a finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from disclosure.layout.cell_text import CellKind, parse_cell
from disclosure.table_recon.report import FieldReading, FieldState
from disclosure.table_recon.residual_walk import supported_readings
from disclosure.table_recon.rules import Check, Number, Rule, json_number, signed_sum

# Pairs of digits a recogniser mistakes for one another on blurred, stamped or noisy print.
_CONFUSED = ("06", "08", "09", "03", "17", "14", "27", "23", "35", "38", "49", "56", "58", "68", "89")
CONFUSABLE = {d: "".join(sorted({p[1 - p.index(d)] for p in _CONFUSED if d in p})) for d in "0123456789"}
MAX_SUMS = 50_000  # distinct partial sums of one rule; past it the rule is taken as in doubt
MAX_WITNESSES = 3
UNSURE_CONFIDENCE = 0.9  # below it a recognised digit may be any digit it is mistaken for
UNREADABLE_CONFIDENCE = 0.5  # below it the recogniser's reading says next to nothing of the number


@dataclass(frozen=True)
class Plausible:
    """Keys that vary together, the readings they may have (rule values, None for unknown), why."""

    keys: tuple[str, ...]
    options: tuple[tuple[Number | None, ...], ...]
    why: str

    def as_dict(self) -> dict:
        return {"fields": list(self.keys), "why": self.why,
                "readings": [[json_number(v) for v in option] for option in self.options]}


@dataclass(frozen=True)
class Doubt:
    """Why a failing rule is no finding: its cells in doubt, and readings under which it holds."""

    groups: tuple[Plausible, ...]
    holds_under: tuple[Mapping[str, Number | None], ...]  # each: the cells changed, their values

    def as_dict(self) -> dict:
        return {"cells": [group.as_dict() for group in self.groups],
                "holds_under": [{key: json_number(value) for key, value in witness.items()}
                                for witness in self.holds_under]}


def digit_confusions(text: str, *, blank_too: bool) -> tuple[Number, ...]:
    """Numbers one mistaken digit away from `text` (a digit swapped for a confusable one, or lost,
    or a stray one added next to it), and 0 where the mark may be no print at all."""
    out: set[Number] = set()
    digits = "".join(ch for ch in text if ch.isdigit())
    for i, ch in enumerate(digits):
        for other in CONFUSABLE.get(ch, ""):
            out.add(int(digits[:i] + other + digits[i + 1:]))
        if len(digits) > 1:
            out.add(int(digits[:i] + digits[i + 1:]))
        out.add(int(digits[:i] + ch + digits[i:]))  # a stroke read twice: "1" for "11" and back
    if blank_too:
        out.add(0)
    if not digits:  # a blank cell under a seal may hide any one digit
        out.update(range(10))
    return tuple(sorted(out))


def cell_plausible(key: str, reading: FieldReading) -> Plausible | None:
    """A recognised cell's plausible readings, None where it has no other (a text layer's, markup's,
    or a digit the recogniser was sure of and that nothing crossed)."""
    origin = reading.origin
    if origin is None or reading.state not in (FieldState.READ, FieldState.EMPTY):
        return None
    values: dict[Number | None, None] = {reading.rule_value: None}
    for text, _ in origin.alternatives:
        parsed = parse_cell(text)
        if parsed.kind is CellKind.NUMBER:
            values.setdefault(parsed.number)
        elif parsed.kind is CellKind.EMPTY:
            values.setdefault(0)
    others = ", ".join(repr(text) for text, _ in origin.alternatives)
    reasons = [f"the recogniser also read {others}"] if len(values) > 1 else []
    unsure = origin.confidence < UNSURE_CONFIDENCE
    if unsure or origin.doubts:
        digits = origin.raw if reading.state is FieldState.READ else ""
        # an unsure "digit" or one under a seal may be a speck or the seal's residue on a blank cell
        for number in digit_confusions(digits, blank_too=unsure or "seal" in origin.doubts):
            values.setdefault(number)
        reasons += [f"read with confidence {origin.confidence:.2f}"] if unsure else []
        if origin.confidence < UNREADABLE_CONFIDENCE:  # hardly a reading at all: it may be any number
            values.setdefault(None)
        reasons += [{"seal": "under a seal", "noise": "crossed by specks or a fold"}.get(d, d) for d in origin.doubts]
    if len(values) == 1:
        return None
    return Plausible((key,), tuple((v,) for v in values), f"{key} read {origin.raw!r}: {'; '.join(reasons)}")


def _unsure(reading: FieldReading | None) -> bool:
    origin = reading.origin if reading is not None else None
    return origin is not None and (origin.confidence < UNSURE_CONFIDENCE or bool(origin.doubts))


def with_unsure_cells(group: Plausible, readings: Mapping[str, FieldReading]) -> Plausible:
    """A row's placements, and beside each the same with every cell the recogniser was unsure of (or
    read under a seal) left open: a run of digits split by the rules carries its misread digits
    into whichever cells it is split into, so no one digit's confusions say what they may be."""
    unsure = {key for key in group.keys if _unsure(readings.get(key))}
    if not unsure:
        return group
    opened = tuple(tuple(None if key in unsure else value for key, value in zip(group.keys, option))
                   for option in group.options)
    named = ", ".join(f"{key} read {readings[key].origin.raw!r}" for key in group.keys if key in unsure)
    return Plausible(group.keys, tuple(dict.fromkeys(group.options + opened)),
                     f"{group.why}; the recogniser was unsure of {named}")


def _contribution(rule: Rule, keys: Sequence[str], option: Sequence[Number | None]) -> Number | None | str:
    """What one reading of a group adds to lhs − rhs; None where it leaves the rule unknown; "" where
    none of its keys is in the rule."""
    if not any(rule.sign(key) for key in keys):
        return ""
    return rule.contribution(keys, option)


def _base(rule: Rule, values: Mapping[str, Number | None], free: set[str]) -> Number | None:
    return signed_sum((rule.sign(key), values.get(key)) for key in rule.keys if key not in free)


def holding_readings(rule: Rule, values: Mapping[str, Number | None],
                     groups: Sequence[Plausible]) -> tuple[tuple[Plausible, ...], tuple[dict, ...]] | None:
    """The groups that touch the rule and up to a few readings of them under which it holds, or None
    where no plausible reading makes it hold."""
    free = {key for group in groups for key in group.keys}
    base = _base(rule, values, free)
    if base is None:
        return (), ()
    involved: list[tuple[Plausible, dict[Number, int]]] = []
    for group in groups:
        adds: dict = {}
        for index, option in enumerate(group.options):
            add = _contribution(rule, group.keys, option)
            if add == "":
                break
            adds.setdefault(add, index)
        else:
            involved.append((group, adds))
    if not involved:
        return None
    # reachable sums, each with the readings that reach it
    reach: dict[Number | None, tuple[int, ...]] = {base: ()}
    for group, adds in involved:
        step: dict = {}
        for total, path in reach.items():
            for add, index in adds.items():
                new = None if total is None or add is None else total + add
                step.setdefault(new, path + (index,))
        reach = step
        if len(reach) > MAX_SUMS:
            return tuple(g for g, _ in involved), ()
    paths = [reach[target] for target in (None, 0, Decimal(0)) if target in reach]
    if not paths:
        return None
    witnesses = []
    for path in paths[:MAX_WITNESSES]:
        witness: dict = {}
        for (group, _), index in zip(involved, path):
            for key, value in zip(group.keys, group.options[index]):
                if key in rule.keys and value != values.get(key):
                    witness[key] = value
        witnesses.append(witness)
    return tuple(g for g, _ in involved), tuple(witnesses)


def with_doubt(checks: Sequence[Check], rules: Sequence[Rule], values: Mapping[str, Number | None],
               groups: Sequence[Plausible]) -> tuple[Check, ...]:
    """The checks, each failed one that a plausible reading of its cells makes hold set to `ok`
    None with its `Doubt`."""
    by_id = {rule.id: rule for rule in rules}
    out = []
    for check in checks:
        if check.ok is False and check.rule in by_id:
            found = holding_readings(by_id[check.rule], values, groups)
            if found is not None:
                touched, witnesses = found
                check = Check(check.rule, None, check.lhs, check.rhs, check.keys, Doubt(touched, witnesses))
        out.append(check)
    return tuple(out)


def unique_holding(groups: Sequence[Plausible], values: Mapping[str, Number | None],
                   rules: Sequence[Rule]) -> dict[str, Number] | None:
    """The cells to change where exactly one combination of the groups' readings makes every rule
    they touch hold; None where none does, several do, or finding out costs too much."""
    keys = {key for group in groups for key in group.keys}
    touching = [rule for rule in rules if keys.intersection(rule.keys)]
    fixed = {key: value for key, value in values.items() if key not in keys}
    units = [(group.keys, [list(option) for option in group.options if None not in option]) for group in groups]
    support = supported_readings(units, fixed, touching)
    if support is None or not all(len(kept) == 1 for kept in support):
        return None
    change: dict[str, Number] = {}
    for (unit_keys, options), kept in zip(units, support):
        for key, value in zip(unit_keys, options[next(iter(kept))]):
            if value != values.get(key):
                change[key] = value
    return change or None
