"""Reports per second for flattened text on one core, by style.

Baseline, measured in the same run on the same bytes: decoding the file and splitting it into
lines (the floor any reader pays). The ratio says how many times that floor the whole pipeline
costs; reports/s is the absolute figure.

    PYTHONPATH=. python bench/bench_text.py [--reports 200]
"""

from __future__ import annotations

import argparse
import time

from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from synthetic.flat_text import STYLES, render_text
from synthetic.values import random_truth
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.recon import read_report

BLANKS = {"cells": 0.3, "markers": 0.5, "rows": 0.5, "noisy": 0.5, "dropped": 1.0, "bom": 1.0, "joined": 0.0}


def _corpus(style: str, count: int) -> list[bytes]:
    return [render_text(random_truth(FORMATS[("2019", "2021")[i % 2]], i, blank_zeros=BLANKS[style]),
                        STYLES[style], i) for i in range(count)]


def _time(fn, corpus: list[bytes]) -> float:
    start = time.perf_counter()
    for data in corpus:
        fn(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    print("| style | reports | pipeline reports/s | baseline (decode+lines) reports/s | pipeline / baseline time |")
    print("|---|---|---|---|---|")
    for style in ("cells", "markers", "rows", "noisy", "joined", "dropped"):
        corpus = _corpus(style, args.reports)
        baseline = _time(lambda d: text_document_from_bytes(d, "b.txt"), corpus)
        pipeline = _time(lambda d: read_report(rows_from_text(text_document_from_bytes(d, "b.txt"))), corpus)
        print(f"| {style} | {len(corpus)} | {len(corpus) / pipeline:,.0f} | {len(corpus) / baseline:,.0f} | "
              f"{pipeline / baseline:,.0f}× |")


if __name__ == "__main__":
    main()
