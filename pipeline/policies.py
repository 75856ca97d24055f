"""The pipeline's decisions, each a small pure function over pages and reports: when to stop
reading, which pages OCR must read, which grid reader reads which page, which of two readings the
rules vouch for more, and when the pictures in a web page are worth reading. The readers in
`document.py` only carry them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from disclosure.ocr.page_model import Page, PositionedPage, UnreadPage
from disclosure.table_recon.labels import tables_have_ended
from disclosure.table_recon.report import FieldState, Report, Status

_READ_STATES = (FieldState.READ, FieldState.EMPTY, FieldState.DERIVED)
_UNREAD_STATES = (FieldState.MISSING, FieldState.AMBIGUOUS)


def pages_hold_no_more_fields(pages: Sequence[Page]) -> bool:
    """The early stop: pages after the one closing table 四 hold no fields, so a long PDF costs
    only its first pages."""
    return tables_have_ended(_line_texts(pages))


def _line_texts(pages: Sequence[Page]) -> list[str]:
    return [line.text for page in pages if isinstance(page, PositionedPage) for line in page.lines]


def tables_end_within(earlier: Sequence[Page]) -> Callable[[list[str]], bool]:
    """Of a page's headings read so far, after the pages `earlier`: have the tables ended (the
    early stop's test)? The page's prose below that point is not read."""
    before = _line_texts(earlier)
    return lambda lines: tables_have_ended([*before, *lines])


def pages_for_ocr(pages: Sequence[Page]) -> frozenset[int]:
    """Pages without a usable text layer (a stamped table page scanned into a born-digital report)."""
    return frozenset(page.number for page in pages if isinstance(page, UnreadPage))


def is_all_scanned(pages: Sequence[Page]) -> bool:
    """No page has a usable text layer: the whole file goes the scan path, grids from pixels."""
    return all(isinstance(page, UnreadPage) for page in pages)


def standing(report: Report) -> tuple[int, int]:
    """How well the rules vouch for a reading: rules holding, then fields read."""
    held = sum(1 for check in report.checks if check.ok)
    read = sum(1 for r in report.readings.values() if r.state in _READ_STATES)
    return held, read


def is_better(candidate: Report, incumbent: Report) -> bool:
    """The referee between two readings of one document: the candidate replaces the incumbent only
    where strictly more rules hold, or as many with more fields read (a tie keeps the default)."""
    return standing(candidate) > standing(incumbent)


def pages_in_doubt(report: Report) -> frozenset[int] | None:
    """Pages holding a cell of a failing rule or an unread field; None where some such field has
    no page at all (a table not found): then every page is in doubt."""
    keys = {key for check in report.checks if check.ok is False for key in check.keys}
    keys |= {key for key, r in report.readings.items() if r.state in _UNREAD_STATES}
    pages = {report.readings[key].origin.page if report.readings[key].origin else None for key in keys}
    return None if None in pages else frozenset(pages)


def wants_second_reader(report: Report, all_scanned: bool) -> bool:
    """A born-digital PDF not verified by the first grid reader is read again by the next."""
    return report.status is not Status.VERIFIED and not all_scanned


def reader_per_page(default: str, other: str, doubt: frozenset[int] | None) -> str | Callable[[int], str]:
    """The second reading's grid reader: `other` on the pages in doubt, `default` on the rest
    (every page where doubt has no page)."""
    if doubt is None:
        return other
    return lambda number: other if number in doubt else default


def pictures_worth_reading(report: Report, pictures: int) -> bool:
    """A web page or Word file whose markup left fields unread, and which holds pictures: the
    tables may have been published as images."""
    unread = report.status is Status.ERROR or any(r.state is FieldState.MISSING for r in report.readings.values())
    return pictures > 0 and unread


PROSE_NOT_READ = ("the paragraphs of the scanned pages were not read (--no-prose): the tables and the title were, "
                  "the narrative's ties to the tables were not checked")


def ocr_pages_note(numbers: Sequence[int]) -> str:
    return f"page {', '.join(map(str, sorted(numbers)))}: no usable text layer; read by OCR"


def referee_note(winner: str, loser: str, won: Report, lost: Report) -> str:
    return (f"{winner}'s reading of the tables was taken over {loser}'s: "
            f"{standing(won)[0]} rules hold instead of {standing(lost)[0]}")


def pictures_note(pictures: int) -> str:
    return f"tables read from {pictures} picture(s) in the page by OCR"
