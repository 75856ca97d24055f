"""The readable form of a report, for a person at a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, FORMATS, field_key
from disclosure.table_recon.report import FieldState, Report

_STATE_STYLE = {FieldState.AMBIGUOUS: "bold yellow", FieldState.MISSING: "bold red", FieldState.DERIVED: "cyan"}
_STATUS_STYLE = {"verified": "bold green", "failed_checks": "bold red", "incomplete": "bold yellow",
                 "error": "bold red"}


def _cell(report: Report, key: str) -> str:
    reading = report.readings[key]
    if reading.state is FieldState.EMPTY:
        return "[dim]·[/dim]"
    if reading.state in _STATE_STYLE:
        shown = "?" if reading.value is None else str(reading.value)
        return f"[{_STATE_STYLE[reading.state]}]{shown}[/]"
    return str(reading.value)


def render(report: Report, console: Console) -> None:
    console.print(f"[bold]{report.source}[/bold]  agency: {report.agency or '?'}  year: {report.year or '?'}  "
                  f"format: {report.format or '—'}  status: [{_STATUS_STYLE[report.status.value]}]"
                  f"{report.status.value}[/]")
    if report.format and report.readings:  # an error report has a format but no fields
        fmt = FORMATS[report.format]
        for table in fmt.tables:
            rows = [row for row in table.rows if not row.collapses]
            grid = Table(title=f"{table.title.numeral}、{table.title.short}", title_justify="left")
            if table.name == "appeal":
                grid.add_column("group", no_wrap=True)
                for col in APPEAL_COLUMNS:
                    grid.add_column(col, justify="right")
                for group in APPEAL_GROUPS:
                    grid.add_row(group, *(_cell(report, field_key("appeal", "", f"{group}.{c}"))
                                          for c in APPEAL_COLUMNS))
            else:
                grid.add_column("row", no_wrap=True)
                width = max(len(row.columns) for row in rows)
                for i in range(width):
                    grid.add_column(rows[0].columns[i] if table.name == "apply" else "", justify="right")
                for row in rows:
                    cells = [f"{c}={_cell(report, field_key(table.name, row.key, c))}" if table.name == "active"
                             else _cell(report, field_key(table.name, row.key, c)) for c in row.columns]
                    grid.add_row(row.key, *cells, *[""] * (width - len(cells)))
            console.print(grid)
    if report.checks:
        held = sum(1 for c in report.checks if c.ok)
        unknown = sum(1 for c in report.checks if c.ok is None)
        failed = [c for c in report.checks if c.ok is False]
        console.print(f"rules: {held} hold, {len(failed)} fail, {unknown} not evaluated "
                      f"(of {len(report.checks)})")
        for check in failed:
            console.print(f"  [red]✗ {check.rule}[/red]: {check.lhs} ≠ {check.rhs}")
    for amb in report.ambiguities:
        console.print(f"[yellow]ambiguous[/yellow] {amb['field']}: one of {amb['candidates']}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
