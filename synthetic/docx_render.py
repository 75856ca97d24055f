"""Synthetic reports as Word files: the official 2021 template filled in (`template`), or both
formats typeset from the shared table grids with merged cells (gridSpan, vMerge) as Word makes
them (`built`)."""

from __future__ import annotations

import random
from pathlib import Path

from synthetic.report_text import CLOSING_TEXT, format_number, narrative, printed_tables, title_lines
from synthetic.table_grids import SECTION_HEADINGS, Grid, active_grids, appeal_grid, apply_grid
from synthetic.values import Truth, Value

TEMPLATE_2021 = Path(__file__).resolve().parent / "templates" / "template_2021.docx"
DOCX_STYLES = ("template", "built")


def _value(rng: random.Random, empty: str):
    def text(value: Value) -> str:
        return format_number(value, rng, thousands=False, fullwidth=False, stray=False, empty=empty)
    return text


def _distinct(row) -> list:
    """A row's cells, each merged cell once."""
    out = []
    for cell in row.cells:
        if not out or out[-1]._tc is not cell._tc:
            out.append(cell)
    return out


def _fill_template(truth: Truth, path: Path, value) -> Path:
    import docx

    document = docx.Document(str(TEMPLATE_2021))
    title = "".join(title_lines(truth))
    for paragraph in document.paragraphs:
        if "年度报告格式" in paragraph.text:
            paragraph.text = title
            break
    placeholders = [p for p in document.paragraphs if p.text.strip().startswith("（文字描述")]
    if placeholders:
        placeholders[0].text = narrative(truth)
    # the value rows in order: table 二's, table 三's, table 四's one, each with its values last
    printed = [row for table in printed_tables(truth) for row in table.rows]
    value_rows = [row for table in document.tables for row in table.rows
                  if not _distinct(row)[-1].text.strip(" \u3000\n")]
    if len(value_rows) != len(printed):
        raise ValueError(f"the template has {len(value_rows)} value rows, the format {len(printed)}")
    for row, values in zip(value_rows, printed):
        for cell, v in zip(_distinct(row)[-len(values.values):], values.values):
            cell.text = value(v)
    document.save(str(path))
    return path


def _add_grid(document, grid: Grid) -> None:
    """A table of spanning cells, each span merged the way Word merges one."""
    columns = max(sum(colspan for _, colspan, _ in row) for row in grid)
    table = document.add_table(rows=len(grid), cols=columns)
    table.style = "Table Grid"
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            cell = table.cell(r, c)
            if colspan > 1 or rowspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            cell.text = text
            taken |= {(r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan)}
            c += colspan


def _build(truth: Truth, path: Path, value) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("".join(title_lines(truth)))
    document.add_paragraph(SECTION_HEADINGS[0])
    document.add_paragraph(narrative(truth))
    document.add_paragraph(SECTION_HEADINGS[1])
    for _, grid in active_grids(truth, value):
        _add_grid(document, grid)
    document.add_paragraph(SECTION_HEADINGS[2])
    _add_grid(document, apply_grid(printed_tables(truth)[1].rows, True, value))
    document.add_paragraph(SECTION_HEADINGS[3])
    _add_grid(document, appeal_grid(truth, value))
    for line in CLOSING_TEXT:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def render_docx(truth: Truth, style: str, path: Path, seed: int = 0, empty: str = "") -> Path:
    """`template` fills the official 2021 template (format 2021 only); `built` typesets either."""
    value = _value(random.Random(seed), empty)
    if style == "template":
        if truth.format.name != "2021":
            raise ValueError("the official template is of format 2021")
        return _fill_template(truth, path, value)
    return _build(truth, path, value)
