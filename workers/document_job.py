"""One document processed for a batch: never raises, so one bad file cannot stop a backfill or the
watcher; what went wrong becomes a failure with the stage and a one-line reason.

Both `disclosure backfill` (inside a Ray actor) and `disclosure watch` (inside a worker process)
call `process_document`; `disclosure inspect` calls the same `disclosure.pipeline` underneath.
"""

from __future__ import annotations

import enum
import hashlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from disclosure.ocr.errors import DisclosureError, Stage, StageError
from disclosure.pipeline.document import read_document
from disclosure.pipeline.options import InspectOptions
from disclosure.table_recon.report import Report, Status, error_report

_CHUNK = 1 << 20


class Outcome(enum.StrEnum):
    """What became of one document of a batch, as its stored record names it."""

    DONE = "done"  # a report, whatever its status: a failed rule is a result, not a failure
    FAILED = "failed"  # it could not be processed; the record holds the failure and an error report


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes: the key under which its result is stored, whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def failure_dict(error: StageError) -> dict:
    """A failure as stored results and reason files have always named it: its message is the `reason`."""
    return {"stage": error.stage.value, "reason": error.line(), **({"page": error.page} if error.page else {})}


@dataclass(frozen=True)
class DocumentOutcome:
    """The result of one document: a report (for `failed` ones an error report) or a failure."""

    name: str
    # typed to the end: `Report.as_dict()`, the output contract, is made only where it is written
    report: Report
    failure: StageError | None
    seconds: float
    # PNG crops of the cells a reviewer needs (`cell_crops.py`), where asked for and the file has pages
    crops: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def outcome(self) -> Outcome:
        return Outcome.DONE if self.ok else Outcome.FAILED


def failed_outcome(name: str, failure: StageError, seconds: float = 0.0) -> DocumentOutcome:
    """The outcome of a document that could not be read: an error report holding the failure."""
    report = replace(error_report(name, failure.line(), failure.stage), errors=(failure,))
    return DocumentOutcome(name, report, failure, seconds)


def error_of(report: Report) -> StageError:
    """Why a report has status `error`: the last error it records (the stage that gave up)."""
    return report.errors[-1] if report.errors else StageError(Stage.TABLE_RECON, "no statutory tables found")


def process_document(path: Path, options: InspectOptions = InspectOptions(),
                     name: str | None = None) -> DocumentOutcome:
    """Read one file. A report whose rules fail is a success (the finding is the result); a file
    that cannot be read at all, or a bug met on the way, is a failure with its stage and reason."""
    name = name or path.name
    started = time.perf_counter()
    try:
        reading = read_document(path, options)
        report = reading.report
    except DisclosureError as err:
        return failed_outcome(name, err.error, time.perf_counter() - started)
    except MemoryError:
        return failed_outcome(name, StageError(Stage.INTERNAL, "ran out of memory"), time.perf_counter() - started)
    except Exception as err:  # a bug on one document must not stop the others
        return failed_outcome(name, StageError(Stage.INTERNAL, f"{type(err).__name__}: {err}"),
                              time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if report.status is Status.ERROR:
        return DocumentOutcome(name, report, error_of(report), seconds)
    crops = {}
    if options.cell_crops:
        from disclosure.workers.cell_crops import crops_or_none

        crops = crops_or_none(path, reading)
    return DocumentOutcome(name, report, None, seconds, crops)
