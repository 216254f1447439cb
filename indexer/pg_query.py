"""Turn the backend-neutral query tree, filters and visibility into SQL for the
PostgreSQL backend (see :mod:`indexer.pg_schema` for the columns).

* a quoted phrase: every exact token is in ``exact`` (GIN), then the compact phrase is
  in the compact title or text (``strpos``) — exactly the contract's definition.  A
  phrase that is a single token equal to itself (``"行政"``, ``"ppp"``) needs no
  ``strpos``: the token's presence is the answer, as in the Whoosh backend;
* an unquoted term: all of its exact tokens anywhere, or all of its jieba words;
* a lone CJK character: any exact token starting with it (``'X':*``);
* an oversize document (see :mod:`indexer.pg_schema`) is always a candidate and
  decided by ``strpos``;
* each term or phrase is one index scan; ``AND``/``OR``/``NOT`` combine their rows with
  ``INTERSECT``/``UNION``/``EXCEPT`` (:func:`match_set`);
* the visibility rule and the filters are ``WHERE`` clauses of the same statement, so
  hits, totals and facets agree.

Everything the user typed travels as a bound parameter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from indexer.analysis import exact_query, query_words
from indexer.backend import SearchFilters, VisibilityFilter
from indexer.pg_schema import DOCS, compact, quote_lexeme
from indexer.query import Node, Not, Or, Phrase, Term, clauses, positive_clauses


@dataclass
class Sql:
    """A growing SQL condition's parameters, with fresh names for each value."""

    params: dict[str, object] = field(default_factory=dict)
    _names: itertools.count = field(default_factory=itertools.count)

    def bind(self, value: object) -> str:
        """A placeholder for ``value``."""
        name = f"p{next(self._names)}"
        self.params[name] = value
        return f":{name}"


def _all_of(lexemes: list[str]) -> str:
    return " & ".join(quote_lexeme(lexeme) for lexeme in dict.fromkeys(lexemes))


def _contains(sql: Sql, needle: str) -> str:
    placeholder = sql.bind(needle)
    return (
        f"(strpos(title_compact, {placeholder}) > 0"
        f" OR strpos(content_compact, {placeholder}) > 0)"
    )


def _ids(arm: str) -> str:
    """``id IN`` the rows matching an indexed ``arm`` (a hashed set, one index scan)."""
    return f"(id IN (SELECT id FROM {DOCS} WHERE {arm}))"


def _tsquery(sql: Sql, query: str) -> str:
    return f"CAST({sql.bind(query)} AS tsquery)"


def _leaf_where(sql: Sql, node: Term | Phrase) -> str:
    """The rows a term or phrase matches: an OR of indexed arms (one ``BitmapOr``; the
    bitmap is never rechecked row by row, which would read every match's large
    ``tsvector``), then a cheap check that is only more than ``NOT oversize`` for the
    oversize rows and for phrases (``strpos`` on the compact text)."""
    compiled = exact_query(node.text)
    if compiled.empty:
        return "false"
    contains = _contains(sql, compact(node.text))
    if compiled.prefix is not None:
        prefix = _tsquery(sql, quote_lexeme(compiled.prefix) + ":*")
        return f"(exact @@ {prefix} OR oversize) AND (NOT oversize OR {contains})"
    tokens = f"exact @@ {_tsquery(sql, _all_of(list(compiled.tokens)))}"
    if isinstance(node, Phrase):
        if compiled.tokens == (compact(node.text),):
            return f"({tokens} OR oversize) AND (NOT oversize OR {contains})"
        return f"({tokens} OR oversize) AND {contains}"
    arms = [tokens]
    words = query_words(node.text)
    if words:
        arms.append(f"words @@ {_tsquery(sql, _all_of(words))}")
    either = " OR ".join(arms)
    return f"({either} OR oversize) AND (NOT oversize OR {contains} OR {either})"


def match_set(sql: Sql, node: Node, columns: str, restrict: str | None) -> str:
    """A set query of ``columns`` of the rows matching a parsed, validated tree (see
    :func:`indexer.query.parse_query`) and ``restrict`` (visibility and filters): each
    term or phrase is one index scan (:func:`_leaf_where`), combined with ``UNION``,
    ``INTERSECT`` and ``EXCEPT`` — so no ``tsvector`` is read row by row and planning
    stays cheap however many terms are OR'ed."""
    where = f" AND {restrict}" if restrict else ""
    if isinstance(node, Term | Phrase):
        return f"SELECT {columns} FROM {DOCS} WHERE {_leaf_where(sql, node)}{where}"
    if isinstance(node, Or):
        return " UNION ".join(f"({match_set(sql, c, columns, restrict)})" for c in node.children)
    if isinstance(node, Not):  # parse_query refuses a lone negation; kept for safety
        universe = f"SELECT {columns} FROM {DOCS}{' WHERE ' + restrict if restrict else ''}"
        return f"({universe}) EXCEPT ({match_set(sql, node.child, columns, None)})"
    positive = [c for c in node.children if not isinstance(c, Not)]
    negative = [c.child for c in node.children if isinstance(c, Not)]
    found = " INTERSECT ".join(f"({match_set(sql, c, columns, restrict)})" for c in positive)
    if not positive:
        found = f"SELECT {columns} FROM {DOCS}{' WHERE ' + restrict if restrict else ''}"
    for child in negative:
        found = f"({found}) EXCEPT ({match_set(sql, child, columns, None)})"
    return found


