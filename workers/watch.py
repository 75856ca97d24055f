"""`disclosure watch INBOX --out OUTBOX`: read every report dropped into a folder, until stopped.

For each file: wait until its size and time have settled, claim it in the journal, read it in a
worker process (so a file that crashes or hangs its reader costs that process, not the service),
write `OUTBOX/NAME.json` (the output contract; an error report for a file that cannot be read),
then move the input to `done/`, or to `failed/` beside `NAME.reason.txt`. Files already in the
inbox at start are read too. The journal (`OUTBOX/.watch-journal.sqlite3`) makes a restart after
a crash finish each file exactly once. SIGTERM or Ctrl-C stops after the files being read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from pathlib import Path

from disclosure.ocr.errors import InputError, Stage, StageError
from disclosure.ocr.paddle_engine import usable_cpus
from disclosure.pipeline.options import InspectOptions
from disclosure.workers.document_job import DocumentOutcome, failed_outcome, process_document
from disclosure.workers.inbox_names import is_temporary
from disclosure.workers.result_store import write_atomically
from disclosure.workers.watch_state import Job, JobState, Journal

log = logging.getLogger("disclosure.watch")

JOURNAL = ".watch-journal.sqlite3"
_MAX_ATTEMPTS = 3  # a file whose reader died this often (while the service lived) is given up on
_STOP_GRACE_S = 10.0


@dataclass(frozen=True)
class WatchOptions:
    inbox: Path
    out: Path
    done: Path
    failed: Path
    workers: int = 1
    timeout_s: float = 600.0
    settle_s: float = 2.0
    poll: bool = False  # scan every `poll_interval_s` instead of waiting for file-system events
    poll_interval_s: float = 1.0
    inspect: InspectOptions = InspectOptions()


def check_folders(options: WatchOptions) -> None:
    """Refuse, before anything is moved, folder set-ups that would lose or loop over files."""
    inbox = options.inbox.resolve()
    if not inbox.is_dir():
        raise InputError(f"the inbox {options.inbox} is not a folder")
    for label, folder in (("out", options.out), ("done", options.done), ("failed", options.failed)):
        resolved = folder.resolve()
        if resolved == inbox or resolved.is_relative_to(inbox):
            raise InputError(f"the {label} folder {folder} is inside the inbox {options.inbox}; "
                             f"choose a folder outside it")
        try:
            resolved.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"cannot create the {label} folder {folder}: {err.strerror or err}") from None


def free_name(folder: Path, name: str, taken=lambda candidate: False) -> str:
    """`name`, or `stem.2.ext`, `stem.3.ext`… : the first that is neither on disk nor `taken`."""
    stem, dot, ext = name.partition(".") if not name.startswith(".") else (name, "", "")
    candidate, n = name, 1
    while (folder / candidate).exists() or taken(candidate):
        n += 1
        candidate = f"{stem}.{n}{dot}{ext}" if dot else f"{stem}.{n}"
    return candidate


Read = Callable[[Path, InspectOptions], DocumentOutcome]


def read_in_worker(path: Path, options: InspectOptions) -> DocumentOutcome:
    return process_document(path, options)


class Watcher:
    """The service loop; all file moves and journal writes happen in this one thread. `read` runs
    in the worker processes (a module-level function, so that it can be sent there)."""

    def __init__(self, options: WatchOptions, read: Read = read_in_worker) -> None:
        import multiprocessing

        from pebble import ProcessPool

        check_folders(options)
        self.options = replace(options, inspect=options.inspect.for_workers(options.workers, usable_cpus()))
        self.read = read
        self.inbox = options.inbox.resolve()
        self.journal = Journal(options.out / JOURNAL)
        # forkserver: workers are not forked from this process, whose threads may hold locks; the
        # server imports the pipeline once, so a new worker starts reading at once
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["disclosure.pipeline.document"])
        self.pool = ProcessPool(max_workers=options.workers, max_tasks=200, context=context)
        self.running: dict = {}  # future -> job
        self.settling: dict[str, tuple[int, int, float]] = {}  # name -> size, mtime, since
        self.wake = threading.Event()
        self.stopping = threading.Event()

    # --- reading ---------------------------------------------------------------------------------

    def _submit(self, job: Job) -> None:
        future = self.pool.schedule(self.read, args=(self.inbox / job.name, self.options.inspect),
                                    timeout=self.options.timeout_s)
        future.add_done_callback(lambda _: self.wake.set())
        self.running[future] = job

    def _outcome_of(self, future, job: Job) -> DocumentOutcome:
        from pebble import ProcessExpired

        try:
            return future.result()
        except FutureTimeout:
            return failed_outcome(job.name, StageError(Stage.TIMEOUT,
                                                       f"not finished after {self.options.timeout_s:g} s"))
        except ProcessExpired as err:
            return failed_outcome(job.name, StageError(
                Stage.WORKER, f"the reading process died {job.attempts} time(s), last with exit code {err.exitcode}; "
                          f"given up"))
        except Exception as err:  # the worker could not even start on it
            return failed_outcome(job.name, StageError(Stage.INTERNAL, f"{type(err).__name__}: {err}"))

    def _reader_died(self, future) -> bool:
        from pebble import ProcessExpired

        return not future.cancelled() and isinstance(future.exception(), ProcessExpired)

    def _collect(self) -> None:
        for future in [f for f in self.running if f.done()]:
            job = self.running.pop(future)
            if self._reader_died(future) and self.stopping.is_set():
                continue  # killed with the service (Ctrl-C reaches the readers): read at the next start
            if self._reader_died(future) and job.attempts < _MAX_ATTEMPTS:
                # its own reader died while the service lived: that counts against the file
                self._submit(self.journal.retry(job))
                continue
            outcome = self._outcome_of(future, job)
            if self._changed_since_claim(job):
                log.warning("%s changed while it was read; it will be read again", job.name)
                self.journal.forget(job)
                continue
            try:
                self._write(job, outcome)
            except OSError as err:  # a full disk or a vanished folder: the next start finishes it
                log.error("%s: could not store the result or move the file (%s); it is finished at "
                          "the next start", job.name, err)

    def _changed_since_claim(self, job: Job) -> bool:
        try:
            stat = (self.inbox / job.name).lstat()
        except FileNotFoundError:
            return False
        return (stat.st_size, stat.st_mtime_ns) != (job.size, job.mtime_ns)

    # --- finishing: result, then move, each step journaled -------------------------------------

    def _write(self, job: Job, outcome: DocumentOutcome) -> None:
        write_atomically(self.options.out / job.result_name, json.dumps(outcome.report.as_dict(), ensure_ascii=False))
        folder = self.options.done if outcome.ok else self.options.failed
        destination = folder / free_name(folder, job.name)
        reason = None
        if outcome.failure:
            reason = f"{outcome.failure.stage}: {outcome.failure.line()}"
            write_atomically(destination.with_name(destination.name + ".reason.txt"), reason + "\n")
        job = self.journal.written(job, str(destination), reason)
        self._move(job)
        log.info("%s: %s -> %s", job.name, reason or outcome.report.status.value, job.result_name)

    def _move(self, job: Job) -> None:
        source, destination = self.inbox / job.name, Path(job.destination)
        if os.path.lexists(source):
            shutil.move(source, destination)  # a rename, or a copy then delete across file systems
        self.journal.close_job(job, JobState.FAILED if job.reason else JobState.DONE)

    # --- finding new files ------------------------------------------------------------------------

    def _refuse(self, name: str, reason: str) -> None:
        """Give up on a file without reading it: result, reason file and move, like any failure."""
        result_name = free_name(self.options.out, name + ".json", self.journal.result_name_taken)
        stat = (self.inbox / name).lstat()
        job = self.journal.claim(name, stat.st_size, stat.st_mtime_ns, result_name)
        self._write(job, failed_outcome(name, StageError(Stage.INPUT, reason)))

    def _ready_files(self) -> list[tuple[str, os.stat_result]]:
        """Files whose size and time have not changed for the settle period, not yet claimed."""
        now, seen, ready = time.monotonic(), set(), []
        busy = self.journal.open_names()
        with os.scandir(self.inbox) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = entry.name
                if name in busy or is_temporary(name):
                    continue
                if entry.is_symlink():
                    target = Path(os.path.realpath(entry.path))
                    if not target.is_relative_to(self.inbox) or not target.is_file():
                        try:
                            self._refuse(name, "a symbolic link that leads outside the inbox or to no file; refused")
                        except OSError as err:
                            log.error("%s: could not refuse it (%s)", name, err)
                        continue
                elif not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                seen.add(name)
                key = (stat.st_size, stat.st_mtime_ns)
                size, mtime, since = self.settling.get(name, (-1, -1, now))
                if (size, mtime) != key:
                    self.settling[name] = (*key, now)
                elif now - since >= self.options.settle_s:
                    ready.append((name, stat))
        self.settling = {name: value for name, value in self.settling.items() if name in seen}
        return ready

    def _claim_ready(self) -> None:
        room = 2 * self.options.workers - len(self.running)
        for name, stat in self._ready_files()[:max(0, room)]:
            del self.settling[name]
            result_name = free_name(self.options.out, name + ".json", self.journal.result_name_taken)
            self._submit(self.journal.claim(name, stat.st_size, stat.st_mtime_ns, result_name))

    # --- start, loop, stop ------------------------------------------------------------------------

    def recover(self) -> None:
        """Finish what a previous run left half done; read again what it was reading."""
        for stale in self.options.out.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        for job in self.journal.open_jobs():
            if job.state is JobState.WRITTEN:
                self._move(job)
            elif not os.path.lexists(self.inbox / job.name):
                self.journal.forget(job)
            else:  # the service died, not the file's reader: nothing counts against the file
                self._submit(job)

    def _observe(self):
        if self.options.poll:
            return None
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        wake = self.wake
        logging.getLogger("watchdog.observers.inotify").setLevel(logging.CRITICAL)  # stopping logs a spurious error

        class _Wake(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                wake.set()

        observer = Observer()
        observer.schedule(_Wake(), str(self.inbox), recursive=False)
        try:
            observer.start()
        except OSError as err:  # e.g. the inotify watch limit: scanning still finds every file
            log.warning("file-system events unavailable (%s); scanning every %.1f s instead", err,
                        self.options.poll_interval_s)
            return None
        return observer

    def run(self) -> None:
        observer = self._observe()
        try:
            self.recover()
            while not self.stopping.is_set():
                self.wake.clear()
                self._collect()
                self._claim_ready()
                if self.settling or self.running:
                    pause = max(0.05, min(self.options.settle_s / 4, 0.5))
                else:  # idle: events wake the loop; a slow rescan still catches what they miss
                    pause = self.options.poll_interval_s if observer is None else 5.0
                self.wake.wait(pause)
            self._drain()
        finally:
            if observer is not None:
                observer.stop()
            self.pool.stop()
            self.pool.join()
            self.journal.close()

    def _drain(self) -> None:
        """On stop: let the files being read finish for a while; the rest are read at next start."""
        deadline = time.monotonic() + _STOP_GRACE_S
        while self.running and time.monotonic() < deadline:
            self._collect()
            time.sleep(0.05)
        self._collect()


def watch_folder(options: WatchOptions, read: Read = read_in_worker) -> None:
    """Run until SIGTERM or SIGINT."""
    watcher = Watcher(options, read)

    def stop(signum, frame) -> None:
        log.info("stopping after the files being read")
        watcher.stopping.set()
        watcher.wake.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        log.info("watching %s; results in %s", options.inbox, options.out)
        watcher.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
