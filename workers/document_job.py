"""One document processed for a batch: never raises, so one bad file cannot stop a backfill or the
watcher; what went wrong becomes a failure with the stage and a one-line reason.

Both `disclosure backfill` (inside a Ray actor) and `disclosure watch` (inside a worker process)
call `process_document`; `disclosure inspect` calls the same `inspect_file` underneath.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from disclosure.ocr.errors import DisclosureError
from disclosure.table_recon.report import Stage, Status, error_report
from disclosure.workers.pipeline import InspectOptions, read_document

_CHUNK = 1 << 20


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes: the key under which its result is stored, whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Failure:
    stage: Stage
    reason: str

    def as_dict(self) -> dict:
        return {"stage": self.stage.value, "reason": self.reason}


@dataclass(frozen=True)
class DocumentOutcome:
    """The result of one document: a report (for `failed` ones an error report) or a failure."""

    name: str
    report: dict  # the output contract of `inspect --json`
    failure: Failure | None
    seconds: float
    # PNG crops of the cells a reviewer needs (`cell_crops.py`), where asked for and the file has pages
    crops: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.failure is None


def failed_outcome(name: str, failure: Failure, seconds: float = 0.0) -> DocumentOutcome:
    report = error_report(name, failure.reason, failure.stage).as_dict()
    return DocumentOutcome(name, report, failure, seconds)


def process_document(path: Path, options: InspectOptions = InspectOptions(), name: str | None = None) -> DocumentOutcome:
    """Read one file. A report whose rules fail is a success (the finding is the result); a file
    that cannot be read at all, or a bug met on the way, is a failure with its reason."""
    name = name or path.name
    started = time.perf_counter()
    try:
        reading = read_document(path, options)
        report = reading.report
    except DisclosureError as err:
        return failed_outcome(name, Failure(Stage.INPUT, str(err)), time.perf_counter() - started)
    except MemoryError:
        return failed_outcome(name, Failure(Stage.INTERNAL, "ran out of memory"), time.perf_counter() - started)
    except Exception as err:  # a bug on one document must not stop the others
        return failed_outcome(name, Failure(Stage.INTERNAL, f"{type(err).__name__}: {err}"),
                              time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if report.status is Status.ERROR:
        stage = report.errors[0].stage if report.errors else Stage.TABLE_RECON
        return DocumentOutcome(name, report.as_dict(), Failure(stage, report.warnings[0]), seconds)
    crops = {}
    if options.cell_crops:
        from disclosure.workers.cell_crops import crops_or_none

        crops = crops_or_none(path, reading)
    return DocumentOutcome(name, report.as_dict(), None, seconds, crops)
