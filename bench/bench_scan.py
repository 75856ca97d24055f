"""Scanned reports: seconds per page, field accuracy and peak memory of the scan path, against
PaddleOCR's own full-page pipeline, on the same scans in one run: generated reports, and with
`--real` the three real reports in samples/ printed and scanned (their fields as the text layer
gives them, tests/golden); with `--independent`, the real reports and a generated one of each
format printed and scanned another way (`synthetic/printed_scans.py`: other stamps, blue among
them, augraphy's printer and scanner), with the wrong numbers and the reports falsely failed.

Scan path: `disclosure inspect` (cells read one by one from their crops, digits-only decoding,
rule-guided alternatives).
Baseline: PaddleOCR called the way a user would, `PaddleOCR(...).ocr(page)` at its defaults
(detection and recognition over the whole page), on the same cleaned pages (seal taken out,
upright, deskewed) and the same grids; each detected line goes to the cell holding its centre.

Each path runs in its own process, so that its peak memory (max RSS) is its own.

With `--workers N`, as an archive is read: each path (the baseline too) runs in N processes at
once, each with the OCR threads its share of the cores allows (`threads_per_worker`, as the
backfill and the watched folder give theirs), each taking the next report from one queue, the
reports with most pages first; the models are loaded in every process before the clock starts.
Then seconds a page is the wall time from the start to the last report read, over all pages, and
peak memory is each process's.

    PYTHONPATH=. python bench/bench_scan.py [--seeds 2] [--styles clean,sealed,rough,unruled/sealed]
        [--real clean,sealed,rough]
        [--independent solid_disc,double_ring,oval,faded,blue,two_stamps] [--workers 2]

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

REPO = Path(__file__).resolve().parent.parent


def _make_corpus(folder: Path, seeds: int, styles: list[str], real_styles: list[str],
                 independent: list[str] = ()):
    """(style, path, pages, the fields it prints, the rules it fails as printed): generated
    reports, and the real reports in samples/ scanned, whose fields and findings are their text
    layer's (tests/golden: one prints an arithmetic error)."""
    import json

    from disclosure.table_recon.formats import FORMATS
    from synthetic.scan_render import scanned_copy, scanned_pdf
    from synthetic.values import random_truth

    corpus = []
    for seed in range(1, seeds + 1):
        for fmt in ("2019", "2021"):
            truth = random_truth(FORMATS[fmt], seed)
            for style in styles:
                path, pages = scanned_pdf(truth, style, folder, seed, f"{fmt}_{seed}_{style.replace('/', '_')}")
                corpus.append((style, path, pages, truth.expected_fields(), ()))
    for golden in sorted((REPO / "tests" / "golden").glob("huaian_*.json")):
        printed = json.loads(golden.read_text(encoding="utf-8"))
        for style in real_styles:
            path, pages = scanned_copy(REPO / "samples" / f"{golden.stem}.pdf", style, folder, seed=1)
            corpus.append((f"real/{style}", path, pages, printed["fields"], tuple(printed["failing"])))
    return corpus + _independent_corpus(folder, independent)


def _independent_corpus(folder: Path, styles: list[str]):
    """The real reports, and a generated one of each format, printed and scanned in each of
    `styles` of `synthetic/printed_scans.py`."""
    import json

    from disclosure.table_recon.formats import FORMATS
    from synthetic.pdf_render import PDF_STYLES, render_pdf
    from synthetic.printed_scans import printed_scan
    from synthetic.values import random_truth

    sources = []
    for golden in sorted((REPO / "tests" / "golden").glob("huaian_*.json")):
        printed = json.loads(golden.read_text(encoding="utf-8"))
        sources.append((REPO / "samples" / f"{golden.stem}.pdf", printed["fields"], tuple(printed["failing"])))
    for fmt in ("2019", "2021"):
        truth = random_truth(FORMATS[fmt], 1)
        pdf = render_pdf(truth, PDF_STYLES["portrait"], folder / f"independent_{fmt}.pdf", 1)
        sources.append((pdf, truth.expected_fields(), ()))
    corpus = []
    for style in styles:
        for pdf, fields, failing in sources:
            path, pages = printed_scan(pdf, style, folder, seed=1)
            corpus.append((f"independent/{style}", path, pages, fields, failing))
    return corpus


def _right(expected: dict, report) -> int:
    """Fields read (not missing, not left ambiguous) as printed."""
    return sum(1 for key, value in expected.items() if key in report.readings
               and report.readings[key].state.value not in ("missing", "ambiguous") and report.fields[key] == value)


def _wrong(expected: dict, report) -> int:
    """Fields given a number other than the printed one: worse than a field left unread."""
    return sum(1 for key, value in expected.items() if key in report.readings
               and report.readings[key].state.value not in ("missing", "ambiguous")
               and report.fields[key] is not None and report.fields[key] != value)


