"""Which way up a scanned page is.

Pages come sideways (a wide table printed landscape, a sheet fed turned) and upside down. Lines of
print run along a page's width: PaddleOCR's detector finds the lines, and if most stand taller
than wide the page is a quarter turn off. Its angle classifier then tells upright lines from lines
turned half round. The lines found on the upright page are the page's text detection
(`ocr.scan`): the detector runs once on a page that comes upright.
"""

from __future__ import annotations

import numpy as np

from disclosure.ocr.paddle_engine import OcrModels, engine

_SAMPLE_LINES = 24  # the widest lines, enough for a clear vote
_ELONGATED = 2.0  # a text line is at least this much longer than it is high


def detected_lines(image: np.ndarray, models: OcrModels) -> list[np.ndarray]:
    """The lines of print the detector finds on the page, each as its four corners (x, y)."""
    quads, _ = engine(models).text_detector(image)
    return [np.asarray(quad, dtype=np.float64) for quad in (quads if quads is not None else [])]


def line_boxes(quads: list[np.ndarray]) -> list[tuple[int, int, int, int]]:
    return [(int(q[:, 0].min()), int(q[:, 1].min()), int(q[:, 0].max()), int(q[:, 1].max())) for q in quads]


def quarter_turned(quads: list[np.ndarray]) -> bool:
    """Do most lines stand taller than wide?"""
    boxes = line_boxes(quads)
    tall = sum(1 for x0, y0, x1, y1 in boxes if (y1 - y0) > _ELONGATED * (x1 - x0))
    wide = sum(1 for x0, y0, x1, y1 in boxes if (x1 - x0) > _ELONGATED * (y1 - y0))
    return tall > wide


def upside_down(image: np.ndarray, quads: list[np.ndarray], models: OcrModels) -> bool:
    """Do the widest lines read as turned half round, by the angle classifier?"""
    widest = sorted(line_boxes(quads), key=lambda b: b[2] - b[0], reverse=True)[:_SAMPLE_LINES]
    crops = [image[y0:y1, x0:x1] for x0, y0, x1, y1 in widest if y1 > y0 and x1 > x0]
    if not crops:
        return False
    _, labels, _ = engine(models).text_classifier(crops)
    turned = sum(score for label, score in labels if label == "180")
    upright = sum(score for label, score in labels if label == "0")
    return turned > upright


def turned_half(quads: list[np.ndarray], width: int, height: int) -> list[np.ndarray]:
    """Where the lines lie once the page is turned half round."""
    return [np.stack([width - 1 - q[:, 0], height - 1 - q[:, 1]], axis=1) for q in quads]
