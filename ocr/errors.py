"""Errors that stop a document from being processed at all, each with the stage it stopped in.

`Stage` and `StageError` live here, in the lowest layer, so that every layer raises the one error
type and says where it happened: the file (`input`), the OCR models (`ocr`), the rows of a page
(`layout`), the fields (`table_recon`), and the runners' own (`timeout`, `worker`, `internal`).
Findings about a report (a failed rule, a missing table) are not errors: they are part of the
result. Exit codes are the CLI's concern and live there.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class Stage(enum.StrEnum):
    """Where reading a document stopped or went wrong: the pipeline's stages, and the runners'."""

    INPUT = "input"  # the file itself: unreadable, damaged, not a report's format
    OCR = "ocr"  # the OCR models: missing, unloadable, failing on a page
    LAYOUT = "layout"  # a page whose text or grids cannot be made into rows
    TABLE_RECON = "table_recon"
    INTERNAL = "internal"  # a bug
    TIMEOUT = "timeout"  # past the runner's time limit
    WORKER = "worker"  # the worker process died under it, again and again; the cluster unreachable


@dataclass(frozen=True)
class StageError:
    """What went wrong, where: the record a report, a stored result and a reason file carry."""

    stage: Stage
    message: str
    page: int | None = None

    def line(self) -> str:
        """The one-line reason, naming the page where the message does not already."""
        if self.page is None or f"page {self.page}" in self.message:
            return self.message
        return f"page {self.page}: {self.message}"

    def as_dict(self) -> dict:
        return {"stage": self.stage.value, "message": self.message, **({"page": self.page} if self.page else {})}


class DisclosureError(Exception):
    """Base of the errors that abort one document; `str(err)` is the one-line reason and
    `err.error` the stage and page it was raised in."""

    default_stage = Stage.INTERNAL  # each subclass names its own; `stage=` overrides it

    def __init__(self, message: str, *, stage: Stage | None = None, page: int | None = None) -> None:
        super().__init__(message)
        self.error = StageError(stage or type(self).default_stage, message, page)

    @property
    def stage(self) -> Stage:
        return self.error.stage

    @property
    def page(self) -> int | None:
        return self.error.page

    @property
    def message(self) -> str:
        return self.error.message

    def __str__(self) -> str:
        return self.error.line()

    def on_page(self, page: int) -> DisclosureError:
        """The same error, of the same type, told which page it happened on."""
        return type(self)(self.error.message, stage=self.error.stage, page=page)


class InputError(DisclosureError):
    """The file cannot be read as a report: missing, empty, binary, corrupt."""

    default_stage = Stage.INPUT


class EncryptedInput(InputError):
    """A password-protected file: its own type, so a runner can tell it apart without reading text."""


class UnsupportedInput(InputError):
    """A file type this service does not read."""


class OcrError(DisclosureError):
    """The OCR models are missing, cannot be loaded, or failed on a page."""

    default_stage = Stage.OCR


class LayoutError(DisclosureError):
    """A page whose text or ruled grids cannot be made into rows."""

    default_stage = Stage.LAYOUT


class TimedOut(DisclosureError):
    """A document was still being read when its time ran out (a damaged page can make the scan
    path's work grow far beyond a real report's)."""

    default_stage = Stage.TIMEOUT


class RunnerError(DisclosureError):
    """The batch runners' own trouble: a cluster that cannot be reached, results that cannot be written."""

    default_stage = Stage.WORKER


def first_line(err: BaseException) -> str:
    """The first line of an exception's message (a library's can run over several), or its type's
    name where it has none."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


@contextlib.contextmanager
def in_stage(stage: Stage, page: int | None = None) -> Iterator[None]:
    """Whatever fails inside fails in `stage` on `page`: a library's exception (an OCR engine
    crashing on one page) becomes a `DisclosureError` of that stage, its cause kept for
    `--verbose`; a `DisclosureError` without a page is told the page."""
    try:
        yield
    except DisclosureError as err:
        if page is None or err.page is not None:
            raise
        raise err.on_page(page) from err
    except MemoryError:
        raise  # the runners report it as such: no stage of the reading is to blame
    except Exception as err:
        raise DisclosureError(f"{type(err).__name__}: {first_line(err)}", stage=stage, page=page) from err


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the operating system's refusals to read `path` into one-line `InputError`s."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"permission denied reading {path}") from None
