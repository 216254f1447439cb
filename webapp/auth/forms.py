"""The forms of login and account security: their inputs and the pydantic models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from ..forms import Input
from ..messages import error_text

LOGIN = (Input("username", "用户名", required=True, attrs={"autocomplete": "username"}),
         Input("password", "密码", "password", required=True,
               attrs={"autocomplete": "current-password"}))


def _not_blank(value):
    if value is None or not str(value).strip():
        raise ValueError(error_text("required"))
    return value


Required = Annotated[str, BeforeValidator(_not_blank)]


class LoginIn(BaseModel):
    """Username and password, both required (no control characters in the name)."""

    model_config = ConfigDict(extra="ignore")

    username: Required = Field(max_length=64)
    password: Required = Field(max_length=256)

    @field_validator("username")
    @classmethod
    def _plain(cls, value: str) -> str:
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
            raise ValueError(error_text("control_chars"))
        return value.strip()

SECOND_STEP = (Input("code", "动态口令或恢复码", required=True,
                     attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                            "autofocus": "autofocus"}),)
CHANGE_PASSWORD = (
    Input("current_password", "当前密码", "password", required=True,
          attrs={"autocomplete": "current-password"}),
    Input("password", "新密码", "password", required=True,
          attrs={"autocomplete": "new-password"}),
    Input("password_confirm", "再次输入新密码", "password", required=True,
          attrs={"autocomplete": "new-password"}),
)
TOTP_CONFIRM = (Input("code", "验证器应用中显示的 6 位数字", required=True,
                      attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),)
TOTP_DISABLE = (Input("current_password", "当前密码", "password", required=True,
                      attrs={"autocomplete": "current-password"}),)

TOTP_RESET = (Input("reason", "重置原因（将记入审计日志并告知该用户）", "textarea", required=True,
                    attrs={"maxlength": "500", "rows": "3"}),)


class TotpResetIn(BaseModel):
    """Why an admin (or the console) resets a user's two-step login: required, one line
    of plain text of at most 500 characters."""

    model_config = ConfigDict(extra="ignore")

    reason: Required = Field(max_length=500)

    @field_validator("reason")
    @classmethod
    def _plain(cls, value: str) -> str:
        if any(ord(ch) < 0x20 and ch not in "\r\n\t" or ord(ch) == 0x7F for ch in value):
            raise ValueError(error_text("control_chars"))
        return " ".join(value.split())
