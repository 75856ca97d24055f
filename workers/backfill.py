"""`disclosure backfill`: every report under some folders, read by a pool of Ray actors.

The same code runs on one machine (a Ray started in-process) and on a cluster (`address=`). Each
actor is one worker process that keeps what is expensive to load (the OCR models) for its life.
The driver reads each file, keys it by content hash, skips what the results folder already holds,
and hands the bytes to an idle actor, so workers need no shared file system. It watches each
document's time: past the timeout the actor is killed (Ray restarts it) and the document becomes a
failure; when a worker process dies under a document, the document is tried again, up to
`retries` times. Nothing a document does can end the job, and every document ends as one JSON file.

An actor pool is used rather than Ray Data's `map_batches`, because a dataset aborts on the first
exception and has no per-row timeout; here a document's failure is a result like any other.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure.ocr.errors import RunnerError, Stage, StageError, first_line
from disclosure.ocr.paddle_engine import usable_cpus
from disclosure.pipeline.options import InspectOptions
from disclosure.workers.archive import ArchiveSummary, build_archive
from disclosure.workers.document_job import DocumentOutcome, Outcome, failed_outcome, process_document
from disclosure.workers.inbox_names import is_temporary
from disclosure.workers.result_store import DocumentRecord, ResultFolder

Process = Callable[[Path, InspectOptions, str], DocumentOutcome]


@dataclass(frozen=True)
class BackfillOptions:
    inspect: InspectOptions = InspectOptions()
    workers: int | None = None  # None: one per CPU Ray reports
    timeout_s: float = 600.0
    retries: int = 2  # further tries of a document whose worker process died under it
    retry_failed: bool = False  # a rerun also redoes documents that failed before
    max_bytes: int = 512 << 20
    address: str | None = None  # None: start Ray in this process
    corrections: Path | None = None  # a reviewer's CSV, applied to the archive built at the end


@dataclass
class BackfillSummary:
    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0  # already in the results folder
    duplicates: int = 0  # same bytes as another file of this run
    retried: int = 0  # tries after a worker process died
    seconds: float = 0.0
    ray_start_s: float = 0.0  # connecting to or starting Ray, and the workers' first readiness
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    archive: ArchiveSummary | None = None  # ties, database and review page of the whole results folder

    def line(self) -> str:
        rate = (self.done + self.failed) / self.seconds if self.seconds else 0.0
        return (f"{self.total} files: {self.done} done, {self.failed} failed, {self.skipped} already done, "
                f"{self.duplicates} duplicates; {self.retried} retried after a worker died; "
                f"{self.seconds:.1f} s ({rate:.1f} documents/s)")


def _saved_page_folder(name: str, files: list[str]) -> bool:
    """A browser's "save page, complete" folder (`page_files/` beside `page.html`): its pictures
    and scripts belong to the page, and are no documents of their own."""
    for suffix in ("_files", ".files"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return any(f in files for f in (f"{stem}.html", f"{stem}.htm", f"{stem}.shtml"))
    return False


def discover(roots: Iterable[Path]) -> list[Path]:
    """Every regular file under the roots (or a root that is a file), skipping hidden, temporary
    and partial downloads and the folders of saved web pages; symlinks are not followed into other
    trees."""
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _saved_page_folder(d, files))
            found.extend(Path(folder) / name for name in sorted(files)
                         if not is_temporary(name) and not (Path(folder) / name).is_symlink())
    return found


def _actor_class():
    import ray

    @ray.remote(max_restarts=-1, max_task_retries=0)
    class DocumentWorker:
        """One worker process; `process` and the options it was built with live as long as it."""

        def __init__(self, options: InspectOptions, process: Process) -> None:
            self.options, self.process = options, process

        def ping(self) -> int:
            return os.getpid()

        def peak_rss_mb(self) -> float:
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        def read(self, name: str, data: bytes) -> DocumentOutcome:
            # under its own name in a folder of its own, so the report's `source` is the file's name
            with tempfile.TemporaryDirectory(prefix="disclosure-") as folder:
                path = Path(folder) / name
                path.write_bytes(data)
                return self.process(path, self.options, name)

    return DocumentWorker


def _check_reachable(address: str) -> None:
    """Ray's own connect retries for minutes, printing as it goes; a closed port is told at once."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=10):
            pass
    except (OSError, ValueError) as err:
        raise RunnerError(f"cannot reach the Ray cluster at {address} ({getattr(err, 'strerror', None) or err}); "
                              f"check the address (HOST:PORT of the head node) and that `ray start --head` "
                              f"is running there") from None


