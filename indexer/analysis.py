"""Chinese text analysis shared by every search backend, at index and at query time.

Normalisation
    Texts and queries are compared after :func:`indexer.normalise.normalise`: NFKC per
    character (full-width ``ＰＰＰ１２`` becomes ``ppp12``, ``，`` becomes ``,``) and
    lowercase.  Offsets reported by the tokenisers always refer to the *original* text,
    so highlights mark the right characters of what the user sees.

Exact field (``exact_tokens``)
    The text is read as a sequence of units, ignoring whitespace and zero-width characters
    (so a match may span a line or page break):

    * a *run* of CJK characters gives overlapping bigrams at consecutive positions
      (``行政复议`` → ``行政 政复 复议``), plus two edge markers sharing positions with the
      bigrams: ``^行`` at the run's first position and ``议$`` at its last.  A run of one
      character ``X`` gives ``^X X X$`` at one position;
    * a Latin/digit word is one token (``ppp``, ``2022``, ``14101201510123456``);
    * every other visible character (punctuation) is a token of its own.

    Positions are real and consecutive, never character offsets (jieba's stock Whoosh
    analyzer uses offsets, which breaks phrases).  Two runs are always separated by at
    least one word or punctuation token, so consecutive bigram positions always mean
    consecutive characters.

    ``exact_query(text)`` turns a phrase into the token list to match at consecutive
    positions.  A single character at the edge of a phrase next to a word or punctuation
    uses a marker (``5条`` → ``5 ^条``); a phrase that is one CJK character alone becomes a
    prefix query (``X`` matches every token starting with ``X``: bigrams, ``X`` and ``X$``).

Word field (``word_tokens``)
    jieba ``cut_for_search`` over the normalised text with whitespace between CJK
    characters removed; used for ranking and for the looser unquoted match.  jieba is
    initialised lazily, once per process and thread-safely, with the shipped legal term
    list (``data/legal_terms.txt``) plus words added by ``add_words`` (agency names).  A
    word added later changes the segmentation of documents indexed later only; exactness
    never depends on it.

Search contract (implemented by each backend from these tokens)
    * A double-quoted query of 2–10 CJK characters hits exactly the documents whose title
      or text, normalised and with whitespace removed, contains that string.  Quoted
      phrases mixing words, digits and punctuation (``"第5条"``, ``"《行政复议法》"``) are
      exact too, except that Latin words match whole words only.
    * An unquoted term matches a document whose title or text holds all of the term's
      exact tokens (for ``招标投标``: the bigrams 招标 标投 投标, anywhere) **or** all of
      the term's jieba words (招标, 投标: so ``招标、投标`` is found too).  Every document
      containing the string is therefore a hit (recall is guaranteed), without the cost
      of checking positions; documents matching both ways rank higher.
    * Terms are ANDed by default; ``OR``, ``NOT``/``-term``, parentheses and ``"phrases"``
      are described in :mod:`indexer.query`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from indexer.normalise import (
    CJK_CLASS,
    IGNORABLE_CLASS,
    normalise,
    normalise_with_offsets,
)

_UNIT_RE = re.compile(
    rf"(?P<cjk>[{CJK_CLASS}](?:[{IGNORABLE_CLASS}]*[{CJK_CLASS}])*)"
    rf"|(?P<word>[^\W_{CJK_CLASS}]+)"
    rf"|(?P<punct>[^{IGNORABLE_CLASS}])"
)
_CJK_RE = re.compile(f"[{CJK_CLASS}]")
_IGNORABLE_RE = re.compile(f"[{IGNORABLE_CLASS}]+")
_IGNORABLE_BETWEEN_CJK_RE = re.compile(f"(?<=[{CJK_CLASS}])[{IGNORABLE_CLASS}]+(?=[{CJK_CLASS}])")
_WORD_CHAR_RE = re.compile(r"[^\W_]")

START_MARK = "^"
END_MARK = "$"


@dataclass(frozen=True, slots=True)
class Token:
    """One exact-field token: text, position, and character span in the original text."""

    text: str
    pos: int
    start: int
    end: int


RawToken = tuple[str, int, int, int]


def _cjk_run(run: str, start: int) -> tuple[str, list[int]]:
    """The characters of a CJK run without whitespace, and their offsets."""
    if _IGNORABLE_RE.search(run) is None:
        return run, list(range(start, start + len(run)))
    offsets = [start + i for i, char in enumerate(run) if _CJK_RE.match(char)]
    return "".join(run[i - start] for i in offsets), offsets


def _run_tokens(chars: str, offsets: list[int], pos: int) -> list[RawToken]:
    first, last = offsets[0], offsets[-1]
    if len(chars) == 1:
        return [
            (START_MARK + chars, pos, first, first + 1),
            (chars, pos, first, first + 1),
            (chars + END_MARK, pos, first, first + 1),
        ]
    tokens = [(START_MARK + chars[0], pos, first, first + 1)]
    tokens += [
        (chars[i : i + 2], pos + i, offsets[i], offsets[i + 1] + 1) for i in range(len(chars) - 1)
    ]
    tokens.append((chars[-1] + END_MARK, pos + len(chars) - 2, last, last + 1))
    return tokens


def _raw_exact_tokens(norm: str) -> list[RawToken]:
    tokens: list[RawToken] = []
    pos = 0
    for match in _UNIT_RE.finditer(norm):
        if match.lastgroup != "cjk":
            tokens.append((match.group(), pos, match.start(), match.end()))
            pos += 1
            continue
        chars, offsets = _cjk_run(match.group(), match.start())
        tokens += _run_tokens(chars, offsets, pos)
        pos += max(len(chars) - 1, 1)
    return tokens


def raw_exact_tokens(text: str) -> list[RawToken]:
    """The exact-field tokens as ``(text, pos, start, end)``; offsets refer to ``text``."""
    norm, origins = normalise_with_offsets(text)
    tokens = _raw_exact_tokens(norm)
    if origins is None:
        return tokens
    return [(token, pos, origins[start], origins[end - 1] + 1) for token, pos, start, end in tokens]


def exact_tokens(text: str) -> list[Token]:
    """The exact-field tokens of ``text`` (see the module docstring for the scheme)."""
    return [Token(*raw) for raw in raw_exact_tokens(text)]


def bigram_tokens(text: str) -> list[str]:
    """Just the texts of the exact-field tokens, in order (for a tsvector or a test)."""
    return [raw[0] for raw in raw_exact_tokens(text)]


@dataclass(frozen=True, slots=True)
class ExactQuery:
    """A phrase compiled for the exact field: ``tokens`` at consecutive positions, or a
    ``prefix`` (a lone CJK character) matching any token that starts with it."""

    tokens: tuple[str, ...] = ()
    prefix: str | None = None

    @property
    def empty(self) -> bool:
        """True when the phrase contained nothing searchable (only whitespace)."""
        return not self.tokens and self.prefix is None


def _query_run_tokens(chars: str, has_before: bool, has_after: bool) -> list[str]:
    if len(chars) > 1:
        return [chars[i : i + 2] for i in range(len(chars) - 1)]
    if has_before and has_after:
        return [chars]
    if has_before:
        return [START_MARK + chars]
    return [chars + END_MARK]


def exact_query(text: str) -> ExactQuery:
    """Compile a phrase for the exact field (see the module docstring)."""
    norm = normalise(text)
    units = [
        (m.lastgroup, _cjk_run(m.group(), 0)[0] if m.lastgroup == "cjk" else m.group())
        for m in _UNIT_RE.finditer(norm)
    ]
    if len(units) == 1 and units[0][0] == "cjk" and len(units[0][1]) == 1:
        return ExactQuery(prefix=units[0][1])
    tokens: list[str] = []
    for index, (kind, chars) in enumerate(units):
        if kind == "cjk":
            tokens += _query_run_tokens(chars, index > 0, index < len(units) - 1)
        else:
            tokens.append(chars)
    return ExactQuery(tokens=tuple(tokens))


# --- jieba word field -------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_tokenizer = None
_pending_words: list[str] = []
_added_words: list[str] = []


def _legal_terms() -> list[str]:
    data = resources.files("indexer").joinpath("data/legal_terms.txt").read_text("utf-8")
    return [line.split()[0] for line in data.splitlines() if line.strip()]


def _jieba():
    """The process-wide jieba tokenizer, created on first use with the legal terms."""
    global _jieba_tokenizer
    tokenizer = _jieba_tokenizer
    if tokenizer is not None and not _pending_words:
        return tokenizer
    with _jieba_lock:
        if _jieba_tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            created = jieba.Tokenizer()
            created.initialize()
            for word in _legal_terms():
                created.add_word(word)
            _jieba_tokenizer = created
        while _pending_words:
            _jieba_tokenizer.add_word(_pending_words.pop())
        return _jieba_tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the word segmenter extra words (e.g. agency names); cheap before first use."""
    cleaned = [w for w in (normalise(w).strip() for w in words) if w and " " not in w]
    with _jieba_lock:
        _pending_words.extend(cleaned)
        _added_words.extend(cleaned)


