"""Parse a user's search string into a small backend-neutral query tree.

Syntax (full-width forms such as ``（）｜－＂`` work too, NFKC is applied first):

* ``行政复议 合同`` — terms separated by spaces must all match (AND);
* ``"行政复议"`` or ``“行政复议”`` — an exact phrase (see :mod:`indexer.analysis`);
* ``招标 OR 投标``, ``招标 | 投标`` — either; OR binds tighter than the implicit AND, as in
  web search engines: ``合同 审查 OR 审核`` means ``合同 AND (审查 OR 审核)``;
* ``NOT 草案`` or ``-草案`` — must not match; ``AND`` may be written but is the default;
* parentheses group: ``(招标 OR 投标) -草案``.

Operators are recognised only in upper case (``or`` is searched as a word).  Punctuation
at either end of an unquoted term is ignored (``《行政复议法》`` searches 行政复议法); a
term with nothing searchable left is dropped.  A query that matches nothing but
negations (``-草案``) is refused, as is anything malformed: :class:`QuerySyntaxError`
carries a stable ``code``, a Chinese ``message`` for the user and the ``position``
(character offset) where the problem was seen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 256
MAX_CLAUSES = 32

MESSAGES = {
    "empty": "请输入检索词",
    "unbalanced_quote": "引号不成对，请补全或删除引号",
    "unbalanced_paren": "括号不成对，请补全或删除括号",
    "dangling_operator": "{op} 前后缺少检索词",
    "only_negative": "请至少输入一个要查找的词（不能只有排除词）",
    "too_long": f"检索式过长（最多 {MAX_QUERY_CHARS} 个字符、{MAX_CLAUSES} 个检索词）",
}


class QuerySyntaxError(ValueError):
    """A query the parser cannot accept; ``message`` is ready to show to the user."""

    def __init__(self, code: str, position: int | None = None, **details: str) -> None:
        self.code = code
        self.position = position
        self.message = MESSAGES[code].format(**details)
        super().__init__(self.message)


@dataclass(frozen=True)
class Term:
    """An unquoted term: exact match or all of its words (see :mod:`indexer.analysis`)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: exact match only."""

    text: str


@dataclass(frozen=True)
class And:
    """All children must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one child must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The child must not match (only meaningful inside an ``And``)."""

    child: Node


Node = Term | Phrase | And | Or | Not

_OPEN_QUOTES = {'"', "“"}
_CLOSE_QUOTES = {'"', "”"}
_LEX_RE = re.compile(r'\s+|[()|]|["“”]|[^\s()|"“”]+')
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Lexeme:
    kind: str  # "word", "phrase", "(", ")", "AND", "OR", "NOT", "-"
    text: str
    position: int


def _phrase_end(query: str, start: int) -> int:
    for index in range(start + 1, len(query)):
        if query[index] in _CLOSE_QUOTES:
            return index
    raise QuerySyntaxError("unbalanced_quote", start)


def _lex(query: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    index = 0
    while index < len(query):
        match = _LEX_RE.match(query, index)
        assert match is not None  # the pattern matches any character
        text, index = match.group(), match.end()
        start = match.start()
        if text.isspace():
            continue
        if text in _OPEN_QUOTES:
            index = _phrase_end(query, start) + 1
            lexemes.append(_Lexeme("phrase", query[start + 1 : index - 1], start))
        elif text in _CLOSE_QUOTES:
            raise QuerySyntaxError("unbalanced_quote", start)
        elif text in ("(", ")"):
            lexemes.append(_Lexeme(text, text, start))
        elif text == "|" or text in _OPERATORS:
            lexemes.append(_Lexeme("OR" if text == "|" else text, text, start))
        elif text.startswith("-") and len(text) > 1:
            lexemes.append(_Lexeme("-", "-", start))
            lexemes.append(_Lexeme("word", text[1:], start + 1))
        else:
            lexemes.append(_Lexeme("word", text, start))
    return lexemes


def _strip_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(text[end - 1]).startswith("P"):
        end -= 1
    return text[start:end]


class _Parser:
    def __init__(self, lexemes: list[_Lexeme], length: int) -> None:
        self.lexemes = lexemes
        self.index = 0
        self.length = length
        self.depth = 0

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.index] if self.index < len(self.lexemes) else None

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.index]
        self.index += 1
        return lexeme

    def parse(self) -> Node | None:
        node = self.and_expr()
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop and_expr early
            raise QuerySyntaxError("unbalanced_paren", extra.position)
        return node

    def and_expr(self) -> Node | None:
        children = [self.or_expr()]
        while (lexeme := self.peek()) is not None and lexeme.kind != ")":
            if lexeme.kind == "AND":
                self.take()
            children.append(self.or_expr())
        return _combine(And, children)

    def or_expr(self) -> Node | None:
        children = [self.unary()]
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            self.take()
            children.append(self.unary())
        return _combine(Or, children)

    def unary(self) -> Node | None:
        lexeme = self.peek()
        if lexeme is not None and lexeme.kind in ("NOT", "-"):
            self.take()
            child = self.unary()
            return None if child is None else Not(child)
        return self.atom()

    def atom(self) -> Node | None:
        lexeme = self.peek()
        if lexeme is None or lexeme.kind in ("AND", "OR", ")"):
            raise self.missing_operand(lexeme)
        self.take()
        if lexeme.kind == "(":
            self.depth += 1
            node = self.and_expr()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError("unbalanced_paren", lexeme.position)
            self.take()
            self.depth -= 1
            return node
        if lexeme.kind == "phrase":
            return Phrase(lexeme.text) if lexeme.text.strip() else None
        text = _strip_punctuation(lexeme.text)
        return Term(text) if text else None

    def missing_operand(self, lexeme: _Lexeme | None) -> QuerySyntaxError:
        if lexeme is not None and lexeme.kind == ")" and self.depth == 0:
            return QuerySyntaxError("unbalanced_paren", lexeme.position)
        previous = self.lexemes[self.index - 1] if self.index else None
        culprit = lexeme if previous is None or previous.kind == "(" else previous
        if culprit is None or culprit.kind in ("(", ")"):
            return QuerySyntaxError("empty", culprit.position if culprit else self.length)
        return QuerySyntaxError("dangling_operator", culprit.position, op=culprit.text)


def _combine(kind: type[And] | type[Or], children: list[Node | None]) -> Node | None:
    kept: list[Node] = []
    for child in children:
        if child is None:
            continue
        kept.extend(child.children if isinstance(child, kind) else (child,))
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


def is_positive(node: Node) -> bool:
    """True when the node requires something to be present (not only absences)."""
    if isinstance(node, Term | Phrase):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(is_positive(child) for child in node.children)
    return all(is_positive(child) for child in node.children)


def clauses(node: Node) -> list[Term | Phrase]:
    """Every term and phrase in the tree, in order (negated ones included)."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Not):
        return clauses(node.child)
    return [leaf for child in node.children for leaf in clauses(child)]


def positive_clauses(node: Node) -> list[Term | Phrase]:
    """The terms and phrases that can contribute a match (for highlighting)."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Not):
        return []
    return [leaf for child in node.children for leaf in positive_clauses(child)]


def parse_query(query: str) -> Node:
    """Parse ``query``; raises :class:`QuerySyntaxError` rather than guessing."""
    text = unicodedata.normalize("NFKC", query)
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError("too_long", MAX_QUERY_CHARS)
    lexemes = _lex(text)
    node = _Parser(lexemes, len(text)).parse()
    if node is None:
        raise QuerySyntaxError("empty", 0)
    if len(clauses(node)) > MAX_CLAUSES:
        raise QuerySyntaxError("too_long", None)
    if not is_positive(node):
        raise QuerySyntaxError("only_negative", 0)
    return node
