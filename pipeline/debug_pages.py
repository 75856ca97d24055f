"""Pictures of how a scanned page was read, for a person looking for where a reading went wrong.

For each page, `<name>-p<N>.png`: the cleaned page (seal taken out, turned upright, deskewed) with
the ruling lines found (green), every grid cell (red) with its reading written in it, uncertain
readings in orange, and the text lines outside tables (purple). `<name>-p<N>.json` holds the same
readings with their boxes, confidence and alternatives, for readings the picture cannot show.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
import subprocess
from pathlib import Path

from disclosure.ocr.errors import InputError
from disclosure.ocr.page_model import PositionedPage
from disclosure.ocr.scan import ScanPage

_UNSURE = 0.9
_SHORTEST_RULE = 30  # pixels; shorter segments are mostly glyph strokes and would hide the print
_RULE, _CELL, _LINE = (40, 170, 40), (220, 40, 40), (140, 60, 200)
_TEXT, _DOUBT = (20, 60, 220), (235, 130, 0)


def prepare(folder: Path) -> Path:
    """The folder, made if needed; one line if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot make the debug folder {folder}: {err.strerror or err}") from None
    return folder


# Where Debian, Fedora and Alpine put a CJK font, for a machine without fontconfig's fc-list
_KNOWN_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
)


@functools.cache
def cjk_font_file() -> Path | None:
    """A font on this machine that draws Chinese text, or None.

    Asked of fontconfig (fonts covering Chinese only) first, then looked for where distributions
    install one. The readings drawn are whatever a report prints, so no subset will do.
    """
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(["fc-list", ":lang=zh", "-f", "%{file}\n"], capture_output=True,
                                    text=True, timeout=20, check=False).stdout.split()
        except (OSError, subprocess.TimeoutExpired):
            listed = []
        for name in sorted(listed, key=lambda n: ("zenhei" not in n.lower(), n)):
            if Path(name).is_file():
                return Path(name)
    return next((Path(name) for name in _KNOWN_CJK_FONTS if Path(name).is_file()), None)


def _font(size: int):
    from PIL import ImageFont

    found = cjk_font_file()
    if found is not None:
        try:
            return ImageFont.truetype(str(found), size)
        except OSError:
            pass
    logging.getLogger(__name__).warning(
        "no font for Chinese text found (install fonts-wqy-zenhei): labels in the debug pictures "
        "show as boxes, their readings are in the .json beside them")
    return ImageFont.load_default(size)


def _cells(page: PositionedPage) -> list[dict]:
    out = []
    for number, grid in enumerate(page.grids, start=1):
        for i, row in enumerate(grid.rows):
            for j, cell in enumerate(row):
                if cell.origin is None:
                    continue
                entry = {"grid": number, "row": i, "column": j, **cell.origin.as_dict(), "text": cell.text}
                out.append(entry)
    return out


def write_debug_page(folder: Path, source: str, scan: ScanPage, page: PositionedPage) -> Path:
    """Writes the picture and the readings of one page; returns the picture's path."""
    from PIL import Image, ImageDraw

    stem = f"{Path(source).stem}-p{scan.number}"
    picture = Image.fromarray(scan.image[..., ::-1]).convert("RGB")
    picture = Image.blend(picture, Image.new("RGB", picture.size, "white"), 0.45)  # readings stand out
    draw = ImageDraw.Draw(picture)
    size = max(10, scan.height // 140)
    font = _font(size)
    for rule in scan.rules:
        if max(rule.box.width, rule.box.height) >= _SHORTEST_RULE:
            draw.rectangle(rule.box.as_list(), outline=_RULE)
    for grid in page.grids:
        for row in grid.rows:
            for cell in row:
                if cell.origin is None or cell.origin.box is None:
                    continue
                box = cell.origin.box
                if box.width > 4 and box.height > 4:  # a row without a label has an empty label cell
                    draw.rectangle([box.x0 + 2, box.top + 2, box.x1 - 2, box.bottom - 2], outline=_CELL)
                colour = _DOUBT if cell.origin.confidence < _UNSURE else _TEXT
                shown = cell.text if cell.text is not None else ""
                if cell.origin.confidence < _UNSURE:
                    shown += f" {cell.origin.confidence:.2f}"
                draw.text((box.x0 + 4, box.top + 3), shown, fill=colour, font=font)
    for line in page.lines:
        if line.origin.box is not None:
            draw.rectangle(line.origin.box.as_list(), outline=_LINE)
    draw.text((8, 4), f"{source} page {scan.number}: turned {scan.turn_degrees} deg, "
                      f"skew {scan.skew_degrees:.2f} deg, "
                      f"{len(page.grids)} grid(s)", fill=_LINE, font=font)
    path = folder / f"{stem}.png"
    picture.save(path)
    readings = {"source": source, "page": scan.number, "turn_degrees": scan.turn_degrees,
                "skew_degrees": round(scan.skew_degrees, 3), "cells": _cells(page),
                "lines": [{"text": line.text, **line.origin.as_dict()} for line in page.lines]}
    (folder / f"{stem}.json").write_text(json.dumps(readings, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
