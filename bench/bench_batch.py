"""Batch runners: Ray backfill throughput against a plain in-process loop over the same documents,
memory per Ray worker, and the watcher's latency from drop to result against reading the file
in-process.

Corpus: generated flattened-text reports and copies of the sample PDFs (each copy made distinct by
a trailing comment, so that none is skipped as a duplicate); with `--scans N`, also a run over N
generated scanned reports, with the OCR threads of each worker as shipped and at two each.

    PYTHONPATH=. python bench/bench_batch.py [--texts 600] [--pdfs 12] [--drops 10] [--scans 0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from disclosure.ocr.paddle_engine import usable_cpus
from disclosure.pipeline.document import InspectOptions
from disclosure.workers.backfill import BackfillOptions, discover, run_backfill
from disclosure.workers.document_job import content_hash, process_document
from disclosure.workers.result_store import DocumentRecord, ResultFolder
from disclosure.workers.watch import Watcher, WatchOptions
from tests.batch_inputs import make_batch

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def corpus(folder: Path, texts: int, pdfs: int) -> list[Path]:
    make_batch(folder, texts, bad=False)
    originals = sorted(SAMPLES.glob("*.pdf"))
    for i in range(pdfs):
        source = originals[i % len(originals)]
        (folder / f"copy{i:03d}-{source.name}").write_bytes(source.read_bytes() + f"\n% copy {i}\n".encode())
    return discover([folder])


def scan_corpus(folder: Path, count: int) -> tuple[list[Path], int]:
    """`count` generated scanned reports of both formats in four scan styles, and their pages."""
    from disclosure.table_recon.formats import FORMATS
    from synthetic.scan_render import scanned_pdf
    from synthetic.values import random_truth

    folder.mkdir(parents=True)
    scratch = folder.parent / "scan-pages"
    scratch.mkdir()
    styles, pages = ("clean", "sealed", "rough", "sideways"), 0
    for k in range(count):
        fmt, style = ("2019", "2021")[k % 2], styles[k // 2 % len(styles)]
        path, made = scanned_pdf(random_truth(FORMATS[fmt], k + 1), style, scratch, k + 1, f"scan{k:03d}_{fmt}_{style}")
        path.rename(folder / path.name)
        pages += made
    return discover([folder]), pages


def plain_loop(files: list[Path], out: Path) -> float:
    """The baseline: the same documents read one after another in this process, results saved."""
    results = ResultFolder(out)
    results.prepare()
    started = time.perf_counter()
    for path in files:
        outcome = process_document(path)
        results.save(DocumentRecord(content_hash(path), (str(path),), outcome, 1))
    results.write_tables()
    return time.perf_counter() - started


def watch_latency(folder: Path, drops: int, settle: float, sample: Path) -> float:
    """Median seconds from a file landing in the inbox to its result being on disk."""
    out = folder / "outbox"
    options = WatchOptions(inbox=folder / "inbox", out=out, done=out / "done", failed=out / "failed",
                           settle_s=settle)
    options.inbox.mkdir(parents=True)
    watcher = Watcher(options)
    thread = threading.Thread(target=watcher.run)
    thread.start()
    latencies = []
    try:
        time.sleep(1.0)  # the worker process is up before the first drop
        for i in range(drops):
            name = f"drop{i}.txt"
            started = time.perf_counter()
            (options.inbox / name).write_bytes(sample.read_bytes())
            while not (out / f"{name}.json").exists():
                time.sleep(0.005)
            latencies.append(time.perf_counter() - started)
    finally:
        watcher.stopping.set()
        watcher.wake.set()
        thread.join()
    return statistics.median(latencies)


def scans(work: Path, count: int) -> None:
    """Scanned reports: the loop (one process, two OCR threads) against backfills whose workers
    use the OCR threads they are given by default, or two each."""
    files, pages = scan_corpus(work / "scans", count)
    print(f"\n{len(files)} scanned reports, {pages} pages\n")
    baseline = plain_loop(files, work / "scan-loop")
    runs = [("plain in-process loop, 2 OCR threads (baseline)", baseline, 0.0)]
    for workers, threads in ((1, None), (2, None), (2, 2)):
        options = BackfillOptions(workers=workers, inspect=InspectOptions(ocr_threads=threads))
        summary = run_backfill([work / "scans"], work / f"scan-ray{workers}-{threads}", options)
        given = InspectOptions(ocr_threads=threads).for_workers(workers, usable_cpus()).ocr_threads
        runs.append((f"backfill, {workers} worker{'s' * (workers > 1)} × {given} OCR thread{'s' * (given > 1)}"
                     f"{' (default)' if threads is None else ''}", summary.seconds, summary.ray_start_s))
    print("| runner | seconds | of which Ray start | pages/s | throughput vs loop | without Ray start |")
    print("|---|---|---|---|---|---|")
    for name, seconds, start in runs:
        print(f"| {name} | {seconds:.1f} | {start:.1f} | {pages / seconds:.2f} | {baseline / seconds:.2f} | "
              f"{baseline / (seconds - start):.2f} |")


def documents(work: Path, texts: int, pdfs: int) -> None:
    """Text and PDF documents: the loop against backfills of one and two workers."""
    files = corpus(work / "archive", texts, pdfs)
    print(f"{len(files)} documents ({texts} text, {pdfs} PDF)\n")
    baseline = plain_loop(files, work / "loop")
    rows = [("plain in-process loop (baseline)",)]
    for workers in (1, 2):
        summary = run_backfill([work / "archive"], work / f"ray{workers}", BackfillOptions(workers=workers))
        rows.append((f"backfill, embedded Ray, {workers} worker{'s' * (workers > 1)}", summary.seconds,
                     summary.ray_start_s, summary.worker_peak_rss_mb))
    print("| runner | seconds | of which Ray start | documents/s | throughput vs loop | without Ray start "
          "| peak RSS per worker |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, start, rss in [(rows[0][0], baseline, 0.0, None)] + rows[1:]:
        memory = ", ".join(f"{mb:.0f} MB" for mb in rss) if rss else "-"
        print(f"| {name} | {seconds:.1f} | {start:.1f} | {len(files) / seconds:.1f} | {baseline / seconds:.2f} | "
              f"{baseline / (seconds - start):.2f} | {memory} |")


def watcher(work: Path, drops: int) -> None:
    """The watcher's latency from drop to result, against reading the same file in-process."""
    make_batch(work / "sample", 1, bad=False)
    sample = work / "sample" / "report-0000.txt"
    started = time.perf_counter()
    for _ in range(drops):
        process_document(sample)
    read = (time.perf_counter() - started) / drops
    print("\n| watcher | median drop-to-result | vs reading in-process |")
    print("|---|---|---|")
    print(f"| reading the file in-process (baseline) | {read * 1000:.0f} ms | 1× |")
    for settle in (0.2, 2.0):
        latency = watch_latency(work / f"watch{settle}", drops, settle, sample)
        print(f"| watch, --settle {settle} | {latency * 1000:.0f} ms | {latency / read:.0f}× |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--pdfs", type=int, default=12)
    parser.add_argument("--drops", type=int, default=10)
    parser.add_argument("--scans", type=int, default=0, help="also time N generated scanned reports")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    if args.texts or args.pdfs:
        documents(work, args.texts, args.pdfs)
    if args.drops:
        watcher(work, args.drops)
    if args.scans:
        scans(work, args.scans)


if __name__ == "__main__":
    main()