def _full_page_report(path: Path, paddle, models):
    """The baseline: PaddleOCR's full-page lines placed into the same grids, then the same fields."""
    from disclosure.layout.page_rows import rows_from_pages
    from disclosure.ocr.input_kind import InputKind
    from disclosure.ocr.origin import Box, Origin
    from disclosure.ocr.page_model import PageDocument, PageLine
    from disclosure.ocr.scan import ScanPage, clean_page, find_rules, page_images
    from disclosure.ocr.scan_grid import page_from_scan
    from disclosure.table_recon.recon import read_report

    pages = []
    for number, raw in page_images(path, InputKind.PDF, 400):
        image, turn, angle = clean_page(raw, models)
        rules, _, _ = find_rules(image)
        lines = []
        # cls=False: no angle classifier is loaded at the defaults, and asking for it only warns
        for points, (text, confidence) in paddle.ocr(image, cls=False)[0] or []:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = Box(min(xs), min(ys), max(xs), max(ys))
            lines.append(PageLine(text, Origin(path.name, text, page=number, box=box, confidence=confidence)))
        scan = ScanPage(number, image.shape[1], image.shape[0], tuple(lines), rules, angle, turn, image)
        pages.append(page_from_scan(scan, path.name))
    return read_report(rows_from_pages(PageDocument(path.name, tuple(pages), len(pages))))


def _reader(path_name: str, threads: int | None):
    """A function reading one scanned report as `path_name` does, models loaded."""
    from disclosure.ocr.paddle_engine import OcrModels
    from disclosure.pipeline.document import InspectOptions, inspect_file

    models = OcrModels.packaged()
    if path_name == "baseline":
        import logging

        from paddleocr import PaddleOCR

        logging.getLogger("ppocr").setLevel(logging.ERROR)
        # at its defaults, but for the threads a worker's share of the cores allows
        own = {} if threads is None else {"cpu_threads": threads}
        paddle = PaddleOCR(det_model_dir=str(models.det), rec_model_dir=str(models.rec),
                           cls_model_dir=str(models.cls), lang="ch", show_log=False, **own)
        return lambda path: _full_page_report(path, paddle, models)
    options = InspectOptions(prose=path_name != "scan path, no prose", ocr_threads=threads)
    return lambda path: inspect_file(path, options)


def _row(item, seconds: float, report) -> tuple:
    style, path, pages, expected, failing = item
    found = {check.rule for check in report.checks if check.ok is False}
    status_right = report.status.value == ("failed_checks" if failing else "verified")
    # falsely failed: a finding the printed report does not hold
    return (style, seconds, pages, _right(expected, report), len(expected), status_right,
            _wrong(expected, report), bool(found - set(failing)))


