"""Which file names are not (yet) documents: partial downloads, editor locks, hidden files."""

from __future__ import annotations

_PARTIAL_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".filepart")
_LOCK_PREFIXES = ("~$", ".~lock.", ".")


def is_temporary(name: str) -> bool:
    """True for names that browsers, copy tools and office programs give files still being written
    (`report.pdf.part`, `x.crdownload`), lock files (`~$report.docx`) and hidden files."""
    lowered = name.lower()
    return lowered.startswith(_LOCK_PREFIXES) or lowered.endswith(_PARTIAL_SUFFIXES) or lowered.endswith("~")
