"""Batch runners: Ray backfill throughput against a plain in-process loop over the same documents,
memory per Ray worker, and the watcher's latency from drop to result against reading the file
in-process.

Corpus: generated flattened-text reports and copies of the sample PDFs (each copy made distinct by
a trailing comment, so that none is skipped as a duplicate).

    python bench/bench_batch.py [--texts 600] [--pdfs 12] [--drops 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.batch_inputs import make_batch
from workers.backfill import BackfillOptions, discover, run_backfill
from workers.document_job import content_hash, process_document
from workers.result_store import DocumentRecord, ResultFolder
from workers.watch import WatchOptions, Watcher

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def corpus(folder: Path, texts: int, pdfs: int) -> list[Path]:
    make_batch(folder, texts, bad=False)
    originals = sorted(SAMPLES.glob("*.pdf"))
    for i in range(pdfs):
        source = originals[i % len(originals)]
        (folder / f"copy{i:03d}-{source.name}").write_bytes(source.read_bytes() + f"\n% copy {i}\n".encode())
    return discover([folder])


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--pdfs", type=int, default=12)
    parser.add_argument("--drops", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    files = corpus(work / "archive", args.texts, args.pdfs)
    print(f"{len(files)} documents ({args.texts} text, {args.pdfs} PDF)\n")

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

    sample = work / "archive" / "report-0000.txt"
    started = time.perf_counter()
    for _ in range(args.drops):
        process_document(sample)
    read = (time.perf_counter() - started) / args.drops
    print("\n| watcher | median drop-to-result | vs reading in-process |")
    print("|---|---|---|")
    print(f"| reading the file in-process (baseline) | {read * 1000:.0f} ms | 1× |")
    for settle in (0.2, 2.0):
        latency = watch_latency(work / f"watch{settle}", args.drops, settle, sample)
        print(f"| watch, --settle {settle} | {latency * 1000:.0f} ms | {latency / read:.0f}× |")


if __name__ == "__main__":
    main()
