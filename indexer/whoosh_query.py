"""Turn the backend-neutral query tree, filters and visibility into Whoosh queries.

* a phrase matches its exact tokens at consecutive positions in the title or content;
* an unquoted term matches all of its exact tokens anywhere (no positions to read: a
  superset of the documents containing it), or all of its jieba words (the semantics
  are documented in :mod:`indexer.analysis`);
* filters and the visibility grant become the search ``filter``; classified documents
  the user may not see become the ``mask``, so hits, totals and facets agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query as wq
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2

from indexer.analysis import ExactQuery, exact_query, query_words
from indexer.backend import SearchFilters, VisibilityFilter
from indexer.query import And, Node, Not, Or, Phrase, Term, positive_clauses
from indexer.whoosh_schema import date_number

EXACT_FIELDS = ("content_exact", "title_exact")
WORD_FIELDS = ("content_word", "title_word")
CHAR_FIELDS = {"content_exact": "content_chars", "title_exact": "title_chars"}


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher with a faster test for "tokens at consecutive positions":
    set intersection of each token's positions (minus its offset in the phrase) instead
    of comparing span objects one by one."""

    def _get_spans(self) -> list[Span]:
        starts: set[int] | None = None
        for offset, matcher in enumerate(self.ms):
            positions = {pos - offset for pos in matcher.value_as("positions")}
            starts = positions if starts is None else starts & positions
            if not starts:
                return []
        last = len(self.ms) - 1
        return [Span(start, start + last) for start in sorted(starts or ())]


class ExactPhrase(wq.Phrase):
    """A phrase of exact-field tokens at consecutive positions (see :class:`_PhraseMatcher`)."""

    def matcher(self, searcher, context=None):
        """Whoosh's matcher protocol; no match at all when a token is not indexed."""
        reader = searcher.reader()
        if any((self.fieldname, word) not in reader for word in self.words):
            return NullMatcher()
        matchers = [wq.Term(self.fieldname, word).matcher(searcher, context) for word in self.words]
        found = _PhraseMatcher(matchers)
        return found if self.boost == 1.0 else WrappingMatcher(found, boost=self.boost)


def exact_clause(fieldname: str, compiled: ExactQuery, phrase: bool = True) -> wq.Query:
    """One field's query for a compiled phrase: the tokens at consecutive positions, or
    (``phrase=False``, cheaper: no positions read) just all of the tokens; a lone CJK
    character is a term of the character field beside ``fieldname``."""
    if compiled.prefix is not None:
        return wq.Term(CHAR_FIELDS[fieldname], compiled.prefix)
    tokens = list(dict.fromkeys(compiled.tokens))
    if not tokens:
        return wq.NullQuery
    if len(compiled.tokens) == 1:
        return wq.Term(fieldname, tokens[0])
    if phrase:
        return ExactPhrase(fieldname, list(compiled.tokens))
    return wq.And([wq.Term(fieldname, token) for token in tokens])


def _words_clause(fieldname: str, words: list[str]) -> wq.Query:
    terms = [wq.Term(fieldname, word) for word in words]
    return terms[0] if len(terms) == 1 else wq.And(terms)


def _leaf(node: Term | Phrase) -> wq.Query:
    compiled = exact_query(node.text)
    quoted = isinstance(node, Phrase)
    clauses = [exact_clause(field, compiled, phrase=quoted) for field in EXACT_FIELDS]
    if not quoted and compiled.prefix is None:
        words = query_words(node.text)
        if words:
            clauses += [_words_clause(field, words) for field in WORD_FIELDS]
    return wq.Or(clauses)


def to_whoosh(node: Node) -> wq.Query:
    """The Whoosh query for a parsed, validated tree (see :func:`indexer.query.parse_query`)."""
    if isinstance(node, Term | Phrase):
        return _leaf(node)
    if isinstance(node, Not):
        return wq.Not(to_whoosh(node.child))
    if isinstance(node, Or):
        return wq.Or([to_whoosh(child) for child in node.children])
    assert isinstance(node, And)
    positives = [to_whoosh(c) for c in node.children if not isinstance(c, Not)]
    negatives = [to_whoosh(c.child) for c in node.children if isinstance(c, Not)]
    if negatives:
        positives.append(_without(_either(negatives)))
    return positives[0] if len(positives) == 1 else wq.And(positives)


def _without(query: wq.Query) -> wq.Query:
    """``Not`` for use inside ``And``.  (Whoosh's ``AndNot`` misses exclusions when the
    excluded query's first document precedes the positive one's, so it is not used.)"""
    return wq.Not(query)


def highlight_needles(node: Node) -> list[ExactQuery]:
    """The compiled phrases whose occurrences a snippet should mark: every positive
    phrase and term, and the jieba words of every unquoted term."""
    needles: dict[ExactQuery, None] = {}
    for leaf in positive_clauses(node):
        needles[exact_query(leaf.text)] = None
        if isinstance(leaf, Term):
            for word in query_words(leaf.text):
                needles[exact_query(word)] = None
    return [needle for needle in needles if not needle.empty]


def _any_of(fieldname: str, values: Iterable[int] | Iterable[str]) -> list[wq.Query]:
    return [wq.Term(fieldname, str(value)) for value in sorted(values)]


def _either(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _grant_query(visibility: VisibilityFilter) -> wq.Query | None:
    """``None`` when every document is granted."""
    if visibility.all_visible or visibility.agency_ids is None:
        return None
    grants = (
        _any_of("agency_id", visibility.agency_ids)
        + _any_of("advisor_id", visibility.advisor_ids)
        + _any_of("id", visibility.doc_ids)
    )
    return _either(grants) if grants else wq.NullQuery  # nothing granted: no hits


def mask_query(visibility: VisibilityFilter) -> wq.Query | None:
    """Classified documents this user may not see (``None`` when there are none)."""
    if visibility.all_visible or visibility.classified_all:
        return None
    classified = wq.Term("classified", "1")
    cleared = _any_of("agency_id", visibility.classified_agency_ids)
    return wq.And([classified, _without(_either(cleared))]) if cleared else classified


def _date_range(filters: SearchFilters) -> wq.Query | None:
    if filters.date_from is None and filters.date_to is None:
        return None
    low = date_number(filters.date_from) if filters.date_from else 1
    high = date_number(filters.date_to) if filters.date_to else None
    return wq.NumericRange("issued", low, high)


def filter_query(filters: SearchFilters, visibility: VisibilityFilter) -> wq.Query | None:
    """Everything a hit must satisfy besides the text query (``None`` for no limit)."""
    parts: list[wq.Query] = []
    if filters.agency_ids:
        parts.append(_either(_any_of("agency_id", filters.agency_ids)))
    if filters.doc_types:
        parts.append(_either(_any_of("doc_type", filters.doc_types)))
    single: dict[str, int | str | None] = {
        "advisor_id": filters.advisor_id,
        "matter_area": filters.matter_area,
        "meeting_type": filters.meeting_type,
        "service_type": filters.service_type,
    }
    parts += [wq.Term(name, str(value)) for name, value in single.items() if value is not None]
    for extra in (_date_range(filters), _grant_query(visibility)):
        if extra is not None:
            parts.append(extra)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
