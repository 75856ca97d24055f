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
class ScanStyle:
    name: str
    dpi: int = 200
    skew_degrees: float = 0.0
    seal: bool = False
    blur: bool = False
    noise: float = 0.0  # standard deviation of gaussian noise, in grey levels
    jpeg_quality: int | None = None
    turn_degrees: int = 0  # pages after the first are scanned turned clockwise by this much


SCAN_STYLES: dict[str, ScanStyle] = {s.name: s for s in (
    ScanStyle("clean"),
    ScanStyle("sealed", seal=True, skew_degrees=0.8, noise=6, jpeg_quality=80),
    ScanStyle("rough", dpi=150, blur=True, skew_degrees=-1.2, noise=10, jpeg_quality=60, seal=True),
    ScanStyle("fine", dpi=300, skew_degrees=0.4),
    ScanStyle("sideways", skew_degrees=0.5, noise=4, jpeg_quality=85, turn_degrees=90),
    ScanStyle("upside_down", skew_degrees=-0.5, noise=4, jpeg_quality=85, turn_degrees=180),
)}


SEAL_BGR = (70, 60, 225)


def _stamp_seal(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """A round red seal stamped over the page. Stamp ink is translucent: it filters the light the
    paper and the print under it reflect, so layers multiply (black print under the seal stays
    dark). The ink lies unevenly, thicker in some places than others."""
    import cv2

    height, width = image.shape[:2]
    center = (int(width * rng.uniform(0.55, 0.75)), int(height * rng.uniform(0.25, 0.45)))
    radius = int(width * 0.12)
    shape = np.zeros((height, width), np.uint8)
    cv2.circle(shape, center, radius, 255, thickness=max(4, radius // 14))
    cv2.circle(shape, center, radius // 5, 255, thickness=-1)
    mottle = np.random.default_rng(rng.randint(0, 2**31)).uniform(0.55, 1.0, (height // 8 + 1, width // 8 + 1))
    density = cv2.resize(mottle, (width, height))[..., None] * (shape[..., None] / 255.0)
    filter_ = 1.0 - density * (1.0 - np.array(SEAL_BGR, np.float32) / 255.0)
    return np.clip(image.astype(np.float32) * filter_, 0, 255).astype(np.uint8)


def degrade(image: np.ndarray, style: ScanStyle, rng: random.Random) -> np.ndarray:
    import cv2

    out = image.copy()
    height, width = out.shape[:2]
    if style.seal:
        out = _stamp_seal(out, rng)
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


def render_scan(pdf: Path, style: ScanStyle, folder: Path, seed: int = 0) -> list[Path]:
    """One PNG per page of a generated PDF, degraded in `style`."""
    import cv2
    import pypdfium2

    rng = random.Random(seed)
    document = pypdfium2.PdfDocument(str(pdf))
    paths = []
    for index in range(len(document)):
        rgb = np.asarray(document[index].render(scale=style.dpi / 72).to_pil().convert("RGB"))
        image = degrade(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), style, rng)
        if style.turn_degrees and index > 0:
            turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
            image = cv2.rotate(image, turns[style.turn_degrees])
        path = folder / f"{pdf.stem}_{style.name}_p{index + 1}.png"
        cv2.imwrite(str(path), image)
        paths.append(path)
    document.close()
    return paths


def scanned_copy(pdf: Path, style: str, folder: Path, seed: int = 0) -> tuple[Path, int]:
    """A PDF (generated, or a real report) printed and scanned in the scan style `style`, saved as
    one image-only PDF in `folder`: its path and pages."""
    from PIL import Image

    scan = SCAN_STYLES[style]
    pages = [Image.open(p).convert("RGB") for p in render_scan(pdf, scan, folder, seed)]
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
                        scan, folder, seed)
