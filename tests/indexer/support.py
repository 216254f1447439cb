"""Helpers shared by the indexer tests: the corpus subset and exhaustive hit lists.

The corpus archive (``../shared/corpus/laws.tar.xz``, or ``$GOVCOUNSEL_CORPUS``) is
unpacked once per machine into the temp dir; tests that need it skip when it is absent.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from indexer import SearchBackend, SearchFilters, SearchRequest, VisibilityFilter
from tests.helpers import skip_or_fail

PROJECT = Path(__file__).resolve().parents[2]
CORPUS_ARCHIVE = Path(
    os.environ.get("GOVCOUNSEL_CORPUS", PROJECT.parent / "shared" / "corpus" / "laws.tar.xz")
)
CORPUS_SIZE = 150
EVERYONE = VisibilityFilter(all_visible=True)


PG_URL = os.environ.get("GOVCOUNSEL_TEST_PG_URL") or os.environ.get(
    "GOVCOUNSEL_TEST_DATABASE_URL", ""
)
_DATABASES = itertools.count()


class BackendMaker:
    """Opens indexes of one backend at one location: a tantivy or Whoosh directory, or a fresh
    PostgreSQL database created for it (dropped by :meth:`close`)."""

    def __init__(self, kind: str, path: Path) -> None:
        self.kind, self.path = kind, path
        self.opened: list[SearchBackend] = []
        self.url: str | None = None
        if kind == "postgres":
            if not PG_URL.startswith("postgresql"):
                skip_or_fail("PostgreSQL search tests need GOVCOUNSEL_TEST_PG_URL")
            self.name = f"gcsearch_{os.getpid()}_{next(_DATABASES)}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = make_url(PG_URL).set(database=self.name).render_as_string(
                hide_password=False
            )

    @staticmethod
    def _admin(statement: str) -> None:
        engine = create_engine(make_url(PG_URL).set(database="postgres"),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(statement))
        engine.dispose()

    def open(self) -> SearchBackend:
        """A new backend object on this location (the data persists between opens)."""
        if self.kind == "postgres":
            from indexer.pg_backend import PostgresBackend

            backend: SearchBackend = PostgresBackend(self.url or "")
        elif self.kind == "tantivy":
            from indexer.tantivy_backend import TantivyBackend

            backend = TantivyBackend(self.path)
        else:
            from indexer.whoosh_backend import WhooshBackend

            backend = WhooshBackend(self.path)
        self.opened.append(backend)
        return backend

    def close(self) -> None:
        """Close every backend opened here and drop the PostgreSQL database."""
        for backend in self.opened:
            backend.close()
        if self.kind == "postgres":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass(frozen=True)
class Law:
    """One law from the corpus index."""

    id: int
    title: str
    text: str


def corpus_dir() -> Path | None:
    """The unpacked ``laws/`` directory, unpacking it on first use; None without archive."""
    if not CORPUS_ARCHIVE.is_file():
        return None
    stamp = int(CORPUS_ARCHIVE.stat().st_mtime)
    target = Path(tempfile.gettempdir()) / f"govcounsel-corpus-{stamp}"
    if not (target / "laws" / "index.tsv").is_file():
        partial = Path(tempfile.mkdtemp(prefix="govcounsel-corpus-", dir=target.parent))
        subprocess.run(["tar", "-xJf", str(CORPUS_ARCHIVE), "-C", str(partial)], check=True)
        try:
            partial.rename(target)
        except OSError:  # another test run unpacked it first
            shutil.rmtree(partial, ignore_errors=True)
    return target / "laws"


def load_laws(count: int, min_chars: int = 1000, max_chars: int = 3000) -> list[Law]:
    """A fixed, evenly spread subset of medium-length laws."""
    laws_dir = corpus_dir()
    if laws_dir is None:
        pytest.skip(f"corpus archive not found at {CORPUS_ARCHIVE}")
    with open(laws_dir / "index.tsv", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle, delimiter="\t")
            if min_chars <= int(r["chars"]) <= max_chars
        ]
    step = max(1, len(rows) // count)
    chosen = rows[::step][:count]
    return [
        Law(int(r["id"]), r["title"], (laws_dir / f"{r['id']}.md").read_text("utf-8"))
        for r in chosen
    ]


def search_ids(
    backend: SearchBackend,
    query: str,
    visibility: VisibilityFilter = EVERYONE,
    filters: SearchFilters | None = None,
) -> set[int]:
    """Every hit id of ``query`` (all pages), checking the total agrees."""
    ids: set[int] = set()
    page, total = 1, None
    while total is None or len(ids) < total:
        result = backend.search(
            SearchRequest(
                query, visibility, filters or SearchFilters(), page=page, per_page=100, facets=False
            )
        )
        total = result.total
        if not result.hits:
            break
        ids.update(hit.id for hit in result.hits)
        page += 1
    assert len(ids) == total
    return ids
