"""Random but consistent field values for a statutory format, optionally with a planted error."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, APPLY_COLUMNS, FormatSpec, field_key
from disclosure.table_recon.rules import build_rules

Value = int | Decimal | None  # None: the cell is printed empty


@dataclass(frozen=True)
class Truth:
    """What a generated report prints: every key's value, and which rules were broken on purpose."""

    format: FormatSpec
    year: int
    agency: str
    values: dict[str, Value]
    planted_key: str | None = None
    failing_rules: frozenset[str] = frozenset()

    def expected_fields(self) -> dict[str, int | float | None]:
        return {k: (float(v) if isinstance(v, Decimal) and v != int(v) else None if v is None else int(v))
                for k, v in self.values.items()}


AGENCIES = ("宁波市镇海区人力资源和社会保障局", "淮安市洪泽区人民政府", "杭州市西湖区教育局", "江苏省交通运输厅",
            "成都市武侯区市场监督管理局", "广州市天河区卫生健康局")


def _sparse(rng: random.Random, scale: int, p_zero: float) -> int:
    return 0 if rng.random() < p_zero else rng.randint(1, scale)


def _apply_values(fmt: FormatSpec, rng: random.Random, scale: int,
                  carried_in_from: dict[str, int] | None = None) -> dict[str, int]:
    apply = fmt.table("apply")
    outcome_rows = [row.key for row in apply.rows if row.outcome and not row.collapses]
    values: dict[str, int] = {}
    for col in APPLY_COLUMNS[:-1]:
        busy = col == "natural" or rng.random() < 0.4
        received = _sparse(rng, scale, 0.1 if busy else 0.85)
        carried_in = _sparse(rng, max(1, scale // 5), 0.7)
        if carried_in_from is not None:  # last year's carried-over, as the agency's next report prints it
            carried_in = carried_in_from[col]
        carried_over = rng.randint(0, (received + carried_in) // 4) if received + carried_in else 0
        handled = received + carried_in - carried_over
        split = {row: 0 for row in outcome_rows}
        weights = [rng.random() ** 3 for _ in outcome_rows]
        for _ in range(handled):
            split[rng.choices(outcome_rows, weights)[0]] += 1
        values.update({field_key("apply", "received", col): received,
                       field_key("apply", "carried_in", col): carried_in,
                       field_key("apply", "carried_over", col): carried_over,
                       field_key("apply", "total", col): handled})
        values.update({field_key("apply", row, col): n for row, n in split.items()})
    for row in apply.row_keys():
        values[field_key("apply", row, "total")] = sum(values[field_key("apply", row, c)] for c in APPLY_COLUMNS[:-1])
    return values


def _appeal_values(rng: random.Random) -> dict[str, int]:
    values = {}
    for group in APPEAL_GROUPS:
        parts = {c: _sparse(rng, 6, 0.6) for c in APPEAL_COLUMNS[:-1]}
        parts["total"] = sum(parts.values())
        values.update({field_key("appeal", "", f"{group}.{c}"): v for c, v in parts.items()})
    return values


def _active_values(fmt: FormatSpec, rng: random.Random, in_force_from: dict[str, int] | None = None) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for row in fmt.table("active").rows:
        for col in row.columns:
            key = field_key("active", row.key, col)
            if col == "amount":
                values[key] = Decimal(rng.randint(0, 999999)) / 100 if rng.random() < 0.7 else Decimal(0)
            elif col == "delta":
                values[key] = rng.randint(-5, 5)
            else:
                values[key] = _sparse(rng, 500, 0.3)
        if in_force_from is not None and row.key in in_force_from and "in_force" in row.columns:
            # in force = last year's in force + issued - repealed; no more repealed than there were
            k = lambda col: field_key("active", row.key, col)  # noqa: E731
            values[k("repealed")] = min(values[k("repealed")], in_force_from[row.key] + values[k("issued")])
            values[k("in_force")] = in_force_from[row.key] + values[k("issued")] - values[k("repealed")]
    return values


def random_truth(fmt: FormatSpec, seed: int, *, plant_error: bool = False, blank_zeros: float = 0.0,
                 scale: int = 40, carried_in_from: dict[str, int] | None = None,
                 in_force_from: dict[str, int] | None = None) -> Truth:
    """Values for one report. `blank_zeros` is the share of zero counts printed as empty cells.
    `carried_in_from` (per column but the total) and `in_force_from` (per row of 规章 and 规范性文件)
    are what the agency's report of the year before carried over and had in force."""
    rng = random.Random(seed)
    year = rng.randint(*fmt.years) if fmt.years[1] < 9999 else rng.randint(fmt.years[0], 2025)
    values: dict[str, Value] = {**_active_values(fmt, rng, in_force_from),
                                **_apply_values(fmt, rng, scale, carried_in_from), **_appeal_values(rng)}
    planted, failing = None, frozenset()
    if plant_error:
        planted = rng.choice([k for k in values if k.startswith(("apply.", "appeal."))])
        old = values[planted]
        values[planted] = old + rng.choice([1, 2, 3, 10]) if old == 0 or rng.random() < 0.5 else old - 1
        failing = frozenset(rule.id for rule in build_rules(fmt) if planted in rule.keys)
    for key, value in values.items():
        if value == 0 and key.startswith(("apply.", "appeal.")) and key != planted and rng.random() < blank_zeros:
            values[key] = None
    return Truth(fmt, year, rng.choice(AGENCIES), values, planted, failing)
