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