@contextlib.contextmanager
def _stderr_silenced():
    """Ray's C++ client writes its own warning to the process's stderr before raising."""
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _check_token(address: str) -> None:
    """A cluster started with token authentication (the default from Ray 2.59 on, RAY_AUTH_MODE=token)
    refuses a driver without its token; Ray's own connect would retry for a minute, printing as it
    goes. Asked once here, the refusal is told at once."""
    import ray

    try:
        from ray._raylet import GcsClient
    except ImportError:  # another Ray: its own connect says what is wrong
        return
    try:
        with _stderr_silenced():
            GcsClient(address=address.removeprefix("ray://"))
    except ray.exceptions.AuthenticationError:
        if os.environ.get("RAY_AUTH_MODE") == "token":
            hint = ("the token this driver has is not the cluster's "
                    "(RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token)")
        else:
            hint = ("set RAY_AUTH_MODE=token and give this driver the cluster's token (RAY_AUTH_TOKEN, "
                    "RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token), as on every node")
        raise RunnerError(f"the Ray cluster at {address} requires token authentication: {hint}") from None
    except Exception:  # anything else: ray.init reports it
        return


def _start_ray(address: str | None, workers: int | None) -> None:
    import logging

    import ray

    if address and address != "auto":
        _check_reachable(address)
        _check_token(address)
    common = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        if address:
            ray.init(address=address, **common)
        else:
            # a Ray of its own, even where `ray start` left a cluster running on this machine
            # (ray.init() would join that one, and refuse the CPUs asked for)
            ray.init(address="local", num_cpus=workers or usable_cpus(), **common)
    except (ConnectionError, TimeoutError, RuntimeError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise RunnerError(f"could not start or reach {where}: {first_line(err)}; "
                              f"check the address and that `ray start` is running there") from None


@dataclass
class _Job:
    sha256: str
    paths: list[str]
    data: bytes | None  # held until the document is finished, for a retry
    attempts: int = 0
    outcome: DocumentOutcome | None = None

    @property
    def name(self) -> str:
        return Path(self.paths[0]).name


def _read(path: Path, max_bytes: int) -> tuple[bytes | None, StageError | None]:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, StageError(Stage.INPUT, f"{path.name} is {size >> 20} MiB, over the limit of "
                                                 f"{max_bytes >> 20} MiB")
        return path.read_bytes(), None
    except OSError as err:
        return None, StageError(Stage.INPUT, f"cannot read {path}: {err.strerror or err}")


class _Backfill:
    """The driver's bookkeeping: files not yet looked at, documents waiting for an actor, results."""

    def __init__(self, files: list[Path], results: ResultFolder, options: BackfillOptions, progress) -> None:
        self.results, self.options, self.progress = results, options, progress
        self.summary = BackfillSummary(total=len(files))
        self.finished = results.finished(options.retry_failed)
        self.files = deque(files)
        self.queued: deque[_Job] = deque()  # documents to be tried again first
        self.by_hash: dict[str, _Job] = {}

    def _advance(self) -> None:
        if self.progress:
            self.progress(1, self.summary)

    def finish(self, job: _Job, outcome: DocumentOutcome) -> None:
        job.outcome, job.data = outcome, None
        self.results.save_crops(job.sha256, outcome.crops)  # before the record that marks it done
        self.results.save(DocumentRecord(job.sha256, tuple(job.paths), outcome, job.attempts))
        if outcome.outcome is Outcome.DONE:
            self.summary.done += 1
        else:
            self.summary.failed += 1
        self._advance()

    def fail(self, job: _Job, stage: Stage, reason: str) -> None:
        self.finish(job, failed_outcome(job.name, StageError(stage, reason)))

    def has_work(self) -> bool:
        return bool(self.queued or self.files)

    def next_job(self) -> _Job | None:
        """The next document that needs reading; files already done or seen are settled on the way."""
        while self.queued or self.files:
            if self.queued:
                return self.queued.popleft()
            path = self.files.popleft()
            data, failure = _read(path, self.options.max_bytes)
            sha256 = hashlib.sha256(data if data is not None else str(path).encode()).hexdigest()
            if sha256 in self.finished:
                self.summary.skipped += 1
                self._advance()
            elif sha256 in self.by_hash:  # the same bytes under another name: one result for both
                twin = self.by_hash[sha256]
                twin.paths.append(str(path))
                self.summary.duplicates += 1
                if twin.outcome is not None:
                    self.results.save(DocumentRecord(sha256, tuple(twin.paths), twin.outcome, twin.attempts))
                self._advance()
            else:
                job = self.by_hash[sha256] = _Job(sha256, [str(path)], data)
                if failure is None:
                    return job
                self.finish(job, failed_outcome(path.name, failure))
        return None

    def drive(self, process: Process) -> None:
        """Keep two documents queued at each actor (so it never waits while the driver saves a
        result) until none is left. An actor's clock for the timeout starts when it begins a
        document, not when the document was queued behind another."""
        import ray
        from ray.exceptions import RayActorError

        cluster_cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        count = self.options.workers or cluster_cpus
        # an embedded Ray is given as many CPUs as workers; the cores are this machine's
        cpus = usable_cpus() if self.options.address is None else cluster_cpus
        # the review page shows PDFs' and scans' cells beside their readings
        inspect = replace(self.options.inspect.for_workers(count, cpus), cell_crops=True)
        worker_class = _actor_class()
        actors = [worker_class.remote(inspect, process) for _ in range(count)]
        started = time.perf_counter()
        ray.get([actor.ping.remote() for actor in actors])  # each has imported the pipeline
        self.summary.ray_start_s += time.perf_counter() - started
        lanes = {actor: deque() for actor in actors}  # refs queued at each actor, oldest first
        since = {actor: 0.0 for actor in actors}  # when the actor began its oldest document
        running: dict = {}  # result ref -> (actor, job)
        recovering: dict = {}  # ping ref -> actor, while Ray restarts the actor

        def abandon(actor, head_stage: Stage) -> None:
            """The actor is gone: its current document is charged, the ones queued behind it go back.
            Documents it finished are finished first, their results waited for: the news of its
            death can arrive before the last result it sent, which would charge that document."""
            settled, _ = ray.wait(list(lanes[actor]), num_returns=len(lanes[actor]), timeout=_SETTLE_S)
            for ref in settled:
                try:
                    outcome = ray.get(ref)
                except RayActorError:  # the document it died on, or one queued behind it
                    continue
                lanes[actor].remove(ref)
                self.finish(running.pop(ref)[1], outcome)
            for position, ref in enumerate(lanes[actor]):
                _, job = running.pop(ref)
                if position > 0:
                    job.attempts -= 1
                    self.queued.appendleft(job)
                elif head_stage is Stage.TIMEOUT:
                    self.fail(job, Stage.TIMEOUT, f"not finished after {self.options.timeout_s:g} s")
                elif job.attempts <= self.options.retries:
                    self.summary.retried += 1
                    self.queued.appendleft(job)
                else:
                    self.fail(job, Stage.WORKER, f"the worker process died {job.attempts} times while reading it")
            lanes[actor].clear()
            recovering[actor.ping.remote()] = actor

        while True:
            for actor in actors:
                while actor not in recovering.values() and len(lanes[actor]) < 2 and (job := self.next_job()):
                    job.attempts += 1
                    ref = actor.read.remote(job.name, job.data)
                    if not lanes[actor]:
                        since[actor] = time.monotonic()
                    lanes[actor].append(ref)
                    running[ref] = (actor, job)
            if not running and not self.has_work():
                break
            ready, _ = ray.wait(list(running) + list(recovering), num_returns=1, timeout=0.5)
            for ref in ready:
                if ref in recovering:
                    actor = recovering.pop(ref)
                    try:
                        ray.get(ref)
                    except RayActorError:  # still restarting
                        time.sleep(0.2)
                        recovering[actor.ping.remote()] = actor
                    continue
                if ref not in running:
                    continue
                actor, job = running[ref]
                try:
                    outcome = ray.get(ref)
                except RayActorError:
                    abandon(actor, Stage.WORKER)
                    continue
                del running[ref]
                lanes[actor].remove(ref)
                since[actor] = time.monotonic()
                self.finish(job, outcome)
            now = time.monotonic()
            for actor in actors:
                if lanes[actor] and now - since[actor] > self.options.timeout_s:
                    ray.kill(actor, no_restart=False)
                    abandon(actor, Stage.TIMEOUT)
        self.summary.worker_peak_rss_mb = _peak_rss(actors)


_SETTLE_S = 2.0  # the longest an abandoned actor's results are waited for; a dead actor's come at once


def _peak_rss(actors: list) -> list[float]:
    """Each actor's peak memory; one still restarting after a kill is left out."""
    import ray
    from ray.exceptions import RayActorError

    peaks = []
    for actor in actors:
        try:
            peaks.append(round(ray.get(actor.peak_rss_mb.remote(), timeout=30), 1))
        except (RayActorError, ray.exceptions.GetTimeoutError):
            continue
    return peaks


def run_backfill(roots: list[Path], out: Path, options: BackfillOptions = BackfillOptions(),
                 progress=None, process: Process = process_document) -> BackfillSummary:
    """Process every file under `roots` not yet in `out`; `progress(advance, summary)` is called
    as documents finish. Raises only for what stops the whole job (no Ray, no results folder)."""
    started = time.perf_counter()
    results = ResultFolder(out)
    try:
        results.prepare()
    except OSError as err:
        raise RunnerError(f"cannot write results to {out}: {err.strerror or err}") from None
    job = _Backfill(discover(roots), results, options, progress)
    first = job.next_job()  # a rerun with nothing left to do starts no Ray at all
    if first is not None:
        job.queued.append(first)
        ray_started = time.perf_counter()
        _start_ray(options.address, options.workers)
        job.summary.ray_start_s = time.perf_counter() - ray_started
        import ray

        try:
            job.drive(process)
        finally:
            ray.shutdown()
    job.summary.archive = build_archive(out, options.corrections)
    job.summary.seconds = time.perf_counter() - started
    return job.summary
