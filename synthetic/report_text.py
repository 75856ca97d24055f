"""The printed content of a synthetic report, independent of how it is laid out.

`report_blocks` yields the title, narrative paragraphs and the three tables as header rows and
value rows; the flattened-text, PDF and scan renderers all start from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from disclosure.table_recon.formats import APPEAL_COLUMNS, APPEAL_GROUPS, APPLY_COLUMNS, field_key
from synthetic.values import Truth, Value


@dataclass(frozen=True)
class PrintedRow:
    groups: tuple[str, ...]  # group headings over this row (merged cells in a grid)
    label: str
    values: tuple[Value, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class PrintedTable:
    name: str
    heading: str
    header: tuple[str, ...]  # column headers, left to right, after the label column
    rows: tuple[PrintedRow, ...]


NARRATIVE_TEMPLATE = ("{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共受理政府信息公开申请"
                      "{received}件，已办结{handled}件，结转下年度办理{carried_over}件；"
                      "因政府信息公开引起的行政复议{review}件、行政诉讼{litigation}件。")
CLOSING_TEXT = ("五、存在的主要问题及改进情况", "信息公开的及时性和规范性有待提升。下一步将加强培训，完善审核机制。",
                "六、其他需要报告的事项", "无。")


def narrative(truth: Truth, *, tie_error: bool = False) -> str:
    v = {k: (0 if val is None else val) for k, val in truth.values.items()}
    return NARRATIVE_TEMPLATE.format(
        year=truth.year, received=v["apply.received.total"] + (3 if tie_error else 0),
        handled=v["apply.total.total"], carried_over=v["apply.carried_over.total"],
        review=v["appeal.review.total"],
        litigation=v["appeal.litigation_direct.total"] + v["appeal.litigation_after_review.total"])


def title_lines(truth: Truth) -> tuple[str, str]:
    return f"{truth.agency}{truth.year}年", "政府信息公开工作年度报告"


RULES_ANNOTATION = "（设区的市级以上政府提供）"  # a provincial variant's note on the 规章 row


def printed_tables(truth: Truth, *, extra_row: bool = False, annotate: bool = False) -> tuple[PrintedTable, ...]:
    fmt = truth.format
    active_rows = []
    for row in fmt.table("active").rows:
        keys = tuple(field_key("active", row.key, c) for c in row.columns)
        label = row.label + (RULES_ANNOTATION if annotate and row.key == "rules" else "")
        active_rows.append(PrintedRow(row.groups, label, tuple(truth.values[k] for k in keys), keys))
        if extra_row and row.key == "normative":
            active_rows.append(PrintedRow(row.groups, "其他主动公开文件", (7, 0, 7)[: len(row.columns)], ()))
    apply_rows = []
    for row in fmt.table("apply").rows:
        if row.collapses:
            continue
        keys = tuple(field_key("apply", row.key, c) for c in APPLY_COLUMNS)
        apply_rows.append(PrintedRow(row.groups, row.label, tuple(truth.values[k] for k in keys), keys))
    appeal_keys = tuple(field_key("appeal", "", f"{g}.{c}") for g in APPEAL_GROUPS for c in APPEAL_COLUMNS)
    return (
        PrintedTable("active", "二、主动公开政府信息情况", ("信息内容",), tuple(active_rows)),
        PrintedTable("apply", "三、收到和处理政府信息公开申请情况",
                     tuple(fmt.column_label(c) for c in APPLY_COLUMNS), tuple(apply_rows)),
        PrintedTable("appeal", "四、政府信息公开行政复议、行政诉讼情况",
                     ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"),
                     (PrintedRow((), "", tuple(truth.values[k] for k in appeal_keys), appeal_keys),)),
    )


FULLWIDTH = str.maketrans("0123456789+-.,", "０１２３４５６７８９＋－．，")


def format_number(value: Value, rng: random.Random, *, thousands: bool, fullwidth: bool, stray: bool,
                  empty: str) -> str:
    if value is None:
        return empty
    if isinstance(value, Decimal):
        text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    else:
        text = f"{value:,}" if thousands and abs(value) >= 1000 else str(value)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    if stray:
        text = rng.choice(["", " ", "　", "  "]) + text + rng.choice(["", " ", ""])
    return text
