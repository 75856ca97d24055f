"""The page model every reader produces, whatever the input: stage 1's one output.

A file becomes a `PageDocument` of pages, each one of three kinds:

- `PositionedPage`: text with boxes, from a PDF's text layer or a scan read by OCR, and the grids
  found on it (ruled tables, merged cells kept as None). A PDF gives printed lines and words; a
  scan gives the detected text pieces as words only, from which layout makes lines.
- `FlowPage`: text without geometry, in document order: a text file's lines, or a web page's or
  Word file's paragraphs and tables; a picture in markup is a `Picture` until the scan path reads
  it into a `PositionedPage` in its place.
- `UnreadPage`: a PDF page whose text layer cannot be used (a scanned page in a born-digital
  report), and why; the scan path reads it instead.

Layout reads only this model, so a new input type is one new reader. Where layout needs a cell of
a scan read again from its own crop, it is handed a `CellReader`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

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
class PositionedPage:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[PageLine, ...]  # printed lines outside the grids, in reading order
    grids: tuple[Grid, ...]
    # text pieces outside the grids (a PDF's words, a scan's detected text), where a table printed
    # without rules can still be found; layout turns them into grids and lines
    words: tuple[PageLine, ...] = ()


@dataclass(frozen=True)
class FlowPage:
    number: int
    flow: tuple[PageLine | Grid | Picture | PositionedPage, ...]


@dataclass(frozen=True)
class UnreadPage:
    number: int
    width: float
    height: float
    why: str  # why the text layer cannot be used


Page = PositionedPage | FlowPage | UnreadPage


@dataclass(frozen=True)
class PageDocument:
    source: str
    pages: tuple[Page, ...]  # the pages read, from the first
    total_pages: int
    stopped_early: bool = False  # `last_page_needed` said the rest is not needed
    encoding: str | None = None  # how a text file's bytes were decoded

    def flow_lines(self) -> tuple[PageLine, ...]:
        """The lines of its flow pages, in order: a text file's lines."""
        return tuple(piece for page in self.pages if isinstance(page, FlowPage)
                     for piece in page.flow if isinstance(piece, PageLine))

    def with_lines(self, lines: tuple[PageLine, ...]) -> PageDocument:
        """The document as one flow page of these lines (a text file's lines, cleaned or cut)."""
        return replace(self, pages=(FlowPage(1, lines),), total_pages=1)


@dataclass(frozen=True)
class CellReading:
    """One cell of a scan read again from its own crop."""

    text: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()  # other readings of a number cell, with their weight
    doubts: tuple[str, ...] = ()  # as `Origin.doubts`: why a confident reading may still be wrong


# Reads the crops of the given boxes of a scanned page: for each a reading, or None where the crop
# holds no ink; the flag says whether the boxes lie on ruling lines (whose ink is cut away at
# their edges).
CellReader = Callable[[list[Box], bool], list[CellReading | None]]
