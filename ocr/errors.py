"""Errors that stop a document from being processed at all.

Each carries the exit code the CLI returns and a one-line message that says what to do. Findings
about a report (a failed rule, a missing table) are not errors: they are part of the result.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from pathlib import Path


class ExitCode(enum.IntEnum):
    VERIFIED = 0
    NOT_VERIFIED = 1  # failed_checks or incomplete: the report was read, something is wrong with it
    BAD_INPUT = 2  # the input could not be processed
    INTERRUPTED = 130


class DisclosureError(Exception):
    """Base of the errors that abort one document; `str(err)` is the one-line reason."""

    exit_code = ExitCode.BAD_INPUT


class InputError(DisclosureError):
    """The file cannot be read as a report: missing, empty, binary, encrypted, corrupt."""


class UnsupportedInput(DisclosureError):
    """A file type this service does not read."""


class TimedOut(DisclosureError):
    """A document was still being read when its time ran out (a damaged page can make the scan
    path's work grow far beyond a real report's)."""


def first_line(err: BaseException) -> str:
    """The first line of an exception's message (a library's can run over several), or its type's
    name where it has none."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


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
