"""What only the PostgreSQL backend has: its tables' format version, the factory, and
documents too large for a ``tsvector`` (the shared behaviour is tested on both backends
by the other modules of this folder)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from indexer import IndexUnavailable, SearchRequest, VisibilityFilter, open_backend
from indexer.pg_backend import PostgresBackend
from indexer.pg_schema import META

from .support import BackendMaker, search_ids

EVERYONE = VisibilityFilter(all_visible=True)


@pytest.fixture
def location(tmp_path):
    maker = BackendMaker("postgres", tmp_path)
    yield maker
    maker.close()


def test_another_format_version_is_detected_and_reset_recovers(location, make_doc):
    backend = location.open()
    backend.upsert(make_doc(1, "行政复议"))
    with backend.engine.begin() as conn:
        conn.execute(text(f"UPDATE {META} SET value = '0' WHERE key = 'format_version'"))
    reopened = location.open()
    assert reopened.needs_rebuild and "format version" in reopened.rebuild_reason
    with pytest.raises(IndexUnavailable):
        reopened.search(SearchRequest("行政", EVERYONE))
    assert reopened.check() != []
    reopened.reset()
    assert reopened.count() == 0 and reopened.check() == []
    reopened.upsert(make_doc(7, "行政复议"))
    assert search_ids(reopened, "行政复议") == {7}
    assert not location.open().needs_rebuild


def test_the_factory_opens_postgres_on_the_application_database(location, tmp_path):
    backend = open_backend("postgres", tmp_path, location.url)
    location.opened.append(backend)
    assert isinstance(backend, PostgresBackend)
    other = open_backend(f"postgres:{location.url}", tmp_path, "sqlite:///ignored.db")
    location.opened.append(other)
    assert isinstance(other, PostgresBackend)


def test_a_document_too_large_for_a_tsvector_is_still_found_exactly(location, make_doc):
    backend = location.open()
    # ~60,000 distinct bigrams of rare characters: more than a tsvector may hold.
    chars = [chr(code) for code in range(0x4E00, 0x4E00 + 260)]
    huge = "".join(a + b for a in chars for b in chars[:240])
    backend.upsert(make_doc(1, huge + "合法性审查"))
    backend.upsert(make_doc(2, "没有这个词"))
    with backend.engine.connect() as conn:
        assert conn.execute(text("SELECT oversize FROM search_index_docs WHERE id = 1")).scalar()
    assert search_ids(backend, '"合法性审查"') == {1}
    assert search_ids(backend, "合法性审查") == {1}
    assert search_ids(backend, f'"{huge[5000:5006]}"') == {1}
    assert search_ids(backend, '"不存在的词"') == set()


def test_nul_characters_and_giant_words_are_indexed(location, make_doc):
    backend = location.open()
    backend.upsert(make_doc(1, "合同\x00审查 " + "x" * 5000 + " 依法行政", title="意见\x00书"))
    assert search_ids(backend, '"依法行政"') == {1}
    assert search_ids(backend, "意见") == {1}
