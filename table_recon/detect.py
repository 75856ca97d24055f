"""Which statutory format a report is in, and the agency and year from its title (the agency from
its signature where the title names none)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from disclosure.layout.cell_text import normalize_text
from disclosure.layout.flat_rows import is_page_furniture
from disclosure.table_recon.formats import FORMATS, FormatSpec

FIRST_STATUTORY_YEAR = 2019
_TITLE_END = re.compile(r"一.总体情况|^一.")
_YEAR = re.compile(r"((?:19|20)\d{2})年度?")
_REPORT_WORDS = ("政府信息公开", "年度报告", "政务公开")
# a signature line: an office's name, ending as offices' names end, under the last section
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}(局|厅|委员会|委|政府|办公室|办公厅|部|院|署|中心|管理委员会|"
                        r"办事处|街道|镇|乡|公司|所|站|队|会)$")
_DATE_LINE = re.compile(r"^[\d〇零一二三四五六七八九]{4}年"
                        r"[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_LAST_LINES = 4
# what stands before an agency's name on the title's line: a browser's print header (date and
# time), a site's breadcrumb trail and page tools (当前位置：首页>…>正文 字号：大中小 打印 关闭)
_BEFORE_NAME = re.compile(r"^(?:.*(?:>|＞|关闭|打印|字号[:：]?大中小|分享))?[^\u4e00-\u9fff（(]*")
# what a page prints above the title: the part of the file it is, its page number
_PAGE_LABELS = frozenset({"正文", "目录", "附件", "附件1", "公开", "政府信息公开"})


@dataclass(frozen=True)
class Detection:
    format: FormatSpec | None
    year: int | None
    agency: str | None
    reason: str  # why this format, or why none


def title_text(lines: list[str]) -> str:
    """The report's title: the first lines before 一、总体情况, joined."""
    out = []
    for line in lines:
        norm = normalize_text(line, label=True)
        if not norm or (not out and (norm in _PAGE_LABELS or is_page_furniture(line))):
            continue
        if _TITLE_END.search(norm) or len(out) >= 6:
            break
        out.append(norm)
        if "年度报告" in norm:
            break
    return "".join(out)


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    match = _YEAR.search(title)
    year = int(match[1]) if match else None
    agency = None
    if match:
        before = _BEFORE_NAME.sub("", re.sub(r"关于$", "", title[: match.start()]).strip("."))
        after = title[match.end():]
        agency = before or (after.split("政府信息公开")[0] if "政府信息公开" in after else None)
    return (agency or None), year


def signature_agency(lines: list[str]) -> str | None:
    """The office signing the report: a name among its last lines (before or after the date)."""
    last = [normalize_text(line, label=True) for line in lines if normalize_text(line, label=True)][-_LAST_LINES:]
    for line in reversed(last):
        if _DATE_LINE.match(line):
            continue
        return line if _SIGNATURE.match(line) and "年度报告" not in line else None
    return None


def detect_format(lines: list[str]) -> Detection:
    title = title_text(lines)
    agency, year = agency_and_year(title)
    agency = agency or signature_agency(lines)
    text = normalize_text("".join(lines), label=True)
    scores = {name: sum(text.count(marker) > 0 for marker in spec.markers) for name, spec in FORMATS.items()}
    if year is not None and year < FIRST_STATUTORY_YEAR:
        return Detection(None, year, agency,
                         f"a {year} report predates the statutory tables of 2019; it has no fixed format")
    best = max(scores.values())
    leaders = [name for name, score in scores.items() if score == best]
    # labels of both formats (a header repeated from the wrong table, a transcription's mix-up):
    # the report year says which template was in force
    mixed = year is not None and all(score > 0 for score in scores.values())
    if best > 0 and len(leaders) == 1 and not mixed:
        return Detection(FORMATS[leaders[0]], year, agency, f"labels of format {leaders[0]}")
    if year is not None and (best > 0 or any(w in text for w in _REPORT_WORDS)):
        for spec in FORMATS.values():
            if spec.years[0] <= year <= spec.years[1]:
                return Detection(spec, year, agency, f"report year {year}")
    return Detection(None, year, agency, "no statutory table labels found: not a government information "
                                         "disclosure annual report")
