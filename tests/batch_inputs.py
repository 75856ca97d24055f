"""A folder of inputs for the batch runners: generated reports with known statuses, and the bad
files users drop among them, each with the outcome it must end in."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from synthetic.flat_text import STYLES, render_text
from synthetic.values import random_truth
from table_recon.formats import FORMATS

NOTICE = "关于召开2024年度安全生产工作会议的通知\n各科室：\n定于下周一召开会议。\n".encode()


def report_bytes(seed: int, plant_error: bool = False) -> bytes:
    fmt = FORMATS["2021" if seed % 2 else "2019"]
    return render_text(random_truth(fmt, seed, plant_error=plant_error), STYLES["markers"], seed)


def bad_files() -> dict[str, bytes]:
    """name -> bytes of files that cannot be read as reports."""
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = docx.getvalue()
    return {
        "empty.txt": b"",
        "garbage.bin": bytes(range(256)) * 40,
        "minutes.docx": data,
        "notice.txt": NOTICE,
        "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
        "photo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    }


def make_batch(folder: Path, reports: int, *, bad: bool = True, start_seed: int = 0) -> dict[str, str]:
    """Writes the files; returns name -> "done" or "failed", the outcome each must end in."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for seed in range(start_seed, start_seed + reports):
        name = f"report-{seed:04d}.txt"
        (folder / name).write_bytes(report_bytes(seed, plant_error=seed % 7 == 3))
        expected[name] = "done"
    if bad:
        for name, data in bad_files().items():
            (folder / name).write_bytes(data)
            expected[name] = "failed"
    return expected
