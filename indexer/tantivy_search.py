"""Searching a tantivy index: hits with snippets, totals and facets, similar documents.

Totals come from tantivy's ``Count`` collector and facet counts from its terms
aggregations over fast fields, so nothing loops over matches in Python; only the page of
hits is read back.  Snippets find the query's needles in each hit's stored compact text
and map them to the original text through the stored offset map (no re-analysis).
"""

from __future__ import annotations

import time

import tantivy
from tantivy import Occur, Query

from indexer.backend import (
    CostLimits,
    Hit,
    SearchFilters,
    SearchRequest,
    SearchResult,
    SearchTooCostly,
    VisibilityFilter,
)
from indexer.pg_query import highlight_needles
from indexer.query import parse_query
from indexer.snippets import CompactText, make_snippet, mark_html, unpack_compact
from indexer.tantivy_query import Terms, restricted, restrictions, to_tantivy
from indexer.tantivy_schema import number_date, stored_text

FACETS = {"agency": "agency_id", "doc_type": "doc_type", "year": "year"}
FACET_BUCKETS = 10_000
SIMILAR_TERMS = 15


class Deadline:
    """The time budget of one search, checked between its phases (a phase itself runs in
    tantivy, without the GIL, and is bounded by the term limit)."""

    def __init__(self, limits: CostLimits) -> None:
        self.at = time.monotonic() + limits.time_budget

    def check(self) -> None:
        """Raise :class:`SearchTooCostly` once the budget is spent."""
        if time.monotonic() > self.at:
            raise SearchTooCostly("time")


def _facets(searcher: tantivy.Searcher, query: Query) -> dict[str, dict[int | str, int]]:
    request = {name: {"terms": {"field": fieldname, "size": FACET_BUCKETS}}
               for name, fieldname in FACETS.items()}
    answer = searcher.aggregate(query, request)
    facets: dict[str, dict[int | str, int]] = {}
    for name in FACETS:
        buckets = answer.get(name, {}).get("buckets", [])
        if name == "doc_type":
            facets[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets if b["key"]}
        else:
            facets[name] = {int(b["key"]): int(b["doc_count"]) for b in buckets if b["key"]}
    return facets


def _hit(document: tantivy.Document, score: float, needles: list[str]) -> Hit:
    title, content = stored_text(document, "title"), stored_text(document, "content")
    if needles:
        compact = unpack_compact(stored_text(document, "compact"),
                                 document.get_first("compact_map") or b"")
        title_text = CompactText(title)
        content_spans = [span for needle in needles for span in compact.spans(needle)]
        title_spans = [span for needle in needles for span in title_text.spans(needle)]
    else:
        content_spans, title_spans = [], []
    return Hit(
        id=int(document.get_first("id")),
        title=title,
        agency_id=int(document.get_first("agency_id")),
        agency_name=stored_text(document, "agency_name"),
        doc_type=document.get_first("doc_type") or "",
        issued_on=number_date(document.get_first("issued")),
        score=float(score),
        snippet_html=make_snippet(content, content_spans),
        title_html=mark_html(title, title_spans),
    )


def run_search(searcher: tantivy.Searcher, schema, request: SearchRequest) -> SearchResult:
    """Execute ``request`` (see :meth:`SearchBackend.search`)."""
    deadline = Deadline(request.limits)
    node = parse_query(request.query)
    terms = Terms()
    text_query = to_tantivy(schema, node, terms)
    if len(terms.seen) > request.limits.max_terms:
        raise SearchTooCostly("terms")
    query = restricted(text_query, restrictions(schema, request.filters, request.visibility))
    options: dict[str, object] = {}
    if request.sort == "date":
        options = {"order_by_field": "issued", "order": tantivy.Order.Desc}
    found = searcher.search(query, limit=request.per_page, count=True,
                            offset=(request.page - 1) * request.per_page, **options)
    deadline.check()
    facets = _facets(searcher, query) if request.facets else {}
    deadline.check()
    needles = highlight_needles(node)
    hits = []
    for score, address in found.hits:
        relevance = score if request.sort == "relevance" else 0.0
        hits.append(_hit(searcher.doc(address), relevance, needles))
    return SearchResult(total=int(found.count or 0), hits=hits, facets=facets)


def find_address(searcher: tantivy.Searcher, schema, doc_id: int):
    """The address of document ``doc_id`` in ``searcher``, or ``None``."""
    found = searcher.search(Query.term_query(schema, "id", doc_id), limit=1, count=False)
    return found.hits[0][1] if found.hits else None


def run_similar(searcher: tantivy.Searcher, schema, doc_id: int, visible: VisibilityFilter,
                limit: int) -> list[Hit]:
    """Visible documents sharing the most distinctive words of ``doc_id``: tantivy's
    more-like-this query (tf·idf over the index) on the document's stored words."""
    address = find_address(searcher, schema, doc_id)
    if address is None:
        return []
    words = stored_text(searcher.doc(address), "similar_words")
    if not words:
        return []
    like = Query.more_like_this_document_fields_query(
        schema, {"content_words": words}, min_doc_frequency=1, min_term_frequency=1,
        max_query_terms=SIMILAR_TERMS)
    itself = Query.term_query(schema, "id", doc_id)
    query = restricted(like, [*restrictions(schema, SearchFilters(), visible),
                              (Occur.MustNot, itself)])
    found = searcher.search(query, limit=limit, count=False)
    return [_hit(searcher.doc(address), score, []) for score, address in found.hits]
