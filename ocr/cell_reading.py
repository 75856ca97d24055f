"""The cells of a ruled grid on a scanned page, each read from its own crop.

A cell is cut into its lines of print by the rows that hold ink, each line cropped tight to its
print and recognised without detection. An empty cell is one with no ink, and costs no OCR. A
one-line cell that reads as a number takes the reading over digits and signs only, with the
alternatives the recogniser gave some weight.
"""

from __future__ import annotations

import math

import numpy as np

from disclosure.ocr.origin import Box
from disclosure.ocr.paddle_engine import OcrModels
from disclosure.ocr.page_model import CellReading
from disclosure.ocr.same_print import INK_LEVEL as _INK_LEVEL  # low enough that a blurred minus sign is print
from disclosure.ocr.scan import SCAN_DPI

_MIN_INK_PIXELS = 20
_FAINT_SHARE = 0.15  # of a line's darkness, below which a group of columns set apart is specks

_LIGHT_REMAINS = 0.25  # of a line's darkest print, below which a column holds only a seal's remains
_LIGHT_LINE = 0.5  # of a cell's darkest print, below which a line with little ink is a seal's remains
_STRAY_MARKS = ".:·"
# how much darker than its paper a pixel beside a line's print is to be the faint rest of a glyph:
# blur at 150 dpi leaves a thin stroke (the bar and diagonal of a "4") far lighter than the stem
# beside it. Measured from the paper, since a scanner's lighting can grey a whole page
_FAINT_PRINT = 25
_STRAY_MARK_DOUBT = 0.9  # a reading that lost a speck is named when its rules fail


def _crop(image: np.ndarray, box: tuple[float, float, float, float], inset: int) -> np.ndarray:
    x0, top, x1, bottom = (int(round(v)) for v in box)
    return image[top + inset:max(bottom - inset, top + inset + 1), x0 + inset:max(x1 - inset, x0 + inset + 1)]


