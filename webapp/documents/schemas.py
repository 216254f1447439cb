"""Pydantic models of documents, built from the field registry (``registry``).

One builder per use, each fed the same field specs, so a field declared once (or
added by an admin) is accepted, filtered and shown the same way by the upload and
edit forms, the list page, ``GET/POST /api/v1/documents`` and the OpenAPI document:

- :func:`meta_model` — the metadata of an upload (``partial``: an edit, every field
  optional and only the fields sent are changed);
- :func:`filters_model` / :func:`list_query_model` — list filters (and search, which
  uses the declared ones), title search, sort and paging;
- ``present.out_model`` — the JSON of a document.

``DocumentMeta``, ``MetaChange``, ``DocumentFilters`` and ``DocumentListQuery`` are
the models of the declared fields (code that registers documents itself uses them);
requests use ``current(...)``, which includes the custom fields of the moment.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import PurePath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)

from ..errors import ValidationFailed
from ..messages import error_text, label
from .registry import FieldSpec, all_fields, core_fields, doc_types

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML = re.compile(r"[<>]")
# Bidirectional controls: U+202E makes "abc\u202etxt.exe" show as "abcexe.txt".
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
UNTITLED = "未命名文书"
TRUE_WORDS = {"1", "true", "on", "yes", "y"}
FIRST_DAY, LAST_DAY = date(1949, 10, 1), date(2100, 12, 31)
SORTED_ALWAYS = ("created_at", "registration_no")


def clean_text(value: str | None, *, multiline: bool = False) -> str | None:
    """Strip, refuse control characters and HTML; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    check = value.replace("\n", "").replace("\r", "").replace("\t", "") if multiline else value
    if CONTROL.search(check):
        raise ValueError(error_text("control_chars"))
    if HTML.search(value):
        raise ValueError(error_text("html_not_allowed"))
    if BIDI.search(value):
        raise ValueError(error_text("bidi_not_allowed"))
    return value


def title_from_filename(filename: str, max_length: int = 200) -> str:
    """The title of an untitled upload: the file name without its extension, with what a
    typed title may not hold (HTML brackets, control and bidirectional characters)
    removed, then checked by :func:`clean_text` like a typed title."""
    stem = PurePath(filename).stem or filename
    text = " ".join(BIDI.sub("", CONTROL.sub(" ", HTML.sub(" ", stem))).split())
    return clean_text(text[:max_length]) or UNTITLED


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _checkbox(value: Any) -> Any:
    return value.strip().lower() in TRUE_WORDS if isinstance(value, str) else value


def _in_range(value: date | None) -> date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(error_text("invalid_date"))
    return value


def _before(spec: FieldSpec, *, filter_: bool = False):
    """Blank means absent (the default of an upload); text is cleaned; a date checked."""
    def convert(value: Any) -> Any:
        if spec.kind == "bool":
            return _checkbox(value) if not _blank(value) else (None if filter_ else False)
        if _blank(value):
            return None if filter_ else spec.default
        if spec.kind in ("text", "textarea") and isinstance(value, str) and not filter_:
            return clean_text(value, multiline=spec.kind == "textarea")
        return value
    return BeforeValidator(convert)


def _type(spec: FieldSpec) -> Any:
    if spec.kind == "choice":
        codes = tuple(code for code, _ in spec.options())
        return Literal[codes] if codes else str  # type: ignore[valid-type]
    return {"integer": int, "number": float, "bool": bool, "agency": int, "advisor": int,
            "date": date}.get(spec.kind, str)


