"""What a local index directory holds: which engine built it, in which format, and who
may write to it now.

``govcounsel-index.json`` records ``{"engine": ..., "format_version": ...}``.  An index
of another engine or format is reported as needing a rebuild, exactly as damage is:
switching ``GOVCOUNSEL_SEARCH`` between ``tantivy`` and ``whoosh`` rebuilds the index
from the database on the next start.

One writer at a time, across processes
    Every write (the worker's batch, a ``reindex`` chunk, a delete) runs under the
    directory's *writer lease*, an operating-system file lock on ``writer.lease``
    (released by the kernel when the holder dies, even by SIGKILL).  A second process
    waits for it up to a timeout and then gets :class:`IndexBusy`, which names the
    holder, instead of failing inside the engine's own lock with an empty message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from indexer.backend import IndexBusy

RECORD_FILE = "govcounsel-index.json"
LEASE_FILE = "writer.lease"
HOLDER_FILE = "writer.holder"
_ENGINE_FILES = re.compile(
    r"^(_?MAIN_.*|meta\.json|\.managed\.json|\.tantivy-.*|[0-9a-f]{32}\..*)$"
)


def read_record(path: Path) -> tuple[str | None, int | None]:
    """``(engine, format_version)`` recorded in ``path`` (``None`` where unknown).  An
    index written before engines were recorded is Whoosh's."""
    try:
        record = json.loads((path / RECORD_FILE).read_text("utf-8"))
        return str(record.get("engine", "whoosh")), int(record["format_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def write_record(path: Path, engine: str, version: int) -> None:
    """Record the engine and format of the index in ``path`` (atomically)."""
    record = {"engine": engine, "format_version": version,
              "created": datetime.now(UTC).isoformat()}
    temporary = path / (RECORD_FILE + ".tmp")
    temporary.write_text(json.dumps(record), "utf-8")
    os.replace(temporary, path / RECORD_FILE)


def mismatch(path: Path, engine: str, version: int) -> str | None:
    """Why the index in ``path`` is not usable by ``engine``/``version``, or ``None``."""
    found_engine, found_version = read_record(path)
    if found_engine is not None and found_engine != engine:
        return f"engine {found_engine}, expected {engine}"
    if found_version != version:
        return f"format version {found_version}, expected {version}"
    return None


def missing_reason(path: Path, engine: str) -> str:
    """Why an index of ``engine`` has to be built in ``path``, which holds none:
    ``"missing"``, or the other engine whose index is there."""
    found_engine, _ = read_record(path)
    if found_engine is not None and found_engine != engine:
        return f"engine {found_engine}, expected {engine}"
    return "missing"


def remove_engine_files(path: Path) -> None:
    """Delete every engine's index files and the record, keeping unrelated files."""
    path.mkdir(parents=True, exist_ok=True)
    for entry in path.iterdir():
        if _ENGINE_FILES.match(entry.name) or entry.name == RECORD_FILE:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink(missing_ok=True)


class WriterLease:
    """The cross-process writer lease of one index directory.  Nested holds in one
    process count (the threads of a process are serialised by the backend itself)."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._lock = FileLock(str(path / LEASE_FILE), thread_local=False)

    def holder(self) -> str:
        """Who holds the lease, as its holder wrote it (``"?"`` when unknown)."""
        try:
            return (self.path / HOLDER_FILE).read_text("utf-8").strip() or "?"
        except OSError:
            return "?"

    def acquire(self, purpose: str, timeout: float | None = None) -> None:
        """Take the lease, waiting up to ``timeout`` seconds; :class:`IndexBusy` after."""
        try:
            self._lock.acquire(timeout=self.timeout if timeout is None else timeout)
        except Timeout:
            raise IndexBusy(f"search index writer busy: held by {self.holder()}") from None
        if self._lock.lock_counter == 1:
            (self.path / HOLDER_FILE).write_text(f"pid {os.getpid()} ({purpose})", "utf-8")

    def release(self) -> None:
        """Give the lease back (the last release of a nested hold frees it)."""
        self._lock.release()

    @property
    def held(self) -> bool:
        """True while this object holds the lease."""
        return self._lock.is_locked
