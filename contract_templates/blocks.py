"""Paragraph blocks: parts of a template shown or dropped on a field's value.

A block marker is a paragraph of its own (nothing else in it; Word's split runs
and curly quotes are fine)::

    {% if classified %}                  a boolean field is true
    {% if not onsite_service %}          a boolean field is false (or unset)
    {% if dispute_resolution == "arbitration" %}   a choice field has this value
    {% elif dispute_resolution != "court" %}       … or has another value (or none)
    {% else %}
    {% endif %}
    {% clause onsite_service %}          an optional clause from the clause library

Everything between markers that share a parent (the body, or one table cell) —
paragraphs and whole tables — belongs to the branch; blocks nest up to
:data:`MAX_DEPTH` deep. Nothing is evaluated: a condition is a field name, an
operator and a literal, compared with the clean value. :func:`parse_marker`
reads one marker, :class:`BlockParser` builds the tree and reports structure
errors, :func:`check_nodes` checks it against a manifest, :func:`apply` keeps
the chosen branches and inserts the chosen clauses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .errors import Problem
from .manifest import Manifest
from .messages import text

MAX_DEPTH = 8
MARKER = re.compile(r"^\{%\s*(?P<body>.*?)\s*%\}$", re.S)
_NAME = r"[a-z][a-z0-9_]*"
_IF = re.compile(rf"^(?P<word>if|elif)\s+(?:(?P<not>not)\s+(?P<neg>{_NAME})|(?P<field>{_NAME})"
                 r"(?:\s*(?P<op>==|!=)\s*(?P<q>[\"'“”‘’])(?P<value>[a-z0-9_]*)[\"'“”‘’])?)$")
_CLAUSE = re.compile(rf"^clause\s+(?P<name>{_NAME})$")


@dataclass(frozen=True)
class Condition:
    """``field`` is true (``op="true"``), false, equal to ``value`` or not equal to it."""

    field: str
    op: Literal["true", "false", "eq", "ne"]
    value: str | None = None

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the condition holds for clean ``values`` (an unset field is false/none)."""
        current = values.get(self.field)
        if self.op == "true":
            return current is True
        if self.op == "false":
            return current is not True
        return (current == self.value) == (self.op == "eq")


@dataclass(frozen=True)
class Marker:
    """One parsed marker paragraph."""

    word: Literal["if", "elif", "else", "endif", "clause"]
    token: str
    where: str
    condition: Condition | None = None
    clause: str | None = None


def parse_marker(token: str, where: str) -> Marker | None:
    """The marker ``token`` (a whole ``{% … %}``) stands for, or ``None`` if unknown."""
    match = MARKER.match(token.strip())
    if match is None:
        return None
    body = " ".join(match["body"].split())
    if body in ("else", "endif"):
        return Marker(body, token, where)  # type: ignore[arg-type]
    clause = _CLAUSE.match(body)
    if clause is not None:
        return Marker("clause", token, where, clause=clause["name"])
    cond = _IF.match(body)
    if cond is None:
        return None
    if cond["neg"]:
        condition = Condition(cond["neg"], "false")
    elif cond["op"]:
        condition = Condition(cond["field"], "eq" if cond["op"] == "==" else "ne", cond["value"])
    else:
        condition = Condition(cond["field"], "true")
    return Marker(cond["word"], token, where, condition=condition)  # type: ignore[arg-type]


@dataclass
class Branch:
    """One arm of a block: its marker paragraph, condition (``None``: else) and nested nodes."""

    marker: etree._Element
    condition: Condition | None
    children: list[Node] = field(default_factory=list)


@dataclass
class Block:
    """``{% if %}`` … ``{% endif %}``: branches in order and the closing paragraph."""

    opener: Marker
    branches: list[Branch]
    end: etree._Element | None = None


@dataclass
class ClauseNode:
    """``{% clause name %}`` at ``marker``."""

    name: str
    marker: etree._Element
    where: str


Node = Block | ClauseNode


def _problem(code: str, where: str | None = None, **params: Any) -> Problem:
    return Problem(code, text(code, where=where, **params), params.get("token"), where)


