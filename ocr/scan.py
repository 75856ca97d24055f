"""A scanned page becomes positioned text and ruling lines.

Pages are rendered from a PDF (pypdfium2) or read from an image. A seal's ink is divided out
before recognition (`ocr.seal`); skew is measured from the long horizontal rules and undone.
PaddleOCR gives the text lines; OpenCV morphology gives the horizontal and vertical rule segments,
which layout turns into grids.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from disclosure.ocr.errors import InputError
from disclosure.ocr.input_kind import InputKind
from disclosure.ocr.origin import Box, Origin
from disclosure.ocr.paddle_engine import OcrLine, OcrModels, line_box, recognize_lines
from disclosure.ocr.page_model import PageLine
from disclosure.ocr.seal import unmix_seal

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
    lines: tuple[PageLine, ...]
    rules: tuple[Rule, ...]
    skew_degrees: float
    turn_degrees: int  # the clockwise quarter turns that set the page upright
    image: np.ndarray = field(repr=False, compare=False)  # the cleaned, deskewed page the boxes refer to
    # where a seal's ink was taken out, on the same cleaned page (None: no seal): the cells it
    # covered carry a doubt, since their print was recovered from under the ink
    seal: np.ndarray | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def grey(self) -> np.ndarray:
        """The cleaned page in grey, worked out once: the grids and the cell crops shown are cut from it."""
        import cv2

        return cv2.cvtColor(self.image, cv2.COLOR_BGR2GRAY)


def page_images(path: Path, kind: InputKind, max_pages: int,
                only: frozenset[int] | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """(page number, page image) one page at a time, so that a long scan never holds every page in
    memory; with `only`, just the pages of those numbers (of a PDF)."""
    import cv2

    if kind is InputKind.IMAGE:
        # a TIFF can hold several pages
        try:
            ok, images = cv2.imdecodemulti(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_COLOR)
        except cv2.error:
            ok, images = False, ()
        if not ok or not images:
            raise InputError(f"{path.name} is not a readable image")
        for number, image in enumerate(images[:max_pages], start=1):
            yield number, _at_scan_dpi(_big_enough(image, path, number))
        return
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as err:
        raise InputError(f"{path.name} cannot be rendered ({err})") from None
    for index in range(min(len(pdf), max_pages)):
        if only is not None and index + 1 not in only:
            continue
        try:
            page = pdf[index]
            width, height = page.get_size()
            scale = SCAN_DPI / 72
            if width * height * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            # rendered in OpenCV's channel order, on pdfium's opaque white: no conversion to make
            # (through PIL to RGB and back cost 15 ms a page, for the same pixels on 198 pages)
            bitmap = page.render(scale=scale, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGR)
            bgr = np.ascontiguousarray(bitmap.to_numpy())  # its rows may be padded to 4 bytes
            page.close()
        except pypdfium2.PdfiumError as err:  # a page object damaged past what pdfium can load
            raise InputError(f"{path.name}: page {index + 1} cannot be rendered; the file is damaged ({err})") from None
        yield index + 1, _big_enough(bgr, path, index + 1)
    pdf.close()


_SMALLEST_PAGE = 200  # pixels on the shorter side: less holds no table anyone could read


def _big_enough(image: np.ndarray, path: Path, number: int) -> np.ndarray:
    height, width = image.shape[:2]
    if min(height, width) < _SMALLEST_PAGE:
        raise InputError(f"{path.name}: page {number} is {width} x {height} pixels, too small to hold a "
                         f"readable table (scan at 150 dpi or more)")
    return image


def _at_scan_dpi(image: np.ndarray) -> np.ndarray:
    """A page image scanned finer than SCAN_DPI, brought down to it: grid and crop sizes assume it.
    The page is taken to be A4, whose long side is 11.69 inches."""
    import cv2

    target = round(11.69 * SCAN_DPI)
    longest = max(image.shape[:2])
    if longest <= 1.25 * target:
        return image
    scale = target / longest
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def suppress_red(image: np.ndarray) -> np.ndarray:
    """The page with its seals taken out, keeping the print under them (`ocr.seal.unmix_seal`)."""
    import cv2

    return cv2.cvtColor(unmix_seal(image)[0], cv2.COLOR_GRAY2BGR)


def _darker_than_around(gray: np.ndarray) -> np.ndarray:
    """255 where a pixel is darker than the paper around it: print, and a thin rule that blur has
    turned grey, but not the even grey of a shaded cell."""
    import cv2

    return cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -8)


def rule_ink(gray: np.ndarray) -> np.ndarray:
    """The pixels that can be part of a rule: print darker than PAGE_INK, or darker than the paper
    around it (a hairline rule scanned at 150 dpi and blurred is a grey of 165 or so)."""
    return (gray < PAGE_INK) | (_darker_than_around(gray) > 0)


def _rule_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    binary = _darker_than_around(gray)
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
    """Degrees of skew from the long straight rules: the strongest lines within 10 degrees of
    horizontal, found on a half-size copy of the page. A page without rules (a table set without
    them, plain text) is measured by its lines of print instead."""
    import cv2

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    edges = cv2.Canny(small, 50, 150)
    lines = cv2.HoughLines(edges, 1, np.pi / 1800, threshold=small.shape[1] // 3,
                           min_theta=np.radians(80), max_theta=np.radians(100))
    if lines is None:
        return _print_skew(small)
    # the normal of a line tilted by a degrees points at 90 + a
    return float(np.degrees(np.median(lines[:20, 0, 1]))) - 90.0


PAGE_INK = 160  # grey level below which a pixel of a page is print (rules, skew)
_SKEW_RANGE = 3.0  # degrees either way a page without rules is searched for its skew


def _print_skew(gray: np.ndarray) -> float:
    """The rotation that lines the print up best: turned by it, the ink falls into the fewest,
    fullest rows (the sum of squared row counts is largest). Ink pixels are turned as points, not
    the page as an image, so each of the angles tried costs one histogram."""
    ys, xs = np.nonzero(gray < PAGE_INK)
    if len(xs) < 100:
        return 0.0

    def sharpness(angle: float) -> float:
        theta = np.radians(angle)
        # the row each ink pixel lands in once the page is turned by `angle` as deskew turns it
        rows = np.round(ys * np.cos(theta) - xs * np.sin(theta)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    coarse = max(np.arange(-_SKEW_RANGE, _SKEW_RANGE + 0.05, 0.1), key=sharpness)
    return float(max(np.arange(coarse - 0.1, coarse + 0.105, 0.01), key=sharpness))


def deskew(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned level, and the degrees it was turned by. The page is in grey, BGR, or BGR with
    the seal's zone as a fourth channel: white comes in at the corners, and 0 into the zone."""
    import cv2

    angle = measure_skew(image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if abs(angle) < 0.05:
        return image, 0.0
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderValue=(255, 255, 255, 0)), angle


