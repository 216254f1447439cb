"""The access policy applied inside the query: a user never sees a title, snippet, count
or facet of a document they may not open, nor gets it as a "similar" document."""

from __future__ import annotations

import pytest

from indexer import SearchFilters, SearchRequest, VisibilityFilter

from .support import search_ids

TEXT = "关于国有资产处置的法律意见书，涉及合法性审查。"

# (id, agency, classified, advisor)
DOCS = [
    (1, 1, False, None),
    (2, 1, True, 7),
    (3, 2, False, 7),
    (4, 2, True, None),
    (5, 3, False, 8),
    (6, 3, True, 8),
]

USERS = {
    "admin": VisibilityFilter(all_visible=True),
    "clerk of 1": VisibilityFilter(agency_ids=frozenset({1}), classified_agency_ids=frozenset({1})),
    "clerk of 2, reads all public": VisibilityFilter(
        agency_ids=None, classified_agency_ids=frozenset({2})
    ),
    "advisor 7": VisibilityFilter(advisor_ids=frozenset({7})),
    "advisor 8 cleared for 3": VisibilityFilter(
        advisor_ids=frozenset({8}), classified_agency_ids=frozenset({3})
    ),
    "allow-list": VisibilityFilter(doc_ids=frozenset({1, 4, 5})),
    "classified_all without grants": VisibilityFilter(classified_all=True),
    "nobody (default)": VisibilityFilter(),
}


@pytest.fixture
def indexed(backend, make_doc):
    docs = [
        make_doc(
            i,
            TEXT,
            title=f"国资处置意见{i}",
            agency_id=agency,
            classified=secret,
            advisor_id=advisor,
            doc_type="legal_opinion" if i % 2 else "other",
        )
        for i, agency, secret, advisor in DOCS
    ]
    backend.upsert_many(docs)
    return backend, docs


@pytest.mark.parametrize("user", USERS)
def test_hits_totals_and_facets_contain_only_visible_documents(indexed, user):
    backend, docs = indexed
    visibility = USERS[user]
    allowed = {doc.id for doc in docs if visibility.allows(doc)}
    result = backend.search(SearchRequest("国有资产", visibility))
    assert {hit.id for hit in result.hits} == allowed
    assert result.total == len(allowed)
    agencies = {doc.agency_id for doc in docs if doc.id in allowed}
    assert set(result.facets["agency"]) == agencies
    assert sum(result.facets["agency"].values()) == len(allowed)
    assert sum(result.facets["doc_type"].values()) == len(allowed)


@pytest.mark.parametrize("user", USERS)
def test_filters_never_widen_visibility(indexed, user):
    backend, docs = indexed
    visibility = USERS[user]
    filters = SearchFilters(agency_ids=frozenset({2, 3}))
    allowed = {d.id for d in docs if visibility.allows(d) and d.agency_id in (2, 3)}
    assert search_ids(backend, "国有资产", visibility, filters) == allowed


@pytest.mark.parametrize("user", USERS)
def test_similar_documents_are_only_visible_ones(indexed, user):
    backend, docs = indexed
    visibility = USERS[user]
    allowed = {doc.id for doc in docs if visibility.allows(doc)} - {1}
    similar = backend.similar(1, visibility, limit=10)
    assert {hit.id for hit in similar} == allowed


def test_the_expected_matrix(indexed):
    backend, _ = indexed
    seen = {user: search_ids(backend, "国有资产", USERS[user]) for user in USERS}
    assert seen == {
        "admin": {1, 2, 3, 4, 5, 6},
        "clerk of 1": {1, 2},
        "clerk of 2, reads all public": {1, 3, 4, 5},
        "advisor 7": {3},
        "advisor 8 cleared for 3": {5, 6},
        "allow-list": {1, 5},
        "classified_all without grants": set(),
        "nobody (default)": set(),
    }
