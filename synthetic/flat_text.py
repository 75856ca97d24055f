"""Synthetic reports rendered as flattened text, in the styles real copies take.

Styles: one cell per line with blanks kept as empty lines (`cells`), the same with blank cells
dropped (`dropped`), one row per line separated by spaces (`rows`), a web table copied as one
run per row with no separators (`joined`), and `noisy`: full-width digits, stray and ideographic
spaces, thousands separators, headers split over two lines, half-width brackets, "1、" numbering,
page numbers and running headers between cells, GB18030 encoding. Perturbations are fields of
`TextStyle`, so a test or a hypothesis strategy can combine them freely.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from synthetic.report_text import CLOSING_TEXT, format_number, narrative, printed_tables, title_lines
from synthetic.values import Truth

EMPTY_MARKERS = ("/", "—", "无", "-")


@dataclass(frozen=True)
class TextStyle:
    name: str
    layout: str = "cells"  # cells | rows | joined
    keep_blanks: bool = True  # blank cells as empty lines (cells layout)
    empty: str = ""  # how a printed-empty cell reads: "", "/", "—", "无", "-"
    fullwidth: bool = False
    stray_spaces: bool = False
    thousands: bool = False
    split_headers: bool = False
    half_brackets: bool = False
    comma_numbering: bool = False
    page_furniture: bool = False
    extra_row: bool = False
    annotate: bool = False
    tie_error: bool = False
    encoding: str = "utf-8"


STYLES: dict[str, TextStyle] = {s.name: s for s in (
    TextStyle("cells"),
    TextStyle("markers", empty="/"),
    TextStyle("dropped", keep_blanks=False),
    TextStyle("rows", layout="rows", empty="—"),
    TextStyle("joined", layout="joined"),
    TextStyle("noisy", fullwidth=True, stray_spaces=True, thousands=True, split_headers=True, half_brackets=True,
              comma_numbering=True, page_furniture=True, extra_row=True, annotate=True, encoding="gb18030",
              empty="无"),
    TextStyle("bom", encoding="utf-8-sig", split_headers=True, keep_blanks=False),
)}


def _label(text: str, style: TextStyle) -> str:
    if style.half_brackets:
        text = text.replace("（", "(").replace("）", ")")
    if style.comma_numbering and len(text) > 1 and text[0].isdigit() and text[1] == ".":
        text = text[0] + "、" + text[2:]
    return text


def _header_lines(text: str, style: TextStyle) -> list[str]:
    if style.split_headers and len(text) >= 4:
        cut = len(text) // 2
        return [text[:cut], text[cut:]]
    return [text]


def render_text(truth: Truth, style: TextStyle, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    out: list[str] = []
    title = title_lines(truth)
    out += [*title, "一、总体情况", narrative(truth, tie_error=style.tie_error), ""]
    page = [1]

    def furniture() -> None:
        if style.page_furniture and rng.random() < 0.06:
            page[0] += 1
            out.extend([f"- {page[0]} -", "".join(title)] if rng.random() < 0.5 else [f"- {page[0]} -"])

    def cell(value) -> str:
        empty = style.empty
        return format_number(value, rng, thousands=style.thousands, fullwidth=style.fullwidth,
                             stray=style.stray_spaces, empty=empty)

    def emit_row(label: str, values) -> None:
        texts = [cell(v) for v in values]
        if style.layout == "joined":
            out.append(label + "".join(t.strip() for t in texts))
        elif style.layout == "rows":
            shown = [t for t in texts if t.strip()]
            out.append(" ".join([label, *shown]) if label else " ".join(shown))
        else:
            if label:
                out.append(label)
            for text in texts:
                if text.strip() or style.keep_blanks:
                    out.append(text)
                furniture()

    tables = printed_tables(truth, extra_row=style.extra_row, annotate=style.annotate)
    fmt = truth.format
    active, apply, appeal = tables
    out.append(active.heading)
    block = None
    for row in active.rows:
        if row.groups[0] != block:
            block = row.groups[0]
            spec_row = next(r for r in fmt.table("active").rows if r.groups[0] == block)
            out.append(_label(block, style))
            for header in ("信息内容", *(fmt.column_label(c) for c in spec_row.columns)):
                out += _header_lines(header, style)
        emit_row(_label(row.label, style), row.values)

    out += [apply.heading, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    headers = list(apply.header)
    for header in [headers[0], "法人或其他组织", headers[-1], *headers[1:-1]]:
        out += _header_lines(header, style)
    shown_groups: set[str] = set()
    for row in apply.rows:
        for group in row.groups:
            if group not in shown_groups:
                shown_groups.add(group)
                out.append(_label(group, style))
        emit_row(_label(row.label, style), row.values)

    out.append(appeal.heading)
    out += ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    out += ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    emit_row("", appeal.rows[0].values)
    out += CLOSING_TEXT
    return ("\n".join(out) + "\n").encode(style.encoding)


def style_variant(base: str, **changes) -> TextStyle:
    return replace(STYLES[base], **changes)