def _labelled(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """The stats of a mask's components as cv2.connectedComponentsWithStats gives them (but row 0's,
    the background's), labelled over the part of the mask that holds anything, whose labels and
    top-left corner come with them: a whole page cost 18 ms, most of it on empty paper. The part
    starts on an even row and column: OpenCV labels 2 x 2 blocks in raster order, and on a part
    aligned to them the components come in the order they come in over the whole mask."""
    import cv2

    x, y, w, h = cv2.boundingRect(mask)
    top, left = y & ~1, x & ~1
    if not w:  # OpenCV fails on an empty part
        return np.zeros((1, 5), np.int32), np.zeros((0, 0), np.int32), (top, left)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask[top:y + h, left:x + w])
    stats[:, :2] += (left, top)
    return stats, labels, (top, left)


def _segments(mask: np.ndarray, horizontal: bool) -> list[Rule]:
    return [Rule(horizontal, Box(float(x), float(y), float(x + w), float(y + h)))
            for x, y, w, h, _ in _labelled(mask)[0][1:] if (w if horizontal else h) >= 15]


def _table_boxes(horizontal: np.ndarray, vertical: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The (x0, top, x1, bottom) of every ruled table: the large connected networks of rules,
    which text lines alone never form. A table's extent is that of its long horizontal rules (half
    as long as its longest, or more), since the strokes of a heading just above can join the
    network, as short vertical and horizontal segments ("二" is two short horizontal rules)."""
    stats, labels, (top, left) = _labelled(horizontal | vertical)
    boxes = []
    for index in range(1, len(stats)):
        x, y, w, h, _ = stats[index]
        if w < horizontal.shape[1] // 8 or h < 40:
            continue
        rules = (labels[y - top:y - top + h, x - left:x - left + w] == index) & (horizontal[y:y + h, x:x + w] > 0)
        lengths = rules.sum(axis=1)
        rows = np.flatnonzero(lengths >= lengths.max() / 2)
        if rows.size and lengths.max():
            cols = np.flatnonzero(rules[rows].any(axis=0))
            boxes.append((x + cols.min(), y + rows.min(), x + cols.max() + 1, y + rows.max() + 1))
    return boxes


def _painted_white(image: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    out = image.copy()
    for x0, top, x1, bottom in boxes:
        out[top:bottom, x0:x1] = 255
    return out


@dataclass(frozen=True)
class _Cleaned:
    image: np.ndarray  # the page with a seal taken out, deskewed and turned upright
    seal: np.ndarray | None  # the seal's zone, turned and deskewed with the page (None: no seal)
    turn: int
    angle: float
    lines: tuple[tuple[int, int, int, int], ...]  # the lines of print detected on the cleaned page


def clean_page(image: np.ndarray, models: OcrModels) -> tuple[np.ndarray, int, float]:
    """The page with a seal taken out, turned upright and deskewed; the turn and the skew undone."""
    cleaned = _cleaned(image, models)
    return cleaned.image, cleaned.turn, cleaned.angle


def _cleaned(image: np.ndarray, models: OcrModels) -> _Cleaned:
    """The page cleaned, and its lines of print. It is deskewed before its text is detected (a
    line detected tilted and then turned level would have a box taller by the tilt), and that
    detection tells which way up it is (`ocr.orientation`): a page that comes upright, or upside
    down, is detected once. A page a quarter turn off is turned, deskewed and detected again."""
    import cv2

    from disclosure.ocr.orientation import detected_lines, quarter_turned, turned_half, upside_down

    gray, zone = unmix_seal(image)
    # turned in grey, and made BGR for the detector after; the seal's zone turns with the page as
    # a fourth channel: one warp of that costs less than a warp of BGR, and one of the zone
    page = gray if zone is None else cv2.merge((gray, gray, gray, zone.view(np.uint8) * 255))
    page, angle = deskew(page)
    image, mask = _split(page)
    quads = detected_lines(image, models)
    turn = 0
    if quarter_turned(quads):
        page, more = deskew(cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE))
        image, mask = _split(page)
        angle, turn = angle + more, 90
        quads = detected_lines(image, models)
    if upside_down(image, quads, models):
        height, width = image.shape[:2]
        quads = turned_half(quads, width, height)
        image, mask = _split(cv2.rotate(page, cv2.ROTATE_180))
        turn += 180
    height, width = image.shape[:2]
    lines = tuple(box for box in (line_box(quad, width, height) for quad in quads) if box is not None)
    return _Cleaned(image, None if mask is None else mask > 127, turn, angle, lines)


def _split(page: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A page turned in grey or with its seal's zone (`_cleaned`): in BGR, and the zone or None."""
    import cv2

    if page.ndim == 2:
        return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR), None
    return cv2.cvtColor(page, cv2.COLOR_BGRA2BGR), page[..., 3]


