"""Extraction in a child process with a hard wall-clock limit.

An ``Extractor`` keeps one child process (``python -m document_store._child``,
started with ``subprocess``: safe in a multi-threaded parent such as a WSGI
server, and independent of how the parent's ``__main__`` was started) and sends
it one file at a time over a pipe. If the child does not answer within
``Limits.extraction_timeout_s`` it is killed and ``ExtractionTimeout`` raised;
if it dies, ``ExtractionFailed`` is raised. Either way the next call starts a
fresh child. The child is also replaced after ``max_jobs`` files, to bound any
memory a parser leaks.

The time limit covers sending the file and extracting it, not the child's
start-up (interpreter and imports, a few hundred milliseconds), which is
waited for separately.

The index worker should hold one ``Extractor`` for its lifetime::

    with Extractor() as extractor:
        for job in jobs:
            extraction = extractor.extract(store.local_path(job.sha256))

One ``Extractor`` runs one extraction at a time (calls from several threads
queue on its lock); use several for parallel extraction.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import ExtractionFailed, ExtractionTimeout, error_from_code
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .extract import Extraction, Source

STARTUP_TIMEOUT_S = 60.0


class Extractor:
    """A reusable child process that extracts text under a time limit."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS, *, max_jobs: int = 500) -> None:
        self.limits = limits
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._jobs = 0

    def __enter__(self) -> Extractor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """Process id of the running child, if any (for logs and tests)."""
        child = self._child
        return child.process.pid if child is not None and child.process.poll() is None else None

    def extract(self, source: Source, limits: Limits | None = None) -> Extraction:
        """Extract ``source`` (path, bytes or stream) in the child process."""
        from .extract import read_source

        limits = limits or self.limits
        if isinstance(source, str | os.PathLike):
            payload: str | bytes = os.path.abspath(source)
        else:
            payload = read_source(source, limits)
        with self._lock:
            child = self._running_child()
            self._jobs += 1
            try:
                child.writer.send((payload, limits))
                if not child.reader.poll(limits.extraction_timeout_s):
                    self._stop(kill=True)
                    raise ExtractionTimeout(
                        f"no result within {limits.extraction_timeout_s:g} seconds"
                    )
                reply = child.reader.recv()
            except (EOFError, OSError) as exc:
                self._stop(kill=True)
                raise ExtractionFailed(f"the extraction process died: {exc!r}") from None
            except BaseException:
                self._stop(kill=True)
                raise
            if self._jobs >= self.max_jobs:
                self._stop(kill=False)
        return _unpack(reply)

    def close(self) -> None:
        """Stop the child process (a later ``extract`` starts a new one)."""
        with self._lock:
            self._stop(kill=False)

    def _running_child(self) -> _Child:
        if self._child is not None and self._child.process.poll() is None:
            return self._child
        self._stop(kill=True)
        self._child = _Child.start()
        self._jobs = 0
        try:
            reader = self._child.reader
            ready = reader.poll(STARTUP_TIMEOUT_S) and reader.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop(kill=True)
            raise ExtractionFailed("the extraction process did not start")
        return self._child

    def _stop(self, *, kill: bool) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.stop(kill=kill)


class _Child:
    """A ``document_store._child`` process and the two pipe ends that talk to it."""

    def __init__(self, process: subprocess.Popen[bytes], reader: Connection, writer: Connection):
        self.process = process
        self.reader = reader
        self.writer = writer

    @classmethod
    def start(cls) -> _Child:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        child_fds = (to_child_r, from_child_w)
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "document_store._child", *map(str, child_fds)],
                pass_fds=child_fds,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            for fd in (*child_fds, to_child_w, from_child_r):
                os.close(fd)
            raise ExtractionFailed(f"cannot start the extraction process: {exc}") from None
        for fd in child_fds:
            os.close(fd)
        reader = Connection(from_child_r, writable=False)
        writer = Connection(to_child_w, readable=False)
        return cls(process, reader, writer)

    def stop(self, *, kill: bool) -> None:
        if not kill:
            try:
                self.writer.send(None)
            except OSError:
                kill = True
        self.writer.close()
        self.reader.close()
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _unpack(reply: tuple[Any, ...]) -> Extraction:
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status == "error":
        raise error_from_code(reply[1], reply[2])
    raise ExtractionFailed(f"the extractor raised {reply[1]}")
