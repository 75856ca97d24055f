"""One file in, one `Report` out: the single code path every way of running the service shares.

Each reader carries out the decisions of `policies.py`, and runs each step inside the stage it
belongs to, so an error says where it happened: the file (`input`), the OCR models (`ocr`), a
page's rows (`layout`), the fields (`table_recon`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure.layout.crawled_text import split_runs
from disclosure.layout.flat_rows import rows_from_text
from disclosure.layout.page_rows import rows_from_pages, with_tables
from disclosure.ocr.errors import InputError, Stage, in_stage, reading
from disclosure.ocr.html_page import read_html
from disclosure.ocr.input_kind import InputKind, sniff_kind
from disclosure.ocr.mhtml import read_mhtml
from disclosure.ocr.paddle_engine import OcrModels, usable_cpus
from disclosure.ocr.page_model import FlowPage, PageDocument, Picture, PositionedPage
from disclosure.ocr.pdf_text import read_pdf
from disclosure.ocr.text_file import read_text_document
from disclosure.ocr.word_file import read_binary_word, read_docx
from disclosure.pipeline import policies
from disclosure.pipeline.options import InspectOptions
from disclosure.table_recon.labels import TABLE_VOCABULARY
from disclosure.table_recon.recon import read_report
from disclosure.table_recon.report import Report


@dataclass(frozen=True)
class ScannedPage:
    """A page read from pixels, and the cleaned picture (grey, upright, deskewed) its boxes refer
    to, so that a cell's crop can be shown beside its reading."""

    page: PositionedPage
    picture: object = field(repr=False, compare=False)


@dataclass(frozen=True)
class DocumentReading:
    """A report and the pages of it read from pixels, by number: what a cell's crop is cut from
    (the other pages of a PDF are rendered from the file)."""

    report: Report
    scanned: dict[int, ScannedPage]
    all_scanned: bool = False  # no page had a usable text layer


def _fields_of(document: PageDocument, narrative: bool = True) -> Report:
    with in_stage(Stage.LAYOUT):
        rows = rows_from_pages(document)
    with in_stage(Stage.TABLE_RECON):
        return read_report(rows, narrative=narrative)


def _noted(report: Report, note: str) -> Report:
    return replace(report, warnings=report.warnings + (note,))


def _scan_pages(path: Path, kind: InputKind, options: InspectOptions,
                only: frozenset[int] | None = None) -> Iterator[ScannedPage]:
    """Scanned pages one by one (those numbered `only`, if given), each read by OCR and OpenCV
    grids into the page model a PDF's text layer gives, its tables set without rules found."""
    from disclosure.ocr.scan import page_images, read_scan_page
    from disclosure.ocr.scan_grid import page_from_scan, scan_cell_reader

    threads = options.for_workers(1, usable_cpus()).ocr_threads
    models = replace(options.ocr_models or OcrModels.packaged(), threads=threads)

    def reader(scan, number):
        read_cells = scan_cell_reader(scan, models)

        def read(boxes, ruled=True):
            with in_stage(Stage.OCR, number):
                return read_cells(boxes, ruled)
        return read

    read: list[PositionedPage] = []
    for number, image in page_images(path, kind, options.max_pages, only):
        with in_stage(Stage.OCR, number):
            scan = read_scan_page(image, number, path.name, models, policies.tables_end_within(read),
                                  prose=options.prose, opening=number == 1)
            cells = reader(scan, number)
            page = page_from_scan(scan, path.name, cells)
        with in_stage(Stage.LAYOUT, number):
            page = with_tables(page, cells)
        if options.debug_dir is not None:
            from disclosure.pipeline.debug_pages import write_debug_page

            write_debug_page(options.debug_dir, path.name, scan, page)
        read.append(page)
        yield ScannedPage(page, scan.grey)


def _read_scan(path: Path, kind: InputKind, options: InspectOptions) -> DocumentReading:
    """Scanned pages: OCR and OpenCV grids, then the same rows and fields as a born-digital PDF."""
    scanned: list[ScannedPage] = []
    for page in _scan_pages(path, kind, options):
        scanned.append(page)
        if policies.pages_hold_no_more_fields([s.page for s in scanned]):
            break
    report = _fields_of(PageDocument(path.name, tuple(s.page for s in scanned), len(scanned)), options.prose)
    if not options.prose:
        report = _noted(report, policies.PROSE_NOT_READ)
    return DocumentReading(report, {s.page.number: s for s in scanned})


