"""The review page of a results folder: `index.html`, which opens from disk with no server and no
network, and `review/<id>.js`, one small script per report that the page loads when it is opened.

The list of every report (agency, year, format, status, counts) is embedded in the page itself, so
10,000 reports cost one file of about a megabyte and no request; a report's cells, failing rules,
ties and cell crops come from its own script (a `<script>` tag, which a browser loads from disk where
it refuses `fetch`). The page's code and style are `review/index.js` and `review/index.css` beside
this module, inlined so the page is one file to send.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from disclosure.table_recon.agency import agency_key
from disclosure.table_recon.cross_year import CrossYearTie, SameYear
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.rules import build_rules
from disclosure.workers.printed_labels import layout
from disclosure.workers.result_store import CROPS, write_atomically
from disclosure.workers.stored_report import StoredCell, StoredRecord

REVIEW = "review"


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no "<" to open a tag or a comment in it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _crops(root: Path, report_id: str) -> dict[str, str]:
    folder = root / CROPS / report_id
    if not folder.is_dir():
        return {}
    return {path.stem: f"{CROPS}/{report_id}/{path.name}" for path in sorted(folder.glob("*.png"))}


def _cell(cell: StoredCell) -> list:
    """[value, state, raw, where, printed, correction], the raw text left out where it is the value
    as written and the list cut after its last entry: 10,000 reports' scripts stay small."""
    raw = cell.raw
    if raw is not None and cell.value is not None and raw == str(cell.value):
        raw = None
    out = [cell.value, cell.state.value, raw, cell.where(), cell.printed, cell.correction]
    while len(out) > 2 and out[-1] in (None, ""):
        out.pop()
    return out


def _report_detail(root: Path, record: StoredRecord, ties: list[CrossYearTie]) -> dict:
    report = record.report
    fmt = FORMATS.get(report.format)
    rule_keys = {rule.id: list(rule.keys) for rule in build_rules(fmt)} if fmt else {}
    cells = report.cells
    return {
        "id": record.sha256, "source": report.source, "paths": list(record.paths),
        "agency": report.agency, "year": report.year, "format": report.format,
        "status": report.status.value, "warnings": list(report.warnings),
        # in the order of the format's keys (the page holds them once): no key repeated per report
        "cells": [_cell(cells[key]) if key in cells else None for key in (fmt.keys() if fmt else ())],
        "failed": [[c.rule, c.lhs, c.rhs, rule_keys.get(c.rule, [])] for c in report.checks if c.ok is False],
        # rules that fail as read but hold under a plausible reading of the cells named
        "in_doubt": [[c.rule, c.lhs, c.rhs, [k for g in c.doubt.cells for k in g.fields],
                      [g.why for g in c.doubt.cells]] for c in report.checks if c.doubt is not None],
        "ties": [[t.rule, t.year, t.prior_year, t.ok, t.lhs, t.rhs, t.report, t.prior_report, list(t.lhs_keys),
                  list(t.prior_keys)] for t in ties],
        "crops": _crops(root, record.sha256),
    }


def write_review_page(root: Path, records: Iterable[StoredRecord], ties: tuple[CrossYearTie, ...],
                      same_year: tuple[SameYear, ...]) -> Path:
    records = list(records)
    ties_of: dict[str, list[CrossYearTie]] = defaultdict(list)
    for tie in ties:
        ties_of[tie.report].append(tie)
        if tie.prior_report is not None:
            ties_of[tie.prior_report].append(tie)
    same_year_as = {other: group.tied for group in same_year for other in group.others}
    folder = root / REVIEW
    folder.mkdir(parents=True, exist_ok=True)
    listed, failures, written = [], [], set()
    for record in records:
        if not record.done:
            failure = record.failure
            failures.append([record.sha256, record.path or "", failure and failure.stage.value,
                             failure and failure.reason])
            continue
        report, rid = record.report, record.sha256
        listed.append([rid, report.agency or "", report.year, report.format, report.status.value,
                       report.rules_failed, report.fields_unread,
                       sum(t.ok is False and t.report == rid for t in ties_of[rid]),
                       len(report.corrected), report.source or "", same_year_as.get(rid),
                       agency_key(report.agency) or ""])
        detail = _report_detail(root, record, ties_of[rid])
        write_atomically(folder / f"{rid}.js", f"disclosureReview.loaded({_script_json(detail)});\n")
        written.add(f"{rid}.js")
    for stale in folder.glob("*.js"):
        if stale.name not in written:
            stale.unlink(missing_ok=True)
    data = {"layout": {name: layout(fmt) for name, fmt in FORMATS.items()},
            "keys": {name: list(fmt.keys()) for name, fmt in FORMATS.items()}, "reports": listed,
            "failures": failures, "root": REVIEW}
    assets = resources.files("disclosure.workers") / "review"
    page = (assets / "index.html").read_text(encoding="utf-8")
    page = page.replace("/*STYLE*/", (assets / "index.css").read_text(encoding="utf-8"))
    page = page.replace("/*CODE*/", (assets / "index.js").read_text(encoding="utf-8"))
    page = page.replace("/*DATA*/", _script_json(data))  # last: no report's text is searched again
    path = root / "index.html"
    write_atomically(path, page)
    return path
