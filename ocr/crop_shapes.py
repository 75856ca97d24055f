"""The shapes crops are given before recognition: long lines cut between characters, narrow crops
padded to a few widths, wider ones packed side by side into strips of one width, at a lower height.

oneDNN compiles the recogniser anew for every input shape it has not cached (about 0.3 s each, and
it caches 10), and the recogniser pads each batch of six to its widest crop. Crops of any width
would make nearly every batch a new shape; one long label in a batch of number cells makes the
whole batch as wide as the label. Number cells are therefore padded to one of `_WIDTH_BUCKETS`
and read in batches. Labels and lines of prose are packed into strips of one width, a few pixels of
the padding grey between them, and each is read from the time steps over it: nearly no padding,
one shape. Lines longer than a strip are cut into pieces at gaps in the print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from disclosure.ocr.same_print import INK_LEVEL

REC_HEIGHT = 48  # pixels: the height PP-OCRv4's recogniser reads at, and number cells are read at
# pixels: the height labels and lines of prose are read at. The network's time grows with height
# times width, so a strip at 32 costs under half of one at 48; labels and prose read the same
# (bench/README.md), while number cells under a seal's remains read at 32 lost their digits
STRIP_HEIGHT = 32

# Widths, in heights, a number cell is padded to: each about half again the last
_WIDTH_BUCKETS = (1, 1.5, 2, 3)
PAD_GREY = 128  # the recogniser pads a batch with this (0 once normalised): to it, nothing printed
# pixels between two crops in a strip, half of them each crop's: two time steps of the
# recogniser's output (8 pixels a step). The network can put a character a step off its print: with
# one step between crops, a heading's leading "一" went to the crop before it. With two or three, 1,400
# of 1,416 page lines on 40 pages read as they did unpacked; the rest differ either way in a
# bracket's width, a full stop or "0" for "o", as unpacked readings differ between batches. Paper
# white between the crops, in place of the grey, lost fields.
GAP = 16

LONGEST = 17  # heights: a strip's width; a longer line is cut into pieces no longer than this
# heights: a piece is cut off at the widest gap in the print between this width and `LONGEST`,
# a span that holds several characters' gaps, the gap after a comma or full stop among them
_SHORTEST_PIECE = 11


def _cut_at(ink_columns: np.ndarray, low: int, high: int) -> int:
    """The middle of the longest run of the least-inked columns in [low, high): the gap between two
    characters, which is wider than the gaps inside one (between 亻 and 本) in most lines."""
    window = ink_columns[low:high]
    least = window == window.min()
    best_start, best_length, start = 0, 0, None
    for offset, is_least in enumerate([*least, False]):
        if is_least and start is None:
            start = offset
        elif not is_least and start is not None:
            if offset - start > best_length:
                best_start, best_length = start, offset - start
            start = None
    return low + best_start + best_length // 2


def pieces(crop: np.ndarray) -> list[np.ndarray]:
    """The crop, or, if it is longer than `LONGEST` heights, its pieces left to right, each cut at
    a gap in the print."""
    import cv2

    height, width = crop.shape[:2]
    if not height or width <= LONGEST * height:
        return [crop]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink_columns = (gray < INK_LEVEL).sum(axis=0)
    out, start = [], 0
    while width - start > LONGEST * height:
        cut = _cut_at(ink_columns, start + _SHORTEST_PIECE * height, start + LONGEST * height)
        out.append(crop[:, start:cut])
        start = cut
    out.append(crop[:, start:])
    return out


def at_rec_height(crop: np.ndarray, rec_height: int = REC_HEIGHT) -> np.ndarray:
    """The crop brought to `rec_height` as the recogniser would, so that its own resize changes
    nothing; a crop longer than a strip (one `pieces` could not cut) is squeezed to fit."""
    import cv2

    height, width = crop.shape[:2]
    return cv2.resize(crop, (min(math.ceil(rec_height * width / height), LONGEST * rec_height), rec_height))


def is_narrow(crop: np.ndarray) -> bool:
    """A crop that, brought to the recogniser's height (`at_rec_height`), is read padded to a bucket
    in a batch (a number cell), not packed into a strip. Packed beside other crops, number cells
    lost a faint leading minus sign without a trace ("-4" read "4"), where read in a batch it stays
    doubtful (".4")."""
    height, width = crop.shape[:2]
    return math.ceil(REC_HEIGHT * width / height) <= _WIDTH_BUCKETS[-1] * REC_HEIGHT


def to_bucket(crop: np.ndarray) -> np.ndarray:
    """A narrow crop at the recogniser's height, padded on the right with the grey the recogniser
    pads a batch with, to the next width in `_WIDTH_BUCKETS`."""
    import cv2

    bucket = next(b for b in _WIDTH_BUCKETS if b * REC_HEIGHT >= crop.shape[1])
    return cv2.copyMakeBorder(crop, 0, 0, 0, int(bucket * REC_HEIGHT) - crop.shape[1], cv2.BORDER_CONSTANT,
                              value=(PAD_GREY,) * 3)


def as_paddle_pads(crops: list[tuple[int, np.ndarray]], batch: int) -> list[tuple[int, np.ndarray]]:
    """(key, crop) pairs of crops padded `to_bucket`, each padded further as PaddleOCR's recogniser
    pads it when given them all `batch` to a run: in the order of their widths (its own sort),
    each run as wide as its widest. The list is filled up with the narrowest, as it was given."""
    import cv2

    if not crops:
        return []
    narrowest = min((crop for _, crop in crops), key=lambda crop: crop.shape[1])
    given = [*crops, *[(None, narrowest)] * (-len(crops) % batch)]
    order = np.argsort(np.array([crop.shape[1] / float(crop.shape[0]) for _, crop in given]))
    out = []
    for at in range(0, len(order), batch):
        run = [given[k] for k in order[at:at + batch]]
        width = max(crop.shape[1] for _, crop in run)
        out += [(key, cv2.copyMakeBorder(crop, 0, 0, 0, width - crop.shape[1], cv2.BORDER_CONSTANT,
                                         value=(PAD_GREY,) * 3)) for key, crop in run if key is not None]
    return out


def by_bucket(crops: list[tuple[int, np.ndarray]]) -> list[list[tuple[int, np.ndarray]]]:
    """(key, crop) pairs of crops padded `to_bucket`, in groups of one width, narrowest first."""
    groups: dict[int, list[tuple[int, np.ndarray]]] = {}
    for key, crop in crops:
        groups.setdefault(crop.shape[1], []).append((key, crop))
    return [groups[width] for width in sorted(groups)]


@dataclass(frozen=True)
class Strip:
    """Crops side by side, and where each lies: (its index in the packed list, x0, x1) in pixels."""

    image: np.ndarray
    spans: tuple[tuple[int, int, int], ...]


def strip_width(height: int = STRIP_HEIGHT) -> int:
    return LONGEST * height + GAP


def packed(crops: list[np.ndarray], height: int = STRIP_HEIGHT) -> list[Strip]:
    """Crops `height` pixels high packed into strips `LONGEST` heights wide, the widest first, each
    into the first strip with room (first fit decreasing), `GAP` pixels apart."""
    width = strip_width(height)
    strips: list[list] = []  # [pixels used, [(index, x0)]]
    for index in sorted(range(len(crops)), key=lambda k: -crops[k].shape[1]):
        room = crops[index].shape[1] + GAP
        strip = next((s for s in strips if s[0] + room <= width), None)
        if strip is None:
            strip = [0, []]
            strips.append(strip)
        strip[1].append((index, strip[0] + GAP // 2))
        strip[0] += room
    out = []
    for _, placed in strips:
        image = np.full((height, width, 3), PAD_GREY, np.uint8)
        for index, x0 in placed:
            image[:, x0:x0 + crops[index].shape[1]] = crops[index]
        out.append(Strip(image, tuple((index, x0, x0 + crops[index].shape[1]) for index, x0 in placed)))
    return out
