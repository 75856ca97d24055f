"""Reads the statutory tables of Chinese government information disclosure annual reports and
verifies their arithmetic.

    import disclosure
    report = disclosure.read("samples/zhenhai_hrss_2020.txt")
    report.status  # Status.VERIFIED

Installed under this one name; its parts are the repository's top-level folders, in the order data
flows through them: `disclosure.ocr` (a file becomes a page model), `disclosure.layout` (pages or
flattened lines become rows), `disclosure.table_recon` (rows become the statutory fields, checked),
`disclosure.pipeline` (one file in, one report out: `read`), `disclosure.workers` (the CLI, the
watched folder, the backfill).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from disclosure.ocr.errors import DisclosureError, Stage
    from disclosure.table_recon.report import Report

__all__ = ["read", "DisclosureError", "Stage"]


def read(path: str | Path, **options) -> Report:
    """Read one report; see `disclosure.pipeline.read`. Imported on first call, so that
    `import disclosure` costs nothing."""
    from disclosure.pipeline import read as read_report

    return read_report(path, **options)


def __getattr__(name: str):
    # the error types a caller catches, without importing them (or anything) up front
    if name in ("DisclosureError", "Stage"):
        from disclosure.ocr import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'disclosure' has no attribute {name!r}")
