"""Mark a search's hits in a document's own page (#15, UI finding 10).

The matching is the search engine's, not a second one: the query is parsed by
:func:`indexer.parse_query`, its needles are the ones the result snippets mark
(:func:`indexer.pg_query.highlight_needles`: every positive phrase and term, and the
jieba words of unquoted terms) and they are found through
:class:`indexer.snippets.CompactText` (normalised text without whitespace, mapped back
to the characters the user sees).  Only the rendering differs from a snippet: line
breaks are kept (the text panel shows the text as extracted) and each hit is numbered
for the page's 上一处/下一处 buttons.

Bounded work: at most :data:`SCAN_CHARS` characters of a text are searched for hits, so
a 1 M-character document costs no more than a 200,000-character one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from markupsafe import Markup

from indexer import QuerySyntaxError, parse_query
from indexer.pg_query import highlight_needles
from indexer.snippets import CompactText, Span, merge_spans

SCAN_CHARS = 200_000


@dataclass(frozen=True)
class Marked:
    """A window of a text as HTML with its hits marked, and how many hits it holds."""

    html: Markup
    count: int


def needles(query: str | None) -> list[str]:
    """The compact strings the search engine marks for ``query`` (none for a blank or
    malformed query: the page then shows the text unmarked, as without a query)."""
    if not query or not query.strip():
        return []
    try:
        return highlight_needles(parse_query(query))
    except QuerySyntaxError:
        return []


def hit_spans(text: str, wanted: list[str]) -> list[Span]:
    """Merged character spans of every hit in ``text[:SCAN_CHARS]``."""
    if not wanted or not text:
        return []
    compact = CompactText(text[:SCAN_CHARS])
    return merge_spans(span for needle in wanted for span in compact.spans(needle))


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None,
         numbered: bool = True) -> Marked:
    """``text[start:end]`` HTML-escaped (line breaks kept) with every span inside the
    window wrapped in ``<mark>``; numbered marks carry ``data-hit="n"`` (from 1)."""
    end = len(text) if end is None else min(end, len(text))
    pieces: list[str] = []
    cursor, count = start, 0
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        count += 1
        pieces.append(html.escape(text[cursor:span_start]))
        number = f' data-hit="{count}"' if numbered else ""
        pieces.append(f"<mark{number}>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    return Marked(Markup("".join(pieces)), count)
