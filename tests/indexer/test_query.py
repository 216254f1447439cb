"""Query syntax: the parser's tree, its refusals, and what each form finds."""

from __future__ import annotations

from datetime import date

import pytest

from indexer import QuerySyntaxError, SearchFilters, SearchRequest, VisibilityFilter
from indexer.query import And, Not, Or, Phrase, Term, parse_query

from .support import search_ids


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("行政复议", Term("行政复议")),
        ("行政复议 合同", And((Term("行政复议"), Term("合同")))),
        ("a AND b", And((Term("a"), Term("b")))),
        ('"行政复议"', Phrase("行政复议")),
        ("“行政 复议”", Phrase("行政 复议")),
        ("＂行政＂", Phrase("行政")),
        ("招标 OR 投标", Or((Term("招标"), Term("投标")))),
        ("合同 审查 | 审核", And((Term("合同"), Or((Term("审查"), Term("审核")))))),
        ("（招标 ｜ 投标） -草案", And((Or((Term("招标"), Term("投标"))), Not(Term("草案"))))),
        ("NOT 草案 合同", And((Not(Term("草案")), Term("合同")))),
        ("《行政复议法》", Term("行政复议法")),
        ('合同"审查"', And((Term("合同"), Phrase("审查")))),
        ("or and", And((Term("or"), Term("and")))),
        ('"" 行政 ，', Term("行政")),
    ],
)
def test_parse(query, tree):
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("，。", "empty"),
        ("()", "empty"),
        ('"行政复议', "unbalanced_quote"),
        ('行政复议"', "unbalanced_quote"),
        ("“行政复议", "unbalanced_quote"),
        ("(行政 OR 复议", "unbalanced_paren"),
        ("行政)", "unbalanced_paren"),
        ("NOT", "dangling_operator"),
        ("行政 OR", "dangling_operator"),
        ("OR 行政", "dangling_operator"),
        ("行政 AND", "dangling_operator"),
        ("行政 OR OR 复议", "dangling_operator"),
        ("-草案", "only_negative"),
        ("NOT 草案 OR -意见", "only_negative"),
        ("合同 OR -草案", "only_negative"),
        ("法" * 300, "too_long"),
        (" ".join(["法"] * 40), "too_long"),
    ],
)
def test_unacceptable_queries_raise_with_a_message(query, code):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.code == code
    assert caught.value.message and str(caught.value) == caught.value.message


def test_search_refuses_a_bad_query_instead_of_guessing(backend, make_doc):
    backend.upsert(make_doc(1, "行政复议"))
    with pytest.raises(QuerySyntaxError, match="引号"):
        backend.search(SearchRequest('"行政', VisibilityFilter(all_visible=True)))


@pytest.fixture
def corpus(backend, make_doc):
    backend.upsert_many(
        [
            make_doc(
                1,
                "依法申请行政复议。",
                agency_id=1,
                doc_type="legal_opinion",
                issued_on=date(2021, 5, 1),
                advisor_id=7,
                matter_area="major_dispute",
            ),
            make_doc(
                2,
                "合同审查意见：同意签订聘任合同。",
                agency_id=2,
                doc_type="contract",
                issued_on=date(2022, 3, 31),
                meeting_type="executive_meeting",
            ),
            make_doc(
                3,
                "招标、投标活动的合法性审查意见",
                agency_id=1,
                doc_type="legality_review",
                issued_on=date(2022, 7, 1),
                matter_area="bidding",
                service_type="contract_review",
            ),
            make_doc(
                4,
                "行政复议决定书草案；合同纠纷",
                agency_id=3,
                doc_type="legal_opinion",
                issued_on=None,
            ),
            make_doc(
                5,
                "招标投标法第5条规定，PPP项目须公开招标。",
                agency_id=2,
                doc_type="other",
                issued_on=date(2020, 12, 31),
            ),
        ]
    )
    return backend


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("行政复议", {1, 4}),
        ("行政复议 合同", {4}),
        ("行政复议 AND 合同", {4}),
        ("行政复议 OR 聘任", {1, 2, 4}),
        ("行政复议 -草案", {1}),
        ("行政复议 NOT 草案", {1}),
        ("招标 -审查", {5}),  # the excluded term occurs first in an earlier document
        ("(行政复议 | 招标) -草案", {1, 3, 5}),
        ('"合同审查"', {2}),
        ('"招标投标"', {5}),
        ("招标投标", {3, 5}),
        ('"第5条"', {5}),
        ('"5条规定"', {5}),
        ("ppp", {5}),
        ("ＰＰＰ项目", {5}),
        ('"行政复议决定"', {4}),
        ('"行政，复议"', set()),
        ("审", {2, 3}),
    ],
)
def test_query_forms(corpus, query, expected):
    assert search_ids(corpus, query) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(agency_ids=frozenset({1})), {1, 3}),
        (SearchFilters(agency_ids=frozenset({1, 3})), {1, 3, 4}),
        (SearchFilters(agency_ids=frozenset({99})), set()),
        (SearchFilters(doc_types=frozenset({"legal_opinion"})), {1, 4}),
        (SearchFilters(date_from=date(2022, 1, 1)), {2, 3}),
        (SearchFilters(date_to=date(2021, 12, 31)), {1, 5}),
        (SearchFilters(date_from=date(2021, 1, 1), date_to=date(2022, 3, 31)), {1, 2}),
        (SearchFilters(advisor_id=7), {1}),
        (SearchFilters(matter_area="bidding"), {3}),
        (SearchFilters(meeting_type="executive_meeting"), {2}),
        (SearchFilters(service_type="contract_review"), {3}),
    ],
)
def test_filters(corpus, filters, expected):
    everything = "行政复议 OR 合同 OR 招标"
    assert search_ids(corpus, everything, filters=filters) == expected


def test_sort_by_date_puts_the_newest_first_and_undated_last(corpus):
    result = corpus.search(
        SearchRequest("行政复议 OR 合同 OR 招标", VisibilityFilter(all_visible=True), sort="date")
    )
    assert [hit.id for hit in result.hits] == [3, 2, 1, 5, 4]
    assert result.hits[0].issued_on == date(2022, 7, 1)


def test_relevance_ranks_the_exact_phrase_first(corpus):
    result = corpus.search(SearchRequest("招标投标", VisibilityFilter(all_visible=True)))
    assert [hit.id for hit in result.hits] == [5, 3]


def test_pages_and_totals(corpus):
    request = dict(query="行政复议 OR 合同 OR 招标", visibility=VisibilityFilter(all_visible=True))
    first = corpus.search(SearchRequest(**request, per_page=2, page=1))
    third = corpus.search(SearchRequest(**request, per_page=2, page=3))
    beyond = corpus.search(SearchRequest(**request, per_page=2, page=4))
    assert first.total == third.total == beyond.total == 5
    assert len(first.hits) == 2 and len(third.hits) == 1 and beyond.hits == []


def test_facets_count_every_match_not_just_the_page(corpus):
    result = corpus.search(
        SearchRequest("行政复议 OR 合同 OR 招标", VisibilityFilter(all_visible=True), per_page=1)
    )
    assert result.facets == {
        "agency": {1: 2, 2: 2, 3: 1},
        "doc_type": {"legal_opinion": 2, "contract": 1, "legality_review": 1, "other": 1},
        "year": {2020: 1, 2021: 1, 2022: 2},
    }


def test_request_validation():
    everyone = VisibilityFilter(all_visible=True)
    for bad in (dict(sort="title"), dict(page=0), dict(per_page=0), dict(per_page=101)):
        with pytest.raises(ValueError):
            SearchRequest("合同", everyone, **bad)
