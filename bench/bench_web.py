"""Web pages, the text crawlers take from them, and Word files: seconds a report and fields right,
one core, each against a baseline measured in the same run on the same files.

- HTML pages (every style of `synthetic.html_render`): against `pandas.read_html`, which parses the
  same pages' tables into data frames (no fields, no rules: the floor of reading the markup).
- Crawled text (four extractors of the same pages): against the same reports flattened one cell
  per line with every cell kept (`synthetic.flat_text` style `markers`), the text path at its easiest.
- Word files (`template`, `built`): against python-docx opening the file and listing every cell's
  text (the floor of reading the markup).

    PYTHONPATH=. python bench/bench_web.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from disclosure.pipeline.document import inspect_file
from disclosure.table_recon.formats import FORMATS
from synthetic.crawled_text import EXTRACTORS, crawled_text
from synthetic.docx_render import render_docx
from synthetic.flat_text import STYLES, render_text
from synthetic.html_render import HTML_STYLES, page_truth, render_html
from synthetic.scoring import findings, score
from synthetic.values import random_truth


def _truths(seeds: int, plant: bool = False):
    return [random_truth(FORMATS[fmt], seed, blank_zeros=0.4, plant_error=plant)
            for fmt in sorted(FORMATS) for seed in range(seeds)]


def _run(paths_and_truths) -> tuple[float, float, int, int, int, int, float]:
    """Mean seconds a file, share of fields right, fields ambiguous with the truth among them,
    fields given a wrong number (or ambiguous without it), fields unread, reports falsely failed,
    slowest seconds."""
    seconds, right, ambiguous, wrong, unread, false, fields = [], 0, 0, 0, 0, 0, 0
    for path, truth in paths_and_truths:
        start = time.perf_counter()
        report = inspect_file(path)
        seconds.append(time.perf_counter() - start)
        result = score(truth, report)
        right, ambiguous, fields = right + result.right, ambiguous + result.ambiguous, fields + result.fields
        wrong += len(result.wrong) + len(result.ambiguous_missed)
        unread += len(result.unread)
        false += findings(truth, report).falsely_failed
    return statistics.mean(seconds), right / fields, ambiguous, wrong, unread, false, max(seconds)


def _time(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    import docx
    import pandas

    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    truths = _truths(args.seeds)
    print("| input | style | reports | s / report (max) | fields right | ambiguous (truth among candidates) | "
          "wrong | unread | reports falsely failed | baseline s / report | time / baseline |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, style in HTML_STYLES.items():
        cases = []
        for i, truth in enumerate(truths):
            path = folder / f"{name}-{i}.html"
            path.write_bytes(render_html(truth, style, i))
            cases.append((path, page_truth(truth, style)))
        mean, share, ambiguous, wrong, unread, false, slowest = _run(cases)
        baseline = _time(lambda c: pandas.read_html(io.StringIO(c[0].read_bytes().decode(style.encoding)),
                                                    flavor="lxml"), cases)
        print(f"| HTML | {name} | {len(cases)} | {mean:.3f} ({slowest:.2f}) | {share:.2%} | {ambiguous} | {wrong} | "
              f"{unread} | {false} | {baseline:.3f} (pandas.read_html) | {mean / baseline:.1f}× |")

    flat = []
    for i, truth in enumerate(truths):
        path = folder / f"flat-{i}.txt"
        path.write_bytes(render_text(truth, STYLES["markers"], i))
        flat.append((path, truth))
    flat_mean = _run(flat)[0]
    for extractor in EXTRACTORS:
        cases = []
        for name, style in HTML_STYLES.items():
            if style.blank_totals and extractor != "html2text":
                continue  # blank totals with lost blanks: see the README
            for i, truth in enumerate(truths):
                path = folder / f"crawl-{extractor}-{name}-{i}.txt"
                path.write_bytes(crawled_text(render_html(truth, style, i), style.encoding, extractor))
                cases.append((path, page_truth(truth, style)))
        mean, share, ambiguous, wrong, unread, false, slowest = _run(cases)
        print(f"| crawled text | {extractor} | {len(cases)} | {mean:.3f} ({slowest:.2f}) | {share:.2%} | {ambiguous} | "
              f"{wrong} | {unread} | {false} | {flat_mean:.3f} (one cell a line) | {mean / flat_mean:.1f}× |")

    for style in ("template", "built"):
        cases = []
        for i, truth in enumerate(truths):
            if style == "template" and truth.format.name != "2021":
                continue
            cases.append((render_docx(truth, style, folder / f"{style}-{i}.docx", i, empty=("", "/")[i % 2]), truth))
        mean, share, ambiguous, wrong, unread, false, slowest = _run(cases)
        baseline = _time(lambda c: [cell.text for table in docx.Document(str(c[0])).tables
                                    for row in table.rows for cell in row.cells], cases)
        print(f"| Word (.docx) | {style} | {len(cases)} | {mean:.3f} ({slowest:.2f}) | {share:.2%} | {ambiguous} | "
              f"{wrong} | {unread} | {false} | {baseline:.3f} (python-docx cells) | {mean / baseline:.1f}× |")


if __name__ == "__main__":
    main()
