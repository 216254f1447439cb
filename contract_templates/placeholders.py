"""Placeholder syntax, finding placeholders in a .docx, and checking a template.

Syntax (nothing is ever evaluated; anything else in braces is a ``syntax_error``)::

    {{ agency_name }}                 the value, formatted by type
    {{ annual_fee | money_upper }}    a filter: money_upper (money), cn_number
                                      (integer), label (choice: short label)
    {{ lawyers.name }}                an item attribute of a list field; the
    {{ lawyers.index }}               paragraph holding it, or the table row
    {{ services.text }}               when it sits in a table, is repeated once
                                      per item (index 1, 2…; index_cn 一, 二…;
                                      label/text/value for a list of choices)
    {{ services }}                    a list of choices joined with "、"

Paragraph blocks (``{% if … %}`` … ``{% endif %}``) and optional clauses
(``{% clause … %}``) are described in :mod:`contract_templates.blocks`; any
other ``{% … %}`` statement is a ``syntax_error``. Word often splits ``{{ agency_name }}``
over several runs after editing; :func:`normalise_paragraph` merges such runs so
each placeholder sits in one run with the first run's formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from . import docx_io
from .blocks import Block, BlockParser, ClauseNode, Marker, Node, check_nodes, parse_marker, walk
from .errors import (
    FIELD_UNUSED,
    PLACEHOLDER_UNKNOWN,
    SYNTAX_ERROR,
    Problem,
    TemplateFileError,
)
from .kinds import get_kind
from .manifest import FieldSpec, Manifest
from .messages import text

TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<field>[a-z][a-z0-9_]*)(?:\.(?P<attr>[a-z][a-z0-9_]*))?"
    r"\s*(?:\|\s*(?P<filter>[a-z][a-z0-9_]*)\s*)?\}\}")
FILTERS = {"money_upper": "money", "cn_number": "integer", "label": "choice"}
ITEM_INDEX_ATTRS = ("index", "index_cn")
CHOICE_ITEM_ATTRS = ("label", "text")


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ … }}`` occurrence: its token, parts and location."""

    token: str
    field: str
    attr: str | None
    filter: str | None
    where: str

    @property
    def name(self) -> str:
        """``field`` or ``field.attr`` as written."""
        return self.field if self.attr is None else f"{self.field}.{self.attr}"


def _syntax(token: str, detail: str, where: str) -> Problem:
    return Problem(SYNTAX_ERROR, text(SYNTAX_ERROR, token=token, detail=detail, where=where),
                   subject=token, where=where)


def parse_text(content: str, where: str) -> tuple[list[Placeholder], list[Problem]]:
    """Placeholders and syntax problems in one paragraph's text."""
    found: list[Placeholder] = []
    problems: list[Problem] = []
    for match in TOKEN.finditer(content):
        token = match.group()
        parsed = PLACEHOLDER.fullmatch(token)
        if token.startswith("{%") and parse_marker(token, where) is not None:
            problems.append(Problem("block_not_alone", text("block_not_alone", token=token,
                                                            where=where), token, where))
        elif token.startswith("{%"):
            problems.append(_syntax(token, text("syntax_statement"), where))
        elif parsed is None:
            problems.append(_syntax(token, text("syntax_placeholder"), where))
        else:
            found.append(Placeholder(token, parsed["field"], parsed["attr"], parsed["filter"],
                                     where))
    rest = TOKEN.sub("", content)
    for opener in ("{{", "{%"):
        if opener in rest:
            snippet = rest[rest.index(opener):][:30]
            problems.append(_syntax(snippet, text("syntax_unclosed"), where))
    return found, problems


