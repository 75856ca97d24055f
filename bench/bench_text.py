"""Reports per second and what they say, for flattened text on one core, by style.

Baseline, measured in the same run on the same bytes: decoding the file and splitting it into
lines (the floor any reader pays). The ratio says how many times that floor the whole pipeline
costs; reports/s is the absolute figure. Beside the speed: fields given a wrong number, reports
falsely failed (a rule reported failing that holds as printed), and of the planted errors, how
many were reported failing and how many in doubt.

    PYTHONPATH=. python bench/bench_text.py [--reports 200] [--styles dropped]
"""

from __future__ import annotations

import argparse
import time

from disclosure.layout.flat_rows import rows_from_text
from disclosure.ocr.text_file import text_document_from_bytes
from disclosure.table_recon.formats import FORMATS
from disclosure.table_recon.recon import read_report
from synthetic.flat_text import STYLES, render_text
from synthetic.scoring import findings, score
from synthetic.values import random_truth

BLANKS = {"cells": 0.3, "markers": 0.5, "rows": 0.5, "noisy": 0.5, "dropped": 1.0, "bom": 1.0, "joined": 0.0}


def _truths(style: str, count: int, planted: bool = False) -> list:
    return [random_truth(FORMATS[("2019", "2021")[i % 2]], i, blank_zeros=BLANKS[style], plant_error=planted)
            for i in range(count)]


def _time(fn, corpus: list[bytes]) -> tuple[float, list]:
    start = time.perf_counter()
    results = [fn(data) for data in corpus]
    return time.perf_counter() - start, results


def _rate(count: int, seconds: float) -> str:
    rate = count / seconds
    return f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--styles", nargs="*", help="only these styles")
    args = parser.parse_args()
    print("| style | reports | pipeline reports/s | baseline (decode+lines) reports/s | pipeline / baseline time "
          "| over the placement budget | fields wrong | ambiguous (truth among) | reports falsely failed "
          "| planted errors: failed / in doubt / neither |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for style, planted in [(style, False) for style in ("cells", "markers", "rows", "noisy", "joined", "dropped")] \
            + [("rows", True), ("joined", True), ("dropped", True)]:
        if args.styles and style not in args.styles:
            continue
        truths = _truths(style, args.reports, planted)
        corpus = [render_text(truth, STYLES[style], i) for i, truth in enumerate(truths)]
        baseline, _ = _time(lambda d: text_document_from_bytes(d, "b.txt"), corpus)
        pipeline, reports = _time(lambda d: read_report(rows_from_text(text_document_from_bytes(d, "b.txt"))), corpus)
        over = sum(any("placement search hit its limit" in w for w in report.warnings) for report in reports)
        scores = [score(truth, report) for truth, report in zip(truths, reports)]
        said = [findings(truth, report) for truth, report in zip(truths, reports)]
        planted_cell = (f"{sum(bool(f.found) for f in said)} / {sum(bool(f.in_doubt) and not f.found for f in said)} / "
                        f"{sum(not f.found and not f.in_doubt for f in said)}" if planted else "—")
        print(f"| {style}{', one error planted' if planted else ''} | {len(corpus)} | {_rate(len(corpus), pipeline)} | "
              f"{_rate(len(corpus), baseline)} | {pipeline / baseline:,.0f}× | {over} | "
              f"{sum(len(s.wrong) + len(s.ambiguous_missed) for s in scores)} | {sum(s.ambiguous for s in scores)} | "
              f"{sum(f.falsely_failed for f in said)} | {planted_cell} |")


if __name__ == "__main__":
    main()
