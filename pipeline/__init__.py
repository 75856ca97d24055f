"""Stage 4: one file in, one report out, the path every runner and a library call share.

`read(path, **options)` is the library call (also `disclosure.read`); `document.py` holds the
readers for each kind of file, `policies.py` the decisions they take (when to stop, which pages
OCR reads, which grid reader's reading to keep), `options.py` what a run may vary.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from disclosure.table_recon.report import Report


def read(path: str | Path, **options) -> Report:
    """Read one report's three statutory tables and check their arithmetic.

    `options` are those of `InspectOptions` (`max_pages=`, `ocr_threads=`, `debug_dir=` ...). A
    report whose rules fail, or whose tables are not found, is returned with that status; a file
    that cannot be processed at all raises `DisclosureError`, whose `stage` and `page` say where.
    """
    from disclosure.pipeline.document import inspect_file
    from disclosure.pipeline.options import InspectOptions

    return inspect_file(Path(path), InspectOptions(**options))
