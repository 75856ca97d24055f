"""A born-digital PDF becomes pages (`ocr.page_model`) of positioned text lines and ruled grids,
from its text layer.

pdfplumber reads the characters (fake-bold duplicates removed) and finds the ruled tables from the
drawn lines; each grid keeps merged cells as None. A page whose text layer is garbage (U+FFFD,
"(cid:NN)", GBK-EUC-H fonts without a ToUnicode map) is flagged as needing OCR instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from disclosure.ocr.errors import EncryptedInput, InputError
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.page_model import Grid, GridCell, Page, PageDocument, PageLine, PositionedPage, UnreadPage

GARBAGE_SHARE = 0.05


def _damaged_page_errors() -> tuple[type[BaseException], ...]:
    """What pdfminer and the libraries under it raise on a page whose objects are damaged (a
    broken stream, a bad font or image): such a page is read by OCR. Anything else is a bug."""
    import struct
    import zlib

    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    return (PSException, PDFException, PdfminerException, ValueError, KeyError, IndexError, struct.error,
            zlib.error, OverflowError, RecursionError, UnicodeError)



def garbage_reason(text: str) -> str | None:
    """Why a page's text layer is unusable, or None when it reads as text."""
    if not text.strip():
        return "the page has no text layer (an image)"
    bad = text.count("\ufffd") + 4 * text.count("(cid:")
    if bad / max(len(text), 1) > GARBAGE_SHARE:
        return "the text layer is garbage (fonts without a Unicode map)"
    return None


def _causes(err: BaseException) -> list[BaseException]:
    """pdfplumber wraps pdfminer's errors; look through the wrapping for the real one."""
    seen = [err]
    for inner in (err.__cause__, err.__context__, *[a for a in err.args if isinstance(a, BaseException)]):
        if inner is not None and inner not in seen:
            seen.append(inner)
    return seen


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(path)
        _ = len(pdf.pages)
        return pdf
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except Exception as err:  # pdfminer raises many types for broken files, wrapped by pdfplumber
        causes = _causes(err)
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise EncryptedInput(f"{path.name} is encrypted; remove the password first "
                                 f"(qpdf --decrypt in.pdf out.pdf)") from None
        if any(isinstance(c, PDFSyntaxError) for c in causes):
            raise InputError(f"{path.name} is damaged or truncated; re-download or repair it") from None
        reason = next((f"{type(c).__name__}: {c}" for c in causes if str(c)), type(err).__name__)
        raise InputError(f"{path.name} is not a readable PDF ({reason})") from None


def _box(bbox) -> Box:
    x0, top, x1, bottom = bbox
    return Box(float(x0), float(top), float(x1), float(bottom))


def _grid(table, source: str, number: int) -> Grid:
    texts = table.extract()
    rows = []
    for row, row_texts in zip(table.rows, texts):
        cells = []
        for cell_box, text in zip(row.cells, row_texts):
            if cell_box is None or text is None:
                cells.append(GridCell(None, None))
            else:
                cells.append(GridCell(text, Origin(source, text, page=number, box=_box(cell_box))))
        rows.append(tuple(cells))
    return Grid(_box(table.bbox), tuple(rows))


def _outside(items: list[dict], grids: list[Grid], source: str, number: int) -> tuple[PageLine, ...]:
    """pdfplumber's text lines or words whose centre lies in no grid."""
    out = []
    for item in items:
        box = _box((item["x0"], item["top"], item["x1"], item["bottom"]))
        if not any(grid.box.holds(box.center) for grid in grids):
            out.append(PageLine(item["text"], Origin(source, item["text"], page=number, box=box)))
    return tuple(out)


def _pdfplumber_grids(page, path: Path) -> list[Grid]:
    if len(page.edges) < 4:
        return []
    return [_grid(t, path.name, page.page_number) for t in page.find_tables()]


def _camelot_grids(page, path: Path) -> list[Grid]:
    from disclosure.ocr.camelot_grids import camelot_grids

    return list(camelot_grids(path, page.page_number, float(page.height))) if len(page.edges) >= 4 else []


# Readers of ruled grids, by name; camelot is imported only when asked for.
GRID_READERS: dict[str, Callable] = {"pdfplumber": _pdfplumber_grids, "camelot": _camelot_grids}


def _upright_share(page) -> float:
    chars = page.chars
    return sum(c["upright"] for c in chars) / len(chars) if chars else 0.0


def _upright(page):
    """A rotated page (/Rotate) is read in its content's own orientation, where the text was set,
    unless that turns the text on its side (content drawn rotated to stand up once displayed)."""
    if not page.rotation:
        return page
    from pdfplumber.page import Page

    displayed = _upright_share(page)
    page.page_obj.rotate = 0
    unrotated = Page(page.pdf, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
    if _upright_share(unrotated) >= displayed:
        return unrotated
    page.page_obj.rotate = page.rotation
    return page


def _read_page(page, path: Path, grid_reader: str) -> PositionedPage | UnreadPage:
    number = page.page_number
    page = _upright(page).dedupe_chars()
    text = page.extract_text() or ""
    reason = garbage_reason(text)
    if reason:
        return UnreadPage(number, float(page.width), float(page.height), reason)
    grids = [g for g in GRID_READERS[grid_reader](page, path) if len(g.rows) > 1 and max(len(r) for r in g.rows) > 1]
    return PositionedPage(number, float(page.width), float(page.height),
                          _outside(page.extract_text_lines(), grids, path.name, number), tuple(grids),
                          words=_outside(page.extract_words(), grids, path.name, number))


def read_pdf(path: Path, max_pages: int = 400,
             last_page_needed: Callable[[tuple[Page, ...]], bool] = lambda pages: False,
             grid_reader: str | Callable[[int], str] = "pdfplumber") -> PageDocument:
    """Read pages from the first until `max_pages`, or until `last_page_needed(pages so far)`;
    the ruled grids come from `grid_reader`, a name in GRID_READERS or a page number -> name."""
    reader_of = grid_reader if callable(grid_reader) else (lambda number: grid_reader)
    damaged_page = _damaged_page_errors()
    with _open(path) as pdf:
        total = len(pdf.pages)
        if total == 0:
            raise InputError(f"{path.name} has no pages")
        pages = []
        for page in pdf.pages[:max_pages]:
            try:
                pages.append(_read_page(page, path, reader_of(page.page_number)))
            except damaged_page as err:  # one broken page is a finding about that page, not the file
                pages.append(UnreadPage(page.page_number, float(page.width), float(page.height),
                                        f"the page could not be read ({type(err).__name__}: {err})"))
            finally:
                page.close()  # pdfplumber caches every object of a page until closed
            if len(pages) < total and last_page_needed(tuple(pages)):
                return PageDocument(path.name, tuple(pages), total, stopped_early=True)
        return PageDocument(path.name, tuple(pages), total)
