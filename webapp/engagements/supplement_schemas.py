"""Request and response shapes of supplementary agreements (补充协议) and terms in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..schema_types import UtcDateTime
from ..validation import blank_to_none as _blank_none
from .params import plain_text_error


class SupplementInput(BaseModel):
    """``POST /api/v1/engagements/<id>/supplements``: what changes, from when.

    At least one of ``change_fee`` (with ``new_annual_fee``), ``extend_term`` (with
    ``new_end_date``) and ``change_lawyers`` (``lawyer_change_mode`` add or replace,
    ``added_lawyer_ids`` from the contract's firm, ``removed_lawyer_names`` when
    replacing). ``override_reason``: an admin's reason to go past the talent pool.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    effective_date: date
    change_fee: bool = False
    new_annual_fee: Decimal | None = Field(default=None, ge=0, le=10_000_000,
                                           decimal_places=2)
    extend_term: bool = False
    new_end_date: date | None = None
    change_lawyers: bool = False
    lawyer_change_mode: Literal["add", "replace"] | None = None
    added_lawyer_ids: list[int] = Field(default_factory=list, max_length=20)
    removed_lawyer_names: list[str] = Field(default_factory=list, max_length=20)
    override_reason: str | None = Field(default=None, max_length=500)
    copies: int = Field(default=4, ge=1, le=20)
    signed_place: str | None = Field(default=None, max_length=60)

    @field_validator("new_annual_fee", "new_end_date", "lawyer_change_mode",
                     "override_reason", "signed_place", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)

    @field_validator("override_reason", "signed_place")
    @classmethod
    def _plain(cls, value):
        problem = value and plain_text_error(value, multiline=True)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("removed_lawyer_names")
    @classmethod
    def _names(cls, value):
        for name in value:
            if problem := plain_text_error(name, max_length=20):
                raise ValueError(problem)
        return [v.strip() for v in value if v.strip()]


class TeamMember(BaseModel):
    """A lawyer of the team in force."""

    name: str
    licence_no: str | None = None


class SupplementOut(BaseModel):
    """A supplementary agreement and what it changes."""

    id: int
    engagement_id: int
    agreement_no: str
    status: str
    status_label: str
    effective_date: date
    new_annual_fee: str | None
    new_end_date: date | None
    lawyer_change: dict[str, Any] | None
    pool_override_reason: str | None
    signed_on: date | None
    filed_on: date | None
    filing_no: str | None
    document_id: int | None
    signed_document_id: int | None
    template_version: int | None
    created_at: UtcDateTime


class SupplementList(BaseModel):
    """The supplementary agreements of one engagement, oldest first."""

    total: int
    items: list[SupplementOut]


class TermsOut(BaseModel):
    """The terms of an engagement in force on ``on``: the contract as changed by every
    signed or filed supplementary agreement effective by then."""

    engagement_id: int
    on: date
    in_force: bool
    start_date: date
    end_date: date
    annual_fee: str
    lawyers: list[TeamMember]
    applied: list[str] = Field(description="生效的补充协议编号（按生效日期）")


class TermsQuery(BaseModel):
    """``?on=YYYY-MM-DD`` (default today)."""

    model_config = ConfigDict(extra="ignore")

    on: date | None = None

    @field_validator("on", mode="before")
    @classmethod
    def _blank(cls, value):
        return _blank_none(value)
