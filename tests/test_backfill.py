"""`disclosure backfill`: every document ends done or failed with a reason, none lost or duplicated,
through worker crashes, hangs and bad files, on an in-process Ray and on a two-node cluster; a rerun
does no work twice; the results are tables a researcher can load."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from disclosure.ocr.paddle_engine import threads_per_worker, usable_cpus
from disclosure.pipeline.document import InspectOptions
from disclosure.workers.backfill import BackfillOptions, discover, run_backfill
from disclosure.workers.document_job import content_hash, process_document
from tests.batch_inputs import make_batch, report_bytes

CLI = [sys.executable, "-c", "from disclosure.workers.cli import entry_point; entry_point()"]


def _records(out: Path) -> dict[str, dict]:
    records = {}
    for path in (out / "documents").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert path.stem == record["sha256"]
        records[record["sha256"]] = record
    return records


def _assert_every_document_once(archive: Path, out: Path, expected: dict[str, str]) -> dict[str, dict]:
    """One record per distinct file, each done or failed as expected; failures carry a reason."""
    records = _records(out)
    by_name = {Path(p).name: r for r in records.values() for p in r["paths"]}
    assert sorted(by_name) == sorted(expected)
    assert len(records) == len({content_hash(p) for p in discover([archive])})
    for name, outcome in expected.items():
        record = by_name[name]
        assert record["outcome"] == outcome, (name, record["failure"])
        if outcome == "failed":
            assert record["failure"]["reason"]
    return by_name


def _crash_once_then_hang(marker_dir: Path):
    """A reader that kills its worker process the first time it meets `crash.txt`, and never
    finishes `hang.txt`; everything else is read normally."""

    def process(path: Path, options: InspectOptions, name: str):
        (marker_dir / f"ocr-threads-{os.getpid()}").write_text(str(options.ocr_threads))
        if name == "crash.txt":
            marker = marker_dir / "crashed"
            if not marker.exists():
                marker.write_text("once")
                os._exit(9)
        if name == "hang.txt":
            time.sleep(120)
        return process_document(path, options, name)

    return process


@pytest.mark.slow
@pytest.mark.ray
def test_embedded_backfill_survives_crashes_hangs_and_bad_files_and_resumes(tmp_path):
    archive, out = tmp_path / "archive", tmp_path / "results"
    expected = make_batch(archive / "2023", 20)
    (archive / "2024").mkdir()
    (archive / "2024" / "crash.txt").write_bytes(report_bytes(100))
    (archive / "2024" / "hang.txt").write_bytes(report_bytes(101))
    (archive / "2024" / "copy-of-0001.txt").write_bytes((archive / "2023" / "report-0001.txt").read_bytes())
    (archive / "2024" / "upload.pdf.part").write_bytes(b"partial")
    expected.update({"crash.txt": "done", "hang.txt": "failed", "copy-of-0001.txt": "done"})

    options = BackfillOptions(workers=2, timeout_s=3.0, retries=2)
    summary = run_backfill([archive], out, options, process=_crash_once_then_hang(tmp_path))
    by_name = _assert_every_document_once(archive, out, expected)

    assert by_name["crash.txt"]["attempts"] == 2 and summary.retried == 1
    assert by_name["hang.txt"]["failure"]["stage"] == "timeout"
    assert by_name["copy-of-0001.txt"]["sha256"] == by_name["report-0001.txt"]["sha256"]
    assert len(by_name["report-0001.txt"]["paths"]) == 2 and summary.duplicates == 1
    assert summary.total == len(expected) and summary.done + summary.failed == len(expected) - 1
    assert 1 <= len(summary.worker_peak_rss_mb) <= 2 and all(mb > 50 for mb in summary.worker_peak_rss_mb)
    # each of the two workers is given its share of this machine's cores as OCR threads
    given = {path.read_text() for path in tmp_path.glob("ocr-threads-*")}
    assert given == {str(threads_per_worker(2, usable_cpus()))}

    reports = pq.read_table(out / "reports.parquet").to_pylist()
    failures = pq.read_table(out / "failures.parquet").to_pylist()
    fields = pq.read_table(out / "fields.parquet")
    assert len(reports) == sum(1 for o in expected.values() if o == "done") - 1
    assert len(failures) == sum(1 for o in expected.values() if o == "failed")
    sample = next(r for r in reports if r["path"].endswith("report-0002.txt"))
    record = by_name["report-0002.txt"]["report"]
    for key, value in record["fields"].items():
        assert sample[key] == (None if value is None else float(value)), key
    assert fields.num_rows == sum(len(_records(out)[r["sha256"]]["report"]["cells"]) for r in reports)
    with (out / "reports.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    assert rows[sample["path"]]["agency"] == record["agency"]
    assert float(rows[sample["path"]]["apply.received.total"]) == record["fields"]["apply.received.total"]

    # a rerun skips everything, and starts no Ray to do it
    again = run_backfill([archive], out, options, process=_crash_once_then_hang(tmp_path))
    assert again.done == again.failed == 0 and again.skipped + again.duplicates == again.total
    assert again.worker_peak_rss_mb == []
    # new files in the archive are the only work of the next run
    (archive / "2025").mkdir()
    (archive / "2025" / "new.txt").write_bytes(report_bytes(200))
    third = run_backfill([archive], out, BackfillOptions(workers=1))
    assert third.done == 1 and third.failed == 0
    assert len(pq.read_table(out / "reports.parquet")) == len(reports) + 1


def _descendants(roots: set[int], listing: str) -> dict[int, str]:
    """The processes under `roots` in `ps -eo pid=,ppid=,args=` output, with their command lines."""
    rows = [line.split(None, 2) for line in listing.splitlines()]
    args = {int(row[0]): row[2] if len(row) > 2 else "" for row in rows}
    children: dict[int, list[int]] = {}
    for row in rows:
        children.setdefault(int(row[1]), []).append(int(row[0]))
    found, todo = {}, list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = args[child]
            todo.append(child)
    return found


def _worker_pids(raylets: set[int]) -> list[int]:
    # a worker is a child of its node's raylet: only the cluster's own are candidates, never
    # another Ray's on this machine
    listing = subprocess.run(["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True).stdout
    return [pid for pid, args in _descendants(raylets, listing).items() if "ray::DocumentWorker" in args]


@pytest.fixture
def two_node_cluster():
    """A head node and a second node, each a raylet with one CPU, on this machine."""
    from ray._private.ray_constants import PROCESS_TYPE_RAYLET
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    raylets = {info.process.pid for node in cluster.list_all_nodes()
               for info in node.all_processes[PROCESS_TYPE_RAYLET]}
    yield cluster.address, raylets
    cluster.shutdown()


@pytest.mark.slow
@pytest.mark.ray
def test_cluster_backfill_with_a_worker_killed_loses_and_repeats_nothing(tmp_path, two_node_cluster):
    address, raylets = two_node_cluster
    archive, out = tmp_path / "archive", tmp_path / "results"
    expected = make_batch(archive, 300)
    args = ["backfill", str(archive), "--out", str(out), "--address", address, "--workers", "2"]
    run = subprocess.Popen(CLI + args, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 180
    while run.poll() is None and time.monotonic() < deadline:
        documents = out / "documents"
        if documents.exists() and len(list(documents.glob("*.json"))) >= 5 and (pids := _worker_pids(raylets)):
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)
            break
        time.sleep(0.05)
    stderr = run.communicate(timeout=300)[1]
    assert killed is not None, "no worker to kill"
    assert run.returncode == 1, stderr  # bad files failed; the job itself finished
    assert "Traceback" not in stderr
    _assert_every_document_once(archive, out, expected)
    retried = re.search(r"(\d+) retried after a worker died", stderr)
    assert retried and int(retried.group(1)) >= 1, stderr

    rerun = subprocess.run(CLI + args, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"0 done, 0 failed, {len(expected)} already done" in rerun.stderr


def test_cli_bad_invocations_give_one_line(tmp_path):
    cases = [
        ["backfill", str(tmp_path / "missing"), "--out", str(tmp_path / "out")],
        ["backfill", str(tmp_path), "--out", "/proc/forbidden/out"],
        ["backfill", str(tmp_path), "--out", str(tmp_path / "out"), "--address", "127.0.0.1:1"],
        ["backfill", str(tmp_path), "--out", str(tmp_path / "out"), "--address", "nonsense"],
        ["backfill", str(tmp_path), "--out", str(tmp_path / "out"), "--ocr-models", str(tmp_path)],
        ["backfill", str(tmp_path), "--out", str(tmp_path / "out"), "--workers", "0"],
        ["backfill", str(tmp_path), "--out", str(tmp_path / "out"), "--ocr-threads", "two"],
    ]
    (tmp_path / "a.txt").write_bytes(report_bytes(1))
    for args in cases:
        run = subprocess.run(CLI + args, capture_output=True, text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
