"""Turn the backend-neutral query tree, filters and visibility into tantivy queries.

* a quoted phrase: its exact tokens (:func:`indexer.token_text.compile_phrase`) at
  consecutive positions in the title or the content — bigram tokens when every CJK run
  of the phrase has two or more characters, character tokens otherwise;
* an unquoted term: all of its exact tokens anywhere (no positions read: a superset of
  the documents containing it), or all of its jieba words; a lone CJK character is one
  term of the ``chars`` fields (exact, no expansion);
* filters and the visibility grant are non-scoring ``Must`` clauses, classified
  documents the user may not see a ``MustNot`` clause, so hits, totals, facets and
  similar documents agree.

:class:`Terms` counts the distinct index terms a query needs, for the cost limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tantivy
from tantivy import Occur, Query

from indexer.backend import SearchFilters, VisibilityFilter
from indexer.query import And, Node, Not, Or, Phrase, Term
from indexer.tantivy_schema import date_number
from indexer.token_text import compile_phrase, term_words

TITLE_BOOST = 2.0


@dataclass
class Terms:
    """The distinct index terms (token texts, whichever field) a query needs."""

    seen: set[str] = field(default_factory=set)

    def add(self, kind: str, tokens) -> None:
        """Count ``tokens`` of one field kind (every field shares the count)."""
        self.seen.update(tokens)


def _boolean(clauses: list[tuple[Occur, Query]]) -> Query:
    return clauses[0][1] if len(clauses) == 1 and clauses[0][0] == Occur.Must else (
        Query.boolean_query(clauses))


def _either(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query(
        [(Occur.Should, query) for query in queries])


def _all(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query(
        [(Occur.Must, query) for query in queries])


def _tokens_query(schema, fieldname: str, tokens: tuple[str, ...], phrase: bool) -> Query:
    distinct = list(dict.fromkeys(tokens))
    if len(tokens) == 1:
        return Query.term_query(schema, fieldname, tokens[0])
    if phrase:
        return Query.phrase_query(schema, fieldname, list(tokens))
    return _all([Query.term_query(schema, fieldname, token) for token in distinct])


def _per_field(schema, kind: str, make) -> Query:
    title = Query.boost_query(make(f"title_{kind}"), TITLE_BOOST)
    return _either([make(f"content_{kind}"), title])


def _leaf(schema, node: Term | Phrase, terms: Terms) -> Query:
    compiled = compile_phrase(node.text)
    if compiled is None:
        return Query.empty_query()
    quoted = isinstance(node, Phrase)
    terms.add(compiled.field, compiled.tokens)
    clauses = [_per_field(schema, compiled.field, lambda name: _tokens_query(
        schema, name, compiled.tokens, quoted))]
    if not quoted and not (compiled.field == "chars" and len(compiled.tokens) == 1):
        words = term_words(node.text)
        if words:
            terms.add("words", words)
            clauses.append(_per_field(schema, "words", lambda name: _all(
                [Query.term_query(schema, name, word) for word in words])))
    return _either(clauses)


def _not(query: Query) -> Query:
    return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, query)])


def to_tantivy(schema, node: Node, terms: Terms) -> Query:
    """The tantivy query for a parsed, validated tree (see :func:`indexer.query.parse_query`)."""
    if isinstance(node, Term | Phrase):
        return _leaf(schema, node, terms)
    if isinstance(node, Not):
        return _not(to_tantivy(schema, node.child, terms))
    if isinstance(node, Or):
        return _either([to_tantivy(schema, child, terms) for child in node.children])
    assert isinstance(node, And)
    clauses = [
        (Occur.MustNot, to_tantivy(schema, child.child, terms)) if isinstance(child, Not)
        else (Occur.Must, to_tantivy(schema, child, terms))
        for child in node.children
    ]
    return _boolean(clauses)


def _any_of(schema, fieldname: str, values) -> Query:
    return Query.term_set_query(schema, fieldname, sorted(values))


def _grant(schema, visibility: VisibilityFilter) -> Query | None:
    """``None`` when every document is granted."""
    if visibility.all_visible or visibility.agency_ids is None:
        return None
    grants = [
        _any_of(schema, name, values)
        for name, values in (("agency_id", visibility.agency_ids),
                             ("advisor_id", visibility.advisor_ids),
                             ("id", visibility.doc_ids))
        if values
    ]
    return _either(grants) if grants else Query.empty_query()


def hidden(schema, visibility: VisibilityFilter) -> Query | None:
    """Classified documents this user may not see (``None`` when there are none)."""
    if visibility.all_visible or visibility.classified_all:
        return None
    classified = Query.term_query(schema, "classified", 1)
    if not visibility.classified_agency_ids:
        return classified
    cleared = _any_of(schema, "agency_id", visibility.classified_agency_ids)
    return Query.boolean_query([(Occur.Must, classified), (Occur.MustNot, cleared)])


def _date_range(schema, filters: SearchFilters) -> Query | None:
    if filters.date_from is None and filters.date_to is None:
        return None
    low = date_number(filters.date_from) if filters.date_from else 1
    high = date_number(filters.date_to) if filters.date_to else 99_991_231
    return Query.range_query(schema, "issued", tantivy.FieldType.Unsigned, low, high)


def restrictions(schema, filters: SearchFilters, visibility: VisibilityFilter
                 ) -> list[tuple[Occur, Query]]:
    """Non-scoring clauses every hit must satisfy besides the text query."""
    parts: list[Query] = []
    if filters.agency_ids:
        parts.append(_any_of(schema, "agency_id", filters.agency_ids))
    if filters.doc_types:
        parts.append(_any_of(schema, "doc_type", filters.doc_types))
    single: dict[str, int | str | None] = {
        "advisor_id": filters.advisor_id, "matter_area": filters.matter_area,
        "meeting_type": filters.meeting_type, "service_type": filters.service_type,
    }
    parts += [Query.term_query(schema, name, value)
              for name, value in single.items() if value is not None]
    for extra in (_date_range(schema, filters), _grant(schema, visibility)):
        if extra is not None:
            parts.append(extra)
    clauses = [(Occur.Must, Query.const_score_query(part, 0.0)) for part in parts]
    mask = hidden(schema, visibility)
    if mask is not None:
        clauses.append((Occur.MustNot, mask))
    return clauses


def restricted(query: Query, clauses: list[tuple[Occur, Query]]) -> Query:
    """``query`` narrowed by :func:`restrictions`."""
    if not clauses:
        return query
    return Query.boolean_query([(Occur.Must, query), *clauses])
