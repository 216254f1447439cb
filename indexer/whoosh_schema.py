"""The Whoosh schema: fields, analyzers wired to :mod:`indexer.analysis`, and the
conversion of an :class:`~indexer.backend.IndexDoc` into field values.

Whoosh pickles the schema into the index, so the classes here are part of the on-disk
format: renaming or changing them means raising ``FORMAT_VERSION`` (an index of another
version is reported as needing a rebuild).

Fields
    ``id`` (unique, sortable, stored), ``stamp`` (column), ``title`` (stored, display),
    ``title_exact``/``content_exact`` (bigram scheme with positions and character
    offsets, for exact phrases and highlighting), ``title_word``/``content_word`` (jieba,
    frequencies only, for ranking), ``title_chars``/``content_chars`` (CJK characters,
    frequencies only, for one-character queries), ``content_z`` (stored original text,
    zlib), and the filters ``agency_id``, ``doc_type``, ``advisor_id``, ``matter_area``,
    ``meeting_type``, ``service_type``, ``classified`` (``"1"``/``"0"``), ``issued``
    (``yyyymmdd`` integer, 0 when unknown) and ``year``.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from datetime import date

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import emptybytes

from indexer.analysis import raw_exact_tokens, word_tokens
from indexer.backend import IndexDoc
from indexer.normalise import CJK_CLASS, normalise

FORMAT_VERSION = 2
ENGINE = "whoosh"
TITLE_BOOST = 2.0
NO_DATE = 0
_CJK_RE = re.compile(f"[{CJK_CLASS}]")


class ExactTokenizer(Tokenizer):
    """Whoosh face of :func:`indexer.analysis.raw_exact_tokens`."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: object,
    ):
        """Yield one reused Whoosh token per exact-field token (Whoosh's protocol)."""
        token = Token(positions, chars, mode=mode, **kwargs)
        for text, pos, start, end in raw_exact_tokens(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            token.pos = start_pos + pos
            token.startchar = start_char + start
            token.endchar = start_char + end
            yield token


class WordTokenizer(Tokenizer):
    """Whoosh face of :func:`indexer.analysis.word_tokens` (jieba search mode)."""

    def __call__(self, value: str, mode: str = "", **kwargs: object):
        """Yield one reused Whoosh token per jieba word (Whoosh's protocol)."""
        token = Token(mode=mode, **kwargs)
        for pos, text in enumerate(word_tokens(value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            token.pos = pos
            yield token


class ExactFormat(formats.Characters):
    """Positions and character offsets, built straight from the token tuples (skipping
    Whoosh's per-token objects, the slowest part of indexing)."""

    def word_values(self, value, analyzer, **kwargs):
        """``(token, frequency, weight, encoded positions and offsets)`` per token."""
        postings: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for text, pos, start, end in raw_exact_tokens(value):
            postings[text].append((pos, start, end))
        boost = self.field_boost
        for text, poslist in postings.items():
            yield text, len(poslist), len(poslist) * boost, self.encode(poslist)


class WordFormat(formats.Frequency):
    """Term frequencies of the jieba words."""

    def word_values(self, value, analyzer, **kwargs):
        """``(word, frequency, weight, encoded frequency)`` per distinct word."""
        counts: dict[str, int] = defaultdict(int)
        for text in word_tokens(value):
            counts[text] += 1
        boost = self.field_boost
        for text, freq in counts.items():
            yield text, freq, freq * boost, formats.pack_uint(freq)


class CharFormat(formats.Frequency):
    """Frequencies of the CJK characters: a lone character is one term (exact, and no
    expansion over every bigram that starts with it)."""

    def word_values(self, value, analyzer, **kwargs):
        """``(character, frequency, weight, encoded frequency)`` per distinct character."""
        counts = Counter(_CJK_RE.findall(normalise(value)))
        boost = self.field_boost
        for text, freq in counts.items():
            yield text, freq, freq * boost, formats.pack_uint(freq)


def _char_field(boost: float = 1.0) -> fields.TEXT:
    field = fields.TEXT(analyzer=WordTokenizer(), phrase=False, field_boost=boost)
    field.format = CharFormat(field_boost=boost)
    return field


def _exact_field(boost: float = 1.0) -> fields.TEXT:
    field = fields.TEXT(analyzer=ExactTokenizer(), phrase=True, chars=True, field_boost=boost)
    field.format = ExactFormat(field_boost=boost)
    return field


def _word_field(boost: float = 1.0) -> fields.TEXT:
    field = fields.TEXT(analyzer=WordTokenizer(), phrase=False, field_boost=boost)
    field.format = WordFormat(field_boost=boost)
    return field


def build_schema() -> fields.Schema:
    """A fresh schema of the current ``FORMAT_VERSION``."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        stamp=fields.COLUMN(),
        title=fields.STORED(),
        title_exact=_exact_field(TITLE_BOOST),
        title_word=_word_field(TITLE_BOOST),
        title_chars=_char_field(TITLE_BOOST),
        content_exact=_exact_field(),
        content_word=_word_field(),
        content_chars=_char_field(),
        content_z=fields.STORED(),
        agency_id=fields.ID(stored=True, sortable=True),
        agency_name=fields.STORED(),
        doc_type=fields.ID(stored=True, sortable=True),
        advisor_id=fields.ID(),
        matter_area=fields.ID(),
        meeting_type=fields.ID(),
        service_type=fields.ID(),
        classified=fields.ID(),
        issued=fields.NUMERIC(int, bits=32, stored=True, sortable=True, default=NO_DATE),
        year=fields.NUMERIC(int, bits=32, sortable=True, default=NO_DATE),
    )


def date_number(day: date) -> int:
    """``date(2022, 3, 31)`` → ``20220331``, the form dates are indexed in."""
    return day.year * 10000 + day.month * 100 + day.day


def number_date(value: int | None) -> date | None:
    """Inverse of :func:`date_number`; ``None`` for the "no date" value."""
    if not value:
        return None
    return date(value // 10000, value // 100 % 100, value % 100)


def doc_fields(doc: IndexDoc) -> dict[str, object]:
    """The field values Whoosh stores for ``doc`` (optional empty values are left out)."""
    issued = date_number(doc.issued_on) if doc.issued_on else NO_DATE
    values: dict[str, object] = {
        "id": str(doc.id),
        "stamp": doc.stamp.encode("utf-8") or emptybytes,
        "title": doc.title,
        "title_exact": doc.title,
        "title_word": doc.title,
        "title_chars": doc.title,
        "content_exact": doc.content,
        "content_word": doc.content,
        "content_chars": doc.content,
        "content_z": zlib.compress(doc.content.encode("utf-8"), 6),
        "agency_id": str(doc.agency_id),
        "agency_name": doc.agency_name,
        "doc_type": doc.doc_type,
        "classified": "1" if doc.classified else "0",
        "issued": issued,
        "year": issued // 10000,
    }
    optional = {
        "advisor_id": None if doc.advisor_id is None else str(doc.advisor_id),
        "matter_area": doc.matter_area,
        "meeting_type": doc.meeting_type,
        "service_type": doc.service_type,
    }
    values.update({name: value for name, value in optional.items() if value})
    return values


def stored_content(stored: dict[str, object]) -> str:
    """The original text of a document from its stored fields."""
    blob = stored.get("content_z")
    return zlib.decompress(blob).decode("utf-8") if isinstance(blob, bytes) else ""
