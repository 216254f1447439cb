"""Document metadata as submitted by the upload form and the API (one model for both)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..messages import error_text
from ..models import DOC_TYPES, MATTER_AREAS, MEETING_TYPES, SERVICE_TYPES

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML = re.compile(r"[<>]")

DocType = Literal[DOC_TYPES]  # type: ignore[valid-type]
MatterArea = Literal[MATTER_AREAS]  # type: ignore[valid-type]
MeetingType = Literal[MEETING_TYPES]  # type: ignore[valid-type]
ServiceType = Literal[SERVICE_TYPES]  # type: ignore[valid-type]


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
    return value


class DocumentMeta(BaseModel):
    """Metadata of a document; empty strings from forms count as absent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency_id: int = Field(ge=1)
    doc_type: DocType
    title: str | None = Field(default=None, max_length=200)
    advisor_id: int | None = Field(default=None, ge=1)
    issued_on: date | None = None
    service_type: ServiceType | None = None
    matter_area: MatterArea | None = None
    meeting_type: MeetingType | None = None
    recommendations: int = Field(default=0, ge=0, le=100000)
    classified: bool = False
    notes: str | None = Field(default=None, max_length=2000)

    @field_validator("advisor_id", "issued_on", "service_type", "matter_area", "meeting_type",
                     "title", "notes", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("recommendations", mode="before")
    @classmethod
    def _blank_is_zero(cls, value):
        return 0 if isinstance(value, str) and not value.strip() else value

    @field_validator("classified", mode="before")
    @classmethod
    def _checkbox(cls, value):
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "on", "yes", "y"}
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value):
        return clean_text(value)

    @field_validator("notes")
    @classmethod
    def _notes(cls, value):
        return clean_text(value, multiline=True)

    @field_validator("issued_on")
    @classmethod
    def _issued(cls, value):
        if value is not None and not (date(1949, 10, 1) <= value <= date(2100, 12, 31)):
            raise ValueError(error_text("invalid_date"))
        return value


class MetaChange(DocumentMeta):
    """A metadata edit: every field optional, a new file is not involved."""

    agency_id: int | None = Field(default=None, ge=1)  # type: ignore[assignment]
    doc_type: DocType | None = None  # type: ignore[assignment]
