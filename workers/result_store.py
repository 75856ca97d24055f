"""The results folder of a backfill: one JSON per document, keyed by content hash, and the tables
built from all of them.

    OUT/documents/<sha256>.json   one per distinct document: paths, outcome, failure, report
    OUT/crops/<sha256>/<key>.png  crops of the cells a reviewer needs, for PDFs and scans
    OUT/reports.parquet|csv       one row per report, a column per field
    OUT/fields.parquet|csv        one row per report and field: value, state, page, line, raw text
    OUT/failures.parquet|csv      one row per document that could not be processed, with the reason
    OUT/ties.parquet|csv          one row per cross-year tie (`archive.py` writes these, the
                                  database, the review page and reports.xlsx)

A document's JSON is written atomically once it is finished, so a rerun (after a crash, or with
more files) skips exactly the documents already done; the tables are rebuilt from the JSON files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from disclosure.table_recon.formats import FORMATS
from disclosure.workers.document_job import DocumentOutcome, failure_dict
from disclosure.workers.stored_report import StoredRecord, read_record

DOCUMENTS = "documents"
CROPS = "crops"


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one, even if the writer is killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DocumentRecord:
    sha256: str
    paths: tuple[str, ...]
    outcome: DocumentOutcome
    attempts: int

    def as_dict(self) -> dict:
        return {
            "sha256": self.sha256,
            "paths": list(self.paths),
            "outcome": self.outcome.outcome.value,
            "failure": failure_dict(self.outcome.failure) if self.outcome.failure else None,
            "attempts": self.attempts,
            "seconds": round(self.outcome.seconds, 4),
            "report": self.outcome.report.as_dict(),
        }


class ResultFolder:
    """Where a backfill writes; the only state a rerun needs is what is already in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents = root / DOCUMENTS

    def prepare(self) -> None:
        self.documents.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        return self.documents / f"{sha256}.json"

    def finished(self, retry_failed: bool) -> set[str]:
        """Hashes of documents already processed; failed ones too unless they are to be retried."""
        return {record.sha256 for record in self.records() if record.done or not retry_failed}

    def save(self, record: DocumentRecord) -> None:
        write_atomically(self.path_of(record.sha256), json.dumps(record.as_dict(), ensure_ascii=False))

    def save_crops(self, sha256: str, crops: dict[str, bytes]) -> None:
        """The document's cell crops as CROPS/<sha256>/<field key>.png, replacing any before."""
        folder = self.root / CROPS / sha256
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        if not crops:
            return
        folder.mkdir(parents=True, exist_ok=True)
        for key, png in crops.items():
            (folder / f"{key}.png").write_bytes(png)

    def records(self) -> Iterator[StoredRecord]:
        if not self.documents.is_dir():
            return
        for path in sorted(self.documents.glob("*.json")):
            try:
                yield read_record(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a file a person damaged by hand: its document is simply done again

    def write_tables(self, records: Iterable[StoredRecord] | None = None, ties: Iterable = ()) -> dict[str, int]:
        """Rebuild the Parquet and CSV tables from the records (default: every document JSON as
        read) and the cross-year ties; returns rows per table."""
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        tables = build_tables(self.records() if records is None else records)
        tables["ties"] = [{k: v for k, v in tie.as_dict().items() if not k.endswith("keys")} for tie in ties]
        counts = {}
        for name, rows in tables.items():
            table = pa.Table.from_pylist(rows, schema=_schema(name, rows))
            pq.write_table(table, self.root / f"{name}.parquet")
            buffer = pa.BufferOutputStream()
            pa_csv.write_csv(table, buffer)
            # with a byte-order mark, so that spreadsheet programs on Chinese Windows read UTF-8
            (self.root / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().to_pybytes())
            counts[name] = len(rows)
        return counts


_FIELD_KEYS = tuple(dict.fromkeys(key for fmt in FORMATS.values() for key in fmt.keys()))
_REPORT_COLUMNS = ("sha256", "path", "source", "format", "agency", "year", "status", "rules_checked",
                   "rules_failed", "fields_unread", "warnings")
_LONG_COLUMNS = ("sha256", "path", "key", "value", "state", "page", "line", "raw", "confidence")
_FAILURE_COLUMNS = ("sha256", "path", "stage", "reason", "attempts")
_TIE_COLUMNS = ("rule", "agency", "year", "prior_year", "ok", "lhs", "rhs", "report", "prior_report")


def build_tables(records: Iterable[StoredRecord]) -> dict[str, list[dict]]:
    reports, fields, failures = [], [], []
    for record in records:
        path = record.path or ""
        if not record.done:
            failure = record.failure
            failures.append({"sha256": record.sha256, "path": path, "stage": failure and failure.stage.value,
                             "reason": failure and failure.reason, "attempts": record.attempts})
            continue
        report = record.report
        row = {"sha256": record.sha256, "path": path, "source": report.source, "format": report.format,
               "agency": report.agency, "year": report.year, "status": report.status.value,
               "rules_checked": report.rules_checked, "rules_failed": report.rules_failed,
               "fields_unread": report.fields_unread, "warnings": len(report.warnings)}
        row.update({key: _float(report.fields.get(key)) for key in _FIELD_KEYS})
        reports.append(row)
        for key, cell in report.cells.items():
            fields.append({"sha256": record.sha256, "path": path, "key": key, "value": _float(cell.value),
                           "state": cell.state.value, "page": cell.page, "line": cell.line, "raw": cell.raw,
                           "confidence": cell.read_confidence})
    return {"reports": reports, "fields": fields, "failures": failures}


def _float(value) -> float | None:
    return None if value is None else float(value)


def _schema(name: str, rows: list[dict]):
    """Explicit types, so an empty table or a column that is null in every row still has its type."""
    import pyarrow as pa

    text, integer, real = pa.string(), pa.int64(), pa.float64()
    if name == "reports":
        types = {"year": integer, "rules_checked": integer, "rules_failed": integer,
                 "fields_unread": integer, "warnings": integer}
        columns = [pa.field(c, types.get(c, text)) for c in _REPORT_COLUMNS] + [pa.field(k, real) for k in _FIELD_KEYS]
    elif name == "fields":
        types = {"value": real, "page": integer, "line": integer, "confidence": real}
        columns = [pa.field(c, types.get(c, text)) for c in _LONG_COLUMNS]
    elif name == "ties":
        types = {"year": integer, "prior_year": integer, "ok": pa.bool_(), "lhs": real, "rhs": real}
        columns = [pa.field(c, types.get(c, text)) for c in _TIE_COLUMNS]
    else:
        columns = [pa.field(c, integer if c == "attempts" else text) for c in _FAILURE_COLUMNS]
    return pa.schema(columns)
