"""Property tests on the grammar and renderer (hypothesis): any values a manifest accepts
render for every kind; no input leaves a marker or becomes markup; any text in a
marker paragraph is refused or understood, never run."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import docx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contract_templates import ContractTemplateError, render, validate_values
from contract_templates.blocks import parse_marker
from contract_templates.manifest import FieldSpec, Manifest
from contract_templates.registry import latest_shipped

KINDS = ["standard", "individual", "special", "supplement"]
MARKUP = re.compile(r"\{\{|\}\}|\{%|%\}")
ALPHABET = list("甲乙法律顾问合同书（）、，。；：“”《》 abcXYZ0123456789-<>&\"'{}%#\\/\t")
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _text(spec: FieldSpec) -> st.SearchStrategy:
    if spec.pattern:
        return st.from_regex(spec.pattern, fullmatch=True)
    return st.text(ALPHABET, min_size=max(1, spec.min_length or 0),
                   max_size=min(spec.max_length or 40, 40)).filter(str.strip)


def _scalar(spec: FieldSpec) -> st.SearchStrategy:
    if spec.type == "text":
        return _text(spec)
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "date":
        return st.dates(spec.bound("minimum") or None, spec.bound("maximum") or None) \
            if spec.bound("minimum") else st.dates()
    if spec.type == "money":
        return st.decimals(spec.bound("minimum") or 0, spec.bound("maximum") or 10**9, places=2)
    if spec.type == "integer":
        return st.integers(spec.bound("minimum") or 0, spec.bound("maximum") or 10**6)
    return st.sampled_from([choice.value for choice in spec.choices])


def _field(spec: FieldSpec) -> st.SearchStrategy:
    if spec.type != "list":
        return _scalar(spec)
    if spec.items is not None:
        items = _scalar(spec.items)
    else:
        items = st.fixed_dictionaries({sub.name: _scalar(sub) for sub in spec.item_fields})
    if spec.items is None:
        keys = [sub.name for sub in spec.item_fields if sub.unique]
        return st.lists(items, min_size=spec.min_items or 0, max_size=4,
                        unique_by=tuple((lambda item, k=k: item[k]) for k in keys) or None)
    return st.lists(items, min_size=spec.min_items or 0, max_size=min(spec.max_items or 4, 4),
                    unique=spec.unique)


def _repair(manifest: Manifest, values: dict) -> dict:
    """Make generated values meet the manifest's cross-field rules where one value decides."""
    for rule in manifest.rules:
        if rule.kind in ("after", "after_or_equal") and rule.field in values \
                and rule.other in values and values[rule.field] <= values[rule.other]:
            other = values[rule.other]
            step = timedelta(days=1) if hasattr(other, "day") else (
                Decimal("1") if isinstance(other, Decimal) else 1)
            values[rule.field] = other + step
        if rule.kind == "any_true" and not any(values.get(name) for name in rule.fields):
            values[rule.fields[0]] = True
    for rule in manifest.rules:
        if rule.kind == "required_if" and values.get(rule.field) in (None, []):
            values.setdefault(rule.field, manifest.sample.get(rule.field))
    return values


@st.composite
def manifest_values(draw, kind: str) -> tuple:
    version = latest_shipped(kind)
    manifest = version.manifest
    values = {}
    for spec in manifest.fields:
        if spec.required or draw(st.booleans()):
            values[spec.name] = draw(_field(spec))
    return version, _repair(manifest, values)


def _all_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data())
def test_any_manifest_valid_values_render_without_markers(kind, data):
    version, values = data.draw(manifest_values(kind))
    clean, errors = validate_values(version.manifest, values)
    assume(not errors)
    text = _all_text(render(version.docx_bytes, version.manifest, values))
    assert not MARKUP.search(text), MARKUP.search(text)
    assert clean["agency_name"] in text


@pytest.mark.parametrize("kind", ["individual", "supplement"])
@SETTINGS
@given(data=st.data(), junk=st.lists(st.sampled_from(
    ALPHABET + ["{{", "{%", "%}", "}}", "\x00", "\u202e", "{{ agency_name }}", "{% if x %}"]),
    max_size=12).map("".join))
def test_no_input_leaves_markup_or_is_run(kind, data, junk):
    version = latest_shipped(kind)
    values = dict(version.manifest.sample)
    name = data.draw(st.sampled_from([s.name for s in version.manifest.fields
                                      if s.type == "text"]))
    values[name] = junk
    try:
        out = render(version.docx_bytes, version.manifest, values)
    except ContractTemplateError as exc:
        assert exc.code in ("invalid_values", "missing_value") and exc.message
        return
    text = _all_text(out)
    assert not MARKUP.search(text)
    assert junk.strip() in text or not version.manifest.by_name[name].required


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=60))
def test_marker_parsing_never_evaluates(body):
    token = "{% " + body + " %}"
    marker = parse_marker(token, "正文 第1段")
    if marker is None:
        return
    assert marker.word in ("if", "elif", "else", "endif", "clause")
    if marker.condition is not None:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", marker.condition.field)
        assert marker.condition.value is None or re.fullmatch(r"[a-z0-9_]*",
                                                              marker.condition.value)
