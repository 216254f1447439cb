"""Build safe HTML snippets from a text and the character spans that matched.

Spans are ``(start, end)`` offsets into the *original* text (the analysers map offsets
back through normalisation), so the marked characters are exactly those the user sees.
Everything outside ``<mark>`` tags is HTML-escaped; runs of whitespace are shown as one
space.
"""

from __future__ import annotations

import bisect
import html
import re
from array import array
from collections.abc import Iterable

from indexer.normalise import IGNORABLE_CLASS, normalise_with_offsets

Span = tuple[int, int]

SNIPPET_CONTEXT = 40
MAX_FRAGMENTS = 3
OPENING_CHARS = 120
ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort spans and merge those that overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def char_spans(text: str, char: str) -> list[Span]:
    """Where the (normalised) character ``char`` occurs in ``text``."""
    norm, origins = normalise_with_offsets(text)
    spans = []
    for match in re.finditer(re.escape(char), norm):
        index = match.start() if origins is None else origins[match.start()]
        spans.append((index, index + 1))
    return spans


def _show(text: str) -> str:
    return html.escape(_SPACE_RE.sub(" ", text), quote=True)


def _marked(text: str, merged: list[Span], start: int, end: int) -> str:
    first = bisect.bisect_left(merged, (start, start)) - 1
    pieces: list[str] = []
    cursor = start
    for span_start, span_end in merged[max(first, 0) :]:
        if span_start >= end:
            break
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces.append(_show(text[cursor:span_start]))
        pieces.append(f"<mark>{_show(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(_show(text[cursor:end]))
    return "".join(pieces)


def mark_html(text: str, spans: Iterable[Span], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as HTML with every span (clipped to the window) marked."""
    return _marked(text, merge_spans(spans), start, len(text) if end is None else end)


def _windows(spans: list[Span], length: int, context: int) -> list[Span]:
    windows: list[list[int]] = []
    for start, end in spans:
        low, high = max(0, start - context), min(length, end + context)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        elif len(windows) < MAX_FRAGMENTS:
            windows.append([low, high])
        else:
            break
    return [(low, high) for low, high in windows]


def make_snippet(text: str, spans: Iterable[Span], context: int = SNIPPET_CONTEXT) -> str:
    """Up to three fragments of ``text`` around the matches, joined by an ellipsis; the
    opening of the text when nothing in it matched (e.g. only the title did)."""
    merged = merge_spans(spans)
    if not merged:
        snippet = _show(text[:OPENING_CHARS]).strip()
        return snippet + (ELLIPSIS if len(text) > OPENING_CHARS else "")
    parts = []
    windows = _windows(merged, len(text), context)
    for low, high in windows:
        parts.append(_marked(text, merged, low, high).strip())
    prefix = ELLIPSIS if windows[0][0] > 0 else ""
    suffix = ELLIPSIS if windows[-1][1] < len(text) else ""
    return prefix + ELLIPSIS.join(parts) + suffix


class CompactText:
    """A text in the form the search contract compares (normalised, without whitespace
    or zero-width characters), with a map back to the original offsets, so occurrences
    of a string can be found with ``str.find`` and marked where the user sees them."""

    def __init__(self, text: str) -> None:
        norm, origins = normalise_with_offsets(text)
        self._origins = origins
        self._starts: list[int] = []  # compact offset of each kept run
        self._norm_starts: list[int] = []  # normalised offset of the same run
        pieces: list[str] = []
        size = 0
        for match in _KEPT_RE.finditer(norm):
            self._starts.append(size)
            self._norm_starts.append(match.start())
            pieces.append(match.group())
            size += match.end() - match.start()
        self.text = "".join(pieces)

    def _original(self, compact: int) -> int:
        run = bisect.bisect_right(self._starts, compact) - 1
        norm = self._norm_starts[run] + compact - self._starts[run]
        return norm if self._origins is None else self._origins[norm]

    def spans(self, needle: str) -> list[Span]:
        """Original-text spans of every occurrence of ``needle`` (already compact)."""
        found: list[Span] = []
        if not needle:
            return found
        start = self.text.find(needle)
        while start >= 0:
            end = start + len(needle)
            found.append((self._original(start), self._original(end - 1) + 1))
            start = self.text.find(needle, start + 1)
        return found


_KEPT_RE = re.compile(f"[^{IGNORABLE_CLASS}]+")


def _pack(values: list[int]) -> bytes:
    return array("I", values).tobytes()


def pack_compact(text: str) -> tuple[str, bytes]:
    """``(compact text, offset map)`` of ``text`` for an index to store, so that a search
    finds matches with ``str.find`` and maps them back without re-normalising the text
    (see :meth:`CompactText.from_stored`)."""
    compact = CompactText(text)
    origins = compact._origins or []
    header = _pack([len(compact._starts), len(origins)])
    return compact.text, header + _pack(compact._starts + compact._norm_starts + origins)


def unpack_compact(text: str, blob: bytes) -> CompactText:
    """The :class:`CompactText` stored by :func:`pack_compact`."""
    values = array("I")
    values.frombytes(blob)
    runs, origins = values[0], values[1]
    compact = CompactText.__new__(CompactText)
    compact.text = text
    compact._starts = list(values[2 : 2 + runs])
    compact._norm_starts = list(values[2 + runs : 2 + 2 * runs])
    compact._origins = list(values[2 + 2 * runs : 2 + 2 * runs + origins]) if origins else None
    return compact
