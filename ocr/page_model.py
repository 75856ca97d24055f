"""The page model every reader produces, whatever the input: text with provenance, and grids.

A PDF's text layer, a scan read by OCR, an HTML page and a Word file all become `Page`s: lines
of text outside tables, `Grid`s of cells (merged cells kept as None), and, for inputs without
geometry (markup), the same pieces in document order as `flow`. Layout reads only this model, so a
new input type is one new reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from disclosure.ocr.origin import Box, Origin


@dataclass(frozen=True)
class PageLine:
    text: str
    origin: Origin


@dataclass(frozen=True)
class GridCell:
    text: str | None  # None: covered by a merged cell that starts above or to the left
    origin: Origin | None


@dataclass(frozen=True)
class Grid:
    box: Box | None  # None: markup, which has no geometry
    rows: tuple[tuple[GridCell, ...], ...]
    # False: a table set without rules, its grid found from where the text sits; a row printed
    # all blank is then no row of it, and a label cell holds one printed line per text line
    ruled: bool = True


@dataclass(frozen=True)
class Picture:
    """A picture in a markup page (a table published as an image), for the scan path to read."""

    name: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[PageLine, ...]  # text outside the grids, in reading order
    grids: tuple[Grid, ...]
    needs_ocr: str | None = None  # why the text layer cannot be used, if it cannot
    # the words outside the grids, where a table printed without rules can still be found
    words: tuple[PageLine, ...] = ()
    # markup (HTML, Word): its paragraphs and tables in document order, which has no geometry to
    # order `lines` and `grids` by; a scanned picture in it is a `Page` of its own, in its place
    flow: tuple[PageLine | Grid | Picture | Page, ...] = ()
    # a page read from pixels: the cleaned page (grey, upright, deskewed) its boxes refer to, so
    # that a cell's crop can be shown beside its reading; None for text layers and markup
    picture: object | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PageDocument:
    source: str
    pages: tuple[Page, ...]  # the pages read, from the first
    total_pages: int
    stopped_early: bool = False  # `last_page_needed` said the rest is not needed
