"""The text crawlers extract from a synthetic page: what most archives of web-published reports
hold instead of the page itself.

Extractors, as commonly run: BeautifulSoup's `get_text()` with no separator (each table one run of
labels and numbers joined), with a space, the same with all whitespace collapsed onto one line,
and html2text (markdown, tables as `|`-separated rows, header cells broken over lines).
"""

from __future__ import annotations

from collections.abc import Callable


def _soup(page: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(page, "lxml")


def _html2text(page: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    return converter.handle(page)


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "get_text": lambda page: _soup(page).get_text(),
    "get_text_space": lambda page: _soup(page).get_text(" ", strip=True),
    "collapsed": lambda page: " ".join(_soup(page).get_text().split()),
    "html2text": _html2text,
}


def crawled_text(page: bytes, encoding: str, extractor: str) -> bytes:
    """The page's text as the extractor gives it, saved as UTF-8."""
    return EXTRACTORS[extractor](page.decode(encoding)).encode("utf-8")


# what a crawler's page may hold besides the statute's wording: a typo in table 四's heading
HEADING_TYPOS = (("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况"),)
APPEAL_HEADER = ("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
                 + " ".join(["结果维持 结果纠正 其他结果 尚未审结 总计"] * 2))


def with_heading_typos(text: bytes) -> bytes:
    """The crawled text with table 四's heading misspelt as some sites print it."""
    out = text.decode("utf-8")
    for right, wrong in HEADING_TYPOS:
        out = out.replace(right, wrong)
    return out.encode("utf-8")


def appeal_on_one_line(truth_values: tuple, heading: str = "四、政府信息公开行政复议、行政诉讼情况") -> str:
    """Table 四 as a crawler gives a page whose header cells are all text: heading, the two-level
    header and the fifteen numbers on one line, separated by spaces."""
    numbers = " ".join("" if v is None else str(v) for v in truth_values)
    return f"{heading} {APPEAL_HEADER} {numbers}"
