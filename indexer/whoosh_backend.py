"""The embedded search backend: a Whoosh index in a local directory.

Writing
    One writer at a time across processes (the webapp's worker thread, ``govcounsel
    worker`` or ``govcounsel reindex``): every write takes the directory's writer lease
    (:mod:`indexer.index_dir`), waiting for it up to a timeout, then raises
    :class:`IndexBusy` naming the holder; each method returns after its commit.
    ``upsert_many`` adds a batch in one commit and, with ``procs=2``, indexes in two
    processes and keeps their two segments (``multisegment``), the fastest way to
    rebuild (see MEASUREMENTS.md).

Reading
    Every thread keeps its own searcher and reopens it when the index has changed;
    readers never wait for the writer, and a searcher opens every file it will read at
    once (``_pin``), so another process's commit and merge never break it.

Format and damage
    ``govcounsel-index.json`` in the directory records the engine and ``FORMAT_VERSION``.  A missing
    index is created empty; an index of another version or one that fails to open is left
    alone and every method raises :class:`IndexUnavailable`.  In all three cases
    ``needs_rebuild`` is set; the webapp calls ``reset()`` and reindexes.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

from whoosh import index, writing
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from indexer.backend import (
    Hit,
    IndexDoc,
    IndexUnavailable,
    SearchBackend,
    SearchRequest,
    SearchResult,
    VisibilityFilter,
    check_disjoint,
)
from indexer.index_dir import (
    RECORD_FILE,
    WriterLease,
    mismatch,
    missing_reason,
    remove_engine_files,
    write_record,
)
from indexer.whoosh_files import open_checked, pin
from indexer.whoosh_schema import ENGINE, FORMAT_VERSION, build_schema, doc_fields
from indexer.whoosh_search import run_search, run_similar

VERSION_FILE = RECORD_FILE
WRITER_TIMEOUT = 30.0
OPEN_ATTEMPTS = 5
BULK_LIMIT_MB = 256
POSTINGS_COMPRESSION = 1


class WhooshBackend(SearchBackend):
    """A :class:`SearchBackend` over a Whoosh index in ``path``."""

    def __init__(self, path: str | os.PathLike[str], writer_timeout: float = WRITER_TIMEOUT):
        self.path = Path(path)
        self.writer_timeout = writer_timeout
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._searchers: dict[int, tuple[FileIndex, Searcher]] = {}
        self._ix: FileIndex | None = None
        self._closed = False
        self._open()

    # --- lifecycle ------------------------------------------------------------------

    def _open(self) -> None:
        self.needs_rebuild, self.rebuild_reason = False, None
        self.path.mkdir(parents=True, exist_ok=True)
        self.lease = WriterLease(self.path, self.writer_timeout)
        if not any(self.path.glob("_MAIN_*.toc")):
            self.needs_rebuild = True
            self.rebuild_reason = missing_reason(self.path, ENGINE)
            with self._leased("create the index"):
                self._create()
            return
        problem = mismatch(self.path, ENGINE, FORMAT_VERSION)
        if problem is not None:
            self.needs_rebuild, self.rebuild_reason = True, problem
            return
        self._ix, problem = open_checked(self.path)
        if problem is not None:
            self.needs_rebuild, self.rebuild_reason = True, problem

    def _create(self) -> None:
        remove_engine_files(self.path)
        self._ix = index.create_in(str(self.path), build_schema())
        write_record(self.path, ENGINE, FORMAT_VERSION)

    @contextmanager
    def _leased(self, purpose: str):
        """Hold the directory's cross-process writer lease (see :mod:`indexer.index_dir`)."""
        self.lease.acquire(purpose)
        try:
            yield
        finally:
            self.lease.release()

    def _index(self) -> FileIndex:
        if self._closed:
            raise IndexUnavailable("search index is closed")
        if self._ix is None:
            raise IndexUnavailable(f"search index needs a rebuild: {self.rebuild_reason}")
        return self._ix

    def _close_searchers(self) -> None:
        with self._state_lock:
            searchers, self._searchers = self._searchers, {}
        for _ix, searcher in searchers.values():
            searcher.close()

    def reset(self) -> None:
        """Delete the index files and create an empty index (``needs_rebuild`` stays
        as it was: the caller still has to reindex)."""
        with self._write_lock, self._leased("reset the index"):
            self._close_searchers()
            if self._ix is not None:
                self._ix.close()
                self._ix = None
            self._create()

    def close(self) -> None:
        """Close every thread's searcher and the index."""
        self._close_searchers()
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        self._closed = True

    # --- writing --------------------------------------------------------------------

    def _writer(self, **options: object):
        """A writer that waits for the index lock.  Segments are written as plain files,
        not Whoosh's default compound file: a reader opening a compound segment copies it
        whole into memory (every searcher of every thread, after every commit), while
        plain files are read in place.  Postings are compressed at zlib level 1 (about as
        small as the default level 3, and cheaper per commit)."""
        codec = W3Codec(compression=POSTINGS_COMPRESSION)
        return self._index().writer(
            timeout=self.writer_timeout, codec=codec, compound=False, **options
        )

    def upsert(self, doc: IndexDoc) -> None:
        """Add or replace ``doc``; committed on return."""
        self.upsert_many([doc])

    def upsert_many(self, docs: Iterable[IndexDoc], procs: int = 1) -> int:
        """Add or replace ``docs`` in one commit (the iterable is consumed lazily, memory
        stays bounded); ``procs=2`` indexes in two processes.  Nothing is committed if
        the iterable raises or holds the same id twice."""
        return self._write(docs, (), procs)

    def apply_changes(self, upserts: Sequence[IndexDoc], deletes: Sequence[int]) -> None:
        """See :meth:`SearchBackend.apply_changes` (one writer, one commit)."""
        check_disjoint(upserts, deletes)
        self._write(upserts, deletes, 1)

    def _write(self, docs: Iterable[IndexDoc], deletes: Iterable[int], procs: int) -> int:
        with self._write_lock, self._leased("write documents"):
            options: dict[str, object] = {"limitmb": BULK_LIMIT_MB}
            if procs > 1:
                options.update(procs=procs, multisegment=True)
            writer = self._writer(**options)
            # Decided under the index lock: another process (a reindex beside the worker)
            # may have added documents since this one last looked.
            fresh = all(segment.doc_count() == 0 for segment in writer.segments)
            seen: set[int] = set()
            try:
                for doc_id in deletes:
                    writer.delete_by_term("id", str(doc_id))
                for doc in docs:
                    if doc.id in seen:
                        raise ValueError(f"document {doc.id} appears twice in one batch")
                    seen.add(doc.id)
                    add = writer.add_document if fresh else writer.update_document
                    add(**doc_fields(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return len(seen)

    def delete(self, doc_id: int) -> None:
        """Remove ``doc_id`` if indexed; committed on return."""
        with self._write_lock, self._leased("delete a document"):
            writer = self._writer()
            writer.delete_by_term("id", str(doc_id))
            writer.commit()

    def clear(self) -> None:
        """Remove every document (the index and its format stay)."""
        with self._write_lock, self._leased("clear the index"):
            writer = self._writer()
            writer.commit(mergetype=writing.CLEAR)

    # --- reading --------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher, reopened when the index changed.  (Whoosh's own
        ``refresh()`` reuses segment readers and misses deletions, so it is not used.)"""
        ix = self._index()
        key = threading.get_ident()
        with self._state_lock:
            cached = self._searchers.get(key)
        if cached is not None:
            if cached[0] is ix and cached[1].up_to_date():
                return cached[1]
            cached[1].close()
        searcher = self._fresh_searcher(ix)
        with self._state_lock:
            self._searchers[key] = (ix, searcher)
        return searcher

    @staticmethod
    def _fresh_searcher(ix: FileIndex) -> Searcher:
        """A pinned searcher of the latest commit.  Segment files are removed only after a
        newer commit exists, so a searcher still up to date once pinned has all of its
        files open; otherwise (a commit and merge ran meanwhile, or a file vanished) it is
        opened again."""
        for attempt in range(OPEN_ATTEMPTS):
            searcher = ix.searcher()
            try:
                pin(searcher)
                if searcher.up_to_date() or attempt == OPEN_ATTEMPTS - 1:
                    return searcher
            except OSError:
                if attempt == OPEN_ATTEMPTS - 1:
                    searcher.close()
                    raise
            searcher.close()
            time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def _reading(self, read):
        """Run ``read(searcher)``; once more on a fresh searcher if a segment vanished
        under a searcher that could not be pinned up to date (constant commits)."""
        try:
            return read(self._searcher())
        except (OSError, TypeError):
            self._drop_searcher()
            return read(self._searcher())

    def _drop_searcher(self) -> None:
        with self._state_lock:
            cached = self._searchers.pop(threading.get_ident(), None)
        if cached is not None:
            cached[1].close()

    def search(self, request: SearchRequest) -> SearchResult:
        """See :meth:`SearchBackend.search`."""
        return self._reading(lambda searcher: run_search(searcher, request))

    def similar(self, doc_id: int, visible: VisibilityFilter, limit: int = 5) -> list[Hit]:
        """See :meth:`SearchBackend.similar`."""
        return self._reading(lambda searcher: run_similar(searcher, doc_id, visible, limit))

    def doc_ids(self) -> dict[int, str]:
        """Every indexed id with its stamp."""
        reader = self._searcher().reader()
        if reader.doc_count() == 0:
            return {}
        ids, stamps = reader.column_reader("id"), reader.column_reader("stamp")
        return {int(ids[d]): stamps[d].decode("utf-8") for d in reader.all_doc_ids()}

    def count(self) -> int:
        """Number of indexed documents."""
        return self._searcher().doc_count()

    def check(self) -> list[str]:
        """Problems with the index files themselves (not agreement with the database)."""
        if self._ix is None:
            return [f"search index needs a rebuild: {self.rebuild_reason}"]
        problems = []
        if mismatch(self.path, ENGINE, FORMAT_VERSION) is not None:
            problems.append(f"{VERSION_FILE} is missing or of another engine or format")
        ix, problem = open_checked(self.path)
        if ix is None:
            return [*problems, f"search index {problem}"]
        with ix.searcher() as searcher:
            reader = searcher.reader()
            ids = reader.column_reader("id") if reader.doc_count() else {}
            live = [ids[docnum] for docnum in reader.all_doc_ids()]
        ix.close()
        if len(live) != len(set(live)):
            problems.append(f"{len(live) - len(set(live))} duplicate document ids in the index")
        return problems
