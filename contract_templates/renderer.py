"""Fill a contract template with checked values and return the .docx bytes.

:func:`render` refuses rather than guesses: markup it cannot fill raises
:class:`TemplateSyntaxError`, missing values raise :class:`MissingValueError`
(naming every missing field), other bad values :class:`InvalidValuesError`.
Values are written as run text, so ``<``, ``&`` and the like stay literal text.
The same template bytes, values and ``created`` give the same bytes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from . import docx_io
from .blocks import apply
from .clauses import Clause, as_mapping, check_clause_for, write_clause
from .errors import (
    InvalidValuesError,
    MissingValueError,
    Problem,
    RenderError,
    TemplateSyntaxError,
)
from .formatting import cn_number, format_date, format_money, money_upper
from .manifest import FieldSpec, Manifest
from .messages import text
from .placeholders import PLACEHOLDER, TOKEN, Scan, normalise_paragraph, scan
from .values import ValueReport, check_values

GENERATOR = "GovCounsel contract_templates"


def format_value(spec: FieldSpec, value: Any, filter_name: str | None = None) -> str:
    """How ``value`` of field ``spec`` is printed, optionally through a filter."""
    if filter_name == "money_upper":
        return money_upper(value)
    if filter_name == "cn_number":
        return cn_number(value)
    if spec.type == "boolean":
        return "是" if value else "否"
    if spec.type == "choice":
        choice = spec.choice(value)
        assert choice is not None, value
        return choice.label if filter_name == "label" else choice.printed
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_money(value)
    return str(value)


def _item_text(spec: FieldSpec, item: Any, index: int, attr: str, filter_name: str | None
               ) -> str:
    if attr == "index":
        return str(index + 1)
    if attr == "index_cn":
        return cn_number(index + 1)
    if spec.items is not None:
        if attr == "value":
            return str(item)
        choice = spec.items.choice(item)
        assert choice is not None, item
        return choice.label if attr == "label" else choice.printed
    sub = spec.item_field(attr)
    assert sub is not None, attr
    value = item.get(attr)
    if value is None:
        if sub.default is None:
            raise MissingValueError([f"{spec.name}[{index}].{attr}"], {})
        return sub.default
    return format_value(sub, value, filter_name)


class _Filler:
    """Replaces placeholder tokens in run text from one set of clean values."""

    def __init__(self, manifest: Manifest, values: Mapping[str, Any]) -> None:
        self.manifest = manifest
        self.values = values

    def scalar(self, field: str, filter_name: str | None) -> str:
        spec = self.manifest.by_name[field]
        value = self.values.get(field)
        if spec.type == "list":
            return "、".join(spec.items.choice(item).label for item in value)  # type: ignore[union-attr]
        if value is None:
            return spec.default or ""
        return format_value(spec, value, filter_name)

    def fill(self, element: etree._Element, item: tuple[str, Any, int] | None = None) -> None:
        """Fill every paragraph within ``element`` (one list ``item`` may be in scope)."""
        paragraphs = [element] if element.tag == qn("w:p") else element.iter(qn("w:p"))
        for paragraph in paragraphs:
            if not docx_io.may_hold_markup(paragraph):
                continue
            for run in docx_io.paragraph_runs(paragraph):
                content = run.text
                if "{{" in content:
                    run.text = TOKEN.sub(lambda m: self._token(m.group(), item), content)

    def _token(self, token: str, item: tuple[str, Any, int] | None) -> str:
        parsed = PLACEHOLDER.fullmatch(token)
        assert parsed is not None, token
        field, attr, filter_name = parsed["field"], parsed["attr"], parsed["filter"]
        if attr is None:
            return self.scalar(field, filter_name)
        assert item is not None and item[0] == field, token
        return _item_text(self.manifest.by_name[field], item[1], item[2], attr, filter_name)


def _missing(manifest: Manifest, found: Scan, report: ValueReport) -> list[str]:
    """Required fields left blank, and optional ones the template prints without a default."""
    missing = list(report.missing)
    for ph in found.placeholders:
        spec = manifest.by_name[ph.field]
        if ph.field in report.errors or ph.field in missing or spec.default is not None:
            continue
        value = report.clean.get(ph.field)
        if value is None or (ph.attr is None and value == []):
            missing.append(ph.field)
    return missing


def _expand(found: Scan, filler: _Filler) -> None:
    """Replace each repeat unit by one filled copy per item of its list."""
    for unit, field in found.units.items():
        for index, item in enumerate(filler.values.get(field, [])):
            clone = copy.deepcopy(unit)
            filler.fill(clone, (field, item, index))
            unit.addprevious(clone)
        unit.getparent().remove(unit)


def _stamp(document: Document, manifest: Manifest, created: datetime | None) -> None:
    props = document.core_properties
    props.title = manifest.document_title or manifest.title
    props.comments = f"template={manifest.template}; version={manifest.version}"
    props.last_modified_by = GENERATOR
    props.revision = 1
    if created is not None:
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        moment = created.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        props.created = props.modified = moment


def _assert_clean(document: Document) -> None:
    for where, paragraph in docx_io.story_paragraphs(document):
        if not docx_io.may_hold_markup(paragraph):
            continue
        content = docx_io.paragraph_text(paragraph)
        if "{{" in content or "{%" in content:
            raise RenderError(text("leftover_markup", where=where), code="leftover_markup")


def _ordered(manifest: Manifest, clean: dict[str, Any]) -> dict[str, Any]:
    """Apply each list's ``first_match``: the matching item moves to the front."""
    for spec in manifest.fields:
        match, items = spec.first_match, clean.get(spec.name)
        if match is None or not items:
            continue
        wanted = clean.get(match.field)
        first = [item for item in items if item.get(match.item) == wanted]
        clean[spec.name] = first[:1] + [item for item in items if item is not first[:1][0]] \
            if first else items
    return clean


