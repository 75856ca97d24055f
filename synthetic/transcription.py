"""A synthetic report as an OCR transcription service writes it: markdown tables with generic
column names, a table cut into one small table per group, a group's rows under a header repeated
from another group, table 四 as three five-column tables, and one character of the agency's name
misread.

What stays true: every number is printed, in its row, in the statutory column order. The reader
must place them from the rows' labels and order, never from the column names.
"""

from __future__ import annotations

import random

from synthetic.report_text import CLOSING_TEXT, PrintedRow, format_number, narrative, printed_tables, title_lines
from synthetic.values import Truth

# look-alike characters a recogniser confuses (the truth keeps the printed name; the misread one
# is what the transcription says)
_LOOKALIKES = {"洪": "决", "泽": "择", "区": "匹", "市": "巿", "局": "届", "政": "攻", "州": "川", "海": "诲",
               "湖": "瑚", "江": "汪", "都": "郁", "教": "孝", "育": "盲", "保": "堡", "障": "嶂"}


def misread_agency(agency: str, rng: random.Random) -> str:
    """The agency's name with one character a recogniser might confuse replaced."""
    places = [i for i, ch in enumerate(agency) if ch in _LOOKALIKES]
    if not places:
        return agency
    i = rng.choice(places)
    return agency[:i] + _LOOKALIKES[agency[i]] + agency[i + 1:]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def _generic(count: int) -> list[str]:
    return [f"数据{i}" for i in range(1, count)] + ["总计"]


def render_transcription(truth: Truth, seed: int = 0) -> tuple[bytes, str]:
    """The transcription as UTF-8 bytes, and the agency name it prints (one character misread)."""
    rng = random.Random(seed)
    agency = misread_agency(truth.agency, rng)
    first, second = title_lines(truth)
    out = [f"# {agency}{first[len(truth.agency):]}{second}", "", "一、总体情况", narrative(truth), ""]

    def cells(row: PrintedRow) -> list[str]:
        return [format_number(v, rng, thousands=False, fullwidth=False, stray=False, empty="") for v in row.values]

    active, apply, appeal = printed_tables(truth)
    out += ["## 二、主动公开政府信息情况", ""]
    block = None
    for row in active.rows:
        if row.groups[0] != block:
            block = row.groups[0]
            width = len(row.values)
            out += [f"**{block}**", ""]
            group_rows = [r for r in active.rows if r.groups[0] == block]
            out += _table(["信息内容", *_generic(width + 1)[:width]], [[r.label, *cells(r)] for r in group_rows])

    out += ["## 三、收到和处理政府信息公开申请情况", ""]
    groups: list[tuple[str, list[PrintedRow]]] = []
    for row in apply.rows:
        name = row.groups[-1] if row.groups else ""
        if groups and groups[-1][0] == name:
            groups[-1][1].append(row)
        else:
            groups.append((name, [row]))
    wrong = rng.randrange(1, len(groups))  # this group's table repeats a header from table 二
    first_block = truth.format.table("active").rows[0]
    active_header = [truth.format.column_label(c) for c in first_block.columns]
    for i, (name, rows) in enumerate(groups):
        header = ["项目", *_generic(7)] if i != wrong else ["信息内容", *active_header]
        if name and name != "三、本年度办理结果":
            out += [name, ""]
        out += _table(header, [[r.label, *cells(r)] for r in rows])

    out += ["## 四、政府信息公开行政复议、行政诉讼情况", ""]
    values = cells(appeal.rows[0])
    for g, title in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
        out += [title, ""]
        out += _table(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], [values[5 * g:5 * g + 5]])
    out += list(CLOSING_TEXT)
    return ("\n".join(out) + "\n").encode("utf-8"), agency
