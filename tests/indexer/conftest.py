"""Fixtures for the indexer tests: real indexes of the three engines (tantivy and Whoosh in
a temporary directory, PostgreSQL full text in a fresh database), a document factory, and
150 laws of the shared corpus indexed once per session per engine.

Every test that takes ``backend`` or ``law_index`` runs against every engine.  The
PostgreSQL one needs ``GOVCOUNSEL_TEST_PG_URL`` (or ``GOVCOUNSEL_TEST_DATABASE_URL``), a
PostgreSQL URL whose user may create databases; without it those runs skip loudly (and
fail in CI, see ``tests.helpers.skip_or_fail``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from indexer import IndexDoc, SearchBackend
from indexer.whoosh_backend import WhooshBackend

from .support import CORPUS_SIZE, BackendMaker, Law, load_laws

BACKENDS = ("tantivy", "whoosh", "postgres")


@pytest.fixture(params=BACKENDS)
def open_index(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], SearchBackend]]:
    """Open (and reopen) one index location of the backend under test."""
    maker = BackendMaker(request.param, tmp_path / "index")
    yield maker.open
    maker.close()


@pytest.fixture
def backend(open_index: Callable[[], SearchBackend]) -> SearchBackend:
    """An empty index of the backend under test."""
    return open_index()


@pytest.fixture
def whoosh(tmp_path: Path) -> Iterator[WhooshBackend]:
    """An empty Whoosh index (for tests of Whoosh's own files)."""
    opened = WhooshBackend(tmp_path / "index")
    yield opened
    opened.close()


@pytest.fixture
def make_doc() -> Callable[..., IndexDoc]:
    """Build an :class:`IndexDoc` with sensible defaults: ``make_doc(1, "正文")``."""

    def _make(doc_id: int, content: str, **fields: object) -> IndexDoc:
        values: dict[str, object] = {
            "title": f"文书{doc_id}",
            "agency_id": 1,
            "stamp": f"sha-{doc_id}:1",
            "agency_name": "市司法局",
            "doc_type": "legal_opinion",
            "issued_on": date(2022, 1, 1),
        }
        values.update(fields)
        return IndexDoc(id=doc_id, content=content, **values)  # type: ignore[arg-type]

    return _make


@pytest.fixture(scope="session")
def laws() -> list[Law]:
    """150 laws from the corpus (skips without the corpus)."""
    return load_laws(CORPUS_SIZE)


@pytest.fixture(scope="session", params=BACKENDS)
def law_index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, laws: list[Law]
) -> Iterator[SearchBackend]:
    """The 150 laws indexed once per session and backend (read-only for the tests)."""
    maker = BackendMaker(request.param, tmp_path_factory.mktemp("laws") / "index")
    opened = maker.open()
    opened.upsert_many(
        IndexDoc(
            id=law.id,
            title=law.title,
            content=law.text,
            agency_id=law.id % 5 + 1,
            stamp=f"law-{law.id}",
        )
        for law in laws
    )
    yield opened
    maker.close()
