"""Inputs of advisor evaluation: the form, one evaluation, the pool decision."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..engagements.params import plain_text_error
from ..validation import blank_to_none

Outcome = Literal["renew", "warn", "suspend"]


def _plain(value: str | None) -> str | None:
    problem = value and plain_text_error(value, multiline=True, max_length=2000)
    if problem:
        raise ValueError(problem)
    return value or None


class FormItem(BaseModel):
    """One item of the evaluation form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^[A-Za-z0-9_]{1,16}$")
    name: str = Field(min_length=1, max_length=64)
    max: float = Field(gt=0, le=100)

    @field_validator("name")
    @classmethod
    def _name(cls, value):
        return _plain(value)


class FormInput(BaseModel):
    """The evaluation form of a year."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=date.today().year + 1)
    items: list[FormItem] = Field(min_length=1, max_length=20)


class EvaluationInput(BaseModel):
    """An agency's evaluation of one advisor."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    year: int = Field(ge=2000, le=2100)
    advisor_id: int = Field(ge=1)
    scores: dict[str, Any] = Field(default_factory=dict)
    complaints: int = Field(default=0, ge=0, le=1000)
    comment: str | None = Field(default=None, max_length=2000)

    @field_validator("comment")
    @classmethod
    def _comment(cls, value):
        return _plain(value)


class DecisionInput(BaseModel):
    """The admin's decision on a pool member."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    year: int = Field(ge=2000, le=2100)
    outcome: Outcome
    reason: str | None = Field(default=None, max_length=2000)

    @field_validator("reason", mode="before")
    @classmethod
    def _blank(cls, value):
        return blank_to_none(value)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value):
        return _plain(value)
