"""The tantivy schema and the conversion of an :class:`~indexer.backend.IndexDoc` into a
tantivy document (the analysis is the project's own, see :mod:`indexer.token_text`).

Fields
    ``id``, ``agency_id``, ``advisor_id``, ``issued`` (``yyyymmdd``, 0 when unknown),
    ``year`` and ``classified`` (0/1) are unsigned integers (indexed for filters, fast for
    sorting and aggregations); ``doc_type``, ``matter_area``, ``meeting_type``,
    ``service_type`` and ``stamp`` are untokenised strings (``raw``), ``doc_type`` and
    ``stamp`` fast (an empty value is left out).  ``title_bigrams``/``content_bigrams``
    and ``title_chars``/``content_chars`` hold the exact tokens with positions, ``title_words``/
    ``content_words`` the jieba words with frequencies (whitespace tokenizer over the
    token strings).  Stored only (UTF-8 bytes) for display and snippets: ``title``,
    ``agency_name``,
    ``content`` (the original text), ``compact`` and ``compact_map`` (the text as the
    contract compares it, with its map back to original offsets:
    :func:`indexer.snippets.pack_compact`), and ``similar_words`` (the distinct jieba
    words of the opening, which "similar documents" asks the engine about).
"""

from __future__ import annotations

from datetime import date

import tantivy

from indexer.backend import IndexDoc
from indexer.snippets import pack_compact
from indexer.token_text import field_texts

FORMAT_VERSION = 1
ENGINE = "tantivy"
TOKENIZER = "govcounsel_ws"
NO_DATE = 0
SIMILAR_WORDS = 16_000  # jieba's search mode gives ~0.8 words per character
TEXT_FIELDS = {
    "title_bigrams": "position", "content_bigrams": "position",
    "title_chars": "position", "content_chars": "position",
    "title_words": "freq", "content_words": "freq",
}
INT_FIELDS = ("id", "agency_id", "advisor_id", "issued", "year", "classified")
RAW_FIELDS = ("doc_type", "matter_area", "meeting_type", "service_type", "stamp")
# Stored only, as UTF-8 bytes (a text field of the bindings is always indexed too).
STORED_FIELDS = ("title", "agency_name", "content", "compact", "compact_map", "similar_words")


def build_schema() -> tantivy.Schema:
    """A fresh schema of the current ``FORMAT_VERSION``."""
    builder = tantivy.SchemaBuilder()
    for name in INT_FIELDS:
        builder.add_unsigned_field(name, stored=name in ("id", "agency_id", "issued"),
                                   indexed=True, fast=True)
    for name in RAW_FIELDS:
        builder.add_text_field(name, stored=name in ("doc_type", "stamp"),
                               fast=name in ("doc_type", "stamp"), tokenizer_name="raw",
                               index_option="basic")
    for name, option in TEXT_FIELDS.items():
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option=option)
    for name in STORED_FIELDS:
        builder.add_bytes_field(name, stored=True, indexed=False)
    return builder.build()


def register_tokenizers(index: tantivy.Index) -> None:
    """Register the whitespace tokenizer the token strings are written for (every process
    that opens the index must do this before reading or writing)."""
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(TOKENIZER, analyzer)


def date_number(issued: date | None) -> int:
    """``date(2022, 3, 31)`` → ``20220331`` (``NO_DATE`` for ``None``)."""
    if issued is None:
        return NO_DATE
    return issued.year * 10000 + issued.month * 100 + issued.day


def number_date(value: int | None) -> date | None:
    """Inverse of :func:`date_number`."""
    if not value:
        return None
    return date(value // 10000, value // 100 % 100, value % 100)


def _similar_words(title_words: str, content_words: str) -> str:
    """The words "similar documents" asks about: those of the title and the opening
    (about 20,000 characters), one character long words left out."""
    words = f"{title_words} {content_words}".split(" ")[:SIMILAR_WORDS]
    return " ".join(word for word in words if len(word) > 1)


def analyse(doc: IndexDoc) -> dict[str, object]:
    """Every field value of ``doc`` as plain data (picklable: a process pool runs this)."""
    title, content = field_texts(doc.title), field_texts(doc.content)
    compact, compact_map = pack_compact(doc.content)
    issued = date_number(doc.issued_on)
    values: dict[str, object] = {
        "id": doc.id, "agency_id": doc.agency_id, "issued": issued, "year": issued // 10000,
        "classified": int(doc.classified), "doc_type": doc.doc_type, "stamp": doc.stamp,
        "title": doc.title, "agency_name": doc.agency_name, "content": doc.content,
        "compact": compact, "compact_map": compact_map,
        "title_bigrams": title.bigrams, "title_chars": title.chars, "title_words": title.words,
        "content_bigrams": content.bigrams, "content_chars": content.chars,
        "content_words": content.words,
        "similar_words": _similar_words(title.words, content.words),
    }
    optional = {"advisor_id": doc.advisor_id, "matter_area": doc.matter_area,
                "meeting_type": doc.meeting_type, "service_type": doc.service_type}
    values.update({name: value for name, value in optional.items() if value is not None})
    return values


def analyse_many(docs: list[IndexDoc]) -> list[dict[str, object]]:
    """:func:`analyse` for a batch (module level, so a process pool can run it)."""
    return [analyse(doc) for doc in docs]


def to_document(values: dict[str, object]) -> tantivy.Document:
    """The tantivy document of analysed values."""
    document = tantivy.Document()
    for name, value in values.items():
        if name in INT_FIELDS:
            document.add_unsigned(name, value)  # type: ignore[arg-type]
        elif name in STORED_FIELDS:
            data = value if isinstance(value, bytes) else str(value).encode("utf-8")
            document.add_bytes(name, data)
        elif value != "":
            document.add_text(name, value)  # type: ignore[arg-type]
    return document


def stored_text(document: tantivy.Document, name: str) -> str:
    """A stored-only text field of a fetched document."""
    value = document.get_first(name)
    return value.decode("utf-8") if value else ""
