"""Every parse of untrusted bytes in a child process with a hard wall-clock limit.

An ``Extractor`` keeps one child process (``python -m document_store._child``,
started with ``subprocess`` in a new session: safe in a multi-threaded parent
such as a WSGI server) and sends it one job at a time over a pipe: validate,
extract (with OCR if asked), render a page, convert an office file. If the
child does not answer within the job's budget, the whole session of the child
is killed (the child, any LibreOffice it started, any OCR helper) and
``ExtractionTimeout`` raised; if it dies, ``ExtractionFailed``. Either way the
next call starts a fresh child. The child is also replaced after ``max_jobs``
jobs, to bound any memory a parser leaks.

Budgets: ``Limits.extraction_timeout_s`` per job; an OCR job announces its page
count first and gets ``ocr_page_timeout_s`` more per page (and one page of
grace). The child's start-up (interpreter and imports) is waited for
separately.

``validate()`` (upload time) borrows a child from a process-wide pool of idle
children, creating one when none is idle, so validations run side by side: a
file that is slow to parse delays only its own upload, and no lock is held
while anything is parsed (issue 15, finding 2). The worker should hold one
``Extractor`` for its lifetime::

    with Extractor(limits, options) as extractor:
        for job in jobs:
            extraction = extractor.extract(path, ocr=True,
                                           progress=lambda done, total: ...)

One ``Extractor`` runs one job at a time (calls from several threads queue on
its lock); use several for parallel work.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import ExtractionFailed, ExtractionTimeout, error_from_code
from .limits import DEFAULT_LIMITS, Limits
from .options import DEFAULT_OPTIONS, Options
from .sessions import kill_session

if TYPE_CHECKING:
    from .extract import Extraction, FileInfo, Source
    from .render import RenderedPage

STARTUP_TIMEOUT_S = 60.0
Progress = Callable[[int, int], None]
"""Called with (pages done, pages in all) while OCR runs."""


class Extractor:
    """A reusable child process that parses untrusted files under a time limit."""

    def __init__(
        self,
        limits: Limits = DEFAULT_LIMITS,
        options: Options = DEFAULT_OPTIONS,
        *,
        max_jobs: int = 500,
    ) -> None:
        self.limits = limits
        self.options = options
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

    def validate(self, source: Source, limits: Limits | None = None) -> FileInfo:
        """``extract.validate`` in the child."""
        return self._call("validate", source, limits, {})

    def extract(
        self,
        source: Source,
        limits: Limits | None = None,
        *,
        ocr: bool = False,
        progress: Progress | None = None,
    ) -> Extraction:
        """Extract ``source`` (path, bytes or stream) in the child; ``ocr`` recognises the
        pages that have no text layer, reporting ``progress(done, total)`` per page."""
        return self._call("extract", source, limits, {"ocr": ocr}, progress)

    def render(
        self,
        source: Source,
        page: int,
        width: int,
        limits: Limits | None = None,
        *,
        watermark: str | None = None,
    ) -> RenderedPage:
        """Page ``page`` (from 1) as a PNG ``width`` pixels wide, optionally watermarked."""
        return self._call("render", source, limits,
                          {"page": page, "width": width, "watermark": watermark})

    def convert(self, source: Source, target: str = "pdf", limits: Limits | None = None) -> bytes:
        """A .docx/.doc/.wps converted to ``pdf`` or ``docx`` by the safe LibreOffice runner."""
        return self._call("convert", source, limits, {"target": target})

    def close(self) -> None:
        """Stop the child process (a later call starts a new one)."""
        with self._lock:
            self._stop(kill=False)

    def _call(
        self,
        op: str,
        source: Source,
        limits: Limits | None,
        args: dict[str, Any],
        progress: Progress | None = None,
    ) -> Any:
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
                child.writer.send((op, payload, limits, self.options, args))
                reply = self._await(child, limits, progress)
            except (EOFError, OSError) as exc:
                self._stop(kill=True)
                raise ExtractionFailed(f"the extraction process died: {exc!r}") from None
            except BaseException:
                self._stop(kill=True)
                raise
            if self._jobs >= self.max_jobs:
                self._stop(kill=False)
        return _unpack(reply)

    def _await(self, child: _Child, limits: Limits, progress: Progress | None) -> tuple:
        started = time.monotonic()
        deadline = started + limits.extraction_timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not child.reader.poll(remaining):
                budget = deadline - started
                self._stop(kill=True)
                raise ExtractionTimeout(f"no result within {budget:.0f} seconds")
            reply = child.reader.recv()
            if reply[0] != "progress":
                return reply
            done, total = reply[1], reply[2]
            if done == 0:
                deadline = max(deadline, started + limits.extraction_timeout_s
                               + (total + 1) * limits.ocr_page_timeout_s)
            if progress is not None:
                progress(done, total)

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
                start_new_session=True,
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
            kill_session(self.process.pid)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            kill_session(self.process.pid)
            self.process.wait()


def _unpack(reply: tuple[Any, ...]) -> Any:
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status == "error":
        raise error_from_code(reply[1], reply[2])
    raise ExtractionFailed(f"the extractor raised {reply[1]}")


class ExtractorPool:
    """Idle children for short jobs from many threads (``validate``); never waits for one."""

    def __init__(self, max_idle: int = 4) -> None:
        self.max_idle = max_idle
        self._idle: list[Extractor] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    @contextlib.contextmanager
    def borrow(self, limits: Limits, options: Options) -> Iterator[Extractor]:
        """An extractor of its own for the duration of the ``with`` block."""
        with self._lock:
            if self._pid != os.getpid():  # forked: the children belong to the parent
                self._idle, self._pid = [], os.getpid()
            extractor = self._idle.pop() if self._idle else Extractor()
        extractor.limits, extractor.options = limits, options
        try:
            yield extractor
        finally:
            with self._lock:
                keep = len(self._idle) < self.max_idle and extractor.pid is not None
                if keep:
                    self._idle.append(extractor)
            if not keep:
                extractor.close()

    def close(self) -> None:
        """Stop every idle child."""
        with self._lock:
            idle, self._idle = self._idle, []
        for extractor in idle:
            extractor.close()


POOL = ExtractorPool()
"""The process-wide pool ``validate`` uses."""
atexit.register(POOL.close)
