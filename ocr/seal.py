"""A seal's ink taken out of a scanned page, the print under it kept.

Stamp ink is a filter: a pixel under a seal is as bright as the paper, times the print's grey,
times the ink's transmission there. Without print, how much darker a pixel is than the paper
grows in a straight line with how coloured it is, at a rate that is the ink's own (its hue's
darkness per unit of colour). Colour comes from the chroma planes, which JPEG keeps at half
resolution and so spreads over the print beside and under the ink; brightness comes from luma,
which it keeps sharp. Dividing a pixel's brightness by what the ink alone would leave of the paper
at its colour leaves the print; what is lighter than print becomes paper.

Each seal (a connected zone of colour) is measured on its own: its hue, from the median direction
of its colour (red, vermilion, crimson, blue), and its darkness per unit of colour, from the
median over its pixels that carry ink and no print. A median, since print under the ink takes the
ink's colour from around it (JPEG) and, counted as ink, makes the ink look darker than it is:
dividing by that whitens light print (a hairline at 150 dpi, worn toner) with the seal. Two seals
of different inks are two zones, each with its own measure, unless they overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

_SEAL_CHROMA = 22.0  # colour (distance from grey in YCbCr) from which a pixel is (near) ink
_JOIN = 15  # pixels: a seal's ring, lettering and emblem are one zone across the paper between them
_FAINT = 8.0  # colour, averaged over 5 x 5 pixels, from which thin ink is told from noise
# a pixel whose Cb and Cr both lie within this of grey has a colour of 5 x sqrt(2) = 7.1 at most:
# neither ink nor enough to make its neighbours faint ink
_GREYISH = 5
_SMALLEST_SEAL = 50  # coloured pixels, below which a zone is a speck, not a seal
# a pixel darker than this share of the median brightness around it (a window of _AROUND pixels,
# wider than a stroke of print) is print, not the ink's own unevenness
_AROUND, _NOT_PRINT = 9, 0.8
_MEASURED = 0.4  # share of the zone's strongest colour from which a pixel's ink is measured
_THIN_INK = 0.15  # share of the ink's full colour above which a pixel lies under the seal, however pale
# under the seal, a print grey (brightness over the seal's alone) below the first is ink, above
# the second paper: JPEG and the ink's unevenness leave the seal alone at 0.85-1.1
_INK_GREY, _PAPER_GREY = 0.35, 0.85
# JPEG spreads a stroke of ink's colour over its neighbours and so leaves its edge less coloured
# than its darkness says: where, over _WINDOW x _WINDOW pixels, the ink's colour accounts for the
# darkness to within _ALONE of its full colour, no print lies there and a pixel is as dark as its
# ink alone (print anywhere in the window makes it darker than the colour accounts for)
_WINDOW, _ALONE = 3, 0.2
_EDGE = 0.15  # share of the ink's full colour from which a pixel can be an edge of a stroke of ink
_DARKEST_INK = 0.12  # of the paper: no stamp ink lets less through, whatever its colour says


@dataclass(frozen=True)
class Ink:
    """One seal's ink: its hue (a unit vector in the Cb, Cr plane), the luma it takes from the
    paper per unit of colour along that hue, its colour where it lies thickest, and the paper's
    brightness around it."""
    hue: tuple[float, float]
    darkness: float
    full: float
    paper: float


def _planes(ycc: np.ndarray, window: tuple[slice, slice]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Luma, and the colour planes Cb and Cr centred on grey, of a window of the page in YCrCb, as
    floats: made a seal's window at a time, since a whole page's planes held 0.2 GB at their peak."""
    part = ycc[window].astype(np.float32)
    return part[..., 0], part[..., 2] - 128.0, part[..., 1] - 128.0


