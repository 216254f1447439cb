"""The embedded default search engine: a tantivy index in a local directory, fed the
project's own analysis as pre-tokenised text (:mod:`indexer.token_text`).

Writing
    One writer at a time across processes: every write takes the directory's writer
    lease (:class:`indexer.index_dir.WriterLease`), opens a tantivy writer, commits, waits
    for the merges it started and lets go, so a ``reindex`` and the worker take turns
    instead of failing on tantivy's own lock.  ``upsert_many(..., procs=N)`` analyses in a
    pool of N processes (kept for the life of the backend) while tantivy indexes.
Reading
    Every process opens the index read-only with a manual reload policy; before each
    search the backend compares ``meta.json`` with what it last loaded and reloads after
    any commit (its own or another process's), retrying when a commit's merge removes a
    file under it.  A searcher already handed out keeps its files open, so a commit never
    breaks a search in progress.
Format
    ``govcounsel-index.json`` records the engine and :data:`FORMAT_VERSION`; a missing
    index is created empty, another engine's or format's index (or one that fails to
    open) sets ``needs_rebuild`` and every method raises :class:`IndexUnavailable` until
    ``reset()``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import tantivy

from indexer.analysis import added_words
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
    WriterLease,
    mismatch,
    missing_reason,
    remove_engine_files,
    write_record,
)
from indexer.tantivy_files import by_id, init_pool, meta_stamp, probe
from indexer.tantivy_schema import (
    ENGINE,
    FORMAT_VERSION,
    analyse_many,
    build_schema,
    register_tokenizers,
    to_document,
)
from indexer.tantivy_search import run_search, run_similar

WRITER_TIMEOUT = 30.0
WRITER_HEAP = 64_000_000  # split between the writer threads; bounds the rebuild's memory
BATCH = 50
POOL_MIN_CHARS = 60_000  # a worker batch this large is analysed in the process pool
RELOAD_ATTEMPTS = 5


class TantivyBackend(SearchBackend):
    """A :class:`SearchBackend` over a tantivy index in ``path``."""

    engine = ENGINE
    bulk_procs = min(2, os.cpu_count() or 1)

    def __init__(self, path: str | os.PathLike[str], writer_timeout: float = WRITER_TIMEOUT):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.lease = WriterLease(self.path, writer_timeout)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._index: tantivy.Index | None = None
        self._loaded: tuple[int, int, int] | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = 0
        self._closed = False
        self._open()

    # --- lifecycle ------------------------------------------------------------------

    def _open(self) -> None:
        self.needs_rebuild, self.rebuild_reason = False, None
        if not (self.path / "meta.json").exists():
            self.lease.acquire("create the index")
            try:
                if not (self.path / "meta.json").exists():
                    self.needs_rebuild = True
                    self.rebuild_reason = missing_reason(self.path, ENGINE)
                    self._create()
                    return
            finally:
                self.lease.release()
        problem = mismatch(self.path, ENGINE, FORMAT_VERSION)
        if problem is not None:
            self.needs_rebuild, self.rebuild_reason = True, problem
            return
        try:
            index = tantivy.Index.open(str(self.path))
            register_tokenizers(index)
            index.config_reader(reload_policy="manual")
            probe(index)
        except Exception as exc:  # any failure to read means the files are damaged
            self.needs_rebuild, self.rebuild_reason = True, f"unreadable: {exc}"
            return
        self._index, self._loaded = index, meta_stamp(self.path)

    def _create(self) -> None:
        remove_engine_files(self.path)
        index = tantivy.Index(build_schema(), path=str(self.path), reuse=False)
        register_tokenizers(index)
        index.config_reader(reload_policy="manual")
        write_record(self.path, ENGINE, FORMAT_VERSION)
        self._index, self._loaded = index, meta_stamp(self.path)

    def _usable(self) -> tantivy.Index:
        if self._closed:
            raise IndexUnavailable("search index is closed")
        if self._index is None:
            raise IndexUnavailable(f"search index needs a rebuild: {self.rebuild_reason}")
        return self._index

    def reset(self) -> None:
        """Delete the index files and create an empty index (``needs_rebuild`` stays
        as it was: the caller still has to reindex)."""
        with self._write_lock:
            self.lease.acquire("reset the index")
            try:
                self._index = None
                self._create()
            finally:
                self.lease.release()

    def close(self) -> None:
        """Release the index and the analysis processes."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._index = None
        self._closed = True

    # --- writing --------------------------------------------------------------------

    def upsert(self, doc: IndexDoc) -> None:
        """Add or replace ``doc``; committed on return."""
        self.upsert_many([doc])

    def upsert_many(self, docs: Iterable[IndexDoc], procs: int = 1) -> int:
        """Add or replace ``docs`` in one commit; ``procs > 1`` analyses them in that many
        processes.  Nothing is committed if the iterable raises or repeats an id."""
        return self._write(docs, (), procs)

    def apply_changes(self, upserts: Sequence[IndexDoc], deletes: Sequence[int]) -> None:
        """See :meth:`SearchBackend.apply_changes` (one writer, one commit).  A large
        batch (a backlog) is analysed in the pool of :attr:`bulk_procs` processes; a
        small one (a single upload) in this process, without the round trip."""
        check_disjoint(upserts, deletes)
        size = sum(len(doc.content) for doc in upserts)
        self._write(upserts, deletes, self.bulk_procs if size >= POOL_MIN_CHARS else 1)

    def delete(self, doc_id: int) -> None:
        """Remove ``doc_id`` if indexed; committed on return."""
        self._write((), (doc_id,), 1)

    def clear(self) -> None:
        """Remove every document (the index and its format stay)."""
        self._write((), (), 1, clear=True)

    def _analysed(self, docs: Iterable[IndexDoc], procs: int) -> Iterator[dict[str, object]]:
        iterator = iter(docs)
        size = BATCH if procs <= 1 else max(1, min(BATCH, len(docs) // (2 * procs))) \
            if isinstance(docs, Sequence) else BATCH
        batches = iter(lambda: list(itertools.islice(iterator, size)), [])
        if procs <= 1:
            for batch in batches:
                yield from analyse_many(batch)
            return
        pool = self._analysis_pool(procs)
        pending = []
        for batch in batches:
            pending.append(pool.submit(analyse_many, batch))
            if len(pending) > procs * 2:  # bounded memory: a few batches in flight
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()

    def _analysis_pool(self, procs: int) -> ProcessPoolExecutor:
        if self._pool is None or self._pool_size != procs:
            if self._pool is not None:
                self._pool.shutdown()
            context = multiprocessing.get_context("spawn")  # never fork a threaded server
            self._pool = ProcessPoolExecutor(procs, mp_context=context,
                                             initializer=init_pool, initargs=(added_words(),))
            self._pool_size = procs
        return self._pool

    def _write(self, docs: Iterable[IndexDoc], deletes: Iterable[int], procs: int,
               clear: bool = False) -> int:
        index = self._usable()
        with self._write_lock:
            self.lease.acquire("write documents")
            try:
                return self._write_locked(index, docs, deletes, procs, clear)
            finally:
                self.lease.release()

    def _write_locked(self, index: tantivy.Index, docs: Iterable[IndexDoc],
                      deletes: Iterable[int], procs: int, clear: bool) -> int:
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=min(2, os.cpu_count() or 1))
        seen: set[int] = set()
        try:
            if clear:
                writer.delete_all_documents()
            for doc_id in deletes:
                writer.delete_documents_by_query(by_id(index, doc_id))
            for values in self._analysed(docs, procs):
                doc_id = int(values["id"])  # type: ignore[call-overload]
                if doc_id in seen:
                    raise ValueError(f"document {doc_id} appears twice in one batch")
                seen.add(doc_id)
                writer.delete_documents_by_query(by_id(index, doc_id))
                writer.add_document(to_document(values))
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        writer.wait_merging_threads()
        return len(seen)

    # --- reading --------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        """A searcher of the latest commit (reloaded when ``meta.json`` changed)."""
        index = self._usable()
        stamp = meta_stamp(self.path)
        if stamp != self._loaded:
            with self._read_lock:
                if stamp != self._loaded:
                    self._reload(index)
                    self._loaded = stamp
        return index.searcher()

    @staticmethod
    def _reload(index: tantivy.Index) -> None:
        for attempt in range(RELOAD_ATTEMPTS):
            try:
                index.reload()
                return
            except ValueError:  # a merge removed a file between reading meta and opening
                time.sleep(0.01 * (attempt + 1))
        # Keep serving the searcher already loaded; the next search tries again.

    def search(self, request: SearchRequest) -> SearchResult:
        """See :meth:`SearchBackend.search`."""
        index = self._usable()
        return run_search(self._searcher(), index.schema, request)

    def similar(self, doc_id: int, visible: VisibilityFilter, limit: int = 5) -> list[Hit]:
        """See :meth:`SearchBackend.similar`."""
        index = self._usable()
        return run_similar(self._searcher(), index.schema, doc_id, visible, limit)

    def doc_ids(self) -> dict[int, str]:
        """Every indexed id with its stamp (read from fast fields, not stored documents)."""
        searcher = self._searcher()
        total = searcher.num_docs
        if total == 0:
            return {}
        everything = tantivy.Query.all_query()
        ids = searcher.search(everything, total, count=False, order_by_field="id").hits
        stamps = searcher.search(everything, total, count=False, order_by_field="stamp").hits
        by_address = {(a.segment_ord, a.doc): key for key, a in stamps}
        return {int(key): str(by_address.get((a.segment_ord, a.doc), ""))
                for key, a in ids}

    def count(self) -> int:
        """Number of indexed documents."""
        return self._searcher().num_docs

    def check(self) -> list[str]:
        """Problems with the index files themselves (not agreement with the database)."""
        if self._index is None:
            return [f"search index needs a rebuild: {self.rebuild_reason}"]
        problem = mismatch(self.path, ENGINE, FORMAT_VERSION)
        problems = [f"index record: {problem}"] if problem else []
        try:
            index = tantivy.Index.open(str(self.path))
            register_tokenizers(index)
            probe(index)
            answer = index.searcher().aggregate(tantivy.Query.all_query(), {
                "ids": {"terms": {"field": "id", "min_doc_count": 2, "size": 100}}})
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return [*problems, f"search index unreadable: {exc}"]
        duplicates = answer.get("ids", {}).get("buckets", [])
        if duplicates:
            problems.append(f"{len(duplicates)} duplicate document ids in the index")
        return problems
