"""The clause library: named clause texts with versions, supplied by the caller as data.

The admin maintains clauses (the webapp stores them); a template offers some of
them as optional (manifest ``clauses``, placed with ``{% clause name %}``), and
the person generating a contract picks which to include::

    clause = Clause(name="onsite_service", version=2, title="驻场服务",
                    text="（四）乙方每周派驻{{ onsite_days | cn_number }}天……")
    check_clause(clause)                         # [] or Problems (Chinese messages)
    render(docx, manifest, values, clauses={"onsite_service": clause})

A clause text is plain text, one paragraph per line; it may hold placeholders
(``{{ field }}``, filters included) of the template it is used in, never a block
marker or a list-item placeholder. Each line takes the formatting of the marker
paragraph it replaces. A clause not chosen is simply left out.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from . import docx_io
from .blocks import parse_marker
from .errors import Problem
from .manifest import NAME_PATTERN, Manifest
from .messages import text
from .placeholders import PLACEHOLDER, TOKEN, Placeholder, resolve


@dataclass(frozen=True)
class Clause:
    """One version of a library clause: ``name`` (its key), ``version`` (1, 2…), a Chinese
    ``title`` for lists and forms, and the ``text`` printed in the contract."""

    name: str
    version: int
    title: str
    text: str

    @property
    def lines(self) -> list[str]:
        """The paragraphs the clause prints (blank lines dropped)."""
        return [line.strip() for line in self.text.replace("\r\n", "\n").split("\n")
                if line.strip()]


def as_mapping(clauses: Mapping[str, Clause] | Iterable[Clause] | None) -> dict[str, Clause]:
    """Clauses keyed by name, from a mapping or any iterable of :class:`Clause`."""
    if clauses is None:
        return {}
    if isinstance(clauses, Mapping):
        return dict(clauses)
    return {clause.name: clause for clause in clauses}


def _problem(code: str, clause: Clause, **params: str) -> Problem:
    return Problem(code, text(code, name=clause.name, **params), clause.name)


def check_clause(clause: Clause) -> list[Problem]:
    """Problems of a clause on its own (name, version, text, markup); ``[]`` when usable."""
    problems: list[Problem] = []
    if not re.fullmatch(NAME_PATTERN, clause.name):
        problems.append(_problem("clause_name", clause))
    if isinstance(clause.version, bool) or not isinstance(clause.version, int) \
            or clause.version < 1:
        problems.append(_problem("clause_version", clause))
    if not clause.lines:
        problems.append(_problem("clause_empty", clause))
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\r\t" for c in clause.text):
        problems.append(_problem("clause_control_chars", clause))
    for match in TOKEN.finditer(clause.text):
        token = match.group()
        if parse_marker(token, "") is not None:
            problems.append(_problem("clause_has_block", clause, token=token))
        elif token.startswith("{%") or PLACEHOLDER.fullmatch(token) is None:
            problems.append(_problem("clause_bad_markup", clause, token=token,
                                     detail=text("syntax_placeholder")))
    rest = TOKEN.sub("", clause.text)
    for opener in ("{{", "{%"):
        if opener in rest:
            problems.append(_problem("clause_bad_markup", clause, token=opener,
                                     detail=text("syntax_unclosed")))
    return problems


def check_clause_for(clause: Clause, manifest: Manifest) -> list[Problem]:
    """Problems of a clause used in a template: its own, then every placeholder it holds
    must be a scalar field of ``manifest`` (filters fitting the field's type)."""
    problems = check_clause(clause)
    if problems:
        return problems
    for match in TOKEN.finditer(clause.text):
        parsed = PLACEHOLDER.fullmatch(match.group())
        assert parsed is not None
        if parsed["attr"] is not None:
            problems.append(_problem("clause_list_item", clause, placeholder=match.group()))
            continue
        if manifest.field(parsed["field"]) is None:
            problems.append(_problem("clause_placeholder_unknown", clause,
                                     placeholder=match.group()))
            continue
        where = f"条款 {clause.name}"
        placeholder = Placeholder(match.group(), parsed["field"], None, parsed["filter"], where)
        problem = resolve(placeholder, manifest)
        if problem is not None:
            problems.append(problem)
    return problems


def clause_fields(clause: Clause) -> set[str]:
    """Names of the fields a clause prints."""
    return {m["field"] for m in PLACEHOLDER.finditer(clause.text)}


def write_clause(clause: Clause, marker: etree._Element) -> None:
    """Insert one paragraph per line of ``clause`` before ``marker``, each a copy of the
    marker paragraph (style, indents) whose single run carries the marker's run format."""
    runs = docx_io.paragraph_runs(marker)
    run_props = runs[0].find(qn("w:rPr")) if runs else None
    props = marker.find(qn("w:pPr"))
    for line in clause.lines:
        paragraph = OxmlElement("w:p")
        if props is not None:
            copied = copy.deepcopy(props)
            for section in copied.findall(qn("w:sectPr")):
                copied.remove(section)
            paragraph.append(copied)
        run = OxmlElement("w:r")
        if run_props is not None:
            run.append(copy.deepcopy(run_props))
        paragraph.append(run)
        run.text = line
        marker.addprevious(paragraph)
