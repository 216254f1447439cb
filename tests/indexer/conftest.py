"""Fixtures for the indexer tests: real Whoosh indexes in temporary directories, a
document factory, and 150 laws of the shared corpus indexed once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from indexer import IndexDoc
from indexer.whoosh_backend import WhooshBackend

from .support import CORPUS_SIZE, Law, load_laws


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[WhooshBackend]:
    """An empty Whoosh index in a temporary directory."""
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


@pytest.fixture(scope="session")
def law_index(tmp_path_factory: pytest.TempPathFactory, laws: list[Law]) -> Iterator[WhooshBackend]:
    """The 150 laws indexed once per session (read-only for the tests)."""
    opened = WhooshBackend(tmp_path_factory.mktemp("laws") / "index")
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
    opened.close()
