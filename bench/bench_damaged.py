"""Damaged copies of the real inputs in samples/ and of generated pages and Word files, read by
`disclosure inspect` one by one: how many end in a result, how many in a one-line refusal (exit 2),
how many in an internal error (a bug), and how long the slowest took. Baseline, in the same run:
the undamaged files, each read once.

    PYTHONPATH=. python bench/bench_damaged.py [--per-kind 100] [--pdfs 20]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from collections import Counter
from pathlib import Path

from synthetic.damage import damaged_word_parts, mutations
from synthetic.docx_render import render_docx
from synthetic.html_render import HTML_STYLES, render_html
from synthetic.values import random_truth
from disclosure.table_recon.formats import FORMATS
from disclosure.workers.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _read(path: Path) -> tuple[str, float]:
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["inspect", str(path), "--json", "--max-pages", "3", "--timeout", "60"])
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


if __name__ == "__main__":
    main_()
