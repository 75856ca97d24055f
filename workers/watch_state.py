"""The watcher's journal, in SQLite: what it has claimed and how far each file got, so that after a
crash or `kill -9` every file is finished exactly once.

A file goes through three committed states; each step is redone safely if the process dies:

    processing  claimed; its result name is chosen now, so a redo overwrites its own result
    written     NAME.json (and a reason file for failures) is on disk; the input's destination chosen
    done/failed the input has been moved out of the inbox

At start, `processing` files are read again and `written` files are moved.
"""

from __future__ import annotations

import enum
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path


class JobState(enum.StrEnum):
    """A file's committed state in the journal (above); the first two are open, the last two final."""

    PROCESSING = "processing"
    WRITTEN = "written"
    DONE = "done"
    FAILED = "failed"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    state TEXT NOT NULL,
    result_name TEXT NOT NULL,
    destination TEXT,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    claimed_at REAL NOT NULL,
    finished_at REAL
);
-- the open states, OPEN_STATES (a partial index takes no parameters)
CREATE UNIQUE INDEX IF NOT EXISTS one_open_job_per_name ON jobs(name) WHERE state IN ('processing', 'written');
CREATE UNIQUE INDEX IF NOT EXISTS one_job_per_result ON jobs(result_name);
"""

OPEN_STATES = (JobState.PROCESSING, JobState.WRITTEN)


@dataclass(frozen=True)
class Job:
    id: int
    name: str
    size: int
    mtime_ns: int
    state: JobState
    result_name: str
    destination: str | None
    reason: str | None
    attempts: int


class Journal:
    """One SQLite file; every change is its own committed transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit: one statement, one commit; one thread at a time, not always the one that opened it
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def _jobs(self, where: str, *args) -> list[Job]:
        rows = self._db.execute(f"SELECT id, name, size, mtime_ns, state, result_name, destination, reason, "
                                f"attempts FROM jobs WHERE {where} ORDER BY id", args)
        return [Job(*row[:4], JobState(row[4]), *row[5:]) for row in rows]

    def open_jobs(self) -> list[Job]:
        return self._jobs("state IN (?, ?)", *(state.value for state in OPEN_STATES))

    def open_names(self) -> set[str]:
        return {job.name for job in self.open_jobs()}

    def all_jobs(self) -> list[Job]:
        return self._jobs("1")

    def result_name_taken(self, result_name: str) -> bool:
        return self._db.execute("SELECT 1 FROM jobs WHERE result_name = ?", (result_name,)).fetchone() is not None

    def claim(self, name: str, size: int, mtime_ns: int, result_name: str) -> Job:
        cursor = self._db.execute(
            "INSERT INTO jobs (name, size, mtime_ns, state, result_name, claimed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (name, size, mtime_ns, JobState.PROCESSING.value, result_name, time.time()))
        return self._jobs("id = ?", cursor.lastrowid)[0]

    def retry(self, job: Job) -> Job:
        self._db.execute("UPDATE jobs SET attempts = attempts + 1 WHERE id = ?", (job.id,))
        return self._jobs("id = ?", job.id)[0]

    def written(self, job: Job, destination: str, reason: str | None) -> Job:
        self._db.execute("UPDATE jobs SET state = ?, destination = ?, reason = ? WHERE id = ?",
                         (JobState.WRITTEN.value, destination, reason, job.id))
        return self._jobs("id = ?", job.id)[0]

    def close_job(self, job: Job, state: JobState) -> None:
        self._db.execute("UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?",
                         (state.value, time.time(), job.id))

    def forget(self, job: Job) -> None:
        """The file changed or vanished while it was read: the claim is dropped, not finished."""
        self._db.execute("DELETE FROM jobs WHERE id = ?", (job.id,))