@dataclass
class BlockParser:
    """Feed marker paragraphs in document order; :meth:`finish` gives the tree and problems."""

    roots: list[Node] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _open: list[Block] = field(default_factory=list)

    def _siblings(self) -> list[Node]:
        return self._open[-1].branches[-1].children if self._open else self.roots

    def feed(self, marker: Marker, paragraph: etree._Element) -> None:
        """Take one marker paragraph."""
        if marker.word == "clause":
            self._siblings().append(ClauseNode(marker.clause or "", paragraph, marker.where))
        elif marker.word == "if":
            if len(self._open) >= MAX_DEPTH:
                self.problems.append(_problem("block_too_deep", marker.where, max=MAX_DEPTH))
                return
            block = Block(marker, [Branch(paragraph, marker.condition)])
            self._siblings().append(block)
            self._open.append(block)
        elif not self._open:
            self.problems.append(_problem("block_unopened", marker.where, token=marker.token))
        elif not self._same_parent(paragraph):
            self.problems.append(_problem("block_crosses", marker.where,
                                          token=self._open[-1].opener.token))
        elif self._open[-1].branches[-1].condition is None and marker.word != "endif":
            self.problems.append(_problem("block_after_else", marker.where, token=marker.token))
        elif marker.word == "endif":
            self._open.pop().end = paragraph
        else:
            self._open[-1].branches.append(Branch(paragraph, marker.condition))

    def _same_parent(self, paragraph: etree._Element) -> bool:
        return self._open[-1].branches[0].marker.getparent() is paragraph.getparent()

    def finish(self) -> tuple[list[Node], list[Problem]]:
        """The block tree and every structure problem (unclosed blocks included)."""
        for block in self._open:
            self.problems.append(_problem("block_unclosed", block.opener.where,
                                          token=block.opener.token))
        self._open.clear()
        return self.roots, self.problems


def walk(nodes: list[Node]) -> Iterator[Node]:
    """Every node of a tree, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Block):
            for branch in node.branches:
                yield from walk(branch.children)


def condition_problem(condition: Condition, token: str, where: str,
                      manifest: Manifest) -> Problem | None:
    """Why ``condition`` cannot be decided from ``manifest``'s fields (``None``: it can)."""
    spec = manifest.field(condition.field)
    params = {"token": token, "field": condition.field}
    if spec is None:
        return _problem("condition_unknown_field", where, **params)
    if condition.op in ("true", "false"):
        if spec.type != "boolean":
            return _problem("condition_not_boolean", where, label=spec.label, **params)
        return None
    if spec.type != "choice":
        return _problem("condition_not_choice", where, label=spec.label, **params)
    if spec.choice(condition.value or "") is None:
        choices = "、".join(choice.value for choice in spec.choices)
        return _problem("condition_choice_value", where, label=spec.label,
                        value=condition.value, choices=choices, **params)
    return None


def check_nodes(nodes: list[Node], manifest: Manifest) -> list[Problem]:
    """Conditions on declared boolean/choice fields with valid values; declared clauses."""
    problems: list[Problem] = []
    for node in walk(nodes):
        if isinstance(node, ClauseNode):
            if manifest.clause_slot(node.name) is None:
                problems.append(_problem("clause_undeclared", node.where, name=node.name))
            continue
        for branch in node.branches:
            if branch.condition is not None:
                problem = condition_problem(branch.condition, node.opener.token,
                                            node.opener.where, manifest)
                if problem is not None:
                    problems.append(problem)
    return problems


ClauseWriter = Callable[[str, etree._Element], None]
"""Called with a clause name and its marker paragraph: writes the clause before it."""


def apply(nodes: list[Node], values: Mapping[str, Any], write_clause: ClauseWriter) -> None:
    """Keep the first branch whose condition holds (or ``else``), drop the rest and every
    marker; write each clause through ``write_clause`` and drop its marker."""
    for node in nodes:
        if isinstance(node, ClauseNode):
            write_clause(node.name, node.marker)
            _drop_marker(node.marker)
            continue
        chosen = next((b for b in node.branches
                       if b.condition is None or b.condition.holds(values)), None)
        stops = [b.marker for b in node.branches[1:]] + [node.end]
        for branch, stop in zip(node.branches, stops, strict=True):
            if branch is not chosen:
                for element in _between(branch.marker, stop):
                    element.getparent().remove(element)
        if chosen is not None:
            apply(chosen.children, values, write_clause)
        for marker in [b.marker for b in node.branches] + [node.end]:
            _drop_marker(marker)


def _between(start: etree._Element, stop: etree._Element | None) -> list[etree._Element]:
    found = []
    for sibling in start.itersiblings():
        if sibling is stop:
            break
        found.append(sibling)
    return found


def _drop_marker(paragraph: etree._Element | None) -> None:
    """Remove a marker paragraph; keep an empty one where it carries a section break or a
    table cell would be left without a paragraph (both required by the file format)."""
    if paragraph is None or paragraph.getparent() is None:
        return
    parent = paragraph.getparent()
    section_break = paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    last_in_cell = parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1
    if section_break or last_in_cell:
        for child in list(paragraph):
            if child.tag != qn("w:pPr"):
                paragraph.remove(child)
        return
    parent.remove(paragraph)
    if parent.tag == qn("w:tc") and parent.find(qn("w:p")) is None:
        parent.append(OxmlElement("w:p"))