def _chosen_clauses(manifest: Manifest, clauses: Mapping[str, Clause] | Iterable[Clause] | None
                    ) -> dict[str, Clause]:
    chosen = as_mapping(clauses)
    problems = []
    for name, clause in chosen.items():
        if manifest.clause_slot(name) is None:
            problems.append(Problem("clause_not_offered", text("clause_not_offered", name=name),
                                    name))
        else:
            problems.extend(check_clause_for(clause, manifest))
    if problems:
        raise TemplateSyntaxError(problems)
    return chosen


def render(template: str | Path | bytes, manifest: Manifest, values: Mapping[str, Any], *,
           created: datetime | None = None,
           clauses: Mapping[str, Clause] | Iterable[Clause] | None = None) -> bytes:
    """Fill ``template`` (.docx path or bytes) with ``values`` checked against ``manifest``.

    Paragraph blocks keep the branch the values choose; ``clauses`` are the optional
    clauses chosen for this contract (by name; each must be offered by the manifest),
    the others are left out. ``created`` (timezone-aware, or naive meaning UTC)
    becomes the document's created/modified time; without it the template's own
    timestamps are kept, so the output is reproducible either way. Raises
    ``TemplateFileError``, ``TemplateSyntaxError``, ``MissingValueError`` or
    ``InvalidValuesError``.
    """
    chosen = _chosen_clauses(manifest, clauses)
    document = docx_io.open_docx(docx_io.read_source(template))
    for _where, paragraph in docx_io.story_paragraphs(document):
        normalise_paragraph(paragraph)
    found = scan(document, manifest)
    if found.problems:
        raise TemplateSyntaxError(found.problems)
    report = check_values(manifest, values)
    if report.missing:
        raise MissingValueError(_missing(manifest, found, report), manifest.labels)
    if report.errors:
        raise InvalidValuesError(report.errors)
    clean = _ordered(manifest, report.clean)
    if found.nodes:
        apply(found.nodes, clean, lambda name, marker: _write(chosen, name, marker))
        found = scan(document, manifest)
        if found.problems:
            raise TemplateSyntaxError(found.problems)
    missing = _missing(manifest, found, report)
    if missing:
        raise MissingValueError(missing, manifest.labels)
    filler = _Filler(manifest, clean)
    _expand(found, filler)
    for _where, paragraph in docx_io.story_paragraphs(document):
        filler.fill(paragraph)
    _stamp(document, manifest, created)
    _assert_clean(document)
    return docx_io.save_docx(document)


def _write(chosen: Mapping[str, Clause], name: str, marker: Any) -> None:
    clause = chosen.get(name)
    if clause is not None:
        write_clause(clause, marker)