def _ink_of(luma: np.ndarray, cb: np.ndarray, cr: np.ndarray, unprinted: np.ndarray, paper: float) -> Ink | None:
    """The ink of one seal from its zone's pixels (flat arrays); None where too few are coloured."""
    strength = np.hypot(cb, cr)
    inked = strength > _SEAL_CHROMA
    if inked.sum() < _SMALLEST_SEAL:
        return None
    angle = float(np.median(np.arctan2(cr[inked], cb[inked])))
    hue = (float(np.cos(angle)), float(np.sin(angle)))
    along = cb * hue[0] + cr * hue[1]
    full = float(np.percentile(along[inked], 95))
    measured = (along > _MEASURED * full) & unprinted
    if measured.sum() < _SMALLEST_SEAL:
        measured = along > _MEASURED * full
    darkness = float(np.median((paper - luma[measured]) / along[measured]))
    return Ink(hue, max(darkness, 0.0), full, paper)


def _unprinted(luma: np.ndarray, window: tuple[slice, slice]) -> np.ndarray:
    """Of the page's pixels in `window` (`luma`: the page's, 8 bits), those not much darker than
    those around them: paper or ink, not a stroke of print. Only a seal's window is looked at: the
    median over the whole page cost more than the rest of taking the seal out."""
    import cv2

    reach = _AROUND // 2  # the pixels beyond the window that the median at its edge takes in
    rows, cols = window
    top, left = max(rows.start - reach, 0), max(cols.start - reach, 0)
    bottom, right = min(rows.stop + reach, luma.shape[0]), min(cols.stop + reach, luma.shape[1])
    around = cv2.medianBlur(luma[top:bottom, left:right], _AROUND)
    inner = (slice(rows.start - top, rows.stop - top), slice(cols.start - left, cols.stop - left))
    return luma[window] >= _NOT_PRINT * around[inner].astype(np.float32)


