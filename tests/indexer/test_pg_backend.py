"""What only the PostgreSQL backend has: its tables' format version, the factory, and
documents too large for a ``tsvector`` (the shared behaviour is tested on both backends
by the other modules of this folder)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from indexer import IndexUnavailable, SearchRequest, VisibilityFilter, open_backend, pg_search
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


def test_ranking_bounded_to_candidates_keeps_totals_facets_and_paging_exact(
    location, make_doc, monkeypatch
):
    """More matches than candidates: totals and facets still count every match, page 1
    is the best-ranked of the candidates (title matches and exact matches first), and
    paging shows every match exactly once."""
    monkeypatch.setattr(pg_search, "CANDIDATES", 3)
    backend = location.open()
    for doc_id in range(1, 10):
        backend.upsert(make_doc(doc_id, "本合同适用于采购。" * doc_id, agency_id=doc_id % 3 + 1,
                                doc_type=("contract", "legal_opinion")[doc_id % 2],
                                issued_on=date(2015 + doc_id, 1, 1)))
    backend.upsert(make_doc(10, "履行期限", title="合同审查意见", issued_on=date(2001, 1, 1)))
    backend.upsert(make_doc(11, "与本案无关"))
    result = backend.search(SearchRequest("合同", EVERYONE, per_page=2))
    assert result.total == 10
    assert result.facets["agency"] == {1: 4, 2: 3, 3: 3}
    assert result.facets["doc_type"] == {"contract": 4, "legal_opinion": 6}
    assert result.hits[0].id == 10  # the word in the title outranks the bodies
    assert result.hits[0].score >= result.hits[1].score
    seen = [hit.id for page in range(1, 6)
            for hit in backend.search(SearchRequest("合同", EVERYONE, page=page,
                                                    per_page=2)).hits]
    assert sorted(seen) == list(range(1, 11))
    newest = backend.search(SearchRequest("合同", EVERYONE, sort="date", per_page=3))
    assert [hit.id for hit in newest.hits] == [9, 8, 7] and newest.total == 10


def test_an_or_of_many_terms_is_answered_within_the_default_budget(location, make_doc):
    """30 OR'ed terms used to become 30 ``id IN`` sub-selects that took seconds to plan,
    past the default time budget, even on a one-document table."""
    backend = location.open()
    backend.upsert(make_doc(1, "行政复议"))
    wide = " OR ".join(f"{chr(0x4E00 + i)}{chr(0x4E10 + i)}" for i in range(29)) + " OR 复议"
    assert backend.search(SearchRequest(wide, EVERYONE)).total == 1
