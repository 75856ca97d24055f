"""Rows of a report become its statutory fields, verified: the whole of stage 3 in one function."""

from __future__ import annotations

from dataclasses import dataclass, replace

from disclosure.layout.cell_text import normalize_text
from disclosure.layout.rows import RowSequence
from disclosure.table_recon.alternatives import choose_alternatives, doubts
from disclosure.table_recon.detect import detect_format
from disclosure.table_recon.doubt import (
    Doubt,
    Plausible,
    cell_plausible,
    holding_readings,
    unique_holding,
    with_doubt,
    with_unsure_cells,
)
from disclosure.table_recon.formats import FormatSpec, field_key
from disclosure.table_recon.narrative import find_ties
from disclosure.table_recon.placement import solve
from disclosure.table_recon.report import (
    FieldReading,
    FieldState,
    Report,
    Stage,
    StageError,
    Status,
    error_report,
    status_of,
)
from disclosure.table_recon.row_align import HowMatched
from disclosure.table_recon.row_match import MatchedRow, match_rows
from disclosure.table_recon.row_readings import HowRead, Piece, TooManyCandidates, Unit, row_candidates
from disclosure.table_recon.rules import Rule, build_rules, evaluate, evaluate_all, json_number, rules_within


def _unit_for(match: MatchedRow, fmt: FormatSpec, warnings: list[str]) -> Unit:
    """The candidate readings of a matched row, narrowed by the rules within the row.

    Tried in turn: the cells as printed, digit runs as joined cells, stray numbers dropped; and
    last, with the row's rules ignored, so that a row whose own total is off stays a finding (one
    reading) or an ambiguity (several), never a mended row: then every way the runs may have been
    joined, with or without blanks dropped, since no rule tells them apart."""
    keys = match.table.field_keys(match.spec)
    cells = match.row.cells
    local = list(rules_within(fmt, keys))
    attempts = [(local, {}), (local, {"joined": True}), (local, {"liberal": True}),
                ((), {"joined": True} if local else {})]
    candidates: tuple = ()
    for used, options in attempts if local else attempts[-1:]:
        try:
            produced = row_candidates(cells, keys, used, **options)
        except TooManyCandidates as many:
            return Unit(keys, many.candidates, truncated=True)
        candidates = tuple(c for c in produced if _holds(used, keys, c))
        if candidates:
            break
    if local and not used and len(candidates) > 1:
        warnings.append(f"no placement of the cells of {match.spec.label} satisfies its own row total; "
                        f"the row is left ambiguous")
    if not candidates:  # nothing fits the columns: every key of the row is unread
        origin = cells[0].origin if cells else None
        candidates = (tuple(Piece(None, origin, HowRead.UNREADABLE) for _ in keys),)
    return Unit(keys, candidates)


def _holds(rules, keys, candidate) -> bool:
    values = {k: p.rule_value for k, p in zip(keys, candidate)}
    return all(evaluate(rule, values).ok is not False for rule in rules)


def _reading(piece: Piece) -> FieldReading:
    if piece.how is HowRead.UNREADABLE:
        return FieldReading(None, FieldState.MISSING, piece.origin, "the cell holds text, not a number")
    if piece.how is HowRead.DROPPED:
        return FieldReading(None, FieldState.EMPTY, None, "a blank cell dropped from the flattened text; "
                                                          "placed by the rules")
    if piece.how is HowRead.EMPTY:
        return FieldReading(None, FieldState.EMPTY, piece.origin)
    note = "split from a joined digit run by the rules" if piece.how is HowRead.SPLIT else None
    return FieldReading(piece.value, FieldState.READ, piece.origin, note)


@dataclass(frozen=True)
class Reconstruction:
    readings: dict[str, FieldReading]
    warnings: tuple[str, ...]
    ambiguities: tuple[dict, ...]
    extra_rows: tuple[dict, ...]
    tables_seen: frozenset[str]
    failing: frozenset[str]  # rules failing under every placement of the cells the rules leave open
    plausible: tuple[Plausible, ...]  # rows whose reading is in doubt, with their other readings