def unmix_seal(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The page in grey with its seals taken out, keeping the print under them, and the zone the
    seals covered (None: no seal). The zone reaches a few pixels past the colour, since JPEG
    keeps colour at half resolution."""
    import cv2

    ycc = cv2.cvtColor(image, cv2.COLOR_BGR2YCrCb)
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    found = _colour_masks(ycc)
    if found is None or found[0].sum() < _SMALLEST_SEAL:
        return gray, None
    coloured, joined, (top, left) = found
    # the part starts on an even row and column: OpenCV labels 2 x 2 blocks in raster order, and
    # on a part aligned to them the zones come in the order they come in over the whole page
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined)
    seals = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        inside = labels[y:y + h, x:x + w] == index
        seals.append(_seal(ycc, inside, (y + top, x + left), int(coloured[y:y + h, x:x + w][inside].sum())))
    measured = [s for s in seals if s[3] is not None]
    if not measured:
        return gray, None
    # a piece of a seal too pale to measure alone is of the same ink as the page's largest seal
    largest = max(measured, key=lambda s: s[4])[3]
    out = gray.copy()
    zone = np.zeros(gray.shape, bool)
    for window, inside, paper, ink, _, planes in seals:
        ink = ink or replace(largest, paper=paper)
        cleaned, covered = _unmixed(*planes, ink)
        covered &= inside
        out[window][covered] = cleaned[covered].astype(np.uint8)  # 0 to 255 already
        zone[window] |= covered
    if not zone.any():
        return gray, None
    return out, zone


def _colour_masks(ycc: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int]] | None:
    """The pixels coloured like ink, and the zones that join them with the thin ink around them,
    over the part of the page where colour can be, with that part's top-left corner (None: no
    colour anywhere). The part reaches past the page's colour as far as the 5 x 5 average and
    the joining carry it, so that both come out as over the whole page, where they cost 40 ms,
    most of it on grey paper."""
    import cv2

    lo, hi = 128 - _GREYISH, 128 + _GREYISH
    x, y, w, h = cv2.boundingRect(cv2.bitwise_not(cv2.inRange(ycc, (0, lo, lo), (255, hi, hi))))
    if not w:
        return None
    reach = 2 + 2 + _JOIN // 2  # the average's reach, its inputs', then the joining's
    top, left = max(y - reach, 0) & ~1, max(x - reach, 0) & ~1  # even: see unmix_seal
    part = ycc[top:y + h + reach, left:x + w + reach]
    strength = np.hypot(part[..., 2].astype(np.float32) - 128.0, part[..., 1].astype(np.float32) - 128.0)
    coloured = strength > _SEAL_CHROMA
    # ink run thin is hardly coloured at all, pixel by pixel; averaged, it stands out of the noise
    faint = cv2.blur(strength, (5, 5)) > _FAINT
    joined = cv2.dilate((coloured | faint).astype(np.uint8), np.ones((_JOIN, _JOIN), np.uint8))
    return coloured, joined, (top, left)


def _seal(ycc: np.ndarray, inside: np.ndarray, corner: tuple[int, int], coloured: int) -> tuple:
    """One zone of colour, measured: its window on the page (its box, `corner` its top-left), its
    pixels there, the paper's brightness around it, its ink (None: too pale to measure), its
    count of `coloured` pixels and its planes (`_planes`)."""
    (y, x), (h, w) = corner, inside.shape
    window = (slice(y, y + h), slice(x, x + w))
    # the paper around the seal, not under it (a solid disc covers most of its own box);
    # lighting varies over a page
    paper = _paper(ycc[max(y - h // 4, 0):y + h + h // 4, max(x - w // 4, 0):x + w + w // 4, 0])
    planes = luma, cb, cr = _planes(ycc, window)
    ink = _ink_of(luma[inside], cb[inside], cr[inside], _unprinted(ycc[..., 0], window)[inside], paper)
    return window, inside, paper, ink, coloured, planes


def _paper(around: np.ndarray) -> float:
    """The 95th percentile of the brightness `around` a seal, as np.percentile gives it over its
    pixels as floats. Where the pixels ranked about that percentile are all as bright, it is that
    brightness whatever the interpolation, which a histogram tells at a fifth of the sort's cost;
    otherwise it is worked out as it always was."""
    ranked = np.cumsum(np.bincount(around.ravel(), minlength=256))
    k = int(0.95 * (around.size - 1))
    nearby = np.searchsorted(ranked, [max(k - 1, 0), min(k + 2, around.size - 1)], side="right")
    if nearby[0] == nearby[1]:
        return float(nearby[0])
    return float(np.percentile(around.astype(np.float32), 95))


def _unmixed(luma: np.ndarray, cb: np.ndarray, cr: np.ndarray, ink: Ink) -> tuple[np.ndarray, np.ndarray]:
    """One seal's window with its ink divided out (grey 0-255), and where its ink lies."""
    import cv2

    # each pixel's own colour: the strongest around it would take grey print beside a stroke of
    # ink for ink, and erase it
    along = np.maximum(cb * ink.hue[0] + cr * ink.hue[1], 0.0)
    implied = np.maximum((ink.paper - luma) / max(ink.darkness, 1e-3), 0.0)  # the colour its darkness says
    excess = cv2.blur(implied, (_WINDOW, _WINDOW)) - cv2.blur(along, (_WINDOW, _WINDOW))
    alone = (excess < _ALONE * ink.full) & (along > _EDGE * ink.full)
    along = np.where(alone, np.maximum(along, implied), along)
    seal_alone = np.maximum(ink.paper - ink.darkness * along, _DARKEST_INK * ink.paper)
    print_grey = luma / seal_alone
    cleaned = 255.0 * np.clip((print_grey - _INK_GREY) / (_PAPER_GREY - _INK_GREY), 0.0, 1.0)
    nearby = cv2.dilate(along, np.ones((5, 5), np.uint8))
    covered = (nearby > _SEAL_CHROMA) | (along > _THIN_INK * ink.full)
    return cleaned, covered
