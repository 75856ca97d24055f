"""A folder of inputs for the batch runners: generated reports with known statuses, and the bad
files users drop among them, each with the outcome it must end in."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from disclosure.table_recon.formats import FORMATS
from synthetic.crawled_text import crawled_text
from synthetic.docx_render import render_docx
from synthetic.flat_text import STYLES, render_text
from synthetic.html_render import HTML_STYLES, render_html
from synthetic.values import random_truth

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
        "index.html": "<html><body><ul><li>2023年年度报告</li></ul></body></html>".encode(),
        "empty.mht": b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b--\n",
    }


def web_documents(folder: Path, seed: int) -> dict[str, str]:
    """A report as a web page, as the text a crawler took from it, and as a Word file."""
    truth = random_truth(FORMATS["2021"], seed, blank_zeros=0.3)
    page = render_html(truth, HTML_STYLES["word"], seed)
    (folder / f"page-{seed}.html").write_bytes(page)
    (folder / f"page-{seed}.txt").write_bytes(crawled_text(page, "utf-8", "html2text"))
    render_docx(truth, "template", folder / f"report-{seed}.docx", seed)
    return {f"page-{seed}.html": "done", f"page-{seed}.txt": "done", f"report-{seed}.docx": "done"}


def make_batch(folder: Path, reports: int, *, bad: bool = True, start_seed: int = 0) -> dict[str, str]:
    """Writes the files; returns name -> "done" or "failed", the outcome each must end in."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for seed in range(start_seed, start_seed + reports):
        name = f"report-{seed:04d}.txt"
        (folder / name).write_bytes(report_bytes(seed, plant_error=seed % 7 == 3))
        expected[name] = "done"
    if bad:
        expected.update(web_documents(folder, start_seed + reports))
        for name, data in bad_files().items():
            (folder / name).write_bytes(data)
            expected[name] = "failed"
    return expected
