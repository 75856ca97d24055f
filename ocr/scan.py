"""A scanned page becomes positioned text and ruling lines.

Pages are rendered from a PDF (pypdfium2) or read from an image. A red seal is whitened by colour
before recognition; skew is measured from the long horizontal rules and undone. PaddleOCR gives
the text lines; OpenCV morphology gives the horizontal and vertical rule segments, which layout
turns into grids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ocr.errors import InputError
from ocr.origin import Box, Origin
from ocr.paddle_engine import OcrModels, read_lines
from ocr.pdf_text import PositionedLine

SCAN_DPI = 200
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class Rule:
    horizontal: bool
    box: Box


@dataclass(frozen=True)
class ScanPage:
    number: int
    width: int
    height: int
    lines: tuple[PositionedLine, ...]
    rules: tuple[Rule, ...]
    skew_degrees: float
    image: np.ndarray = field(repr=False, compare=False)  # the cleaned, deskewed page the boxes refer to


def page_images(path: Path, kind: str, max_pages: int) -> Iterator[np.ndarray]:
    """Page images one at a time, so that a long scan never holds every page in memory."""
    import cv2

    if kind == "image":
        image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise InputError(f"{path.name} is not a readable image")
        yield image
        return
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as err:
        raise InputError(f"{path.name} cannot be rendered ({err})") from None
    for index in range(min(len(pdf), max_pages)):
        page = pdf[index]
        width, height = page.get_size()
        scale = SCAN_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        # through PIL, which knows pdfium's channel order (BGR, BGRA or BGRX) by the bitmap's mode
        rgb = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
        page.close()
        yield cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    pdf.close()


def suppress_red(image: np.ndarray) -> np.ndarray:
    """Whiten a red seal, keeping black print under it: where red ink lies over white paper the
    pixel is light; where it lies over print it is dark, and that print is kept as black."""
    import cv2

    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    red = ((hsv[..., 0] < 12) | (hsv[..., 0] > 165)) & (hsv[..., 1] > 70)
    out = image.copy()
    out[red & (hsv[..., 2] > 200)] = 255
    out[red & (hsv[..., 2] <= 200)] = 0
    return out


def _rule_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -8)
    length = max(gray.shape[1] // 40, 15)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    # a one-line row is short: vertical rules are kept short here, and layout keeps only those
    # running from one horizontal rule to another (a glyph's stroke does not)
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))
    # close small breaks (under a seal, or from noise)
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horizontal, vertical


def measure_skew(gray: np.ndarray) -> float:
    """Degrees of skew from the long straight rules (0 where there are none)."""
    import cv2

    edges = cv2.Canny(gray, 50, 150)
    lines = cv2.HoughLinesP(edges, 1, np.pi / 1800, threshold=200, minLineLength=gray.shape[1] // 3, maxLineGap=10)
    if lines is None:
        return 0.0
    angles = [np.degrees(np.arctan2(y2 - y1, x2 - x1)) for x1, y1, x2, y2 in lines[:, 0]]
    angles = [a for a in angles if abs(a) < 10]
    return float(np.median(angles)) if angles else 0.0


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    import cv2

    angle = measure_skew(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if abs(angle) < 0.05:
        return image, 0.0
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderValue=(255, 255, 255)), angle


def _segments(mask: np.ndarray, horizontal: bool) -> list[Rule]:
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    rules = []
    for x, y, w, h, _ in stats[1:count]:
        if (w if horizontal else h) >= 15:
            rules.append(Rule(horizontal, Box(float(x), float(y), float(x + w), float(y + h))))
    return rules


def _without_tables(image: np.ndarray, rule_mask: np.ndarray) -> np.ndarray:
    """The page with every ruled table painted white: the extents of the large connected
    networks of rules, which text lines alone never form."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(rule_mask)
    out = image.copy()
    for x, y, w, h, _ in stats[1:count]:
        if w >= image.shape[1] // 8 and h >= 40:
            out[y:y + h, x:x + w] = 255
    return out


def read_scan_page(image: np.ndarray, number: int, source: str, models: OcrModels) -> ScanPage:
    import cv2

    image, angle = deskew(suppress_red(image))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    horizontal, vertical = _rule_masks(gray)
    rules = _segments(horizontal, True) + _segments(vertical, False)
    # the page's own detection is needed only outside the tables, whose cells are read one by one
    lines = tuple(PositionedLine(line.text, Origin(source, line.text, page=number, box=Box(*line.box),
                                                   confidence=line.confidence))
                  for line in read_lines(_without_tables(image, horizontal | vertical), models))
    height, width = gray.shape
    return ScanPage(number, width, height, lines, tuple(rules), angle, image)


_INK_LEVEL = 140  # grey below this is print
_MIN_INK_PIXELS = 20


def _crop(image: np.ndarray, box: tuple[float, float, float, float], inset: int) -> np.ndarray:
    x0, top, x1, bottom = (int(round(v)) for v in box)
    return image[top + inset:max(bottom - inset, top + inset + 1), x0 + inset:max(x1 - inset, x0 + inset + 1)]


def _text_lines(ink: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of the lines of text in a cell, from the rows that hold ink."""
    rows = ink.any(axis=1)
    lines, start = [], None
    for y, has_ink in enumerate(list(rows) + [False]):
        if has_ink and start is None:
            start = y
        elif not has_ink and start is not None:
            if y - start >= 4:  # specks are not lines
                lines.append((start, y))
            start = None
    return lines


def read_cells(image: np.ndarray, boxes: list[tuple[float, float, float, float]], models: OcrModels,
               dpi: float = SCAN_DPI) -> list[tuple[str, float] | None]:
    """Each cell read from its own crop, line by line: None where the crop holds no ink (an empty
    cell); a one-line cell that reads as a number takes the digits-only reading."""
    import cv2

    from ocr.paddle_engine import recognize_crops

    inset = max(3, int(round(dpi / 40)))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    owners, crops = [], []
    for index, box in enumerate(boxes):
        left, top = int(round(box[0])) + inset + 2, int(round(box[1])) + inset + 2
        inner = _crop(gray, box, inset + 2)
        ink = inner < _INK_LEVEL
        if not inner.size or int(ink.sum()) < _MIN_INK_PIXELS:
            continue
        for start, end in _text_lines(ink):
            cols = np.flatnonzero(ink[start:end].any(axis=0))
            line_box = (left + cols[0] - inset, top + start - inset, left + cols[-1] + 1 + inset, top + end + inset)
            owners.append(index)
            crops.append(_crop(image, line_box, 0))
    readings: dict[int, list] = {}
    for index, reading in zip(owners, recognize_crops(crops, models)):
        readings.setdefault(index, []).append(reading)
    out: list[tuple[str, float] | None] = [None] * len(boxes)
    for index, lines in readings.items():
        if len(lines) == 1:
            reading = lines[0]
            numeric_looking = reading.digits and len(reading.text.strip()) <= len(reading.digits) + 2
            if numeric_looking and reading.digits_confidence >= 0.6:
                out[index] = (reading.digits, reading.digits_confidence)
                continue
        out[index] = ("".join(r.text for r in lines), min(r.confidence for r in lines))
    return out
