"""Inputs of the notification centre."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..messages import error_text
from ..validation import blank_to_none

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class AddressInput(BaseModel):
    """The reminder e-mail address (blank: no e-mail)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str | None = Field(default=None, max_length=120)

    @field_validator("email", mode="before")
    @classmethod
    def _blank(cls, value):
        return blank_to_none(value)

    @field_validator("email")
    @classmethod
    def _valid(cls, value):
        if value is not None and not EMAIL.match(value):
            raise ValueError(error_text("invalid_email"))
        return value
