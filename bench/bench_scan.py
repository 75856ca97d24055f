"""Scanned reports: seconds per page, field accuracy and peak memory of the scan path, against
PaddleOCR's own full-page pipeline, on the same generated scans in one run.

Scan path: `disclosure inspect` (cells read one by one from their crops, digits-only decoding,
rule-guided alternatives).
Baseline: PaddleOCR called the way a user would, `PaddleOCR(...).ocr(page)` at its defaults
(detection and recognition over the whole page), on the same cleaned pages (seal taken out,
upright, deskewed) and the same grids; each detected line goes to the cell holding its centre.

Each path runs in its own process, so that its peak memory (max RSS) is its own.

    python bench/bench_scan.py [--seeds 2] [--styles clean,sealed,rough,unruled/sealed]

A style is a scan style of `synthetic/scan_render.py`, optionally after a typesetting style of
`synthetic/pdf_render.py` and a slash (`unruled/sealed`: tables without rules, scanned sealed);
without one the report is typeset `portrait`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
import warnings
from pathlib import Path


def _make_corpus(folder: Path, seeds: int, styles: list[str]) -> list[tuple[str, int, str, Path, int]]:
    from synthetic.scan_render import scanned_pdf
    from synthetic.values import random_truth
    from table_recon.formats import FORMATS

    corpus = []
    for seed in range(1, seeds + 1):
        for fmt in ("2019", "2021"):
            truth = random_truth(FORMATS[fmt], seed)
            for style in styles:
                path, pages = scanned_pdf(truth, style, folder, seed, f"{fmt}_{seed}_{style.replace('/', '_')}")
                corpus.append((fmt, seed, style, path, pages))
    return corpus


def _full_page_report(path: Path, paddle, models):
    """The baseline: PaddleOCR's full-page lines placed into the same grids, then the same fields."""
    from layout.image_grid import page_from_scan
    from layout.pdf_rows import rows_from_pdf
    from ocr.origin import Box, Origin
    from ocr.pdf_text import PdfDocument, PositionedLine
    from ocr.scan import ScanPage, clean_page, find_rules, page_images
    from table_recon.recon import read_report

    pages = []
    for number, raw in enumerate(page_images(path, "pdf", 400), start=1):
        image, turn, angle = clean_page(raw, models)
        rules, _, _ = find_rules(image)
        lines = []
        # cls=False: no angle classifier is loaded at the defaults, and asking for it only warns
        for points, (text, confidence) in paddle.ocr(image, cls=False)[0] or []:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = Box(min(xs), min(ys), max(xs), max(ys))
            lines.append(PositionedLine(text, Origin(path.name, text, page=number, box=box, confidence=confidence)))
        scan = ScanPage(number, image.shape[1], image.shape[0], tuple(lines), rules, angle, turn, image)
        pages.append(page_from_scan(scan, path.name))
    return read_report(rows_from_pdf(PdfDocument(path.name, tuple(pages), len(pages))))


def _run(path_name: str, corpus, queue) -> None:
    warnings.simplefilter("ignore")
    from ocr.paddle_engine import OcrModels
    from synthetic.scoring import score
    from synthetic.values import random_truth
    from table_recon.formats import FORMATS
    from workers.pipeline import InspectOptions, inspect_file

    models = OcrModels.packaged()
    if path_name == "baseline":
        import logging

        from paddleocr import PaddleOCR

        logging.getLogger("ppocr").setLevel(logging.ERROR)
        paddle = PaddleOCR(det_model_dir=str(models.det), rec_model_dir=str(models.rec),
                           cls_model_dir=str(models.cls), lang="ch", show_log=False)
        read = lambda path: _full_page_report(path, paddle, models)  # noqa: E731
    else:
        read = lambda path: inspect_file(path, InspectOptions())  # noqa: E731
    read(corpus[0][3])  # models loaded and warmed before timing
    rows = []
    for fmt, seed, style, path, pages in corpus:
        start = time.perf_counter()
        report = read(path)
        seconds = time.perf_counter() - start
        result = score(random_truth(FORMATS[fmt], seed), report)
        rows.append((style, seconds, pages, result.right, result.fields, report.status.value))
    queue.put((rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _measure(path_name: str, corpus):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(path_name, corpus, queue))
    process.start()
    rows, peak_mb = queue.get()
    process.join()
    return rows, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--styles", default="clean,sealed,rough")
    args = parser.parse_args()
    styles = args.styles.split(",")
    corpus = _make_corpus(Path(tempfile.mkdtemp()), args.seeds, styles)
    measured = {name: _measure(name, corpus) for name in ("scan path", "baseline")}
    print(f"{len(corpus)} generated scanned reports ({args.seeds} seeds x 2 formats x {', '.join(styles)})\n")
    print("| path | styles | seconds / page | fields right | reports verified | peak memory | speed vs baseline |")
    print("|---|---|---|---|---|---|---|")
    for subset in [*styles, "all"]:
        baseline = _per_page(measured["baseline"][0], subset)
        for name, (rows, peak_mb) in measured.items():
            chosen = [r for r in rows if subset in ("all", r[0])]
            seconds = _per_page(rows, subset)
            right, fields = sum(r[3] for r in chosen), sum(r[4] for r in chosen)
            verified = sum(r[5] == "verified" for r in chosen)
            print(f"| {name} | {subset} | {seconds:.2f} | {right / fields:.2%} | {verified}/{len(chosen)} | "
                  f"{peak_mb:.0f} MB | {baseline / seconds:.1f}× |")


def _per_page(rows, subset: str) -> float:
    chosen = [r for r in rows if subset in ("all", r[0])]
    return sum(r[1] for r in chosen) / sum(r[2] for r in chosen)


if __name__ == "__main__":
    main()