def _field(spec: FieldSpec, *, filter_: bool = False) -> tuple[Any, Any]:
    """The (annotation, Field) of ``spec`` in an upload model, or in a filter model."""
    constraints: dict[str, Any] = {"title": spec.label}
    if spec.kind in ("text", "textarea"):
        constraints["max_length"] = 100 if filter_ else spec.max_length or 200
    if spec.kind in ("integer", "number") and not filter_:
        constraints.update(ge=spec.minimum, le=spec.maximum)
    if spec.kind in ("agency", "advisor"):
        constraints["ge"] = 1
    checks = [_before(spec, filter_=filter_)]
    if spec.kind == "date" and not filter_:
        checks.append(AfterValidator(_in_range))
    annotated = Annotated[(_type(spec) | None, *checks)]  # type: ignore[valid-type]
    default = None if filter_ else spec.default
    if default is None and spec.kind == "bool" and not filter_:
        default = False
    return annotated, Field(default=default, **constraints)


DocType = Literal[doc_types()]  # type: ignore[valid-type]


class _Meta(BaseModel):
    """Base of the metadata models: unknown names are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_types(fields: tuple[FieldSpec, ...], partial: bool):
    def check(model: Any) -> Any:
        doc_type = getattr(model, "doc_type", None)
        errors: dict[str, str] = {}
        for spec in fields:
            value = getattr(model, spec.name)
            applies = spec.applies_to(doc_type)
            if not applies and value not in (None, False) and spec.name in model.model_fields_set:
                errors[spec.name] = error_text("field_not_for_type",
                                               type=label("doc_type", doc_type))
            elif applies and spec.required and not partial and value in (None, ""):
                errors[spec.name] = error_text("required")
        if errors:
            raise ValidationFailed(errors)
        return model
    return model_validator(mode="after")(check)


@lru_cache(maxsize=64)
def meta_model(fields: tuple[FieldSpec, ...], partial: bool = False) -> type[BaseModel]:
    """Upload metadata (``partial``: an edit) with ``fields``."""
    base: dict[str, Any] = {
        "agency_id": (int | None, Field(default=None, ge=1)) if partial else
        (int, Field(ge=1, title="单位")),
        "doc_type": (DocType | None, None) if partial else (DocType, Field(title="文书类型")),
    }
    for spec in fields:
        base[spec.name] = _field(spec)
    name = "MetaChange" if partial else "DocumentMeta"
    return create_model(name, __base__=_Meta, __validators__={
        "fields_of_type": _check_types(fields, partial)}, **base)


class _Filters(BaseModel):
    """Base of the filter models: blank query-string values count as absent."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    agency_id: int | None = Field(default=None, ge=1)
    doc_type: DocType | None = None
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = Field(default=None, ge=1949, le=2100)

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not _blank(v)}
        return data

    @model_validator(mode="after")
    def _range(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(error_text("invalid_date"))
        return self


@lru_cache(maxsize=64)
def filters_model(fields: tuple[FieldSpec, ...], name: str = "DocumentFilters"
                  ) -> type[BaseModel]:
    """Filters: agency, type, issue-date range and year, and every filterable field."""
    extra = {spec.name: _field(spec, filter_=True) for spec in fields if spec.filterable}
    return create_model(name, __base__=_Filters, **extra)


@lru_cache(maxsize=64)
def list_query_model(fields: tuple[FieldSpec, ...]) -> type[BaseModel]:
    """The document list: filters, a title search, sort and paging."""
    keys = (*SORTED_ALWAYS, *(f.name for f in fields if f.sortable))
    sorts = (*keys, *(f"-{k}" for k in keys))
    return create_model(
        "DocumentListQuery", __base__=filters_model(fields, "DocumentListFilters"),
        q=(str | None, Field(default=None, max_length=100)),
        sort=(Literal[sorts], "-created_at"),  # type: ignore[valid-type]
        page=(int, Field(default=1, ge=1, le=100000)),
        per_page=(int, Field(default=20, ge=1, le=200)))


def current(builder, *args: Any) -> type[BaseModel]:
    """``builder`` applied to the fields of the moment (declared + active custom ones)."""
    return builder(all_fields(), *args)


DocumentMeta = meta_model(core_fields())
MetaChange = meta_model(core_fields(), True)
DocumentFilters = filters_model(core_fields())
DocumentListQuery = list_query_model(core_fields())
