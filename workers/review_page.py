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
from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, FORMATS, field_key
from disclosure.table_recon.rules import build_rules
from disclosure.workers.result_store import CROPS, fields_unread, rules_failed, write_atomically

REVIEW = "review"
_TABLE_TITLES = {"active": "二、主动公开政府信息情况", "apply": "三、收到和处理政府信息公开申请情况",
                 "appeal": "四、政府信息公开行政复议、行政诉讼情况"}
_GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
                 "litigation_after_review": "行政诉讼 复议后起诉"}


def _layout(fmt) -> list:
    """Each table as rows of (label, [(column label, key)]): what the page draws a report with."""
    tables = []
    for table in fmt.tables:
        if table.name == "appeal":
            rows = [[_GROUP_LABELS[g], [[fmt.column_label(c) if c != "total" else "总计",
                                         field_key("appeal", "", f"{g}.{c}")] for c in APPEAL_COLUMNS]]
                    for g in APPEAL_GROUPS]
        else:
            rows = [[(" ".join(row.groups[-1:]) + " " if row.groups and table.name == "apply" else "") + row.label,
                     [[fmt.column_label(c), field_key(table.name, row.key, c)] for c in row.columns]]
                    for row in table.rows if not row.collapses]
        tables.append([_TABLE_TITLES[table.name], rows])
    return tables


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no "<" to open a tag or a comment in it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _crops(root: Path, report_id: str) -> dict[str, str]:
    folder = root / CROPS / report_id
    if not folder.is_dir():
        return {}
    return {path.stem: f"{CROPS}/{report_id}/{path.name}" for path in sorted(folder.glob("*.png"))}


def _where(cell: dict) -> str:
    if cell.get("line") is not None:
        return f"line {cell['line']}"
    if cell.get("table") is not None:
        return f"table {cell['table']} row {cell.get('row')} column {cell.get('column')}"
    if cell.get("page") is not None:
        return f"page {cell['page']}"
    return ""


def _cell(cell: dict) -> list:
    """[value, state, raw, where, printed, correction], the raw text left out where it is the value
    as written and the list cut after its last entry: 10,000 reports' scripts stay small."""
    raw = cell.get("raw")
    if raw is not None and cell.get("value") is not None and raw == str(cell["value"]):
        raw = None
    out = [cell.get("value"), cell["state"], raw, _where(cell), cell.get("printed"), cell.get("correction")]
    while len(out) > 2 and out[-1] in (None, ""):
        out.pop()
    return out


def _report_detail(root: Path, record: dict, ties: list[CrossYearTie]) -> dict:
    report = record["report"]
    fmt = FORMATS.get(report.get("format"))
    rule_keys = {rule.id: list(rule.keys) for rule in build_rules(fmt)} if fmt else {}
    cells = report.get("cells", {})
    return {
        "id": record["sha256"], "source": report.get("source"), "paths": record["paths"],
        "agency": report.get("agency"), "year": report.get("year"), "format": report.get("format"),
        "status": report.get("status"), "warnings": report.get("warnings", []),
        # in the order of the format's keys (the page holds them once): no key repeated per report
        "cells": [_cell(cells[key]) if key in cells else None for key in (fmt.keys() if fmt else ())],
        "failed": [[c["rule"], c["lhs"], c["rhs"], rule_keys.get(c["rule"], [])]
                   for c in report.get("checks", []) if c["ok"] is False],
        # rules that fail as read but hold under a plausible reading of the cells named
        "in_doubt": [[c["rule"], c["lhs"], c["rhs"], [k for g in c["doubt"]["cells"] for k in g["fields"]],
                      [g["why"] for g in c["doubt"]["cells"]]]
                     for c in report.get("checks", []) if c.get("doubt")],
        "ties": [[t.rule, t.year, t.prior_year, t.ok, t.lhs, t.rhs, t.report, t.prior_report, list(t.lhs_keys),
                  list(t.prior_keys)] for t in ties],
        "crops": _crops(root, record["sha256"]),
    }


def write_review_page(root: Path, records: Iterable[dict], ties: tuple[CrossYearTie, ...],
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
        if record["outcome"] != "done":
            failure = record.get("failure") or {}
            failures.append([record["sha256"], record["paths"][0] if record["paths"] else "",
                             failure.get("stage"), failure.get("reason")])
            continue
        report, rid = record["report"], record["sha256"]
        listed.append([rid, report.get("agency") or "", report.get("year"), report.get("format"),
                       report.get("status"), rules_failed(report), fields_unread(report),
                       sum(t.ok is False and t.report == rid for t in ties_of[rid]),
                       len(report.get("corrected", [])), report.get("source") or "", same_year_as.get(rid),
                       agency_key(report.get("agency")) or ""])
        detail = _report_detail(root, record, ties_of[rid])
        write_atomically(folder / f"{rid}.js", f"disclosureReview.loaded({_script_json(detail)});\n")
        written.add(f"{rid}.js")
    for stale in folder.glob("*.js"):
        if stale.name not in written:
            stale.unlink(missing_ok=True)
    data = {"layout": {name: _layout(fmt) for name, fmt in FORMATS.items()},
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
