"""The project's analysis as pre-tokenised text: one space-separated token string per field.

The tantivy bindings accept pre-tokenised text (``PreTokenizedString`` of ``Token``
objects with positions), but building one Python object per token costs more than the
whole rest of the indexing (measured on 500 laws: 5.2 s to build the objects and 9.5 s to
index them, against 0.3 s to join the same tokens with spaces and 2.1 s to index those).
So each field gets its tokens joined by single spaces, and the field's tokenizer is
tantivy's whitespace tokenizer: token *n* of the string is at position *n*, exactly the
consecutive positions computed here, and no token ever contains a space (whitespace is
ignorable in the search contract, so it never reaches a token).

Fields (all over the normalised text, see :mod:`indexer.normalise`)

``bigrams``
    The text as units, ignoring whitespace: a CJK run of two or more characters gives its
    overlapping bigrams (``行政复议`` → ``行政 政复 复议``), a one-character run that
    character, a Latin/digit word one token, any other visible character one token.
    Tokens are at consecutive positions, so a phrase whose CJK runs all have two or more
    characters is exact as a phrase of these tokens: a bigram followed by a word or
    punctuation token means the run ended there, a word followed by a bigram means the
    run starts there (no edge markers are needed).
``chars``
    The same units with every CJK character a token of its own: a phrase with a
    one-character CJK run (``"5条"``, ``"法"``) is exact as a phrase of these tokens, and
    a lone character is one term (bounded cost: no expansion over bigrams).
``words``
    jieba's search-mode words (:func:`indexer.analysis.word_tokens`), for ranking, the
    looser unquoted match and similar documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.analysis import query_words, word_tokens
from indexer.normalise import CJK_CLASS, IGNORABLE_CLASS, normalise

_UNIT_RE = re.compile(
    rf"(?P<cjk>[{CJK_CLASS}](?:[{IGNORABLE_CLASS}]*[{CJK_CLASS}])*)"
    rf"|(?P<word>[^\W_{CJK_CLASS}]+)"
    rf"|(?P<punct>[^{IGNORABLE_CLASS}])"
)
_IGNORABLE_RE = re.compile(f"[{IGNORABLE_CLASS}]+")


def _units(norm: str) -> list[tuple[bool, str]]:
    """``(is_cjk_run, text)`` for each unit of normalised text (runs without whitespace)."""
    units = []
    for match in _UNIT_RE.finditer(norm):
        if match.lastgroup == "cjk":
            units.append((True, _IGNORABLE_RE.sub("", match.group())))
        else:
            units.append((False, match.group()))
    return units


def _run_bigrams(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join([run[i : i + 2] for i in range(len(run) - 1)])


def word_text(text: str) -> str:
    """The ``words`` field: jieba words joined by spaces (a word holding a space is split)."""
    return " ".join(word_tokens(text))


@dataclass(frozen=True)
class FieldTexts:
    """The three token strings of one text."""

    bigrams: str
    chars: str
    words: str


def field_texts(text: str) -> FieldTexts:
    """Analyse ``text`` once for every field."""
    norm = normalise(text)
    units = _units(norm)
    return FieldTexts(
        bigrams=" ".join(_run_bigrams(t) if cjk else t for cjk, t in units),
        chars=" ".join(" ".join(t) if cjk else t for cjk, t in units),
        words=word_text(text),
    )


@dataclass(frozen=True)
class CompiledPhrase:
    """A phrase compiled for one field: ``field`` is ``"bigrams"`` or ``"chars"`` and
    ``tokens`` must occur at consecutive positions (one token: a term)."""

    field: str
    tokens: tuple[str, ...]


def compile_phrase(text: str) -> CompiledPhrase | None:
    """The exact form of a phrase: bigram tokens when every CJK run in it has two or more
    characters (selective, cheap), else character tokens; ``None`` when nothing in it is
    searchable."""
    units = _units(normalise(text))
    if not units:
        return None
    if all(not cjk or len(t) > 1 for cjk, t in units):
        tokens = " ".join(_run_bigrams(t) if cjk else t for cjk, t in units).split(" ")
        return CompiledPhrase("bigrams", tuple(tokens))
    tokens = " ".join(" ".join(t) if cjk else t for cjk, t in units).split(" ")
    return CompiledPhrase("chars", tuple(tokens))


def term_words(text: str) -> list[str]:
    """The jieba words an unquoted term needs (see :func:`indexer.analysis.query_words`),
    without any holding a space (they could never be indexed)."""
    return [word for word in query_words(text) if " " not in word]