def _row_doubts(matches, units: list[Unit], set_aside: list[Unit]) -> tuple[Plausible, ...]:
    """The rows that may read otherwise: several placements of their cells, a label matched loosely or
    by place (then any values at all), a label printed twice (then the other row's cells too)."""
    others: dict[str, list[Unit]] = {}
    for match, unit in zip(matches.set_aside, set_aside):
        others.setdefault(f"{match.table.name}.{match.spec.key}", []).append(unit)
    out = []
    for match, unit in zip(matches.matched, units):
        options = [tuple(p.rule_value for p in c) for c in unit.candidates]
        reasons = [f"{len(options)} placements of its cells"] if len(options) > 1 else []
        for other in others.get(f"{match.table.name}.{match.spec.key}", ()):
            options += [tuple(p.rule_value for p in c) for c in other.candidates]
            reasons.append(f"its label is printed twice ({match.label!r})")
        lost = {tuple(None if p.how is HowRead.DROPPED else p.rule_value for p in c) for c in unit.candidates
                if any(p.how is HowRead.DROPPED for p in c)}
        if lost:  # a cell missing from the text may have been a blank, or a number the copy lost
            options += sorted(lost, key=str)
            reasons.append("a cell missing from the text, taken as blank, may have held a number")
        if unit.truncated or match.how in (HowMatched.LOOSE, HowMatched.POSITION):
            options.append((None,) * len(unit.keys))
            matched = "loosely" if match.how is HowMatched.LOOSE else "by its place"
            reasons.append("too many placements to list" if unit.truncated else
                           f"its label {match.label!r} matched {matched}")
        options = list(dict.fromkeys(options))
        if len(options) > 1:
            out.append(Plausible(unit.keys, tuple(options), f"row {match.spec.label}: {'; '.join(reasons)}"))
    return tuple(out)


def reconstruct(rows: RowSequence, fmt: FormatSpec) -> Reconstruction:
    rules = build_rules(fmt)
    matches = match_rows(rows.rows, fmt)
    warnings = list(matches.warnings)
    units = [_unit_for(m, fmt, warnings) for m in matches.matched]
    plausible = _row_doubts(matches, units, [_unit_for(m, fmt, []) for m in matches.set_aside])
    placement = solve(units, rules)

    readings: dict[str, FieldReading] = {}
    for key, piece in placement.placed.items():
        readings[key] = _reading(piece)
    ambiguities = []
    for key, pieces in placement.ambiguous.items():
        readings[key] = FieldReading(None, FieldState.AMBIGUOUS, None,
                                     "several placements of the flattened cells satisfy the rules")
        ambiguities.append({"field": key, "candidates": [json_number(p.value) for p in pieces]})
    if placement.exhausted:
        warnings.append("the placement search hit its limit: every cell it had to place is left ambiguous")

    for match in matches.matched:
        if match.how is HowMatched.POSITION:
            for key in match.table.field_keys(match.spec):
                if key in readings:
                    readings[key] = FieldReading(readings[key].value, readings[key].state, readings[key].origin,
                                                 f"label {match.label!r} read by position")
        if match.spec.collapses:
            _expand_collapsed(match, readings, warnings)

    for key in fmt.keys():
        readings.setdefault(key, FieldReading(None, FieldState.MISSING, None, "not found in the report"))
    readings = {key: readings[key] for key in fmt.keys()}

    for table in fmt.tables:
        name = f"{table.title.numeral} ({table.title.short})"  # 二 (主动公开)
        if table.name not in matches.tables_seen:
            warnings.append(f"table {name} not found")
        else:
            missing = [row.label for row in table.rows if not row.collapses
                       and all(readings[k].state is FieldState.MISSING for k in table.field_keys(row))]
            if missing and len(missing) < len(table.row_keys()):
                warnings.append(f"table {name}: rows not found: {', '.join(missing)}")
            elif missing:
                warnings.append(f"table {name}: no rows could be read")
    extra = [{"table": name, "label": row.label, "cells": [c.text for c in row.cells],
              "origin": row.label_origins[0].as_dict() if row.label_origins else None}
             for name, row in matches.extra if any(normalize_text(c.text) for c in row.cells)]
    if placement.failures > len(placement.failing):
        named = f"only {len(placement.failing)} of them the same rule" if placement.failing else "no one rule"
        warnings.append(f"every placement of the flattened cells that the rules leave open fails {placement.failures} "
                        f"rules, {named} in all of them")
    return Reconstruction(readings, tuple(warnings), tuple(ambiguities), tuple(extra), frozenset(matches.tables_seen),
                          placement.failing, plausible)


def _expand_collapsed(match: MatchedRow, readings: dict[str, FieldReading], warnings: list[str]) -> None:
    """A collapsed row's parts are known only where the printed sum is 0 (counts cannot be negative)."""
    sums = [readings.pop(field_key(match.table.name, match.spec.key, col), None) for col in match.spec.columns]
    warnings.append(f"{match.spec.label} is printed as one row instead of its {len(match.spec.collapses)} "
                    f"sub-rows; sub-rows are derived where the row is 0")
    for part in match.spec.collapses:
        for col, total in zip(match.spec.columns, sums):
            key = field_key(match.table.name, part, col)
            if total is not None and total.rule_value == 0:
                readings[key] = FieldReading(0, FieldState.DERIVED, total.origin,
                                             f"{match.spec.label} printed as one row of 0")
            else:
                readings[key] = FieldReading(None, FieldState.MISSING, total.origin if total else None,
                                             f"{match.spec.label} printed as one row; its parts are unknown")