def _text_lines(ink: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """Row ranges of the lines of text in a cell, from the rows that hold ink.

    Blur and noise can break a glyph's thin horizontal stroke, cutting one line into pieces that
    would each be read as the whole glyph ("2" as "22"). Gaps narrower than a line gap are closed,
    and a piece too short to be a line of print joins its nearest neighbour."""
    rows = list(ink.any(axis=1)) + [False]
    runs: list[list[int]] = []
    start = None
    for y, has_ink in enumerate(rows):
        if has_ink and start is None:
            start = y
        elif not has_ink and start is not None:
            if runs and start - runs[-1][1] <= max(2, dpi / 50):
                runs[-1][1] = y
            else:
                runs.append([start, y])
            start = None
    short, reach = dpi / 20, dpi / 12
    merged = True
    while merged and len(runs) > 1:
        merged = False
        for k, (top, bottom) in enumerate(runs):
            if bottom - top >= short:
                continue
            gaps = [(top - runs[k - 1][1], k - 1) if k > 0 else None,
                    (runs[k + 1][0] - bottom, k + 1) if k + 1 < len(runs) else None]
            gap, other = min(g for g in gaps if g is not None)
            if gap <= reach:
                low, high = sorted((k, other))
                runs[low:high + 1] = [[runs[low][0], runs[high][1]]]
                merged = True
                break
    return [(top, bottom) for top, bottom in runs if bottom - top >= 4]  # specks are not lines


def _print_columns(gray: np.ndarray, ink: np.ndarray, dpi: float) -> np.ndarray:
    """The columns of a line of print, without faint specks off to its sides (a seal's remains
    or noise), which would widen the crop and cost the recogniser a leading minus sign. Columns
    whose ink is far lighter than the line's darkest are not print; a group of columns set apart
    by more than a character's gap is dropped from either end while it holds little of the
    line's darkness."""
    depth = np.where(ink, _INK_LEVEL - gray.astype(np.int32), 0)
    darkness = depth.sum(axis=0)
    # columns with print as dark as the line's own, not only the far lighter remains of a seal
    strong = ink.any(axis=0) & (depth.max(axis=0) >= _LIGHT_REMAINS * depth.max())
    cols = np.flatnonzero(strong)
    groups = np.split(cols, np.flatnonzero(np.diff(cols) > dpi / 10) + 1)
    total = float(darkness.sum()) or 1.0
    while len(groups) > 1:
        left, right = (float(darkness[g].sum()) / total for g in (groups[0], groups[-1]))
        if min(left, right) >= _FAINT_SHARE:
            break
        groups = groups[1:] if left <= right else groups[:-1]
    return np.concatenate(groups)


def _paper(gray: np.ndarray) -> float:
    """The grey of a line's paper: its 90th percentile, as `np.percentile` has it (linear between
    the two nearest), at a tenth of its cost, since every number cell asks it."""
    flat = gray.ravel()
    at = (flat.size - 1) * 0.9
    low = math.floor(at)
    high, share = min(low + 1, flat.size - 1), at - low
    ordered = np.partition(flat, (low, high))
    below, above = float(ordered[low]), float(ordered[high])
    # numpy's own interpolation, from the nearer end, so that the two agree to the last bit
    return above - (above - below) * (1 - share) if share >= 0.5 else below + (above - below) * share


def _with_leading_minus(gray: np.ndarray, first: int) -> int:
    """The first column of a line of print moved left over a minus sign before it: a short bar,
    darker than the paper, about the middle of the line's height, within a character's width of
    its print. Blur and a light scan leave a minus far lighter than the digits beside it, so
    `_print_columns` takes it for a seal's remains; without it, "-4" is read "4", sure of itself."""
    height = gray.shape[0]
    start = max(first - height, 0)
    before = gray[:, start:first]
    # nothing before the print darker than the line's lightest less _FAINT_PRINT: nothing fainter
    # than its paper either (most cells: the print stands clear of the cell's edge), found cheaply
    if not before.size or int(before.min()) >= int(gray.max()) - _FAINT_PRINT:
        return first
    faint = before < _paper(gray) - _FAINT_PRINT
    counts = faint.sum(axis=0)
    cols = np.flatnonzero(counts)
    if not cols.size:
        return first
    # the run of faint columns nearest the print, a gap of at most a third of the height from it
    bar = np.split(cols, np.flatnonzero(np.diff(cols) > 1) + 1)[-1]
    if first - (start + bar[-1]) - 1 > height / 3 or len(bar) < height / 4:
        return first
    # its rows that hold most of it: a bar's few, a glyph's many
    across = faint[:, bar[0]:bar[-1] + 1].sum(axis=1)
    rows = np.flatnonzero(across >= across.max() / 2)
    middle = (rows[0] + rows[-1]) / 2
    if rows[-1] - rows[0] + 1 > height / 3 or not 0.3 * height <= middle <= 0.7 * height:
        return first
    return start + int(bar[0])


def _with_faint_edges(gray: np.ndarray, first: int, last: int) -> tuple[int, int]:
    """The columns of a line of print widened over the faint strokes that touch them, where its
    print-dark columns are a lone stem (narrower than half the line's height): cut at its stem, a
    light "4" is read as "1". A wider line is not widened: a seal's specks beside a number touch it
    as faint strokes do, and cost its reading."""
    if 2 * (last - first + 1) >= gray.shape[0]:
        return first, last
    faint = (gray < _paper(gray) - _FAINT_PRINT).any(axis=0)
    while first > 0 and faint[first - 1]:
        first -= 1
    while last + 1 < len(faint) and faint[last + 1]:
        last += 1
    return first, last


def _main_lines(gray: np.ndarray, ink: np.ndarray, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines of a cell without those that hold little of its darkness and are far lighter
    than its print: specks a seal left above or below a number are no line of it, while the short
    last line of a wrapped label, as dark as the rest, stays."""
    if len(lines) < 2:
        return lines
    depth = np.where(ink, _INK_LEVEL - gray.astype(np.int32), 0)
    darkness = [float(depth[a:b].sum()) for a, b in lines]
    peaks = [int(depth[a:b].max()) for a, b in lines]
    total, darkest = sum(darkness) or 1.0, max(peaks) or 1
    return [line for line, dark, peak in zip(lines, darkness, peaks)
            if dark / total >= _FAINT_SHARE or peak >= _LIGHT_LINE * darkest]


def read_cells(image: np.ndarray, boxes: list[Box], models: OcrModels,
               dpi: float = SCAN_DPI, ruled: bool = True) -> list[CellReading | None]:
    """Each cell read from its own crop, line by line: None where the crop holds no ink (an empty
    cell); a one-line cell that reads as a number takes the digits-only reading, with its
    alternatives. The boxes of `ruled` cells lie on the rules' centres, whose ink is cut away;
    other boxes (a table without rules) are read whole."""
    import cv2

    from disclosure.ocr.ctc_reading import NUMERIC_CHARACTERS
    from disclosure.ocr.paddle_engine import recognize_crops

    inset = max(3, int(round(dpi / 40)))  # the paper kept around a line of print
    cut = inset + 2 if ruled else 0
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    owners, crops = [], []
    barred = set()  # cells whose print has a minus sign's bar before it
    for index, box in enumerate(boxes):
        left, top = int(round(box.x0)) + cut, int(round(box.top)) + cut
        inner = _crop(gray, (box.x0, box.top, box.x1, box.bottom), cut)
        ink = inner < _INK_LEVEL
        if not inner.size or int(ink.sum()) < _MIN_INK_PIXELS:
            continue
        for start, end in _main_lines(inner, ink, _text_lines(ink, dpi)):
            cols = _print_columns(inner[start:end], ink[start:end], dpi)
            first, last = _with_faint_edges(inner[start:end], int(cols[0]), int(cols[-1]))
            if (minus := _with_leading_minus(inner[start:end], first)) < first:
                first = minus
                barred.add(index)
            line_box = (left + first - inset, top + start - inset, left + last + 1 + inset, top + end + inset)
            owners.append(index)
            crops.append(_crop(image, line_box, 0))
    readings: dict[int, list] = {}
    for index, reading in zip(owners, recognize_crops(crops, models)):
        readings.setdefault(index, []).append(reading)
    out: list[CellReading | None] = [None] * len(boxes)
    for index, lines in readings.items():
        if len(lines) == 1:
            reading = lines[0]
            # "3.其他" is a label, not the number "3."; "1o" is a number read with a look-alike
            others = [ch for ch in reading.text if ch not in NUMERIC_CHARACTERS and not ch.isspace()]
            numeric_looking = (reading.digits and len(others) <= 1
                               and len(reading.text.strip()) <= len(reading.digits) + 1)
            if numeric_looking and reading.digits_confidence >= min(0.6, reading.confidence):
                digits, confidence = reading.digits, reading.digits_confidence
                # a dot or colon before the first digit or after the last is no part of a number:
                # a speck a seal or the scan left beside it
                bare = digits.strip(_STRAY_MARKS)
                if bare != digits and bare[:1].isdigit() and bare[-1:].isdigit():
                    # but a mark at the middle of the line's height before the number is its
                    # minus sign, read as the dot it resembles once blurred
                    minus = index in barred and digits[0] in _STRAY_MARKS
                    digits, confidence = ("-" if minus else "") + bare, confidence * _STRAY_MARK_DOUBT
                out[index] = CellReading(digits, confidence, reading.alternatives)
                continue
        text = "".join(r.text for r in lines)
        alternatives = ()
        if len(lines) == 1 and lines[0].digits:  # the digits reading, and its own alternatives
            weighed = ((lines[0].digits, lines[0].digits_confidence), *lines[0].alternatives)
            alternatives = tuple((t, p) for t, p in weighed if t != text)
        out[index] = CellReading(text, min(r.confidence for r in lines), alternatives)
    return out
