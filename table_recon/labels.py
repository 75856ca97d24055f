"""Tolerant matching of printed labels to the template's rows."""

from __future__ import annotations

import functools
import re

from disclosure.layout.cell_text import normalize_text
from disclosure.layout.crawled_text import RunVocabulary
from disclosure.table_recon.formats import (
    ACTIVE_LABEL_HEADER,
    APPEAL_COLUMN_LABELS,
    APPEAL_GROUP_LABELS,
    APPLY_BALANCE_NOTE,
    APPLY_COLUMN_GROUPS,
    APPLY_COLUMN_LABELS,
    FORMATS,
    TABLE_TITLES,
    RowSpec,
    TableSpec,
)

_END_OF_TABLES = r"存在的主要问题|其他需要报告的事项"


@functools.lru_cache(maxsize=65536)
def is_heading(line: str, pattern: str) -> bool:
    """A section heading is a short line; the same words inside a paragraph are not one."""
    norm = normalize_text(line, label=True)
    return len(norm) <= 40 and re.search(pattern, norm) is not None


def is_end_of_tables(line: str) -> bool:
    return is_heading(line, _END_OF_TABLES)


def tables_have_ended(lines: list[str]) -> bool:
    """True once table 四's heading and then the heading after the tables have been printed."""
    seen_appeal = False
    for line in lines:
        seen_appeal = seen_appeal or is_heading(line, TABLE_TITLES["appeal"].heading)
        if seen_appeal and is_end_of_tables(line):
            return True
    return False


@functools.lru_cache(maxsize=65536)
def match_row(label: str, table: TableSpec) -> RowSpec | None:
    """The template row whose pattern matches last in the label (earlier text is headers)."""
    norm = normalize_text(label, label=True)
    best: tuple[int, int] | None = None
    best_row = None
    for row in table.rows:
        for pattern in row.patterns:
            for match in re.finditer(pattern, norm):
                score = (match.end(), match.end() - match.start())
                if best is None or score > best:
                    best, best_row = score, row
    return best_row


def _unnumbered(label: str) -> str:
    return re.sub(r"^(?:\d[.、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.])", "", label)


def _vocabulary() -> RunVocabulary:
    """Every label, group heading and column header the two formats print, for cutting crawled runs."""
    labels: set[str] = {ACTIVE_LABEL_HEADER, *APPLY_COLUMN_GROUPS, APPLY_BALANCE_NOTE,
                        *(label for _, label in APPLY_COLUMN_LABELS + APPEAL_COLUMN_LABELS),
                        *(line for lines in APPEAL_GROUP_LABELS.values() for line in lines),
                        "部分公开（区分处理的，只计这一情形，不计其他情形）",
                        "注：", "注:", "说明：", "备注："}  # a footnote under a table
    for fmt in FORMATS.values():
        labels |= {label for _, label in fmt.column_labels}
        for table in fmt.tables:
            for row in table.rows:
                if row.key:
                    labels.add(_unnumbered(row.label))
                labels |= {_unnumbered(group) for group in row.groups}
    return RunVocabulary(labels=tuple(sorted(labels)),
                         headings=tuple(title.words for title in TABLE_TITLES.values()),
                         sections=("总体情况", "政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进情况",
                                   "其他需要报告的事项"))


TABLE_VOCABULARY = _vocabulary()
