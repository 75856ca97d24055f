"""Which way up a scanned page is.

Pages come sideways (a wide table printed landscape, a sheet fed turned) and upside down. Lines of
print run along a page's width: PaddleOCR's detector finds the lines, and if most stand taller
than wide the page is a quarter turn off. Its angle classifier then tells upright lines from lines
turned half round.
"""

from __future__ import annotations

import numpy as np

from disclosure.ocr.paddle_engine import OcrModels, engine

_SAMPLE_LINES = 24  # the widest lines, enough for a clear vote
_ELONGATED = 2.0  # a text line is at least this much longer than it is high


def _line_boxes(image: np.ndarray, models: OcrModels) -> list[tuple[int, int, int, int]]:
    boxes, _ = engine(models).text_detector(image)
    out = []
    for points in boxes if boxes is not None else []:
        xs, ys = points[:, 0], points[:, 1]
        out.append((int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())))
    return out


def _quarter_turned(boxes: list[tuple[int, int, int, int]]) -> bool:
    tall = sum(1 for x0, y0, x1, y1 in boxes if (y1 - y0) > _ELONGATED * (x1 - x0))
    wide = sum(1 for x0, y0, x1, y1 in boxes if (x1 - x0) > _ELONGATED * (y1 - y0))
    return tall > wide


def _turn_boxes_clockwise(boxes: list[tuple[int, int, int, int]], height: int) -> list[tuple[int, int, int, int]]:
    """Where the boxes lie once the page is turned a quarter clockwise."""
    return [(height - y1, x0, height - y0, x1) for x0, y0, x1, y1 in boxes]


def _upside_down(image: np.ndarray, boxes: list[tuple[int, int, int, int]], models: OcrModels) -> bool:
    widest = sorted(boxes, key=lambda b: b[2] - b[0], reverse=True)[:_SAMPLE_LINES]
    crops = [image[y0:y1, x0:x1] for x0, y0, x1, y1 in widest if y1 > y0 and x1 > x0]
    if not crops:
        return False
    _, labels, _ = engine(models).text_classifier(crops)
    turned = sum(score for label, score in labels if label == "180")
    upright = sum(score for label, score in labels if label == "0")
    return turned > upright


def turn_upright(image: np.ndarray, models: OcrModels) -> tuple[np.ndarray, int]:
    """The page turned upright, and the clockwise turn in degrees (0, 90, 180 or 270) that did it."""
    import cv2

    boxes = _line_boxes(image, models)
    turn = 0
    if _quarter_turned(boxes):
        boxes = _turn_boxes_clockwise(boxes, image.shape[0])
        image = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
        turn = 90
    if _upside_down(image, boxes, models):
        image = cv2.rotate(image, cv2.ROTATE_180)
        turn += 180
    return image, turn
