"""Stamps of other designs than `synthetic.scan_render`'s ring with a star: a solid disc whose
lettering is left white, a double ring, an oval, a faded stamp, a blue one, and two stamped over
each other. Each design is a density map (0 no ink, 1 full ink) that `stamp` lays on a page as a
filter: stamp ink is translucent, so the print under it stays dark.

Lettering is drawn with Debian's WenQuanYi Zen Hei where the machine has it, else with the subset
the repository ships (whose characters cover the lettering used here).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
RING_TEXT = "人民政府办公室"
CENTRE_TEXT = "政务公开专用章"

INKS = {  # BGR at full strength
    "vermilion": (40, 45, 215),
    "carmine": (70, 30, 190),
    "dull_red": (80, 80, 200),
    "blue": (170, 70, 40),
}


@dataclass(frozen=True)
class StampDesign:
    shape: str  # solid_disc, double_ring, oval, faded_ring
    ink: str  # a key of INKS
    radius_inches: float = 0.8
    density: tuple[float, float] = (0.6, 1.0)  # lowest and highest over the stamp
    rotation: float = 0.0  # degrees the stamp was turned when pressed


def _font(size: int):
    from PIL import ImageFont

    from synthetic.font_subset import FONT

    return ImageFont.truetype(str(SYSTEM_FONT if SYSTEM_FONT.exists() else FONT), size)


def _canvas(size: int):
    from PIL import Image

    return Image.new("L", (size, size), 0)


def _arc_text(canvas, text: str, radius: float, glyph: int, span_degrees: float, fill: int) -> None:
    """`text` along the top of a circle of `radius` about the canvas's centre, upright to it."""
    from PIL import Image, ImageDraw

    centre = canvas.size[0] / 2
    span = math.radians(span_degrees)
    font = _font(glyph)
    for i, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph // 2, glyph // 2), char, fill=255, font=font)
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        at = (int(centre + radius * math.cos(angle)) - glyph, int(centre + radius * math.sin(angle)) - glyph)
        if fill == 255:
            canvas.paste(tile, at, tile)
        else:  # lettering knocked out of ink: paper where the glyph is
            canvas.paste(Image.new("L", tile.size, fill), at, tile)


def _line_text(canvas, text: str, y: float, glyph: int, fill: int) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(canvas)
    font = _font(glyph)
    width = draw.textlength(text, font=font)
    draw.text((canvas.size[0] / 2 - width / 2, y), text, fill=fill, font=font)


def _solid_disc(size: int, r: float) -> np.ndarray:
    from PIL import ImageDraw

    canvas = _canvas(size)
    c = size / 2
    ImageDraw.Draw(canvas).ellipse((c - r, c - r, c + r, c + r), fill=255)
    _arc_text(canvas, RING_TEXT, r * 0.7, max(8, int(r * 0.28)), 220, fill=0)
    _line_text(canvas, CENTRE_TEXT, c + r * 0.25, max(8, int(r * 0.2)), fill=0)
    return np.asarray(canvas, np.float32) / 255


def _double_ring(size: int, r: float) -> np.ndarray:
    from PIL import ImageDraw

    canvas = _canvas(size)
    c = size / 2
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(3, int(r / 12)))
    inner = r * 0.86
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=max(2, int(r / 30)))
    _arc_text(canvas, RING_TEXT + CENTRE_TEXT[:2], r * 0.66, max(8, int(r * 0.22)), 300, fill=255)
    # an emblem of concentric squares where scan_render's seals have a star
    for k in (0.22, 0.12):
        draw.rectangle((c - r * k, c - r * k, c + r * k, c + r * k), outline=255, width=max(2, int(r / 25)))
    return np.asarray(canvas, np.float32) / 255


