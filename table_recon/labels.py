"""Tolerant matching of printed labels to the template's rows."""

from __future__ import annotations

import functools
import re
import unicodedata

from table_recon.formats import APPEAL_HEADING, RowSpec, TableSpec

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》")
_SEPARATORS = re.compile(r"[、，,．]")
_END_OF_TABLES = r"存在的主要问题|其他需要报告的事项"


@functools.lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s+", "", text)
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    return _SEPARATORS.sub(".", text)


@functools.lru_cache(maxsize=65536)
def is_heading(line: str, pattern: str) -> bool:
    """A section heading is a short line; the same words inside a paragraph are not one."""
    norm = normalize_label(line)
    return len(norm) <= 40 and re.search(pattern, norm) is not None


def is_end_of_tables(line: str) -> bool:
    return is_heading(line, _END_OF_TABLES)


def tables_have_ended(lines: list[str]) -> bool:
    """True once table 四's heading and then the heading after the tables have been printed."""
    seen_appeal = False
    for line in lines:
        seen_appeal = seen_appeal or is_heading(line, APPEAL_HEADING)
        if seen_appeal and is_end_of_tables(line):
            return True
    return False


@functools.lru_cache(maxsize=65536)
def match_row(label: str, table: TableSpec) -> RowSpec | None:
    """The template row whose pattern matches last in the label (earlier text is headers)."""
    norm = normalize_label(label)
    best: tuple[int, int] | None = None
    best_row = None
    for row in table.rows:
        for pattern in row.patterns:
            for match in re.finditer(pattern, norm):
                score = (match.end(), match.end() - match.start())
                if best is None or score > best:
                    best, best_row = score, row
    return best_row
