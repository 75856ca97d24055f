"""Crops of the cells a reviewer will want to see beside their readings, cut while a PDF or a scan
is being read: the cells of failing rules, the fields left in doubt, and the fields the cross-year
ties use (whether a tie fails is known only once the whole archive is read).

A page read from pixels is cut from the cleaned page its boxes refer to; a page read from its
text layer is rendered by pdfium. Each crop is a small grey PNG.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from disclosure.ocr.input_kind import InputKind, sniff_kind
from disclosure.pipeline.document import DocumentReading
from disclosure.table_recon.cross_year import TIE_FIELDS
from disclosure.table_recon.report import FieldState, Report

POINTS_SCALE = 2.0  # pixels per PDF point of a rendered text-layer page (144 dpi)
_MARGIN = 4  # pixels around the cell, so a digit touching its rule is seen whole
_MOST_CROPS = 120  # a report with every rule failing still costs only this many

log = logging.getLogger(__name__)


def involved_keys(report: Report) -> tuple[str, ...]:
    keys = [key for check in report.checks if check.ok is False or check.doubt is not None for key in check.keys]
    keys += [key for key, r in report.readings.items() if r.state in (FieldState.MISSING, FieldState.AMBIGUOUS)]
    keys += [key for key in TIE_FIELDS if key in report.readings]
    return tuple(dict.fromkeys(keys))[:_MOST_CROPS]


def _rendered_pages(path: Path, numbers: Iterable[int]) -> dict[int, object]:
    import pypdfium2 as pdfium

    pages = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            if 1 <= number <= len(pdf):
                bitmap = pdf[number - 1].render(scale=POINTS_SCALE, grayscale=True)
                pages[number] = bitmap.to_numpy().copy()
    finally:
        pdf.close()
    return pages


def cell_crops(path: Path, reading: DocumentReading, keys: Iterable[str]) -> dict[str, bytes]:
    """PNG bytes per key, for each key whose reading has a page and a box."""
    import cv2
    import numpy as np

    boxes = {}
    for key in keys:
        cell = reading.report.readings.get(key)
        origin = cell.origin if cell else None
        if origin is not None and origin.page is not None and origin.box is not None:
            boxes[key] = (origin.page, origin.box)
    scanned = {n: page.picture for n, page in reading.scanned.items()}
    rendered_needed = {page for page, _ in boxes.values() if page not in scanned}
    rendered = _rendered_pages(path, rendered_needed) if rendered_needed and not reading.all_scanned else {}
    crops = {}
    for key, (number, box) in boxes.items():
        image, scale = (scanned[number], 1.0) if number in scanned else (rendered.get(number), POINTS_SCALE)
        if image is None:
            continue
        image = np.asarray(image)
        x0, top = max(0, int(box.x0 * scale) - _MARGIN), max(0, int(box.top * scale) - _MARGIN)
        x1 = min(image.shape[1], int(box.x1 * scale + 0.5) + _MARGIN)
        bottom = min(image.shape[0], int(box.bottom * scale + 0.5) + _MARGIN)
        if x1 - x0 < 2 or bottom - top < 2:
            continue
        ok, png = cv2.imencode(".png", np.ascontiguousarray(image[top:bottom, x0:x1]))
        if ok:
            crops[key] = png.tobytes()
    return crops


def crops_or_none(path: Path, reading: DocumentReading) -> dict[str, bytes]:
    """The crops, or none where cutting them fails: a picture is never worth a document's result."""
    try:
        if not reading.scanned and sniff_kind(path) is not InputKind.PDF:
            return {}
        return cell_crops(path, reading, involved_keys(reading.report))
    except Exception as err:  # noqa: BLE001 - the reading stands without its pictures
        log.warning("%s: no cell crops: %s: %s", path.name, type(err).__name__, err)
        return {}
