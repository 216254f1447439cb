"""Request and response shapes of engagements (one set for the API and the forms).

The parties (agency, advisor, firm, lawyers) are typed here; the contract's terms
are the template's fields, so they are checked against the active manifest by
``contract_templates`` (field-level Chinese messages) rather than by pydantic.
Unknown names are refused with a 422 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import validation
from ..messages import error_text
from ..models import ENGAGEMENT_STATUSES
from ..schema_types import UtcDateTime
from ..validation import blank_to_none as _blank_none
from .params import plain_text_error

Status = Literal[ENGAGEMENT_STATUSES]  # type: ignore[valid-type]
EngagementKind = Literal["standard", "individual", "special"]
_DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
_MONEY = {"anyOf": [{"type": "string"}, {"type": "number"}], "description": "元，最多两位小数"}


class Refs(BaseModel):
    """Who the contract is with. ``advisor_id`` is the chief advisor (首席法律顾问)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agency_id: int = Field(ge=1)
    advisor_id: int | None = Field(default=None, ge=1)
    firm_id: int | None = Field(default=None, ge=1)
    lawyer_ids: list[int] | None = Field(default=None, max_length=20,
                                         description="指派律师（默认为首席法律顾问本人）")
    override_reason: str | None = Field(default=None, description="管理员越过人才库选聘的理由")

    @field_validator("advisor_id", "firm_id", "override_reason", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("override_reason")
    @classmethod
    def _reason(cls, value):
        problem = value and plain_text_error(value, multiline=True, max_length=500)
        if problem:
            raise ValueError(problem)
        return value


class EngagementCreate(Refs):
    """``POST /api/v1/engagements``: the kind, the parties plus the fields of that kind's
    active template (see ``GET /api/v1/engagements/template?kind=``)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    kind: EngagementKind = Field(default="standard", description=(
        "standard 常年法律顾问 / individual 法学专家个人顾问 / special 专项法律服务"))
    clauses: list[str] = Field(default_factory=list, max_length=20,
                               description="选用的条款库条款（模板提供的可选条款名称）")
    start_date: Any = Field(default=None, json_schema_extra=_DATE)
    end_date: Any = Field(default=None, json_schema_extra=_DATE)
    annual_fee: Any = Field(default=None, json_schema_extra=_MONEY)
    services: Any = Field(default=None,
                          json_schema_extra={"type": "array", "items": {"type": "string"}})

    def terms(self) -> dict[str, Any]:
        """The template fields submitted (typed ones that were given, and extra names)."""
        fixed = {k: getattr(self, k) for k in ("start_date", "end_date", "annual_fee",
                                                "services") if k in self.model_fields_set}
        return {**fixed, **(self.model_extra or {})}


class RenewInput(BaseModel):
    """``renew``: the new term, optionally another advisor (from the pool), other terms."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    start_date: Any = Field(json_schema_extra=_DATE)
    end_date: Any = Field(json_schema_extra=_DATE)
    annual_fee: Any = Field(default=None, json_schema_extra=_MONEY)
    advisor_id: int | None = Field(default=None, ge=1)
    firm_id: int | None = Field(default=None, ge=1)
    lawyer_ids: list[int] | None = Field(default=None, max_length=20)
    override_reason: str | None = None

    @field_validator("advisor_id", "firm_id", "override_reason", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("override_reason")
    @classmethod
    def _reason(cls, value):
        problem = value and plain_text_error(value, multiline=True, max_length=500)
        if problem:
            raise ValueError(problem)
        return value

    def terms(self) -> dict[str, Any]:
        """Template fields to change (``None`` keeps the old value)."""
        fixed = {k: getattr(self, k) for k in ("start_date", "end_date", "annual_fee")}
        extra = self.model_extra or {}
        return {k: v for k, v in {**fixed, **extra}.items() if v is not None}


class SignInput(BaseModel):
    """``sign`` (multipart with ``file``): the date the contract was signed (default today)."""

    model_config = ConfigDict(extra="forbid")

    signed_on: date | None = None

    @field_validator("signed_on", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)


class FileInput(BaseModel):
    """``file``: the bureau's filing number and date (备案)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    filing_no: str = Field(min_length=1, max_length=64)
    filed_on: date

    @field_validator("filing_no")
    @classmethod
    def _plain(cls, value):
        problem = plain_text_error(value)
        if problem:
            raise ValueError(problem)
        return value


class ActivateInput(BaseModel):
    """``activate``: no fields."""

    model_config = ConfigDict(extra="forbid")


class TerminateInput(BaseModel):
    """``terminate``: a written reason and the date (default today)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)
    terminated_on: date | None = None

    @field_validator("terminated_on", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("reason", mode="before")
    @classmethod
    def _required(cls, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError(error_text("reason_required"))
        return value

    @field_validator("reason")
    @classmethod
    def _plain(cls, value):
        problem = plain_text_error(value, multiline=True)
        if problem:
            raise ValueError(problem)
        return value


class ListQuery(validation.ListQuery):
    """Filters of the engagement list (page and API)."""

    status: Status | None = None
    kind: EngagementKind | None = None
    agency_id: int | None = Field(default=None, ge=1)
    advisor_id: int | None = Field(default=None, ge=1)
    year: int | None = Field(default=None, ge=2000, le=2100)
    q: str | None = Field(default=None, max_length=64)
    overdue: bool = False
    expiring_within: int | None = Field(default=None, ge=1, le=366)
    sort: str = "-created_at"


class LawyerOut(BaseModel):
    """An assigned lawyer as printed in the contract."""

    name: str
    licence_no: str | None = None


class EngagementOut(BaseModel):
    """An engagement with its kind, parties, term, state, filing and files."""

    id: int
    kind: str
    kind_label: str
    contract_no: str
    status: Status
    status_label: str
    agency_id: int
    agency: str
    advisor_id: int | None
    advisor: str | None
    firm_id: int | None
    firm: str | None
    lawyers: list[LawyerOut]
    start_date: date
    end_date: date
    annual_fee: str
    services: list[str]
    signed_on: date | None
    filing_due_on: date | None
    filing_overdue: bool
    filed_on: date | None
    filing_no: str | None
    terminated_on: date | None
    termination_reason: str | None
    renewed_from_id: int | None
    renewed_by_id: int | None
    pool_override_reason: str | None
    template_version: int | None
    document_id: int | None
    registration_no: str | None
    signed_document_id: int | None
    params: dict[str, Any]
    clauses: list[dict[str, Any]] = []
    created_at: UtcDateTime


class EngagementList(BaseModel):
    """A page of engagements."""

    total: int
    page: int
    per_page: int
    items: list[EngagementOut]


class FieldOut(BaseModel):
    """One template field as a client needs it."""

    name: str
    label: str
    type: str
    required: bool
    filled_by: Literal["system", "register", "user"]
    choices: list[dict[str, str]] | None = None


class TemplateOut(BaseModel):
    """The active template version and its fields."""

    version: int
    title: str
    sha256: str
    fields: list[FieldOut]