def added_words() -> list[str]:
    """Every word given to :func:`add_words` in this process (for analysis processes)."""
    with _jieba_lock:
        return list(dict.fromkeys(_added_words))


def _word_text(text: str) -> str:
    return _IGNORABLE_BETWEEN_CJK_RE.sub("", normalise(text))


def _keep(word: str) -> bool:
    return _WORD_CHAR_RE.search(word) is not None


def word_tokens(text: str) -> list[str]:
    """jieba search-mode words of ``text`` (normalised; punctuation and spaces dropped)."""
    tokenizer = _jieba()
    return [w for w in tokenizer.cut_for_search(_word_text(text)) if _keep(w)]


def _covering_words(tokenizer, word: str) -> list[str]:
    """Dictionary sub-words that jieba's search mode emits for ``word`` and that together
    cover it, shortest first (招标投标 → 招标 投标, 合法性审查 → 合法性 审查); the word
    itself when they cannot cover it (市司法局)."""
    size = len(word)
    spans = [
        (i, n)
        for n in (2, 3)
        if size > n
        for i in range(size - n + 1)
        if tokenizer.FREQ.get(word[i : i + n])
    ]
    chosen: list[str] = []
    done = 0
    while done < size:
        options = [(i, n) for i, n in spans if i <= done < i + n]
        if not options:
            return [word]
        start, length = min(options, key=lambda o: (o[0] != done, o[1], -o[0]))
        chosen.append(word[start : start + length])
        done = start + length
    return [w for w in chosen if not any(w != other and w in other for other in chosen)]


def query_words(text: str) -> list[str]:
    """The words an unquoted term needs in the word field: jieba's precise segmentation,
    each word replaced by covering sub-words (see ``_covering_words``), no duplicates.
    Search mode emits those sub-words wherever a document contains the word."""
    tokenizer = _jieba()
    words = []
    for word in tokenizer.cut(_word_text(text)):
        word = word.strip()
        if _keep(word):
            words += _covering_words(tokenizer, word)
    return list(dict.fromkeys(words))
