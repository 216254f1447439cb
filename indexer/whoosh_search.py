"""Searching a Whoosh index: hits with snippets, totals and facets, similar documents.

Functions here take an open searcher; :mod:`indexer.whoosh_backend` owns the index.
Highlighting reads the stored positions and character offsets of the query's exact
tokens (no re-analysis of the text) and marks each occurrence of a whole phrase.
"""

from __future__ import annotations

import time
from collections import defaultdict

from whoosh import classify, collectors, sorting
from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.analysis import ExactQuery
from indexer.backend import (
    Hit,
    SearchFilters,
    SearchRequest,
    SearchResult,
    SearchTooCostly,
    VisibilityFilter,
)
from indexer.query import parse_query
from indexer.snippets import Span, char_spans, make_snippet, mark_html
from indexer.whoosh_query import filter_query, highlight_needles, mask_query, to_whoosh
from indexer.whoosh_schema import number_date, stored_content

FACET_FIELDS = {"agency": "agency_id", "doc_type": "doc_type", "year": "year"}
SIMILAR_TEXT_CHARS = 20_000
SIMILAR_TERMS = 15

Positions = dict[int, Span]


def _allowed_sets(
    searcher: Searcher, allow: wq.Query | None, restrict: wq.Query | None
) -> tuple[set[int] | None, set[int] | None]:
    """Docnum sets for Whoosh's filter/mask.  Whoosh treats an *empty* allow set as "no
    filter" in places, so callers must check for ``set()`` and return no hits."""
    allowed = set(searcher.docs_for_query(allow)) if allow is not None else None
    restricted = set(searcher.docs_for_query(restrict)) if restrict is not None else None
    return allowed, restricted or None


def _facets(results, wanted: bool) -> dict[str, dict[int | str, int]]:
    if not wanted:
        return {}
    facets: dict[str, dict[int | str, int]] = {}
    for name, fieldname in FACET_FIELDS.items():
        groups = results.groups(fieldname)
        if name == "doc_type":
            facets[name] = {str(key): count for key, count in groups.items() if key}
        else:
            facets[name] = {int(key): count for key, count in groups.items() if key}
    return facets


def _token_positions(
    searcher: Searcher, fieldname: str, docnums: list[int], tokens: set[str]
) -> dict[int, dict[str, Positions]]:
    """For each docnum, each token's ``{position: (start, end)}`` in ``fieldname``."""
    reader = searcher.reader()
    table: dict[int, dict[str, Positions]] = defaultdict(dict)
    ordered = sorted(docnums)
    for token in tokens:
        if (fieldname, token) not in reader:
            continue
        matcher = reader.postings(fieldname, token)
        for docnum in ordered:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                chars = matcher.value_as("characters")
                table[docnum][token] = {pos: (start, end) for pos, start, end in chars}
    return table


def _phrase_spans(positions: dict[str, Positions], tokens: tuple[str, ...]) -> list[Span]:
    tables = [positions.get(token) for token in tokens]
    if not all(tables):
        return []
    first, last = tables[0], tables[-1]
    spans = []
    for pos, (start, _) in first.items():
        if all(pos + i in table for i, table in enumerate(tables)):
            spans.append((start, last[pos + len(tokens) - 1][1]))
    return spans


def _spans(text: str, positions: dict[str, Positions], needles: list[ExactQuery]) -> list[Span]:
    spans: list[Span] = []
    for needle in needles:
        if needle.prefix is not None:
            spans += char_spans(text, needle.prefix)
        else:
            spans += _phrase_spans(positions, needle.tokens)
    return spans


def _hits(searcher: Searcher, scored: list[tuple[int, float]], needles: list[ExactQuery]):
    docnums = [docnum for docnum, _ in scored]
    tokens = {token for needle in needles for token in needle.tokens}
    content_pos = _token_positions(searcher, "content_exact", docnums, tokens)
    title_pos = _token_positions(searcher, "title_exact", docnums, tokens)
    hits = []
    for docnum, score in scored:
        stored = searcher.stored_fields(docnum)
        title, content = stored.get("title", ""), stored_content(stored)
        hits.append(
            Hit(
                id=int(stored["id"]),
                title=title,
                agency_id=int(stored["agency_id"]),
                agency_name=stored.get("agency_name", ""),
                doc_type=stored.get("doc_type", ""),
                issued_on=number_date(stored.get("issued")),
                score=float(score),
                snippet_html=make_snippet(content, _spans(content, content_pos[docnum], needles)),
                title_html=mark_html(title, _spans(title, title_pos[docnum], needles)),
            )
        )
    return hits