def query_term_count(node: Node) -> int:
    """How many distinct lexemes the query looks up (exact tokens and words)."""
    lexemes: set[str] = set()
    for leaf in clauses(node):
        compiled = exact_query(leaf.text)
        lexemes.update(compiled.tokens)
        if compiled.prefix is not None:
            lexemes.add(compiled.prefix)
        if isinstance(leaf, Term):
            lexemes.update(query_words(leaf.text))
    return len(lexemes)


def rank_words(node: Node) -> list[str]:
    """The words a hit's rank is computed from: the jieba words of every positive
    clause (a phrase's words too, so phrases rank by how often their words occur)."""
    words: dict[str, None] = {}
    for leaf in positive_clauses(node):
        words.update(dict.fromkeys(query_words(leaf.text)))
    return list(words)


def exact_bonus(sql: Sql, node: Node) -> str | None:
    """One point for each unquoted term a hit holds exactly (all its tokens), so that
    documents containing the string rank above those holding only its words (as the
    Whoosh backend ranks hits matching both ways higher)."""
    parts = []
    for leaf in positive_clauses(node):
        compiled = exact_query(leaf.text)
        if isinstance(leaf, Term) and compiled.tokens and compiled.prefix is None:
            tokens = _tsquery(sql, _all_of(list(compiled.tokens)))
            parts.append(f"{_ids(f'exact @@ {tokens}')}::int")
    return " + ".join(parts) if parts else None


def rank_query(words: list[str]) -> str | None:
    """``tsquery`` input matching any of ``words`` (``None`` when there are none)."""
    return " | ".join(quote_lexeme(word) for word in words) if words else None


def highlight_needles(node: Node) -> list[str]:
    """Compact strings a snippet should mark: every positive phrase and term, and the
    jieba words of every unquoted term (the same needles as the Whoosh backend)."""
    needles: dict[str, None] = {}
    for leaf in positive_clauses(node):
        needles[compact(leaf.text)] = None
        if isinstance(leaf, Term):
            needles.update(dict.fromkeys(compact(word) for word in query_words(leaf.text)))
    return [needle for needle in needles if needle]


def _any(sql: Sql, column: str, values: frozenset) -> str:
    if not values:
        return "false"
    return f"{column} = ANY({sql.bind(sorted(values))})"


def visibility_condition(sql: Sql, visibility: VisibilityFilter) -> str | None:
    """The access rule of :class:`VisibilityFilter` (``None`` when everything is visible)."""
    if visibility.all_visible:
        return None
    parts = []
    if visibility.agency_ids is not None:
        grants = [
            _any(sql, "agency_id", visibility.agency_ids),
            _any(sql, "advisor_id", visibility.advisor_ids),
            _any(sql, "id", visibility.doc_ids),
        ]
        parts.append("(" + " OR ".join(grants) + ")")
    if not visibility.classified_all:
        cleared = _any(sql, "agency_id", visibility.classified_agency_ids)
        parts.append(f"(NOT classified OR {cleared})")
    return " AND ".join(parts) if parts else None


def filter_condition(sql: Sql, filters: SearchFilters) -> str | None:
    """The user's narrowing (``None`` when there is none)."""
    parts = []
    if filters.agency_ids:
        parts.append(_any(sql, "agency_id", filters.agency_ids))
    if filters.doc_types:
        parts.append(_any(sql, "doc_type", filters.doc_types))
    if filters.date_from is not None:
        parts.append(f"issued_on >= {sql.bind(filters.date_from)}")
    if filters.date_to is not None:
        parts.append(f"issued_on <= {sql.bind(filters.date_to)}")
    single: dict[str, object] = {
        "advisor_id": filters.advisor_id,
        "matter_area": filters.matter_area,
        "meeting_type": filters.meeting_type,
        "service_type": filters.service_type,
    }
    parts += [f"{name} = {sql.bind(value)}" for name, value in single.items() if value is not None]
    return " AND ".join(parts) if parts else None