def _oval(size: int, r: float) -> np.ndarray:
    from PIL import ImageDraw

    canvas = _canvas(size)
    c = size / 2
    rx, ry = r, r * 0.62
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((c - rx, c - ry, c + rx, c + ry), outline=255, width=max(3, int(r / 14)))
    glyph = max(8, int(r * 0.22))
    _line_text(canvas, RING_TEXT, c - ry * 0.55, glyph, fill=255)
    _line_text(canvas, "2024.03.15", c - glyph * 0.5, glyph, fill=255)
    _line_text(canvas, CENTRE_TEXT, c + ry * 0.25, glyph, fill=255)
    return np.asarray(canvas, np.float32) / 255


def _faded_ring(size: int, r: float) -> np.ndarray:
    from PIL import ImageDraw

    canvas = _canvas(size)
    c = size / 2
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(3, int(r / 16)))
    _arc_text(canvas, RING_TEXT + "信息", r * 0.74, max(8, int(r * 0.24)), 250, fill=255)
    _line_text(canvas, CENTRE_TEXT, c + r * 0.3, max(8, int(r * 0.19)), fill=255)
    draw.ellipse((c - r * 0.18, c - r * 0.18, c + r * 0.18, c + r * 0.18), fill=255)
    return np.asarray(canvas, np.float32) / 255


SHAPES = {"solid_disc": _solid_disc, "double_ring": _double_ring, "oval": _oval, "faded_ring": _faded_ring}


def stamp_density(design: StampDesign, dpi: int, rng: random.Random) -> np.ndarray:
    """The stamp's ink density on a square canvas: its design, turned as pressed, the ink lying
    unevenly (blotches at a few scales) and, where it ran out, breaking up."""
    import cv2

    radius = design.radius_inches * dpi
    size = int(radius * 2.3)
    shape = SHAPES[design.shape](size, radius)
    if design.rotation:
        matrix = cv2.getRotationMatrix2D((size / 2, size / 2), design.rotation, 1.0)
        shape = cv2.warpAffine(shape, matrix, (size, size))
    noise = np.random.default_rng(rng.randint(0, 2**31))
    low, high = design.density
    blotch = cv2.resize(noise.uniform(0, 1, (size // 24 + 2, size // 24 + 2)).astype(np.float32), (size, size))
    grain = cv2.GaussianBlur(noise.uniform(0, 1, (size, size)).astype(np.float32), (0, 0), 1.2)
    level = low + (high - low) * np.clip(0.7 * blotch + 0.3 * grain * 2 - 0.15, 0, 1)
    if design.shape == "faded_ring":  # the ink ran out: whole patches carry none
        level *= (cv2.GaussianBlur(noise.uniform(0, 1, (size, size)).astype(np.float32), (0, 0), radius / 12) > 0.47)
    # ink spreads a little into the paper
    return cv2.GaussianBlur(shape * level, (0, 0), max(0.6, dpi / 250))


def stamp(image: np.ndarray, design: StampDesign, centre: tuple[int, int], dpi: int, rng: random.Random) -> np.ndarray:
    """`image` (BGR) with the stamp pressed at `centre`: each pixel filtered by the ink's colour to
    the depth of its density."""
    density = stamp_density(design, dpi, rng)
    size = density.shape[0]
    height, width = image.shape[:2]
    x0, y0 = centre[0] - size // 2, centre[1] - size // 2
    sx0, sy0 = max(0, -x0), max(0, -y0)
    sx1, sy1 = min(size, width - x0), min(size, height - y0)
    if sx1 <= sx0 or sy1 <= sy0:
        return image
    piece = density[sy0:sy1, sx0:sx1, None]
    ink = np.array(INKS[design.ink], np.float32) / 255
    out = image.astype(np.float32)
    region = out[y0 + sy0:y0 + sy1, x0 + sx0:x0 + sx1]
    out[y0 + sy0:y0 + sy1, x0 + sx0:x0 + sx1] = region * (1 - piece * (1 - ink))
    return np.clip(out, 0, 255).astype(np.uint8)