def _score(hit) -> float:
    """Relevance score; 0.0 when the results were sorted by something else."""
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


class _Deadline(collectors.WrappingCollector):
    """Stops a search that runs past its time budget (checked at every match, inside the
    filter: Whoosh's own ``TimeLimitCollector`` bypasses the filter and mask)."""

    def __init__(self, child, seconds: float) -> None:
        super().__init__(child)
        self.at = time.monotonic() + seconds

    def collect(self, sub_docnum):
        """Collect one match, or raise :class:`SearchTooCostly` past the deadline."""
        if time.monotonic() > self.at:
            raise SearchTooCostly("time")
        return self.child.collect(sub_docnum)


def _collector(searcher: Searcher, request: SearchRequest, groupedby, allowed, restricted):
    """Whoosh's collector chain for ``request`` (as ``Searcher.collector`` builds it) with
    the time budget inside it."""
    limit = request.page * request.per_page
    sortedby = _sort_key(request)
    if sortedby:
        chain = collectors.SortingCollector(sortedby, limit=limit)
    elif groupedby or limit >= searcher.doc_count():
        chain = collectors.UnlimitedCollector()
    else:
        chain = collectors.TopCollector(limit)
    chain = _Deadline(chain, request.limits.time_budget)
    if groupedby:
        chain = collectors.FacetCollector(chain, groupedby)
    if allowed is not None or restricted:
        chain = collectors.FilterCollector(chain, allowed, restricted)
    return chain


def _sort_key(request: SearchRequest):
    if request.sort == "date":
        return [sorting.FieldFacet("issued", reverse=True), sorting.ScoreFacet()]
    return None


def run_search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Execute ``request`` on ``searcher`` (see :meth:`SearchBackend.search`)."""
    node = parse_query(request.query)
    allowed, restricted = _allowed_sets(
        searcher,
        filter_query(request.filters, request.visibility),
        mask_query(request.visibility),
    )
    if allowed is not None and not allowed:
        facets = {name: {} for name in FACET_FIELDS} if request.facets else {}
        return SearchResult(total=0, hits=[], facets=facets)
    groupedby = None
    if request.facets:
        groupedby = sorting.Facets()
        for fieldname in FACET_FIELDS.values():
            groupedby.add_field(fieldname, maptype=sorting.Count)
    query = to_whoosh(node)
    if len({text for _field, text in query.iter_all_terms()}) > request.limits.max_terms:
        raise SearchTooCostly("terms")
    collector = _collector(searcher, request, groupedby, allowed, restricted)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    first = (request.page - 1) * request.per_page
    scored = [(hit.docnum, _score(hit)) for hit in results[first : first + request.per_page]]
    return SearchResult(
        total=len(results),
        hits=_hits(searcher, scored, highlight_needles(node)),
        facets=_facets(results, request.facets),
    )


def run_similar(
    searcher: Searcher, doc_id: int, visible: VisibilityFilter, limit: int
) -> list[Hit]:
    """Visible documents sharing the most distinctive words of ``doc_id``."""
    docnum = searcher.document_number(id=str(doc_id))
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored_content(stored)[:SIMILAR_TEXT_CHARS]}"
    key_terms = searcher.key_terms_from_text(
        "content_word", text, numterms=SIMILAR_TERMS * 2, model=classify.Bo1Model
    )
    terms = [wq.Term("content_word", word, boost=weight) for word, weight in key_terms]
    terms = [term for term in terms if len(term.text) > 1][:SIMILAR_TERMS]
    if not terms:
        return []
    allowed, restricted = _allowed_sets(
        searcher, filter_query(SearchFilters(), visible), mask_query(visible)
    )
    if allowed is not None and not allowed:
        return []
    restricted = (restricted or set()) | {docnum}
    results = searcher.search(wq.Or(terms), limit=limit, filter=allowed, mask=restricted)
    return _hits(searcher, [(hit.docnum, _score(hit)) for hit in results], [])