def _run(path_name: str, corpus, queue) -> None:
    warnings.simplefilter("ignore")
    read = _reader(path_name, None)
    read(corpus[0][1])  # models loaded and warmed before timing
    rows = []
    for item in corpus:
        start = time.perf_counter()
        report = read(item[1])
        rows.append(_row(item, time.perf_counter() - start, report))
    queue.put((rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _measure(path_name: str, corpus):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(path_name, corpus, queue))
    process.start()
    rows, peak_mb = queue.get()
    process.join()
    return rows, peak_mb


def _work(path_name: str, threads: int, warm_path, todo, ready, start, results) -> None:
    """One of the workers of `_measure_workers`: reads reports from `todo` until it is empty."""
    warnings.simplefilter("ignore")
    import queue

    read = _reader(path_name, threads)
    read(warm_path)
    ready.put(True)
    start.wait()
    rows = []
    while True:
        try:
            item = todo.get(timeout=1)
        except queue.Empty:
            break
        began = time.perf_counter()
        report = read(item[1])
        rows.append(_row(item, time.perf_counter() - began, report))
    results.put((rows, time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _measure_workers(path_name: str, corpus, workers: int):
    """The corpus read by `workers` processes sharing the cores: the rows, the wall seconds from
    the start to the last report read, and each process's peak memory."""
    from disclosure.ocr.paddle_engine import threads_per_worker, usable_cpus

    context = multiprocessing.get_context("spawn")
    todo, ready, results, start = context.Queue(), context.Queue(), context.Queue(), context.Event()
    for item in sorted(corpus, key=lambda item: -item[2]):  # most pages first: the last to end end together
        todo.put(item)
    threads = threads_per_worker(workers, usable_cpus())
    processes = [context.Process(target=_work, args=(path_name, threads, corpus[0][1], todo, ready, start, results))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get()
    began = time.perf_counter()
    start.set()
    done = [results.get() for _ in processes]
    for process in processes:
        process.join()
    rows = [row for worker_rows, _, _ in done for row in worker_rows]
    return rows, max(ended for _, ended, _ in done) - began, [peak for _, _, peak in done], threads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--styles", default="clean,sealed,rough")
    parser.add_argument("--real", default="", metavar="STYLES",
                        help="also the real reports in samples/, scanned in these scan styles (clean,sealed,rough)")
    parser.add_argument("--independent", default="", metavar="STYLES",
                        help="also the real reports and a generated one per format printed and scanned by "
                             "synthetic/printed_scans.py in these styles "
                             "(solid_disc,double_ring,oval,faded,blue,two_stamps)")
    parser.add_argument("--no-prose", action="store_true",
                        help="also the scan path reading no paragraphs (`--no-prose`), in the same run")
    parser.add_argument("--workers", type=int, default=0, metavar="N",
                        help="also read the corpus as an archive is: N processes sharing the cores, each path")
    args = parser.parse_args()
    styles = args.styles.split(",") if args.styles else []
    real = [f"real/{style}" for style in args.real.split(",")] if args.real else []
    independent = [f"independent/{style}" for style in args.independent.split(",")] if args.independent else []
    corpus = _make_corpus(Path(tempfile.mkdtemp()), args.seeds, styles, [r.removeprefix("real/") for r in real],
                          [i.removeprefix("independent/") for i in independent])
    paths = ("scan path", *(("scan path, no prose",) if args.no_prose else ()), "baseline")
    measured = {name: _measure(name, corpus) for name in paths}
    print(f"{len(corpus)} scanned reports ({args.seeds} seeds x 2 formats x {', '.join(styles)} generated; "
          f"the real ones in samples/ x {args.real or 'none'}; printed and scanned another way x "
          f"{args.independent or 'none'})\n")
    print("| path | styles | seconds / page | fields right | wrong numbers | status right | falsely failed "
          "| peak memory | speed vs baseline |")
    print("|---|---|---|---|---|---|---|---|---|")
    for subset in [*styles, *real, *independent, "all"]:
        baseline = _per_page(measured["baseline"][0], subset)
        for name, (rows, peak_mb) in measured.items():
            chosen = [r for r in rows if subset in ("all", r[0])]
            seconds = _per_page(rows, subset)
            right, fields = sum(r[3] for r in chosen), sum(r[4] for r in chosen)
            verified = sum(r[5] for r in chosen)
            wrong, falsely = sum(r[6] for r in chosen), sum(r[7] for r in chosen)
            print(f"| {name} | {subset} | {seconds:.2f} | {right / fields:.2%} | {wrong} | {verified}/{len(chosen)} | "
                  f"{falsely} | {peak_mb:.0f} MB | {baseline / seconds:.1f}× |")


    if independent:
        _print_independent(measured["scan path"][0], [*styles, *real, *independent])
    if args.workers:
        _print_workers({name: _measure_workers(name, corpus, args.workers) for name in paths}, args.workers)


def _print_workers(measured, workers: int) -> None:
    """Seconds a page as an archive is read: the wall time over all the corpus's pages."""
    pages = sum(r[2] for r in measured["baseline"][0])
    baseline = measured["baseline"][1] / pages
    print(f"\n| path, {workers} processes | OCR threads each | seconds / page | fields right | wrong numbers "
          "| status right | falsely failed | peak memory, each process | speed vs baseline |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (rows, wall, peaks, threads) in measured.items():
        right, fields = sum(r[3] for r in rows), sum(r[4] for r in rows)
        print(f"| {name} | {threads} | {wall / pages:.2f} | {right / fields:.2%} | {sum(r[6] for r in rows)} | "
              f"{sum(r[5] for r in rows)}/{len(rows)} | {sum(r[7] for r in rows)} | "
              f"{', '.join(f'{peak:.0f}' for peak in peaks)} MB | {baseline / (wall / pages):.1f}× |")


def _print_independent(rows, subsets: list[str]) -> None:
    """The scans made another way beside the generator's: a wrong number or a false finding is
    worse than a field left unread."""
    print("\n| scans (scan path) | fields right | wrong numbers | reports falsely failed |")
    print("|---|---|---|---|")
    for subset in subsets:
        chosen = [r for r in rows if r[0] == subset]
        right, fields = sum(r[3] for r in chosen), sum(r[4] for r in chosen)
        print(f"| {subset} | {right / fields:.2%} | {sum(r[6] for r in chosen)} | "
              f"{sum(r[7] for r in chosen)}/{len(chosen)} |")


def _per_page(rows, subset: str) -> float:
    chosen = [r for r in rows if subset in ("all", r[0])]
    return sum(r[1] for r in chosen) / sum(r[2] for r in chosen)


if __name__ == "__main__":
    main()