def find_rules(image: np.ndarray) -> tuple[tuple[Rule, ...], np.ndarray, np.ndarray]:
    """The ruling segments of a clean page, and the horizontal and vertical rule masks."""
    import cv2

    horizontal, vertical = _rule_masks(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    return tuple(_segments(horizontal, True) + _segments(vertical, False)), horizontal, vertical


# of the page's widest line: a line no wider is read first, as a heading may be; a paragraph's
# lines run the text's full width (its first indented two characters), a heading stops well short
_HEADING_WIDTH = 0.85


_TITLE_LINES = 3  # a report's first lines, read whatever their width: its title names the agency and year


def _lines_needed(image: np.ndarray, boxes: list[tuple[int, int, int, int]], models: OcrModels,
                  tables_bottom: int | None, tables_ended: Callable[[list[str]], bool] | None,
                  prose: bool = True, opening: bool = False) -> list[OcrLine]:
    """The page's lines outside its tables, read, but for the paragraphs below the heading after
    the tables (五、存在的主要问题…), which hold nothing the report reads: in a real report they are
    often half a page. That heading follows a table, so on a page with ruled tables (the lowest
    ending at `tables_bottom`) the short lines, headings among them, and the lines above the
    tables' end are read first; `tables_ended` says, of the short lines read down to one, whether
    the tables have ended there. A page without ruled tables is read whole, in one run of the
    recogniser: reading in two runs costs strips left part empty.

    On the page that `opens` the report, its first lines, the title, are read apart: the agency's
    name is taken from them, and packed into strips with other lines a character of it read
    otherwise, by how the strips fell (淮安 as 准安 or 雅安).

    Without `prose`, a paragraph's lines are not read at all: only the short lines (headings
    among them) and the title."""
    title = sorted(range(len(boxes)), key=lambda k: boxes[k][1])[:_TITLE_LINES] if opening else []
    read = dict(zip(title, recognize_lines(image, [boxes[k] for k in title], models)))
    widest = max((x1 - x0 for x0, _, x1, _ in boxes), default=0)
    if not prose:
        # a paragraph's width: most of a prose page's lines are full ones, and a box that runs
        # wider (a line joined to a page number or a seal's remains) is not the measure of them
        full = sorted(x1 - x0 for x0, _, x1, _ in boxes)[int(0.8 * (len(boxes) - 1))] if boxes else 0
        wanted = [k for k in range(len(boxes)) if k not in read and not _in_paragraph(k, boxes, full)]
        read.update(zip(wanted, recognize_lines(image, [boxes[k] for k in wanted], models)))
        return [read[k] for k in range(len(boxes)) if read.get(k) is not None]
    split = tables_ended is not None and tables_bottom is not None
    first = [k for k, (x0, top, x1, _) in enumerate(boxes) if k not in read
             and (not split or x1 - x0 <= _HEADING_WIDTH * widest or top < tables_bottom)]
    read.update(zip(first, recognize_lines(image, [boxes[k] for k in first], models)))
    end = None
    if split:
        above: list[str] = []
        for k in sorted((k for k in read if read[k] is not None), key=lambda k: boxes[k][1]):
            above.append(read[k].text)
            if tables_ended(above):
                end = boxes[k][3]
                break
    rest = [k for k in range(len(boxes)) if k not in read and (end is None or boxes[k][1] < end)]
    read.update(zip(rest, recognize_lines(image, [boxes[k] for k in rest], models)))
    return [read[k] for k in range(len(boxes)) if read.get(k) is not None]


def _in_paragraph(k: int, boxes: list[tuple[int, int, int, int]], full: int) -> bool:
    """Is line `k` a full line of a paragraph: about as wide as a paragraph's `full` lines, with
    another such line just above or below it? A heading, a title and a paragraph's short last line
    are not; nor is a lone wide line (a heading set across the page above a table)."""
    def wide(box: tuple[int, int, int, int]) -> bool:
        return box[2] - box[0] > _HEADING_WIDTH * full

    x0, top, x1, bottom = boxes[k]
    return wide(boxes[k]) and any(j != k and wide(b) and 0 < abs(b[1] - top) <= 3 * (bottom - top)
                                  for j, b in enumerate(boxes))


def read_scan_page(image: np.ndarray, number: int, source: str, models: OcrModels,
                   tables_ended: Callable[[list[str]], bool] | None = None, prose: bool = True,
                   opening: bool = False) -> ScanPage:
    """The page cleaned, its rules, and its lines of print outside the tables; with `tables_ended`
    (of the page's headings read so far, have the tables ended?), none below where they end;
    without `prose`, no paragraph's lines (`_lines_needed`; `opening`: the report's first page)."""
    cleaned = _cleaned(image, models)
    image = cleaned.image
    rules, horizontal, vertical = find_rules(image)
    # the page's lines are read only outside the tables, whose cells are read one by one
    tables = _table_boxes(horizontal, vertical)
    outside = [box for box in cleaned.lines if not _inside_any(box, tables)]
    lines = tuple(PageLine(line.text, Origin(source, line.text, page=number, box=Box(*line.box),
                                             confidence=line.confidence))
                  for line in _lines_needed(_painted_white(image, tables), outside, models,
                                            max((box[3] for box in tables), default=None), tables_ended,
                                            prose, opening))
    height, width = image.shape[:2]
    return ScanPage(number, width, height, lines, rules, cleaned.angle, cleaned.turn, image, cleaned.seal)


def _inside_any(box: tuple[int, int, int, int], tables: list[tuple[int, int, int, int]]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in tables)
