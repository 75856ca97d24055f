"""The three tables of a synthetic report as grids of spanning cells, the way the Word template
sets them: the block title of each 第二十条 block inside its grid, the big label column
三、本年度办理结果 and the group columns （三）…（六） spanning their rows, the applicant header over
three rows, table 四's fifteen columns under a two-level header. The PDF, HTML and Word renderers
all typeset these grids.
"""

from __future__ import annotations

from collections.abc import Callable

from synthetic.report_text import PrintedRow, printed_tables
from synthetic.values import Truth, Value

Span = tuple[str, int, int]  # (text, colspan, rowspan); a cell covered by a span is left out
Grid = list[list[Span]]
Formatter = Callable[[Value], str]

APPLY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPEAL_HEADERS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果",
                  "尚未审结", "总计")
SECTION_HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况")


def row_spans(rows: tuple[PrintedRow, ...], level: int) -> list[int]:
    """For each row, how many rows its group cell at `level` spans (0 where covered from above)."""
    spans = [0] * len(rows)
    i = 0
    while i < len(rows):
        if len(rows[i].groups) <= level:
            i += 1
            continue
        j = i
        while j < len(rows) and len(rows[j].groups) > level and rows[j].groups[level] == rows[i].groups[level]:
            j += 1
        spans[i] = j - i
        i = j
    return spans


def active_blocks(truth: Truth) -> list[tuple[str, tuple[str, ...], list[PrintedRow]]]:
    """Table 二's blocks: (title, column keys, rows)."""
    fmt = truth.format
    blocks: dict[str, list[PrintedRow]] = {}
    for row in printed_tables(truth)[0].rows:
        blocks.setdefault(row.groups[0], []).append(row)
    return [(title, next(r.columns for r in fmt.table("active").rows if r.groups[0] == title), rows)
            for title, rows in blocks.items()]


def active_grids(truth: Truth, value: Formatter) -> list[tuple[int, Grid]]:
    """Table 二 as one grid per block, each with its number of value columns."""
    fmt = truth.format
    out = []
    for title, columns, rows in active_blocks(truth):
        grid = [[(title, len(columns) + 1, 1)],
                [("信息内容", 1, 1), *[(fmt.column_label(c), 1, 1) for c in columns]]]
        grid += [[(row.label, 1, 1), *[(value(v), 1, 1) for v in row.values]] for row in rows]
        out.append((len(columns), grid))
    return out


def apply_header() -> Grid:
    return [[(APPLY_NOTE, 3, 3), ("申请人情况", 7, 1)],
            [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
            [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)]]


def apply_grid(rows: tuple[PrintedRow, ...], header: bool, value: Formatter) -> Grid:
    """Table 三 (or the part of it on one page), ten columns: three of labels, seven of values."""
    grid = apply_header() if header else []
    outer, inner = row_spans(rows, 0), row_spans(rows, 1)
    for i, row in enumerate(rows):
        cells = []
        if row.groups and outer[i]:
            cells.append((row.groups[0], 1, outer[i]))
        if len(row.groups) > 1 and inner[i]:
            cells.append((row.groups[1], 1, inner[i]))
        cells.append((row.label, 3 - len(row.groups), 1))
        cells += [(value(v), 1, 1) for v in row.values]
        grid.append(cells)
    return grid


def appeal_grid(truth: Truth, value: Formatter) -> Grid:
    appeal = printed_tables(truth)[2]
    return [[("行政复议", 5, 1), ("行政诉讼", 10, 1)],
            [*[(h, 1, 2) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")],
             ("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
            [(h, 1, 1) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2],
            [(value(v), 1, 1) for v in appeal.rows[0].values]]
