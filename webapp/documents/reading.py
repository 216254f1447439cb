"""The document page's text panel: which part of the extracted text is shown, and the
searched terms marked in it and in the title when the page is opened from a search
result (``/documents/<id>?q=…``; #15, UI finding 10).

The panel shows :data:`PREVIEW_CHARS` characters: the opening of the text, or, when
the first hit lies further in, a window starting a little before it. Hits are looked for
in the first :data:`webapp.search.highlight.SCAN_CHARS` characters only (bounded work
for very long documents; the page says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..search.highlight import SCAN_CHARS, hit_spans, mark, needles

PREVIEW_CHARS = 5000
LEAD_CHARS = 200  # context shown before a first hit that lies beyond the opening
MAX_QUERY_CHARS = 1000  # longer ``q`` is not a search the engine would accept anyway


@dataclass(frozen=True)
class Reading:
    """What the text panel and the heading show."""

    query: str
    text_html: Markup
    title_html: Markup
    start: int  # offset of the shown window in the text
    end: int
    length: int  # characters in the whole text
    shown_hits: int  # hits inside the window (numbered for 上一处/下一处)
    total_hits: int  # hits in the searched part of the text
    scanned_all: bool  # False when the text is longer than the searched part
    limit: int = PREVIEW_CHARS
    scan_limit: int = SCAN_CHARS


def _window(spans: list[tuple[int, int]], length: int) -> tuple[int, int]:
    if not spans or spans[0][1] <= PREVIEW_CHARS:
        return 0, min(length, PREVIEW_CHARS)
    start = max(0, spans[0][0] - LEAD_CHARS)
    return start, min(length, start + PREVIEW_CHARS)


def reading(text: str | None, title: str, query: str | None) -> Reading:
    """The panel for ``text`` (may be ``None`` while extraction runs) with ``query``'s hits
    marked; without a query (or with one the engine refuses) nothing is marked."""
    query = (query or "")[:MAX_QUERY_CHARS]
    wanted = needles(query)
    text = text or ""
    spans = hit_spans(text, wanted)
    start, end = _window(spans, len(text))
    body = mark(text, spans, start, end)
    heading = mark(title, hit_spans(title, wanted), numbered=False)
    return Reading(query=query.strip() if wanted else "", text_html=body.html,
                   title_html=heading.html, start=start, end=end, length=len(text),
                   shown_hits=body.count, total_hits=len(spans),
                   scanned_all=len(text) <= SCAN_CHARS)
