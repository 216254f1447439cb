"""The PostgreSQL search tables and the conversion of an :class:`IndexDoc` into a row.

Tables (created by the backend itself, like the Whoosh directory: the index is derived
data, not part of the application's migrations or backups)

``search_index_meta``
    ``key``/``value`` pairs; ``format_version`` records :data:`FORMAT_VERSION`.
``search_index_docs``
    one row per document: the filter columns, the original ``title``/``content`` (for
    snippets), ``title_compact``/``content_compact`` (normalised, whitespace removed: the
    form the exact contract compares, checked with ``strpos``), ``exact`` (a ``tsvector``
    of the distinct exact-field tokens of title and text, no positions; GIN index) and
    ``words`` (the jieba words with positions, title words weighted ``A``; GIN index;
    used for the looser unquoted match, ranking and similar documents).

The table is created with a small ``toast_tuple_target``: the texts and vectors of
a row longer than that are stored out of line, so the heap holds only ids, filter
columns and titles — what counting and faceting every match reads.

A ``tsvector`` holds at most 1 MB and lexemes of at most 2 KB.  A document whose tokens
do not fit is stored with ``oversize`` set and only the tokens that fit: every search
then treats it as a candidate and decides with ``strpos`` on the compact text, so
exactness never depends on the limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexer.analysis import bigram_tokens, word_tokens
from indexer.backend import IndexDoc
from indexer.normalise import normalise, strip_ignorable

FORMAT_VERSION = 3
# Rows longer than this keep their long values (texts, vectors) in the TOAST table, so
# the heap a search scans for its matches' ids and facet columns is ~300 bytes a row
# (27 MB at 100,000 documents instead of 151 MB; 2 KB is PostgreSQL's default).
TOAST_TUPLE_TARGET = 512
DOCS = "search_index_docs"
META = "search_index_meta"

MAX_LEXEME_BYTES = 2046
MAX_VECTOR_BYTES = 900_000  # PostgreSQL's limit is 1 MB; stay clear of it
MAX_POSITION = 16383
MAX_POSITIONS = 255

DDL = (
    f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value text NOT NULL)",
    f"""CREATE TABLE IF NOT EXISTS {DOCS} (
        id bigint PRIMARY KEY,
        stamp text NOT NULL,
        title text NOT NULL,
        content text NOT NULL,
        title_compact text NOT NULL,
        content_compact text NOT NULL,
        exact tsvector NOT NULL,
        words tsvector NOT NULL,
        oversize boolean NOT NULL DEFAULT false,
        agency_id bigint NOT NULL,
        agency_name text NOT NULL DEFAULT '',
        doc_type text NOT NULL DEFAULT '',
        issued_on date,
        year integer,
        advisor_id bigint,
        matter_area text,
        meeting_type text,
        service_type text,
        classified boolean NOT NULL DEFAULT false)
        WITH (toast_tuple_target = {TOAST_TUPLE_TARGET})""",
    f"CREATE INDEX IF NOT EXISTS {DOCS}_exact ON {DOCS} USING gin (exact)",
    f"CREATE INDEX IF NOT EXISTS {DOCS}_words ON {DOCS} USING gin (words)",
    f"CREATE INDEX IF NOT EXISTS {DOCS}_oversize ON {DOCS} (id) WHERE oversize",
    f"CREATE INDEX IF NOT EXISTS {DOCS}_agency ON {DOCS} (agency_id)",
    f"CREATE INDEX IF NOT EXISTS {DOCS}_issued ON {DOCS} (issued_on)",
)
DROP = (f"DROP TABLE IF EXISTS {DOCS}", f"DROP TABLE IF EXISTS {META}")

COLUMNS = (
    "id", "stamp", "title", "content", "title_compact", "content_compact", "exact", "words",
    "oversize", "agency_id", "agency_name", "doc_type", "issued_on", "year", "advisor_id",
    "matter_area", "meeting_type", "service_type", "classified",
)


def quote_lexeme(text: str) -> str:
    """``text`` as a quoted lexeme of the ``tsvector``/``tsquery`` input syntax."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def compact(text: str) -> str:
    """Normalised and without whitespace: the form the exact contract compares."""
    return strip_ignorable(normalise(text))


def _fits(lexeme: str) -> bool:
    return 0 < len(lexeme.encode("utf-8")) <= MAX_LEXEME_BYTES


def exact_lexemes(title: str, content: str) -> tuple[list[str], bool]:
    """The distinct exact tokens of title and text, and whether some had to be left out."""
    distinct = dict.fromkeys(bigram_tokens(title))
    distinct.update(dict.fromkeys(bigram_tokens(content)))
    kept, size, oversize = [], 0, False
    for lexeme in distinct:
        cost = len(lexeme.encode("utf-8")) + 8
        if not _fits(lexeme) or size + cost > MAX_VECTOR_BYTES:
            oversize = True
            continue
        kept.append(lexeme)
        size += cost
    return kept, oversize


def words_vector(title: str, content: str) -> str:
    """The jieba words as ``tsvector`` input: ``'word':3,9A …`` (title words weighted A,
    positions capped as PostgreSQL requires; words that do not fit are left out: the
    word field only ranks and widens unquoted matches, exactness never needs it)."""
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for weight, text, offset in (("A", title, 0), ("", content, len(title) + 1)):
        for index, word in enumerate(word_tokens(text)):
            found = positions[(word, weight)]
            if len(found) < MAX_POSITIONS:
                found.append(min(offset + index + 1, MAX_POSITION))
    parts, size = [], 0
    for (word, weight), found in positions.items():
        if not _fits(word):
            continue
        entry = quote_lexeme(word) + ":" + ",".join(f"{p}{weight}" for p in dict.fromkeys(found))
        size += len(word.encode("utf-8")) + 2 * len(found) + 8
        if size > MAX_VECTOR_BYTES:
            break
        parts.append(entry)
    return " ".join(parts)


def _text(value: str) -> str:
    """PostgreSQL text cannot hold NUL; U+FFFD keeps every other offset in place."""
    return value.replace("\x00", "\ufffd")


def doc_row(doc: IndexDoc) -> dict[str, object]:
    """The column values of ``doc`` (the analysis is done here, in Python)."""
    title, content = _text(doc.title), _text(doc.content)
    exact, oversize = exact_lexemes(title, content)
    return {
        "id": doc.id,
        "stamp": doc.stamp,
        "title": title,
        "content": content,
        "title_compact": compact(title),
        "content_compact": compact(content),
        "exact": exact,
        "words": words_vector(title, content),
        "oversize": oversize,
        "agency_id": doc.agency_id,
        "agency_name": _text(doc.agency_name),
        "doc_type": doc.doc_type,
        "issued_on": doc.issued_on,
        "year": doc.issued_on.year if doc.issued_on else None,
        "advisor_id": doc.advisor_id,
        "matter_area": doc.matter_area,
        "meeting_type": doc.meeting_type,
        "service_type": doc.service_type,
        "classified": doc.classified,
    }


def doc_rows(docs: Iterable[IndexDoc]) -> list[dict[str, object]]:
    """:func:`doc_row` for many documents (a module-level function, so a process pool
    can run it)."""
    return [doc_row(doc) for doc in docs]


UPSERT = (
    f"INSERT INTO {DOCS} ({', '.join(COLUMNS)}) VALUES ("
    + ", ".join(
        "array_to_tsvector(CAST(:exact AS text[]))" if c == "exact"
        else "CAST(:words AS tsvector)" if c == "words" else f":{c}"
        for c in COLUMNS
    )
    + ") ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "id")
)