def normalise_paragraph(paragraph: etree._Element) -> None:
    """Merge runs so that every ``{{ … }}``/``{% … %}`` token lies within one run.

    The token takes the formatting of the run where it starts; text outside tokens
    keeps its run and formatting; runs left empty are removed.
    """
    if not docx_io.may_hold_markup(paragraph):
        return
    runs = docx_io.paragraph_runs(paragraph)
    if len(runs) < 2:
        return
    while True:
        texts = [run.text for run in runs]
        starts = [sum(len(t) for t in texts[:i]) for i in range(len(texts))]
        span = next(((m.start(), m.end()) for m in TOKEN.finditer("".join(texts))
                     if _run_at(starts, m.start()) != _run_at(starts, m.end() - 1)), None)
        if span is None:
            return
        first, last = _run_at(starts, span[0]), _run_at(starts, span[1] - 1)
        head = texts[first][: span[0] - starts[first]]
        token = "".join(texts)[span[0]:span[1]]
        runs[first].text = head + token
        runs[last].text = texts[last][span[1] - starts[last]:]
        for index in range(first + 1, last + 1):
            if index < last:
                runs[index].text = ""
            if not runs[index].text and len(runs[index]) <= 1:
                runs[index].getparent().remove(runs[index])
        runs = docx_io.paragraph_runs(paragraph)


def _run_at(starts: list[int], offset: int) -> int:
    index = 0
    while index + 1 < len(starts) and starts[index + 1] <= offset:
        index += 1
    return index


def repeat_unit(paragraph: etree._Element) -> etree._Element:
    """What repeats for a list item: the enclosing table row, else the paragraph."""
    row = next(paragraph.iterancestors(qn("w:tr")), None)
    return paragraph if row is None else row


def resolve(ph: Placeholder, manifest: Manifest) -> Problem | None:
    """Why ``ph`` cannot be filled from ``manifest`` (``None`` when it can)."""
    spec = manifest.field(ph.field)
    if spec is None:
        return Problem(PLACEHOLDER_UNKNOWN, text(PLACEHOLDER_UNKNOWN, placeholder=ph.token,
                                                 where=ph.where), ph.name, ph.where)
    target = spec
    if spec.type == "list":
        target_or_problem = _list_target(ph, spec)
        if isinstance(target_or_problem, Problem):
            return target_or_problem
        target = target_or_problem
    elif ph.attr is not None:
        return _syntax(ph.token, text("syntax_not_list", field=ph.field), ph.where)
    if ph.filter is not None:
        wanted = FILTERS.get(ph.filter)
        if wanted is None or target is None or target.type != wanted:
            return _syntax(ph.token, text("syntax_filter", filter=ph.filter), ph.where)
    return None


def _list_target(ph: Placeholder, spec: FieldSpec) -> FieldSpec | Problem | None:
    """What a list placeholder prints: a field spec (its filters apply), ``None`` (an
    index or a choice's label/text/value: no filter), or why it cannot be printed."""
    items = spec.items
    if ph.attr in ITEM_INDEX_ATTRS:
        return None
    if ph.attr is None:
        if items is not None and items.type == "choice":
            return items
        return _syntax(ph.token, text("syntax_list_attr", field=ph.field), ph.where)
    if items is None:
        sub = spec.item_field(ph.attr)
        if sub is not None:
            return sub
    elif ph.attr == "value" or (items.type == "choice" and ph.attr in CHOICE_ITEM_ATTRS):
        return None
    return Problem(PLACEHOLDER_UNKNOWN, text(PLACEHOLDER_UNKNOWN, placeholder=ph.token,
                                             where=ph.where), ph.name, ph.where)


@dataclass
class Scan:
    """What a template holds: placeholders, problems, the units that repeat per item, and
    the tree of paragraph blocks and clause markers (:mod:`contract_templates.blocks`)."""

    placeholders: list[Placeholder]
    problems: list[Problem]
    units: dict[etree._Element, str]
    nodes: list[Node] = field(default_factory=list)

    @property
    def used_fields(self) -> set[str]:
        """Names of the manifest fields the template prints or decides a block on."""
        used = {ph.field for ph in self.placeholders}
        for node in walk(self.nodes):
            if isinstance(node, Block):
                used.update(b.condition.field for b in node.branches if b.condition)
        return used

    @property
    def used_clauses(self) -> set[str]:
        """Names of the optional clauses the template places."""
        return {node.name for node in walk(self.nodes) if isinstance(node, ClauseNode)}


