"""One file in, one `Report` out: the single code path every way of running the service shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layout.flat_rows import rows_from_text
from layout.pdf_rows import rows_from_pdf
from ocr.errors import NeedsOcr, UnsupportedInput, reading
from ocr.pdf_text import read_pdf
from ocr.text_file import read_text_document
from table_recon.recon import read_report
from table_recon.report import Report

_PDF_MAGIC = b"%PDF"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass(frozen=True)
class InspectOptions:
    """Everything a run may vary; passed explicitly so a Ray worker and a test see the same thing."""

    max_pages: int = 400


def sniff_kind(path: Path) -> str:
    """"text", "pdf" or "image", from the file's first bytes rather than its name."""
    with reading(path), path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_PDF_MAGIC):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(_OFFICE_MAGIC):
        raise UnsupportedInput(f"{path.name} is a Word/Excel file; save it as PDF or text first")
    return "text"


def inspect_file(path: Path, options: InspectOptions = InspectOptions()) -> Report:
    """Read one report; raise `DisclosureError` when the file cannot be processed at all."""
    kind = sniff_kind(path)
    if kind == "text":
        return read_report(rows_from_text(read_text_document(path)))
    if kind == "pdf":
        document = read_pdf(path, max_pages=options.max_pages)
        if all(page.needs_ocr for page in document.pages):
            raise NeedsOcr(f"{path.name}: no page has a usable text layer ({document.pages[0].needs_ocr}); "
                           f"it needs OCR, which this version cannot run yet")
        return read_report(rows_from_pdf(document))
    raise UnsupportedInput(f"{path.name}: {kind} input is not supported yet")
