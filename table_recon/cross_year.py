"""Cross-year ties (SPEC §3): one agency's report of year N against its report of year N-1.

A tie is a finding about the pair, never a change of either report's status. Reports are grouped
by the agency they print (`agency.agency_key`), never by file name. Where one agency has several
reports of one year (a revised report published again), one is tied and the others are listed
beside it, so no pair is tied twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from disclosure.table_recon.formats import APPLY_COLUMNS, field_key
from disclosure.table_recon.rules import Number, signed_sum

IN_FORCE_ROWS = ("rules", "normative")
# every field a tie reads, of either year
TIE_FIELDS = (*(field_key("apply", row, col) for row in ("carried_in", "carried_over") for col in APPLY_COLUMNS),
              *(field_key("active", row, col) for row in IN_FORCE_ROWS for col in ("issued", "repealed", "in_force")))
STATUS_PREFERENCE = ("verified", "failed_checks", "incomplete", "error")


@dataclass(frozen=True)
class YearReport:
    """What the ties need of one report. `values` are rule values: a number for a read cell, 0 for
    one printed empty, None for one not read."""

    report: str  # the document id
    agency: str  # the agency key
    year: int
    format: str
    values: Mapping[str, Number | None]
    status: str = "verified"
    fields_unread: int = 0

    @property
    def preference(self) -> tuple:
        """Which of one agency's reports of one year is tied: the best read, then the first id."""
        rank = STATUS_PREFERENCE.index(self.status) if self.status in STATUS_PREFERENCE else len(STATUS_PREFERENCE)
        return rank, self.fields_unread, self.report


@dataclass(frozen=True)
class CrossYearTie:
    rule: str  # ties.carried_in.<col> or ties.in_force.<row>
    agency: str
    year: int
    prior_year: int
    ok: bool | None
    lhs: Number | None  # this year's side
    rhs: Number | None  # what last year's report (and this year's changes) make of it
    report: str
    prior_report: str | None
    lhs_keys: tuple[str, ...]  # fields of this year's report
    prior_keys: tuple[str, ...]  # fields of the prior year's report

    def as_dict(self) -> dict:
        return {"rule": self.rule, "agency": self.agency, "year": self.year, "prior_year": self.prior_year,
                "ok": self.ok, "lhs": self.lhs, "rhs": self.rhs, "report": self.report,
                "prior_report": self.prior_report, "lhs_keys": list(self.lhs_keys),
                "prior_keys": list(self.prior_keys)}


@dataclass(frozen=True)
class SameYear:
    """One agency's several reports of one year: `tied` is the one the ties use."""

    agency: str
    year: int
    tied: str
    others: tuple[str, ...]


def _tie(rule: str, this: YearReport, prior: YearReport | None, lhs_keys: tuple[str, ...],
         this_terms: tuple[tuple[int, str], ...], prior_terms: tuple[tuple[int, str], ...]) -> CrossYearTie:
    lhs = signed_sum((1, this.values.get(k)) for k in lhs_keys)
    rhs = None
    if prior is not None:
        rhs = signed_sum([(s, prior.values.get(k)) for s, k in prior_terms]
                         + [(s, this.values.get(k)) for s, k in this_terms])
    ok = None if lhs is None or rhs is None else lhs == rhs
    return CrossYearTie(rule, this.agency, this.year, this.year - 1, ok, lhs, rhs, this.report,
                        prior.report if prior else None, lhs_keys + tuple(k for _, k in this_terms),
                        tuple(k for _, k in prior_terms))


def ties_of_pair(this: YearReport, prior: YearReport | None) -> tuple[CrossYearTie, ...]:
    """Every tie of `this` report to its agency's report of the year before (None: absent)."""
    ties = []
    for col in APPLY_COLUMNS:
        key = field_key("apply", "carried_in", col)
        ties.append(_tie(f"ties.carried_in.{col}", this, prior, (key,), (),
                         ((1, field_key("apply", "carried_over", col)),)))
    if this.format == "2021" and (prior is None or prior.format == "2021"):
        for row in IN_FORCE_ROWS:
            k = lambda col: field_key("active", row, col)  # noqa: E731
            ties.append(_tie(f"ties.in_force.{row}", this, prior, (k("in_force"),),
                             ((1, k("issued")), (-1, k("repealed"))), ((1, k("in_force")),)))
    return tuple(ties)


def cross_year_ties(reports: Iterable[YearReport]) -> tuple[tuple[CrossYearTie, ...], tuple[SameYear, ...]]:
    """The ties of every report to its agency's report of the year before, and the agency-years
    printed more than once."""
    by_year: dict[tuple[str, int], list[YearReport]] = defaultdict(list)
    for report in reports:
        by_year[(report.agency, report.year)].append(report)
    tied: dict[tuple[str, int], YearReport] = {}
    same_year = []
    for (agency, year), group in sorted(by_year.items()):
        group.sort(key=lambda r: r.preference)
        tied[(agency, year)] = group[0]
        if len(group) > 1:
            same_year.append(SameYear(agency, year, group[0].report, tuple(r.report for r in group[1:])))
    ties = []
    for (agency, year), this in sorted(tied.items()):
        ties.extend(ties_of_pair(this, tied.get((agency, year - 1))))
    return tuple(ties), tuple(same_year)
