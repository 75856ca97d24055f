"""Crops that hold the same print, so that each print is recognised once.

A table's cells repeat a few numbers ("0" above all), and a page of them costs the recogniser
most of its time. Two crops hold the same print when, scaled to one height, their widths agree and
their ink differs in under 3% of the pixels: noise and JPEG move a few pixels, while two different
digits (0 and 8, 1 and 7) differ in a whole stroke, many times that.
"""

from __future__ import annotations

import numpy as np

INK_LEVEL = 185  # grey below this is print, in a crop of a cell or a line
_SIGNATURE_HEIGHT = 24  # pixels a crop is scaled to for comparing its print with another's
_SAME_PRINT = 0.03  # share of a signature's pixels two crops of the same print may differ in


def _signature(crop: np.ndarray) -> np.ndarray:
    import cv2

    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink = (gray < INK_LEVEL).astype(np.float32)
    width = max(1, int(round(crop.shape[1] * _SIGNATURE_HEIGHT / max(crop.shape[0], 1))))
    return cv2.resize(ink, (width, _SIGNATURE_HEIGHT), interpolation=cv2.INTER_AREA) > 0.5


def same_print(crops: list[np.ndarray]) -> list[int]:
    """For each crop, the first crop holding the same print (itself where none before does)."""
    signatures = [_signature(crop) for crop in crops]
    firsts: list[int] = []
    out = []
    for index, signature in enumerate(signatures):
        match = next((k for k in firsts if signatures[k].shape == signature.shape
                      and np.count_nonzero(signatures[k] != signature) < _SAME_PRINT * signature.size), None)
        if match is None:
            firsts.append(index)
        out.append(index if match is None else match)
    return out
