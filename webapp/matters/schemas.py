"""Request and response shapes of legal matters (one set for the pages and the API).

Text fields are plain text (no HTML, no control characters); every refusal names its
field with a Chinese message (``webapp.validation.parse``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import validation
from ..engagements.params import plain_text_error
from ..models import ADOPTIONS, MATTER_AREAS, MATTER_KINDS, MATTER_STATUSES, MEETING_TYPES
from ..validation import blank_to_none as _blank_none

Kind = Literal[MATTER_KINDS]  # type: ignore[valid-type]
Status = Literal[MATTER_STATUSES]  # type: ignore[valid-type]
Adoption = Literal[ADOPTIONS]  # type: ignore[valid-type]
MeetingType = Literal[MEETING_TYPES]  # type: ignore[valid-type]
MatterArea = Literal[MATTER_AREAS]  # type: ignore[valid-type]


def _plain(value: str | None, *, multiline: bool, max_length: int) -> str | None:
    problem = value and plain_text_error(value, multiline=multiline, max_length=max_length)
    if problem:
        raise ValueError(problem)
    return value


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MatterCreate(_Input):
    """A new request of an agency to its advisor(s)."""

    agency_id: int = Field(ge=1)
    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    meeting_type: MeetingType | None = Field(default=None, description="上会类型（1+3+5+6）")
    matter_area: MatterArea | None = Field(default=None, description="重点领域")
    classified: bool = False
    advisor_ids: list[int] = Field(min_length=1, max_length=10)
    requested_on: date | None = Field(default=None, description="提请日期，默认今天")
    due_on: date | None = Field(default=None, description="办理期限，默认提请日期后 "
                                "GOVCOUNSEL_MATTER_DUE_WORKING_DAYS 个工作日")
    override_reason: str | None = Field(default=None, max_length=500,
                                        description="管理员越过聘任关系指派的理由")

    @field_validator("description", "meeting_type", "matter_area", "requested_on", "due_on",
                     "override_reason", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value):
        return _plain(value, multiline=False, max_length=200)

    @field_validator("description", "override_reason")
    @classmethod
    def _text(cls, value):
        return _plain(value, multiline=True, max_length=5000)


class ReasonInput(_Input):
    """A step that needs a written reason (return, withdraw)."""

    reason: str = Field(min_length=1, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _text(cls, value):
        return _plain(value, multiline=True, max_length=2000)


class RecommendationIn(BaseModel):
    """One recommendation: its text, and (at adoption) what the agency made of it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(default="", max_length=2000)
    adoption: Adoption = "pending"
    reason: str | None = Field(default=None, max_length=2000)

    @field_validator("reason", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("text", "reason")
    @classmethod
    def _text(cls, value):
        return _plain(value, multiline=True, max_length=2000)


class AnswerInput(_Input):
    """The opinion's date and, optionally, its recommendations (adoption pending)."""

    answered_on: date | None = None
    recommendations: list[str] = Field(default_factory=list, max_length=100)

    @field_validator("answered_on", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)


class AdoptionInput(_Input):
    """Every recommendation of the opinion with its adoption (replaces earlier rows)."""

    recommendations: list[RecommendationIn] = Field(max_length=100)


class MatterListQuery(validation.ListQuery):
    """Filters of the matter list (page and API)."""

    status: Status | None = None
    kind: Kind | None = None
    agency_id: int | None = Field(default=None, ge=1)
    advisor_id: int | None = Field(default=None, ge=1)
    year: int | None = Field(default=None, ge=2000, le=2100)
    overdue: bool = False
    q: str | None = Field(default=None, max_length=64)


class RecommendationOut(BaseModel):
    """A recommendation row."""

    id: int
    position: int
    text: str
    adoption: Adoption
    reason: str | None = None


class MatterOut(BaseModel):
    """A matter as the API shows it."""

    id: int
    matter_no: str
    agency_id: int
    agency_name: str
    kind: Kind
    title: str
    description: str | None = None
    meeting_type: str | None = None
    matter_area: str | None = None
    classified: bool
    status: Status
    advisor_ids: list[int]
    requested_on: date
    due_on: date
    overdue: bool
    paused_days: int
    return_reason: str | None = None
    answered_on: date | None = None
    answered_late: bool
    opinion_document_id: int | None = None
    material_document_ids: list[int]
    recommendations: list[RecommendationOut]
    actions: list[str] = Field(description="当前用户现在可执行的操作")


class MatterList(BaseModel):
    """A page of matters."""

    total: int
    page: int
    per_page: int
    items: list[MatterOut]
