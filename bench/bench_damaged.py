"""Damaged copies of the real inputs in samples/ and of generated pages and Word files, read by
`disclosure inspect` one by one: how many end in a result, how many in a one-line refusal (exit 2),
how many in an internal error (a bug), and how long the slowest took. Baseline, in the same run:
the undamaged files, each read once.

With `--scans N`, also N generated sealed scans as JPEG and N as scanned PDFs, each with a stretch
of its image data repeated (the picture below it drawn twice, shifted), read with `--timeout 180`.

    PYTHONPATH=. python bench/bench_damaged.py [--per-kind 100] [--pdfs 20] [--scans 0]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from collections import Counter
from pathlib import Path

from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main
from synthetic.damage import damaged_word_parts, mutations, repeated_stretches
from synthetic.docx_render import render_docx
from synthetic.html_render import HTML_STYLES, render_html
from synthetic.values import random_truth

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _read(path: Path, timeout: int = 60) -> tuple[str, float]:
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["inspect", str(path), "--json", "--max-pages", "3", "--timeout", str(timeout)])
    seconds = time.perf_counter() - start
    if "internal error" in err.getvalue():
        return "internal error", seconds
    lines = [line for line in err.getvalue().splitlines() if line.startswith("disclosure: error")]
    return {0: "result", 1: "result", 2: "refused in one line" if len(lines) == 1 else "refused, not one line"}.get(
        code, f"exit {code}"), seconds


def main_() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=100)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--scans", type=int, default=0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-damaged-"))
    docx = render_docx(random_truth(FORMATS["2021"], 3), "template", folder / "good.docx", 3)
    good = {
        "txt": (SAMPLES / "zhenhai_hrss_2020.txt").read_bytes(),
        "html": (SAMPLES / "shanghai_szfbgt_2019.html").read_bytes(),
        "gbk.html": render_html(random_truth(FORMATS["2019"], 4), HTML_STYLES["gbk"], 4),
        "docx": docx.read_bytes(),
        "pdf": (SAMPLES / "huaian_city_2024.pdf").read_bytes(),
    }
    print("| input | copies | result | refused in one line | internal error | other | slowest s | "
          "undamaged s (baseline) |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, data in good.items():
        count = args.pdfs if kind == "pdf" else args.per_kind
        copies = mutations(data, count, 7)
        if kind == "docx":
            copies = copies[: count // 2] + damaged_word_parts(data, count - count // 2, 8)
        baseline_path = folder / f"good.{kind}"
        baseline_path.write_bytes(data)
        baseline = _read(baseline_path)[1]
        outcomes, slowest = Counter(), 0.0
        for index, copy in enumerate(copies):
            path = folder / f"damaged-{index}.{kind}"
            path.write_bytes(copy)
            outcome, seconds = _read(path)
            outcomes[outcome] += 1
            slowest = max(slowest, seconds)
        other = sum(n for o, n in outcomes.items() if o not in ("result", "refused in one line", "internal error"))
        print(f"| {kind} | {len(copies)} | {outcomes['result']} | {outcomes['refused in one line']} | "
              f"{outcomes['internal error']} | {other} | {slowest:.1f} | {baseline:.2f} |")
    if args.scans:
        _damaged_scans(folder, args.scans)


def _damaged_scans(folder: Path, count: int) -> None:
    import cv2

    from synthetic.scan_render import scanned_pdf

    pdf, _ = scanned_pdf(random_truth(FORMATS["2021"], 5), "sealed", folder, 5, "scan")
    page = sorted(folder.glob("scan*_p2.png"))
    jpeg = cv2.imencode(".jpg", cv2.imread(str(page[0])), [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes() if page else None
    pdf_data = pdf.read_bytes()
    kinds = {"scan.pdf": (pdf_data, pdf_data.find(b"stream")), "scan.jpg": (jpeg, 600)}
    for kind, (data, start) in kinds.items():
        if data is None:
            continue
        baseline_path = folder / f"good.{kind}"
        baseline_path.write_bytes(data)
        baseline = _read(baseline_path, 180)[1]
        outcomes, slowest = Counter(), 0.0
        for index, copy in enumerate(repeated_stretches(data, count, 11, max(0, start))):
            path = folder / f"damaged-{index}.{kind}"
            path.write_bytes(copy)
            outcome, seconds = _read(path, 180)
            outcomes[outcome] += 1
            slowest = max(slowest, seconds)
        other = sum(n for o, n in outcomes.items() if o not in ("result", "refused in one line", "internal error"))
        print(f"| {kind} (stretch repeated) | {count} | {outcomes['result']} | {outcomes['refused in one line']} | "
              f"{outcomes['internal error']} | {other} | {slowest:.1f} | {baseline:.2f} |")


if __name__ == "__main__":
    main_()
