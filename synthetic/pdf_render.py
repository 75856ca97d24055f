"""Synthetic reports typeset as born-digital PDFs, the way WPS and Word export the template.

Ruled tables with merged cells: the block title of each 第二十条 block inside its grid, the big
label column 三、本年度办理结果 and the group columns （三）…（六） spanning their rows, the
applicant header over three rows, table 四's fifteen columns under a two-level header. Styles vary
the page (portrait or landscape), the column widths (narrow or wide label columns), the font
size, how an empty cell prints, and whether table 三 breaks over a page, with or without its header
repeated, and whether the tables are ruled at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from synthetic.report_text import CLOSING_TEXT, PrintedRow, format_number, narrative, printed_tables, title_lines
from synthetic.table_grids import APPEAL_HEADERS, APPLY_NOTE, SECTION_HEADINGS, active_grids, appeal_grid, apply_grid
from synthetic.values import Truth

PRINTED_TEXT = (APPLY_NOTE, "申请人情况", "法人或其他组织", "信息内容", "年政府信息公开工作年度报告", *APPEAL_HEADERS,
                *SECTION_HEADINGS)


@dataclass(frozen=True)
class PdfStyle:
    name: str
    orientation: str = "P"  # P portrait, L landscape
    font_size: float = 8
    label_share: float = 0.42  # share of the width given to table 三's three label columns
    empty: str = "0"  # how an empty cell prints: "0", "", "/", "—"
    break_apply_at: int | None = None  # index of the first row of table 三 on a new page
    repeat_header: bool = False
    appendix_pages: int = 0  # pages of appended prose after the report (a compiled volume)
    ruled: bool = True  # False: tables set without any ruling lines, columns only by alignment


PDF_STYLES: dict[str, PdfStyle] = {s.name: s for s in (
    PdfStyle("portrait"),
    PdfStyle("narrow", font_size=7.5, label_share=0.34, empty="/"),
    PdfStyle("wide", font_size=9, label_share=0.5, empty=""),
    PdfStyle("landscape", orientation="L", font_size=9, empty="—"),
    PdfStyle("break", break_apply_at=15),
    PdfStyle("break_header", break_apply_at=10, repeat_header=True, empty=""),
    PdfStyle("unruled", ruled=False),
)}


class _Typesetter:
    def __init__(self, style: PdfStyle, font: Path, seed: int) -> None:
        from fpdf import FPDF

        self.style = style
        self.rng = random.Random(seed)
        self.pdf = FPDF(orientation=style.orientation, unit="mm", format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_font("cjk", fname=str(font))
        self.pdf.set_font("cjk", size=style.font_size)
        self.pdf.add_page()

    @property
    def width(self) -> float:
        return self.pdf.epw

    def paragraph(self, text: str, size: float | None = None, align: str = "J") -> None:
        self.pdf.set_font("cjk", size=size or self.style.font_size + 2)
        self.pdf.multi_cell(0, (size or self.style.font_size + 2) * 0.55, text=text, align=align,
                            new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("cjk", size=self.style.font_size)

    def value(self, value) -> str:
        return format_number(value, self.rng, thousands=False, fullwidth=False, stray=False, empty=self.style.empty)

    def table(self, widths: list[float], rows: list[list[tuple[str, int, int]]]) -> None:
        """Rows of (text, colspan, rowspan); a cell covered by a span above is simply left out."""
        with self.pdf.table(col_widths=widths, width=min(sum(widths), self.pdf.epw), first_row_as_headings=False,
                            text_align="CENTER", line_height=self.style.font_size * 0.5,
                            borders_layout="ALL" if self.style.ruled else "NONE") as table:
            for cells in rows:
                row = table.row()
                for text, colspan, rowspan in cells:
                    row.cell(text, colspan=colspan, rowspan=rowspan)
        self.pdf.ln(2)


def _active_tables(ts: _Typesetter, truth: Truth) -> None:
    for columns, grid in active_grids(truth, ts.value):
        label_width = ts.width * 0.34
        ts.table([label_width] + [(ts.width - label_width) / columns] * columns, grid)


def _apply_part(ts: _Typesetter, rows: tuple[PrintedRow, ...], header: bool) -> None:
    labels = ts.width * ts.style.label_share
    widths = [labels * 0.16, labels * 0.24, labels * 0.60] + [(ts.width - labels) / 7] * 7
    ts.table(widths, apply_grid(rows, header, ts.value))


def _appeal_table(ts: _Typesetter, truth: Truth) -> None:
    ts.table([ts.width / 15] * 15, appeal_grid(truth, ts.value))


def render_pdf(truth: Truth, style: PdfStyle, path: Path, seed: int = 0, font: Path | None = None) -> Path:
    from synthetic.font_subset import FONT

    ts = _Typesetter(style, font or FONT, seed)
    for line in title_lines(truth):
        ts.paragraph(line, size=style.font_size + 8, align="C")
    ts.paragraph(SECTION_HEADINGS[0])
    ts.paragraph(narrative(truth))
    ts.paragraph(SECTION_HEADINGS[1])
    _active_tables(ts, truth)
    apply_rows = printed_tables(truth)[1].rows
    ts.pdf.add_page()
    ts.paragraph(SECTION_HEADINGS[2])
    cut = style.break_apply_at or len(apply_rows)
    _apply_part(ts, apply_rows[:cut], header=True)
    if cut < len(apply_rows):
        ts.pdf.add_page()
        _apply_part(ts, apply_rows[cut:], header=style.repeat_header)
    ts.paragraph(SECTION_HEADINGS[3])
    _appeal_table(ts, truth)
    for line in CLOSING_TEXT:
        ts.paragraph(line)
    for number in range(style.appendix_pages):
        ts.pdf.add_page()
        ts.paragraph(f"附件{number + 1}")
        ts.paragraph(CLOSING_TEXT[1] * 12)
    ts.pdf.output(str(path))
    return path


def pdf_style_variant(base: str, **changes) -> PdfStyle:
    return replace(PDF_STYLES[base], **changes)