def _marker(content: str, where: str) -> Marker | Problem | None:
    """The block marker a paragraph consists of, a problem if it is an unknown one, or
    ``None`` when the paragraph is not a lone ``{% … %}``."""
    stripped = content.strip()
    if not stripped.startswith("{%") or TOKEN.fullmatch(stripped) is None:
        return None
    marker = parse_marker(stripped, where)
    if marker is None:
        return Problem("block_syntax", text("block_syntax", token=stripped, where=where),
                       stripped, where)
    return marker


def scan(document: Document, manifest: Manifest) -> Scan:
    """Find every placeholder, block and problem that stops ``document`` being rendered."""
    result = Scan([], [], {})
    parser = BlockParser()
    for where, paragraph in docx_io.story_paragraphs(document):
        if not docx_io.may_hold_markup(paragraph):
            continue
        content = docx_io.paragraph_text(paragraph)
        marker = _marker(content, where)
        if isinstance(marker, Problem):
            result.problems.append(marker)
        elif marker is not None:
            parser.feed(marker, paragraph)
            continue
        found, problems = parse_text(content, where)
        result.placeholders.extend(found)
        result.problems.extend(problems)
        for ph in found:
            problem = resolve(ph, manifest)
            if problem is not None:
                result.problems.append(problem)
            elif ph.attr is not None:
                _claim_unit(result, repeat_unit(paragraph), ph)
    result.nodes, problems = parser.finish()
    result.problems.extend(problems)
    result.problems.extend(check_nodes(result.nodes, manifest))
    return result


def _claim_unit(result: Scan, unit: etree._Element, ph: Placeholder) -> None:
    owner = result.units.setdefault(unit, ph.field)
    if owner != ph.field:
        result.problems.append(_syntax(ph.token, text("syntax_two_lists", first=owner,
                                                         second=ph.field), ph.where))


def find_placeholders(source: bytes, manifest: Manifest) -> list[Placeholder]:
    """Every well-formed placeholder of a template, split runs included."""
    return scan(docx_io.open_docx(docx_io.read_source(source)), manifest).placeholders


def _unused(manifest: Manifest, found: Scan) -> Iterator[Problem]:
    used = found.used_fields
    for spec in manifest.fields:
        if spec.name not in used:
            yield Problem(FIELD_UNUSED, text(FIELD_UNUSED, name=spec.name, label=spec.label),
                          spec.name, severity="error" if spec.required else "warning")
    for slot in manifest.clauses:
        if slot.name not in found.used_clauses:
            yield Problem("clause_unused", text("clause_unused", name=slot.name,
                                                label=slot.label), slot.name,
                          severity="warning")


def kind_problems(manifest: Manifest) -> list[Problem]:
    """Fields the manifest's kind requires (:attr:`Kind.required_fields`) but it lacks.

    Only for a manifest that names its kind: one written before kinds existed is
    checked by its caller, as before.
    """
    if "kind" not in manifest.model_fields_set:
        return []
    kind = get_kind(manifest.kind)
    problems = []
    for name, kind_type in kind.required_fields.items():
        spec = manifest.field(name)
        if spec is None or spec.type != kind_type:
            problems.append(Problem("kind_field_missing", text(
                "kind_field_missing", kind_label=kind.label, name=name, type=kind_type), name))
    return problems


def check_template(source: bytes, manifest: Manifest) -> list[Problem]:
    """Every problem of a template against its manifest; ``[]`` when it is fit for use.

    Reports unreadable files (``template_not_docx``, ``template_encrypted``,
    ``template_corrupt``, ``template_too_large``), markup errors (``syntax_error``,
    ``block_*``, ``condition_*``, ``clause_undeclared``), placeholders the manifest
    lacks (``placeholder_unknown``), manifest fields the template never uses
    (``field_unused``; a warning for optional fields), offered clauses it never
    places (``clause_unused``, a warning) and fields its kind requires
    (``kind_field_missing``).
    """
    try:
        document = docx_io.open_docx(docx_io.read_source(source))
    except TemplateFileError as exc:
        return [exc.as_problem()]
    result = scan(document, manifest)
    return result.problems + list(_unused(manifest, result)) + kind_problems(manifest)
