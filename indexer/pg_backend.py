"""The scale-out search backend: PostgreSQL full-text search (``GOVCOUNSEL_SEARCH=postgres``).

The analysis is the same as the Whoosh backend's (:mod:`indexer.analysis`, done in
Python); PostgreSQL stores the tokens as ``tsvector`` columns with GIN indexes and
answers with the same contract (:mod:`indexer.pg_query` says how; one search is one
statement, :mod:`indexer.pg_search`).  Differences a user could notice: ranking is
PostgreSQL's ``ts_rank`` over the jieba words (term frequency with length
normalisation, title words weighted higher) rather than BM25, computed for a bounded set
of candidates when more than :data:`indexer.pg_search.CANDIDATES` documents match
(totals and facets stay exact), and a quoted phrase mixing Latin words and Chinese
matches inside longer Latin words too.

Writing
    Every method commits before it returns; several worker processes may write at once
    (rows are upserted by id).  ``upsert_many(..., procs=2)`` analyses in a process pool.
Reading
    Readers use their own pooled connections and never wait for writers (MVCC).
Format
    ``search_index_meta.format_version`` records :data:`FORMAT_VERSION`; missing tables
    are created (``needs_rebuild`` with reason ``missing``), another version sets
    ``needs_rebuild`` and every method raises :class:`IndexUnavailable` until ``reset()``.
"""

from __future__ import annotations

import itertools
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from indexer.analysis import word_tokens
from indexer.backend import (
    Hit,
    IndexDoc,
    IndexUnavailable,
    SearchBackend,
    SearchRequest,
    SearchResult,
    SearchTooCostly,
    VisibilityFilter,
    check_disjoint,
)
from indexer.pg_query import (
    Sql,
    exact_bonus,
    filter_condition,
    highlight_needles,
    match_set,
    query_term_count,
    rank_query,
    rank_words,
    visibility_condition,
)
from indexer.pg_schema import DDL, DOCS, DROP, FORMAT_VERSION, META, UPSERT, doc_rows, quote_lexeme
from indexer.pg_search import MATCH_COLUMNS, parse_result, search_statement
from indexer.query import parse_query
from indexer.snippets import CompactText, make_snippet, mark_html

BATCH = 100
LOCK_KEY = 0x60C0_5EA1  # pg_advisory_xact_lock key serialising DDL between processes
SIMILAR_TEXT_CHARS = 20_000
SIMILAR_TERMS = 15
SIMILAR_CANDIDATES = 40
SEARCH_WORK_MEM = "32MB"
HIT_COLUMNS = "id, title, agency_id, agency_name, doc_type, issued_on"


