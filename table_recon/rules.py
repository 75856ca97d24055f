"""The rules (勾稽关系) of SPEC §3, derived from a format, and their evaluation.

Each rule says sum(lhs) == sum(rhs). A cell printed empty counts as 0; a field that could not be
read leaves the rule unevaluated (`ok` None). A failed rule is a finding about the report.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, APPLY_COLUMNS, FormatSpec, field_key

if TYPE_CHECKING:
    from disclosure.table_recon.doubt import Doubt

Number = int | Decimal


@dataclass(frozen=True)
class Rule:
    id: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    official: bool = False  # printed in the table itself, not derived

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Check:
    rule: str
    ok: bool | None
    lhs: Number | None
    rhs: Number | None
    keys: tuple[str, ...]
    doubt: Doubt | None = None  # it fails as read, but a plausible reading of its cells makes it hold

    def as_dict(self) -> dict:
        out = {"rule": self.rule, "ok": self.ok, "lhs": json_number(self.lhs), "rhs": json_number(self.rhs)}
        if self.doubt is not None:
            out["doubt"] = self.doubt.as_dict()
        return out


def json_number(value: Number | None) -> int | float | None:
    """A count as an int, an amount as an int or a float: what JSON can carry."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@functools.lru_cache(maxsize=None)
def build_rules(fmt: FormatSpec) -> tuple[Rule, ...]:
    apply = fmt.table("apply")
    rows = {row.key: row for row in apply.rows if not row.collapses}
    outcome_rows = [key for key, row in rows.items() if row.outcome]
    rules: list[Rule] = []
    for col in APPLY_COLUMNS:
        k = lambda row: field_key("apply", row, col)  # noqa: E731
        rules.append(Rule(f"apply.balance.{col}", (k("received"), k("carried_in")),
                          (k("total"), k("carried_over")), official=True))
    for row in rows:
        parts = tuple(field_key("apply", row, col) for col in APPLY_COLUMNS[:-1])
        rules.append(Rule(f"apply.row_sum.{row}", (field_key("apply", row, "total"),), parts))
    for col in APPLY_COLUMNS:
        rules.append(Rule(f"apply.outcome_sum.{col}", (field_key("apply", "total", col),),
                          tuple(field_key("apply", row, col) for row in outcome_rows)))
    for group in APPEAL_GROUPS:
        parts = tuple(field_key("appeal", "", f"{group}.{col}") for col in APPEAL_COLUMNS[:-1])
        rules.append(Rule(f"appeal.sum.{group}", (field_key("appeal", "", f"{group}.total"),), parts))
    return tuple(rules)


def side_sum(keys: tuple[str, ...], values: Mapping[str, Number | None]) -> Number | None:
    total: Number = 0
    for key in keys:
        value = values.get(key)
        if value is None:
            return None
        total += value
    return total


def evaluate(rule: Rule, values: Mapping[str, Number | None]) -> Check:
    """`values` holds numbers for read cells, 0 for cells printed empty, None for unread ones."""
    lhs, rhs = side_sum(rule.lhs, values), side_sum(rule.rhs, values)
    ok = None if lhs is None or rhs is None else lhs == rhs
    return Check(rule.id, ok, lhs, rhs, rule.keys)


def evaluate_all(rules: tuple[Rule, ...], values: Mapping[str, Number | None]) -> tuple[Check, ...]:
    return tuple(evaluate(rule, values) for rule in rules)


@functools.lru_cache(maxsize=None)
def rules_within(fmt: FormatSpec, keys: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules of a format that involve only these keys (a row's own rules)."""
    inside = set(keys)
    return tuple(rule for rule in build_rules(fmt) if inside.issuperset(rule.keys))
