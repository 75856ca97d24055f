"""`disclosure watch`: every file dropped ends once in done/ or failed/ with its result, through
bursts, bad files, partial writes, crashes of a reader and `kill -9` of the service itself."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from disclosure.ocr.paddle_engine import threads_per_worker, usable_cpus
from disclosure.pipeline.document import InspectOptions
from disclosure.workers.document_job import process_document
from disclosure.workers.watch import JOURNAL, Watcher, WatchOptions, check_folders, free_name
from disclosure.workers.watch_state import Journal
from tests.batch_inputs import make_batch, report_bytes
from tests.conftest import SAMPLES

CLI = [sys.executable, "-c", "from disclosure.workers.cli import entry_point; entry_point()"]


def _options(tmp_path: Path, **changes) -> WatchOptions:
    out = tmp_path / "outbox"
    values = dict(inbox=tmp_path / "inbox", out=out, done=out / "done", failed=out / "failed", workers=2,
                  settle_s=0.2, poll_interval_s=0.2)
    values.update(changes)
    values["inbox"].mkdir(parents=True, exist_ok=True)
    return WatchOptions(**values)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _documents(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.endswith(".reason.txt")} if folder.exists() else set()


def _inbox_empty(options: WatchOptions, ignored=()) -> bool:
    return {p.name for p in options.inbox.iterdir()} <= set(ignored)


def _journal(options: WatchOptions) -> list[tuple]:
    with sqlite3.connect(options.out / JOURNAL) as db:
        return db.execute("SELECT name, state, attempts FROM jobs ORDER BY id").fetchall()


def _assert_each_once(options: WatchOptions, expected: dict[str, str]) -> None:
    """Every input is in exactly the folder its outcome says, with one result and one journal row."""
    done, failed = _documents(options.done), _documents(options.failed)
    assert done == {n for n, o in expected.items() if o == "done"}
    assert failed == {n for n, o in expected.items() if o == "failed"}
    results = {p.name for p in options.out.glob("*.json")}
    assert results == {f"{name}.json" for name in expected}  # no NAME.2.json: nothing written twice
    for name, outcome in expected.items():
        report = json.loads((options.out / f"{name}.json").read_text(encoding="utf-8"))
        assert (report["status"] == "error") == (outcome == "failed"), name
        if outcome == "failed":
            assert (options.failed / f"{name}.reason.txt").read_text(encoding="utf-8").strip()
    rows = _journal(options)
    assert sorted(row[0] for row in rows) == sorted(expected)
    assert all(row[1] in ("done", "failed") for row in rows)


class _Running:
    """A `Watcher` on a thread of this process, stopped the way SIGTERM stops it."""

    def __init__(self, options: WatchOptions, read=None) -> None:
        self.watcher = Watcher(options, read) if read else Watcher(options)
        self.thread = threading.Thread(target=self.watcher.run)

    def __enter__(self) -> _Running:
        self.thread.start()
        return self

    def wait_for(self, condition, timeout: float, what: str) -> None:
        _wait_for(lambda: condition() or not self.thread.is_alive(), timeout, what)
        assert self.thread.is_alive(), "the watcher stopped by itself"

    def __exit__(self, *exc) -> None:
        self.watcher.stopping.set()
        self.watcher.wake.set()
        self.thread.join(60)
        assert not self.thread.is_alive()


@pytest.mark.slow
def test_a_burst_of_500_files_with_bad_ones_among_them(tmp_path):
    options = _options(tmp_path)
    expected = make_batch(options.inbox, 494)
    temporary = ("big.pdf.part", "~$draft.docx", "x.crdownload", ".hidden.txt")
    for name in temporary:
        (options.inbox / name).write_bytes(b"still being written")
    with _Running(options) as running:
        running.wait_for(lambda: _inbox_empty(options, temporary), 300, "the inbox to empty")
    _assert_each_once(options, expected)
    assert all(attempts == 1 for _, _, attempts in _journal(options))
    for name in temporary:  # never touched
        assert (options.inbox / name).read_bytes() == b"still being written"
    statuses = {json.loads((options.out / f"{n}.json").read_text())["status"] for n in expected}
    assert {"verified", "failed_checks", "error"} <= statuses


def test_files_there_at_start_and_files_dropped_later_are_both_read(tmp_path):
    options = _options(tmp_path, poll=True)
    (options.inbox / "before.txt").write_bytes(report_bytes(1))
    with _Running(options) as running:
        running.wait_for(lambda: (options.done / "before.txt").exists(), 60, "the first file")
        (options.inbox / "after.txt").write_bytes(report_bytes(2))
        running.wait_for(lambda: (options.done / "after.txt").exists(), 60, "the file dropped later")
    _assert_each_once(options, {"before.txt": "done", "after.txt": "done"})


@pytest.mark.slow
def test_a_file_still_being_written_is_read_only_once_complete(tmp_path):
    options = _options(tmp_path, settle_s=1.0)
    data = report_bytes(5)
    target = options.inbox / "slow.txt"
    with _Running(options) as running:
        with target.open("wb") as out:
            for start in range(0, len(data), len(data) // 5):
                out.write(data[start:start + len(data) // 5])
                out.flush()
                time.sleep(0.4)
        running.wait_for(lambda: (options.done / "slow.txt").exists(), 60, "the slow file")
    report = json.loads((options.out / "slow.txt.json").read_text(encoding="utf-8"))
    assert report["status"] == "verified"
    assert len(_journal(options)) == 1


def test_the_same_name_dropped_twice_keeps_both_results(tmp_path):
    options = _options(tmp_path)
    with _Running(options) as running:
        (options.inbox / "r.txt").write_bytes(report_bytes(1))
        running.wait_for(lambda: (options.done / "r.txt").exists(), 60, "the first drop")
        (options.inbox / "r.txt").write_bytes(report_bytes(2))
        running.wait_for(lambda: (options.done / "r.2.txt").exists(), 60, "the second drop")
    first = json.loads((options.out / "r.txt.json").read_text())
    second = json.loads((options.out / "r.2.txt.json").read_text())
    assert first["fields"] != second["fields"]


def _die_on_poison(path: Path, options):
    if path.name.startswith("poison"):
        os._exit(3)
    if path.name.startswith("hang"):
        time.sleep(60)
    return process_document(path, options)


@pytest.mark.slow
def test_a_reader_that_crashes_or_hangs_costs_one_file_not_the_service(tmp_path):
    options = _options(tmp_path, timeout_s=2.0)
    expected = {"poison.txt": "failed", "hang.txt": "failed", "a.txt": "done", "b.txt": "done"}
    for seed, name in enumerate(expected):
        (options.inbox / name).write_bytes(report_bytes(seed))
    with _Running(options, read=_die_on_poison) as running:
        running.wait_for(lambda: _inbox_empty(options), 60, "the inbox to empty")
        (options.inbox / "c.txt").write_bytes(report_bytes(9))
        running.wait_for(lambda: (options.done / "c.txt").exists(), 60, "a file after the crash")
    _assert_each_once(options, {**expected, "c.txt": "done"})
    assert "died 3 time(s)" in (options.failed / "poison.txt.reason.txt").read_text()
    assert "timeout" in (options.failed / "hang.txt.reason.txt").read_text()
    assert dict((name, attempts) for name, _, attempts in _journal(options))["poison.txt"] == 3


def test_restarts_of_the_service_do_not_count_against_a_file(tmp_path):
    options = _options(tmp_path)
    (options.inbox / "a.txt").write_bytes(report_bytes(1))
    stat = (options.inbox / "a.txt").stat()
    journal = Journal(options.out / JOURNAL)
    journal.claim("a.txt", stat.st_size, stat.st_mtime_ns, "a.txt.json")  # the service died reading it
    journal.close()
    for _ in range(4):  # and died again while reading it after each of four restarts
        watcher = Watcher(options)
        watcher.recover()
        watcher.pool.stop()
        watcher.pool.join()
        watcher.journal.close()
    with _Running(options) as running:
        running.wait_for(lambda: (options.done / "a.txt").exists(), 60, "the file")
    _assert_each_once(options, {"a.txt": "done"})
    assert [attempts for _, _, attempts in _journal(options)] == [1]


def _read_noting_ocr_threads(path: Path, options):
    outcome = process_document(path, options)
    noted = replace(outcome.report, warnings=(*outcome.report.warnings, f"ocr_threads {options.ocr_threads}"))
    return replace(outcome, report=noted)


@pytest.mark.parametrize("workers,asked,expected", [
    (2, None, threads_per_worker(2, usable_cpus())), (1, None, threads_per_worker(1, usable_cpus())), (2, 3, 3)])
def test_each_reader_is_given_the_ocr_threads_its_share_of_the_cores_allows(tmp_path, workers, asked, expected):
    options = _options(tmp_path, workers=workers, inspect=InspectOptions(ocr_threads=asked))
    (options.inbox / "a.txt").write_bytes(report_bytes(1))
    with _Running(options, read=_read_noting_ocr_threads) as running:
        running.wait_for(lambda: (options.done / "a.txt").exists(), 60, "the file")
    assert json.loads((options.out / "a.txt.json").read_text(encoding="utf-8"))["warnings"][-1] == f"ocr_threads {expected}"


def test_symlinks_out_of_the_inbox_are_refused_and_their_targets_untouched(tmp_path):
    options = _options(tmp_path)
    outside = tmp_path / "private.txt"
    outside.write_bytes(report_bytes(1))
    (options.inbox / "leak.txt").symlink_to(outside)
    (options.inbox / "real.txt").write_bytes(report_bytes(2))
    (options.inbox / "alias.txt").symlink_to(options.inbox / "real.txt")
    with _Running(options) as running:
        running.wait_for(lambda: (options.failed / "leak.txt.reason.txt").exists() and
                  (options.done / "real.txt").exists(), 60, "the links")
    assert outside.read_bytes() == report_bytes(1)
    assert "outside the inbox" in (options.failed / "leak.txt.reason.txt").read_text()
    assert (options.failed / "leak.txt").is_symlink()


@pytest.mark.parametrize("inside", ["out", "done", "failed"])
def test_folders_inside_the_inbox_are_refused(tmp_path, inside):
    options = _options(tmp_path)
    options = WatchOptions(**{**options.__dict__, inside: options.inbox / "sub"})
    with pytest.raises(Exception, match="inside the inbox"):
        check_folders(options)


def test_cli_refuses_with_one_line_and_exit_2(tmp_path):
    (tmp_path / "inbox").mkdir()
    for args in (["watch", str(tmp_path / "inbox"), "--out", str(tmp_path / "inbox" / "out")],
                 ["watch", str(tmp_path / "missing"), "--out", str(tmp_path / "out")],
                 ["watch", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"), "--ocr-models", str(tmp_path)],
                 ["watch", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"), "--workers", "0"]):
        run = subprocess.run(CLI + args, capture_output=True, text=True, timeout=60)
        assert run.returncode == 2
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def _start_service(options: WatchOptions) -> subprocess.Popen:
    args = ["watch", str(options.inbox), "--out", str(options.out), "--settle", "0.1", "--workers", "2", "-q"]
    return subprocess.Popen(CLI + args, start_new_session=True, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_batch_then_restart_finishes_each_file_once(tmp_path):
    options = _options(tmp_path)
    expected = make_batch(options.inbox, 200)
    service = _start_service(options)
    try:
        _wait_for(lambda: len(_documents(options.done)) >= 10, 120, "the first results")
    finally:
        os.killpg(service.pid, signal.SIGKILL)  # the service and its readers, with no warning
        service.wait(30)
    assert not _inbox_empty(options), "the batch finished before the kill; the test proves nothing"
    service = _start_service(options)
    try:
        _wait_for(lambda: _inbox_empty(options), 300, "the inbox to empty after the restart")
    finally:
        service.send_signal(signal.SIGTERM)
        assert service.wait(60) == 0, service.stderr.read()
    _assert_each_once(options, expected)
    assert max(attempts for _, _, attempts in _journal(options)) <= 2


@pytest.mark.slow
def test_sigterm_stops_the_service_cleanly(tmp_path):
    options = _options(tmp_path)
    service = _start_service(options)
    time.sleep(2)
    service.send_signal(signal.SIGTERM)
    assert service.wait(30) == 0
    assert service.stderr.read() == ""


def test_free_name_skips_names_on_disk_and_taken():
    folder = SAMPLES
    assert free_name(folder, "new.txt") == "new.txt"
    assert free_name(folder, "zhenhai_hrss_2020.txt") == "zhenhai_hrss_2020.2.txt"
    assert free_name(folder, "x.pdf.json", lambda n: n == "x.pdf.json") == "x.2.pdf.json"
