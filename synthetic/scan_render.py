"""Synthetic scans: generated born-digital reports rasterised, then degraded like a scanner and a
stamp degrade a printed page: a red round seal over the table, skew, blur, noise, JPEG, a dpi."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ScanStyle:
    name: str
    dpi: int = 200
    skew_degrees: float = 0.0
    seal: bool = False
    blur: bool = False
    noise: float = 0.0  # standard deviation of gaussian noise, in grey levels
    jpeg_quality: int | None = None


SCAN_STYLES: dict[str, ScanStyle] = {s.name: s for s in (
    ScanStyle("clean"),
    ScanStyle("sealed", seal=True, skew_degrees=0.8, noise=6, jpeg_quality=80),
    ScanStyle("rough", dpi=150, blur=True, skew_degrees=-1.2, noise=10, jpeg_quality=60, seal=True),
    ScanStyle("fine", dpi=300, skew_degrees=0.4),
)}


def degrade(image: np.ndarray, style: ScanStyle, rng: random.Random) -> np.ndarray:
    import cv2

    out = image.copy()
    height, width = out.shape[:2]
    if style.seal:
        center = (int(width * rng.uniform(0.55, 0.75)), int(height * rng.uniform(0.25, 0.45)))
        radius = int(width * 0.12)
        overlay = out.copy()
        cv2.circle(overlay, center, radius, (40, 40, 220), thickness=max(4, radius // 14))
        cv2.circle(overlay, center, radius // 5, (40, 40, 220), thickness=-1)
        out = cv2.addWeighted(overlay, 0.75, out, 0.25, 0)
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
        path = folder / f"{pdf.stem}_{style.name}_p{index + 1}.png"
        cv2.imwrite(str(path), image)
        paths.append(path)
    document.close()
    return paths
