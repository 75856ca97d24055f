"""Synthetic scans: generated born-digital reports rasterised, then degraded like a scanner and a
stamp degrade a printed page: a red round seal over the table, skew, blur, noise, JPEG, a dpi,
and pages fed turned (sideways or upside down)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synthetic.values import Truth


@dataclass(frozen=True)
class Seal:
    """How a stamp lies on the page. Real seals carry the agency's name along the ring and
    政务公开专用章 across the bottom, a star in the middle, in inks from orange-red to crimson, thick
    in some places and thin where the ink ran out; stamped over the table, they cross its numbers."""

    bgr: tuple[int, int, int] = (70, 60, 225)
    ink: tuple[float, float] = (0.55, 1.0)  # the ink's density, lowest and highest over the stamp
    text: bool = False
    over_numbers: bool = False  # centred over the value columns rather than the top right


SEAL_BGR = Seal().bgr
SEAL_TEXT = "政务公开专用章"
SEAL_NAME = "人民政府办公室"  # along the ring where the report's agency is not given
SEAL_SHADES = {"red": (70, 60, 225), "crimson": (45, 35, 175), "orange": (60, 110, 240), "pink": (150, 130, 240)}


@dataclass(frozen=True)
class ScanStyle:
    name: str
    dpi: int = 200
    skew_degrees: float = 0.0
    seal: Seal | None = None
    blur: bool = False
    noise: float = 0.0  # standard deviation of gaussian noise, in grey levels
    jpeg_quality: int | None = None
    turn_degrees: int = 0  # pages after the first are scanned turned clockwise by this much


def _seal_styles() -> tuple[ScanStyle, ...]:
    """Seals with text over the numbers: each shade, thin and thick ink, at 150, 200 and 300 dpi."""
    out = []
    for index, (shade, bgr) in enumerate(SEAL_SHADES.items()):
        for ink, density in (("thin", (0.3, 0.7)), ("thick", (0.7, 1.0))):
            dpi = (150, 200, 300)[(index * 2 + len(out)) % 3]
            out.append(ScanStyle(f"seal_{shade}_{ink}", dpi=dpi, skew_degrees=0.5, noise=5, jpeg_quality=80,
                                 seal=Seal(bgr, density, text=True, over_numbers=True)))
    return tuple(out)


SCAN_STYLES: dict[str, ScanStyle] = {s.name: s for s in (
    ScanStyle("clean"),
    ScanStyle("sealed", seal=Seal(), skew_degrees=0.8, noise=6, jpeg_quality=80),
    ScanStyle("rough", dpi=150, blur=True, skew_degrees=-1.2, noise=10, jpeg_quality=60, seal=Seal()),
    ScanStyle("fine", dpi=300, skew_degrees=0.4),
    ScanStyle("sideways", skew_degrees=0.5, noise=4, jpeg_quality=85, turn_degrees=90),
    ScanStyle("upside_down", skew_degrees=-0.5, noise=4, jpeg_quality=85, turn_degrees=180),
    *_seal_styles(),
)}


def _seal_text_mask(size: tuple[int, int], center: tuple[int, int], radius: int, name: str) -> np.ndarray:
    """The seal's lettering: `name` along the top of the ring, inside it, each character turned
    to face the centre, and 政务公开专用章 straight across below the star."""
    import math

    from PIL import Image, ImageDraw, ImageFont

    from synthetic.font_subset import FONT

    canvas = Image.new("L", size, 0)
    glyph = max(8, int(radius * 0.26))
    font = ImageFont.truetype(str(FONT), glyph)
    span = math.radians(240)
    for i, char in enumerate(name):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(name)  # from lower left, over the top
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph // 2, glyph // 2), char, fill=255, font=font)
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        at = (center[0] + int(radius * 0.72 * math.cos(angle)) - glyph,
              center[1] + int(radius * 0.72 * math.sin(angle)) - glyph)
        canvas.paste(tile, at, tile)
    small = max(8, int(radius * 0.2))
    width = small * len(SEAL_TEXT)
    ImageDraw.Draw(canvas).text((center[0] - width // 2, center[1] + int(radius * 0.35)), SEAL_TEXT, fill=255,
                                font=ImageFont.truetype(str(FONT), small))
    return np.asarray(canvas)


def _stamp_seal(image: np.ndarray, rng: random.Random, seal: Seal = Seal(), name: str = "") -> np.ndarray:
    """A round seal stamped over the page. Stamp ink is translucent: it filters the light the
    paper and the print under it reflect, so layers multiply (black print under the seal stays
    dark). The ink lies unevenly, thicker in some places than others."""
    import cv2

    height, width = image.shape[:2]
    if seal.over_numbers:  # over the value columns of the table in the middle of the page
        center = (int(width * rng.uniform(0.55, 0.72)), int(height * rng.uniform(0.35, 0.6)))
    else:
        center = (int(width * rng.uniform(0.55, 0.75)), int(height * rng.uniform(0.25, 0.45)))
    radius = int(width * 0.12)
    shape = np.zeros((height, width), np.uint8)
    cv2.circle(shape, center, radius, 255, thickness=max(4, radius // 14))
    if seal.text:
        star = [(center[0] + int(radius * 0.25 * np.cos(a)), center[1] + int(radius * 0.25 * np.sin(a)))
                for a in np.linspace(-np.pi / 2, 3.5 * np.pi, 5, endpoint=False)]
        cv2.fillPoly(shape, [np.array(star, np.int32)[[0, 2, 4, 1, 3]]], 255)  # the points of a pentagram
        shape = np.maximum(shape, _seal_text_mask((width, height), center, radius, name or SEAL_NAME))
    else:
        cv2.circle(shape, center, radius // 5, 255, thickness=-1)
    low, high = seal.ink
    mottle = np.random.default_rng(rng.randint(0, 2**31)).uniform(low, high, (height // 8 + 1, width // 8 + 1))
    density = cv2.resize(mottle, (width, height))[..., None] * (shape[..., None] / 255.0)
    filter_ = 1.0 - density * (1.0 - np.array(seal.bgr, np.float32) / 255.0)
    return np.clip(image.astype(np.float32) * filter_, 0, 255).astype(np.uint8)


def degrade(image: np.ndarray, style: ScanStyle, rng: random.Random, agency: str = "") -> np.ndarray:
    import cv2

    out = image.copy()
    height, width = out.shape[:2]
    if style.seal is not None:
        out = _stamp_seal(out, rng, style.seal, agency)
    if style.skew_degrees:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), style.skew_degrees, 1.0)
        out = cv2.warpAffine(out, matrix, (width, height), borderValue=(255, 255, 255))
    if style.blur:
        out = cv2.GaussianBlur(out, (3, 3), 0)
    if style.noise:
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, style.noise, out.shape)
        out = np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    if style.jpeg_quality:
        ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, style.jpeg_quality])
        out = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return out


def render_scan(pdf: Path, style: ScanStyle, folder: Path, seed: int = 0, agency: str = "") -> list[Path]:
    """One PNG per page of a generated PDF, degraded in `style` (a seal bears `agency`'s name)."""
    import cv2
    import pypdfium2

    rng = random.Random(seed)
    document = pypdfium2.PdfDocument(str(pdf))
    paths = []
    for index in range(len(document)):
        rgb = np.asarray(document[index].render(scale=style.dpi / 72).to_pil().convert("RGB"))
        image = degrade(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), style, rng, agency)
        if style.turn_degrees and index > 0:
            turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
            image = cv2.rotate(image, turns[style.turn_degrees])
        path = folder / f"{pdf.stem}_{style.name}_p{index + 1}.png"
        cv2.imwrite(str(path), image)
        paths.append(path)
    document.close()
    return paths


def scanned_copy(pdf: Path, style: str, folder: Path, seed: int = 0, agency: str = "") -> tuple[Path, int]:
    """A PDF (generated, or a real report) printed and scanned in the scan style `style`, saved as
    one image-only PDF in `folder`: its path and pages."""
    from PIL import Image

    scan = SCAN_STYLES[style]
    pages = [Image.open(p).convert("RGB") for p in render_scan(pdf, scan, folder, seed, agency)]
    path = folder / f"{pdf.stem}_{style}_scan.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=scan.dpi)
    return path, len(pages)


def scanned_pdf(truth: Truth, style: str, folder: Path, seed: int, stem: str) -> tuple[Path, int]:
    """A report typeset and scanned in `style`, saved as one image-only PDF: its path and pages.

    `style` is a scan style, optionally after a typesetting style of `synthetic.pdf_render` and a
    slash ("unruled/sealed": tables printed without rules, scanned sealed); without one the report
    is typeset `portrait`."""
    from synthetic.pdf_render import PDF_STYLES, render_pdf

    typeset, _, scan = style.rpartition("/")
    return scanned_copy(render_pdf(truth, PDF_STYLES[typeset or "portrait"], folder / f"{stem}.pdf", seed),
                        scan, folder, seed, truth.agency)
