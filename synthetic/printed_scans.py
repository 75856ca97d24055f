"""Test scans made another way than `synthetic.scan_render`: a PDF page rendered at 150-300 dpi,
stamped over table 三's numbers with stamps of other designs (`synthetic.stamps`), then printed and
scanned through augraphy's models of ink and scanner (ink bleed, low ink, dirty rollers and drum,
noise, blur, shadows, JPEG) and fed with a mild skew.

Where table 三's numbers lie is read from the PDF's own text layer (rows of five or more numbers
on the page that holds 予以公开), so any report with a text layer can be stamped where it hurts, a
generated one or a real one. Each style is deterministic given a seed. Augraphy draws its
randomness from Python's and NumPy's global generators, which are seeded before every effect.

    python -m synthetic.printed_scans samples/huaian_hongze_2023.pdf solid_disc out/ [--seed 1]
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synthetic.stamps import StampDesign, stamp

_TABLE_THREE_ROW = "予以公开"
_ROW_NUMBERS = 5  # a row of table 三 prints seven numbers; rows of table 二 one to three


@dataclass(frozen=True)
class PrintedScanStyle:
    name: str
    dpi: int
    stamps: tuple[StampDesign, ...]
    skew_degrees: float
    print_effects: tuple[str, ...]  # keys of _EFFECTS, applied to the printed page before stamping
    scan_effects: tuple[str, ...]  # keys of _EFFECTS, applied to the stamped page as the scanner sees it
    jpeg_quality: int = 80


PRINTED_SCAN_STYLES: dict[str, PrintedScanStyle] = {s.name: s for s in (
    PrintedScanStyle("solid_disc", 200, (StampDesign("solid_disc", "vermilion", density=(0.45, 0.8)),), 0.6,
                     ("ink_bleed",), ("dirty_rollers", "subtle_noise"), 75),
    PrintedScanStyle("double_ring", 150, (StampDesign("double_ring", "carmine", rotation=12.0),), -0.9,
                     ("low_ink_lines",), ("dirty_drum", "subtle_noise", "blur"), 70),
    PrintedScanStyle("oval", 300, (StampDesign("oval", "dull_red", rotation=-8.0),), 0.3,
                     ("ink_mottling",), ("shadow", "subtle_noise"), 85),
    PrintedScanStyle("faded", 200, (StampDesign("faded_ring", "vermilion", density=(0.2, 0.55)),), -0.4,
                     ("low_ink_periodic",), ("lighting", "subtle_noise"), 80),
    PrintedScanStyle("blue", 200, (StampDesign("double_ring", "blue", radius_inches=0.7),), 0.5,
                     ("ink_bleed",), ("subtle_noise",), 80),
    PrintedScanStyle("two_stamps", 200, (StampDesign("faded_ring", "carmine", density=(0.5, 0.9)),
                                         StampDesign("solid_disc", "vermilion", radius_inches=0.6,
                                                     density=(0.35, 0.7), rotation=20.0)), 0.8,
                     ("ink_bleed",), ("dirty_rollers", "subtle_noise"), 75),
)}


def _effect(name: str):
    """One augraphy effect, mild enough that a reader of the printed page would still read it."""
    import augraphy as ag

    return {
        "ink_bleed": lambda: ag.InkBleed(intensity_range=(0.1, 0.25), kernel_size=(3, 3), severity=(0.2, 0.3)),
        "ink_mottling": lambda: ag.InkMottling(ink_mottling_alpha_range=(0.1, 0.2)),
        "low_ink_lines": lambda: ag.LowInkRandomLines(count_range=(4, 8), use_consistent_lines=False,
                                                      noise_probability=0.05),
        "low_ink_periodic": lambda: ag.LowInkPeriodicLines(count_range=(2, 4), period_range=(20, 40),
                                                           use_consistent_lines=False, noise_probability=0.05),
        "dirty_rollers": lambda: ag.DirtyRollers(line_width_range=(2, 6), scanline_type=0),
        "dirty_drum": lambda: ag.DirtyDrum(line_width_range=(1, 2), line_concentration=0.05,
                                           noise_intensity=0.2, noise_value=(100, 180)),
        "subtle_noise": lambda: ag.SubtleNoise(subtle_range=8),
        "shadow": lambda: ag.ShadowCast(shadow_side="left", shadow_width_range=(0.1, 0.2), shadow_opacity_range=(0.1, 0.2)),
        "lighting": lambda: ag.LightingGradient(max_brightness=255, min_brightness=200, mode="gaussian",
                                                transparency=0.4),
    }[name]()


@functools.cache
def _numba_seeder():
    from numba import njit

    @njit
    def seed_numba(value):
        np.random.seed(value)
        random.seed(value)

    return seed_numba


def _seed_everything(seed: int) -> None:
    """Python's and NumPy's generators, and numba's own, which augraphy's compiled parts draw from."""
    random.seed(seed)
    np.random.seed(seed)
    _numba_seeder()(seed)


# effects whose full strength hides print no real scanner hides: mixed into the page this much
_BLEND = {"dirty_rollers": 0.35, "lighting": 0.35}


def _apply(image: np.ndarray, names: tuple[str, ...], rng: random.Random) -> np.ndarray:
    import cv2

    for name in names:
        if name == "blur":
            image = cv2.GaussianBlur(image, (3, 3), 0.8)
            continue
        effect = _effect(name)  # first, since importing augraphy draws from the global generators
        _seed_everything(rng.randint(0, 2**31 - 1))
        out = effect(image, force=True)
        out = out if out.ndim == 3 else cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
        share = _BLEND.get(name, 1.0)
        image = out if share == 1.0 else cv2.addWeighted(out, share, image, 1.0 - share, 0)
    return image


def table_three_numbers(pdf: Path) -> dict[int, list[tuple[float, float]]]:
    """Per page (from 0), the centres in points of the numbers in table 三's rows on the page where
    its first outcome row is printed."""
    import pdfplumber

    out: dict[int, list[tuple[float, float]]] = {}
    with pdfplumber.open(str(pdf)) as document:
        for index, page in enumerate(document.pages):
            if _TABLE_THREE_ROW not in (page.extract_text() or ""):
                continue
            rows: dict[int, list[tuple[float, float]]] = {}
            for word in page.extract_words():
                if word["text"].replace(".", "").isdigit():
                    centre = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
                    rows.setdefault(round(centre[1] / 4), []).append(centre)
            out[index] = [c for row in rows.values() if len(row) >= _ROW_NUMBERS for c in row]
    return out


def _stamped(image: np.ndarray, style: PrintedScanStyle, numbers: list[tuple[float, float]],
             rng: random.Random) -> np.ndarray:
    """The stamps pressed over the numbers: the first over one of them, chosen at random among the
    middle half of the rows, each next one overlapping the one before."""
    if not numbers:
        return image
    scale = style.dpi / 72
    ordered = sorted(numbers, key=lambda c: (c[1], c[0]))
    middle = ordered[len(ordered) // 4:max(len(ordered) * 3 // 4, 1)]
    x, y = rng.choice(middle)
    centre = (int(x * scale), int(y * scale))
    for design in style.stamps:
        image = stamp(image, design, centre, style.dpi, rng)
        shift = int(design.radius_inches * style.dpi * 0.9)
        centre = (centre[0] - shift, centre[1] + shift // 2)
    return image


def _skewed(image: np.ndarray, degrees: float) -> np.ndarray:
    import cv2

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderValue=(255, 255, 255))


def scan_pages(pdf: Path, style: PrintedScanStyle, seed: int = 0,
               pages: frozenset[int] | None = None) -> list[np.ndarray]:
    """The PDF's pages (those numbered from 1 in `pages`, or all) printed, stamped and scanned."""
    import cv2
    import pypdfium2

    rng = random.Random(f"{style.name}/{seed}")
    numbers = table_three_numbers(pdf)
    document = pypdfium2.PdfDocument(str(pdf))
    out = []
    for index in range(len(document)):
        if pages is not None and index + 1 not in pages:
            continue
        rgb = np.asarray(document[index].render(scale=style.dpi / 72).to_pil().convert("RGB"))
        image = _apply(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), style.print_effects, rng)
        image = _stamped(image, style, numbers.get(index, []), rng)
        image = _skewed(image, style.skew_degrees)
        image = _apply(image, style.scan_effects, rng)
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, style.jpeg_quality])
        out.append(cv2.imdecode(data, cv2.IMREAD_COLOR))
    document.close()
    return out


def printed_scan(pdf: Path, style: str, folder: Path, seed: int = 0,
                 pages: frozenset[int] | None = None) -> tuple[Path, int]:
    """`pdf` printed, stamped and scanned in the style named `style`, saved as one image-only PDF
    in `folder` (JPEG pages, as scanners save them): its path and pages."""
    import cv2
    from PIL import Image

    chosen = PRINTED_SCAN_STYLES[style]
    images = [Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB)) for page in scan_pages(pdf, chosen, seed, pages)]
    path = folder / f"{pdf.stem}_{style}_printed.pdf"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=chosen.dpi, quality=95)
    return path, len(images)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("style", choices=sorted(PRINTED_SCAN_STYLES))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(printed_scan(args.pdf, args.style, args.folder, args.seed)[0])


if __name__ == "__main__":
    main()
