"""The rules (勾稽关系) of SPEC §3, derived from a format, and their evaluation.

Each rule says sum(lhs) == sum(rhs). A cell printed empty counts as 0; a field that could not be
read leaves the rule unevaluated (`ok` None). A failed rule is a finding about the report.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
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

    def sign(self, key: str) -> int:
        """+1 for a cell of the left side, -1 of the right, 0 for a cell not in the rule."""
        return 1 if key in self.lhs else -1 if key in self.rhs else 0

    def contribution(self, keys: Sequence[str], values: Sequence[Number | None]) -> Number | None:
        """What these cells add to left − right: the whole residual where they are all the rule's
        cells, a row's share where they are one row's; None where a cell of the rule is unread."""
        return signed_sum((self.sign(key), value) for key, value in zip(keys, values) if self.sign(key))


def signed_sum(terms: Iterable[tuple[int, Number | None]]) -> Number | None:
    """Σ sign × value, None where any value is unknown: the one sum every rule and tie is made of."""
    total: Number = 0
    for sign, value in terms:
        if value is None:
            return None
        total += sign * value
    return total


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
    return signed_sum((1, values.get(key)) for key in keys)


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