def engine_url(url: str) -> str:
    """A SQLAlchemy URL using psycopg 3 (the driver this project installs)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("GOVCOUNSEL_SEARCH=postgres needs a PostgreSQL database URL")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


class PostgresBackend(SearchBackend):
    """A :class:`SearchBackend` stored in PostgreSQL tables (see :mod:`indexer.pg_schema`)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(engine_url(url), pool_pre_ping=True)
        # A backend dropped without close() still closes its pooled connections.
        self._finalizer = weakref.finalize(self, self.engine.dispose)
        self._closed = False
        self._usable = False
        self._open()

    # --- lifecycle ------------------------------------------------------------------

    def _open(self) -> None:
        self.needs_rebuild, self.rebuild_reason = False, None
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            exists = conn.execute(text("SELECT to_regclass(:name)"), {"name": DOCS}).scalar()
            if exists is None:
                self._create(conn)
                self.needs_rebuild, self.rebuild_reason = True, "missing"
                self._usable = True
                return
            version = self._version(conn)
        if version != FORMAT_VERSION:
            self.needs_rebuild = True
            self.rebuild_reason = f"format version {version}, expected {FORMAT_VERSION}"
            return
        self._usable = True

    @staticmethod
    def _version(conn: Connection) -> int | None:
        if conn.execute(text("SELECT to_regclass(:name)"), {"name": META}).scalar() is None:
            return None
        value = conn.execute(
            text(f"SELECT value FROM {META} WHERE key = 'format_version'")
        ).scalar()
        return int(value) if value is not None and value.isdigit() else None

    @staticmethod
    def _create(conn: Connection) -> None:
        for statement in DDL:
            conn.execute(text(statement))
        conn.execute(
            text(
                f"INSERT INTO {META} (key, value) VALUES ('format_version', :v) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
            ),
            {"v": str(FORMAT_VERSION)},
        )

    def _check_usable(self) -> None:
        if self._closed:
            raise IndexUnavailable("search index is closed")
        if not self._usable:
            raise IndexUnavailable(f"search index needs a rebuild: {self.rebuild_reason}")

    def reset(self) -> None:
        """Drop the search tables and create empty ones of the current format."""
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            for statement in DROP:
                conn.execute(text(statement))
            self._create(conn)
        self._usable = True

    def close(self) -> None:
        """Close the pooled connections."""
        self._finalizer()
        self._closed = True

    # --- writing --------------------------------------------------------------------

    def upsert(self, doc: IndexDoc) -> None:
        """Add or replace ``doc``; committed on return."""
        self.upsert_many([doc])

    def upsert_many(self, docs: Iterable[IndexDoc], procs: int = 1) -> int:
        """Add or replace ``docs`` in one transaction; ``procs > 1`` analyses in a
        process pool.  Nothing is committed if the iterable raises or repeats an id."""
        self._check_usable()
        seen: set[int] = set()
        with self.engine.begin() as conn:
            for rows in self._analysed(docs, procs, seen):
                conn.execute(text(UPSERT), rows)
        return len(seen)

    def apply_changes(self, upserts: Sequence[IndexDoc], deletes: Sequence[int]) -> None:
        """See :meth:`SearchBackend.apply_changes` (one transaction)."""
        check_disjoint(upserts, deletes)
        self._check_usable()
        seen: set[int] = set()
        with self.engine.begin() as conn:
            if deletes:
                conn.execute(text(f"DELETE FROM {DOCS} WHERE id = ANY(:ids)"),
                             {"ids": list(deletes)})
            for rows in self._analysed(upserts, 1, seen):
                conn.execute(text(UPSERT), rows)

    @staticmethod
    def _batches(docs: Iterable[IndexDoc], seen: set[int]) -> Iterator[list[IndexDoc]]:
        iterator = iter(docs)
        while batch := list(itertools.islice(iterator, BATCH)):
            for doc in batch:
                if doc.id in seen:
                    raise ValueError(f"document {doc.id} appears twice in one batch")
                seen.add(doc.id)
            yield batch

    def _analysed(self, docs: Iterable[IndexDoc], procs: int, seen: set[int]):
        batches = self._batches(docs, seen)
        if procs <= 1:
            for batch in batches:
                yield doc_rows(batch)
            return
        with ProcessPoolExecutor(procs) as pool:
            pending = []
            for batch in batches:
                pending.append(pool.submit(doc_rows, batch))
                if len(pending) > procs * 2:  # bounded memory: a few batches in flight
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()

    def delete(self, doc_id: int) -> None:
        """Remove ``doc_id`` if indexed; committed on return."""
        self._check_usable()
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {DOCS} WHERE id = :id"), {"id": doc_id})

    def clear(self) -> None:
        """Remove every document (the tables and their format stay)."""
        self._check_usable()
        with self.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {DOCS}"))

    # --- reading --------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        """See :meth:`SearchBackend.search` (one statement: :mod:`indexer.pg_search`)."""
        self._check_usable()
        node = parse_query(request.query)
        if query_term_count(node) > request.limits.max_terms:
            raise SearchTooCostly("terms")
        sql = Sql()
        restrict = " AND ".join(
            part
            for part in (
                visibility_condition(sql, request.visibility),
                filter_condition(sql, request.filters),
            )
            if part
        )
        matching = match_set(sql, node, MATCH_COLUMNS, restrict or None)
        words = rank_words(node)
        statement = search_statement(
            sql, request, matching, rank_query(words), exact_bonus(sql, node), words
        )
        with self.engine.connect() as conn, _time_budget(conn, request.limits.time_budget):
            _prefer_indexes(conn)
            row = conn.execute(text(statement), sql.params).one()
        total, rows, facets = parse_result(row, request.facets)
        needles = highlight_needles(node)
        return SearchResult(
            total=total, hits=[_hit(hit, needles) for hit in rows], facets=facets
        )

    def similar(self, doc_id: int, visible: VisibilityFilter, limit: int = 5) -> list[Hit]:
        """Visible documents sharing the most distinctive words of ``doc_id``: its most
        frequent words weighted by how rare they are in the index (tf·idf)."""
        self._check_usable()
        with self.engine.connect() as conn:
            row = conn.execute(
                text(f"SELECT title, content FROM {DOCS} WHERE id = :id"), {"id": doc_id}
            ).first()
            if row is None:
                return []
            terms = self._key_terms(conn, f"{row.title}\n{row.content[:SIMILAR_TEXT_CHARS]}")
            if not terms:
                return []
            _prefer_indexes(conn)
            sql = Sql()
            query = sql.bind(" | ".join(quote_lexeme(term) for term in terms))
            where = [f"words @@ CAST({query} AS tsquery)", f"id <> {sql.bind(doc_id)}"]
            visibility = visibility_condition(sql, visible)
            if visibility:
                where.append(visibility)
            statement = (
                f"SELECT {HIT_COLUMNS}, content, ts_rank(words, CAST({query} AS tsquery), 1) "
                f"AS score FROM {DOCS} WHERE {' AND '.join(where)} "
                f"ORDER BY score DESC, id LIMIT {int(limit)}"
            )
            rows = conn.execute(text(statement), sql.params).mappings().all()
        return [_hit(row, []) for row in rows]

    @staticmethod
    def _key_terms(conn: Connection, text_: str) -> list[str]:
        counts = Counter(word for word in word_tokens(text_) if len(word) > 1)
        candidates = [word for word, _ in counts.most_common(SIMILAR_CANDIDATES)]
        if not candidates:
            return []
        total = conn.execute(text(f"SELECT count(*) FROM {DOCS}")).scalar_one() or 1
        weights = {}
        for word in candidates:
            frequency = conn.execute(
                text(f"SELECT count(*) FROM {DOCS} WHERE words @@ CAST(:q AS tsquery)"),
                {"q": quote_lexeme(word)},
            ).scalar_one()
            weights[word] = counts[word] * (total / (1 + frequency))
        return sorted(candidates, key=lambda word: -weights[word])[:SIMILAR_TERMS]

    def doc_ids(self) -> dict[int, str]:
        """Every indexed id with its stamp."""
        self._check_usable()
        with self.engine.connect() as conn:
            return {int(i): s for i, s in conn.execute(text(f"SELECT id, stamp FROM {DOCS}"))}

    def count(self) -> int:
        """Number of indexed documents."""
        self._check_usable()
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {DOCS}")).scalar_one())

    def check(self) -> list[str]:
        """Problems with the search tables themselves (not agreement with the database)."""
        if not self._usable:
            return [f"search index needs a rebuild: {self.rebuild_reason}"]
        try:
            with self.engine.connect() as conn:
                if conn.execute(text("SELECT to_regclass(:n)"), {"n": DOCS}).scalar() is None:
                    return [f"search table {DOCS} is missing"]
                version = self._version(conn)
        except SQLAlchemyError as exc:
            return [f"search tables unreadable: {type(exc).__name__}: {exc}"]
        if version != FORMAT_VERSION:
            return [f"search tables of format version {version}, expected {FORMAT_VERSION}"]
        return []

    def size_bytes(self) -> int:
        """Disk space of the search tables and their indexes (for benchmarks)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(text("SELECT pg_total_relation_size(:n)"), {"n": DOCS}).scalar_one()
            )


@contextmanager
def _time_budget(conn: Connection, seconds: float):
    """Cancel this transaction's statements after ``seconds`` (PostgreSQL's
    ``statement_timeout``): :class:`SearchTooCostly` instead of a stuck thread."""
    conn.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
    try:
        yield
    except OperationalError as exc:
        if isinstance(exc.orig, psycopg.errors.QueryCanceled):
            raise SearchTooCostly("time") from None
        raise


def _prefer_indexes(conn: Connection) -> None:
    """Steer this transaction's plans to the GIN indexes.  The planner cannot see that
    evaluating ``@@`` row by row means decompressing large ``tsvector`` values, so for
    common words it picks a sequential scan that is several times slower."""
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    # The matches of a common word (~100,000 narrow rows) stay in memory.
    conn.execute(text(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"))


def _hit(row, needles: list[str]) -> Hit:
    title, content = row["title"], row["content"]
    content_text, title_text = CompactText(content), CompactText(title)
    content_spans = [span for needle in needles for span in content_text.spans(needle)]
    title_spans = [span for needle in needles for span in title_text.spans(needle)]
    return Hit(
        id=int(row["id"]),
        title=title,
        agency_id=int(row["agency_id"]),
        agency_name=row["agency_name"],
        doc_type=row["doc_type"],
        issued_on=row["issued_on"],
        score=float(row["score"]),
        snippet_html=make_snippet(content, content_spans),
        title_html=mark_html(title, title_spans),
    )