def _read_pdf_with(path: Path, options: InspectOptions, grid_reader,
                   ocr_pages: dict[int, ScannedPage] | None = None) -> DocumentReading:
    """The report, and the pages of it read by OCR: those without a usable text layer among pages
    with one, or taken from `ocr_pages` where an earlier reading already read them."""
    with in_stage(Stage.INPUT):  # pdfminer failing on a page is a damaged file
        document = read_pdf(path, max_pages=options.max_pages,
                            last_page_needed=policies.pages_hold_no_more_fields, grid_reader=grid_reader)
    if policies.is_all_scanned(document.pages):
        return replace(_read_scan(path, InputKind.PDF, options), all_scanned=True)
    if ocr_pages is None:
        wanted = policies.pages_for_ocr(document.pages)
        ocr_pages = {s.page.number: s for s in _scan_pages(path, InputKind.PDF, options, wanted)} if wanted else {}
    document = replace(document, pages=tuple(ocr_pages[page.number].page if page.number in ocr_pages else page
                                             for page in document.pages))
    report = _fields_of(document, options.prose or not ocr_pages)
    if ocr_pages:
        report = _noted(report, policies.ocr_pages_note(list(ocr_pages)))
        if not options.prose:
            report = _noted(report, policies.PROSE_NOT_READ)
    return DocumentReading(report, ocr_pages)


def _read_pdf(path: Path, options: InspectOptions) -> DocumentReading:
    """The first grid reader's reading; where it is not verified, each other reader reads again the
    pages in doubt, and the referee keeps the reading the rules vouch for more."""
    default, *others = options.grid_readers
    best = _read_pdf_with(path, options, default)
    for other in others:
        if not policies.wants_second_reader(best.report, best.all_scanned):
            break
        reader = policies.reader_per_page(default, other, policies.pages_in_doubt(best.report))
        second = _read_pdf_with(path, options, reader, best.scanned)
        if policies.is_better(second.report, best.report):
            best = replace(second, report=_noted(second.report,
                                                 policies.referee_note(other, default, second.report, best.report)))
    return best


def _read_pictures(document: PageDocument, options: InspectOptions) -> PageDocument:
    """The page with each picture in it replaced by what the scan path reads in it."""
    page = document.pages[0]
    flow = []
    with tempfile.TemporaryDirectory(prefix="disclosure-picture-") as folder:
        for piece in page.flow:
            if not isinstance(piece, Picture):
                flow.append(piece)
                continue
            picture = Path(folder) / piece.name
            picture.write_bytes(piece.data)
            try:
                flow += [s.page for s in _scan_pages(picture, InputKind.IMAGE, options)]
            except InputError:  # a logo, an icon, a broken picture: no table in it
                continue
    return replace(document, pages=(FlowPage(page.number, tuple(flow)),))


def _read_markup(document: PageDocument, options: InspectOptions) -> Report:
    """A web page or Word file from its table markup; where that leaves fields unread and the page
    holds pictures, the pictures are read by OCR too, and the referee keeps the better reading."""
    report = _fields_of(document)
    pictures = sum(1 for piece in document.pages[0].flow if isinstance(piece, Picture))
    if not policies.pictures_worth_reading(report, pictures):
        return report
    scanned = _fields_of(_read_pictures(document, options), options.prose)
    if not policies.is_better(scanned, report):
        return report
    scanned = _noted(scanned, policies.pictures_note(pictures))
    return scanned if options.prose else _noted(scanned, policies.PROSE_NOT_READ)


def _read_text(path: Path) -> Report:
    with in_stage(Stage.INPUT):
        text = read_text_document(path)
    with in_stage(Stage.LAYOUT):
        rows = rows_from_text(split_runs(text, TABLE_VOCABULARY))
    with in_stage(Stage.TABLE_RECON):
        return read_report(rows)


_MARKUP_READERS = {InputKind.HTML: read_html, InputKind.MHTML: read_mhtml, InputKind.DOCX: read_docx,
                   InputKind.BINARY_WORD: read_binary_word}


def read_document(path: Path, options: InspectOptions = InspectOptions()) -> DocumentReading:
    """Read one report, keeping the pages read from pixels; raise `DisclosureError`, with its stage
    and page, when the file cannot be processed at all."""
    kind = sniff_kind(path)
    if kind is InputKind.TEXT:
        return DocumentReading(_read_text(path), {})
    if kind is InputKind.PDF:
        return _read_pdf(path, options)
    if kind is InputKind.IMAGE:
        return _read_scan(path, InputKind.IMAGE, options)
    with in_stage(Stage.INPUT), reading(path):
        document = _MARKUP_READERS[kind](path)
    return DocumentReading(_read_markup(document, options), {})


def inspect_file(path: Path, options: InspectOptions = InspectOptions()) -> Report:
    """Read one report; raise `DisclosureError` when the file cannot be processed at all."""
    return read_document(path, options).report