def read_report(rows: RowSequence, *, errors: tuple[StageError, ...] = (), narrative: bool = True) -> Report:
    """The report of the rows; without `narrative` (paragraphs left unread: what is left of them
    would give ties to half sentences), no ties of the prose to the tables."""
    lines = [text for text, _ in rows.text_lines]
    detection = detect_format(lines)
    if detection.format is None:
        report = error_report(rows.source, detection.reason, Stage.TABLE_RECON, year=detection.year,
                              agency=detection.agency)
        return replace(report, errors=errors + report.errors)
    fmt = detection.format
    recon = reconstruct(rows, fmt)
    readings, warnings = recon.readings, list(recon.warnings)
    if not recon.tables_seen and all(r.state is FieldState.MISSING for r in readings.values()):
        message = "no statutory tables found in the report"
        return Report(rows.source, fmt.name, detection.agency, detection.year, Status.ERROR,
                      warnings=(message,), errors=errors + (StageError(Stage.TABLE_RECON, message),))
    rules = build_rules(fmt)
    readings, choices = choose_alternatives(readings, rules)
    readings, checks, doubt_warnings = verify(readings, rules, recon.plausible, recon.failing)
    warnings += doubt_warnings
    warnings += [f"alternative reading taken: {choice.describe()}" for choice in choices]
    warnings += doubts(readings, checks)
    ties = find_ties(rows.text_lines, {key: r.rule_value for key, r in readings.items()}) if narrative else ()
    for tie in ties:
        if tie.ok is False:
            warnings.append(f"the text says {tie.phrase} {tie.narrative}件 ({tie.origin.describe()}) but the "
                            f"table gives {tie.table}: “{tie.sentence}”")
    for note in rows.notes:
        warnings.append(note)
    return Report(rows.source, fmt.name, detection.agency, detection.year, status_of(readings, checks),
                  readings, checks, tuple(warnings), recon.ambiguities, ties, recon.extra_rows, errors)


def verify(readings: dict[str, FieldReading], rules: tuple[Rule, ...], rows_in_doubt: tuple[Plausible, ...] = (),
           failing: frozenset[str] = frozenset()) -> tuple[dict[str, FieldReading], tuple, list[str]]:
    """The readings and the checks, each failing rule a finding only where no plausible reading of its
    cells makes it hold; a rule whose cells stay ambiguous is a finding where it fails under every
    reading of them. Where exactly one combination of the recognised cells' plausible readings makes
    every rule hold, it is taken."""
    readings = dict(readings)
    values = {key: r.rule_value for key, r in readings.items()}
    rows_in_doubt = tuple(with_unsure_cells(group, readings) for group in rows_in_doubt)
    row_keys = {key for group in rows_in_doubt for key in group.keys}
    cells = [group for key, reading in readings.items() if key not in row_keys
             and (group := cell_plausible(key, reading)) is not None]
    checks = evaluate_all(rules, values)
    failed = {key for check in checks if check.ok is False for key in check.keys}
    warnings = []
    change = unique_holding([g for g in cells if failed.intersection(g.keys)], values, rules) if failed else None
    if change:
        whys = {group.keys[0]: group.why for group in cells}
        for key, value in change.items():
            note = (f"read {readings[key].origin.raw!r}, taken as {json_number(value)}: the one plausible reading of "
                    f"the cells in doubt under which every rule holds ({whys[key]})")
            readings[key] = replace(readings[key], value=value, state=FieldState.READ, note=note)
            warnings.append(f"reading taken: {key}: {note}")
        values = {key: r.rule_value for key, r in readings.items()}
        checks = evaluate_all(rules, values)
    groups = list(rows_in_doubt) + cells
    by_id = {rule.id: rule for rule in rules}
    settled = []
    for check in checks:
        # a rule whose cells stay ambiguous and that fails under every placement failing the fewest
        # rules: a finding where no placement at all makes it hold, in doubt otherwise
        if check.ok is None and check.rule in failing:
            found = holding_readings(by_id[check.rule], values, groups)
            if found is None:
                check = replace(check, ok=False)
                warnings.append(f"{check.rule} fails under every placement of the flattened cells")
            elif found[0]:
                check = replace(check, doubt=Doubt(*found))
        settled.append(check)
    checks = with_doubt(settled, rules, values, groups)
    for check in checks:
        if check.doubt is not None:
            read = (f"as read ({json_number(check.lhs)} ≠ {json_number(check.rhs)})" if check.lhs is not None
                    and check.rhs is not None else "under the likeliest placements of its cells")
            warnings.append(f"{check.rule} fails {read} but holds under a plausible reading of its cells: "
                            f"{'; '.join(group.why for group in check.doubt.groups)}; not a finding")
    return readings, checks, warnings
