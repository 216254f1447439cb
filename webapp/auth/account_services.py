"""What a signed-in user does with their own account: change the password, read their
own recent logins (time, IP, result), turn two-step login on or off. Flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..audit import services as audit
from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import AuditEvent, User
from . import passwords, totp
from .services import hash_password, password_matches

LOGIN_ACTIONS = ("login", "login_failed", "login_refused_locked", "login_refused_disabled",
                 "login_password_ok", "login_2fa_failed", "login_2fa_replayed")
MAX_PASSWORD = 256
BEIJING = ZoneInfo("Asia/Shanghai")


def _current_password(user: User, data: dict[str, Any]) -> None:
    if not password_matches(user, str(data.get("current_password") or "")):
        raise ValidationFailed({"current_password": error_text("password_wrong")})


def change_password(user: User, data: dict[str, Any]) -> None:
    """Set a new password the user chose (current password, policy, history); the user's
    other sessions end (this one is renewed by the caller). API tokens stay valid."""
    _current_password(user, data)
    new = str(data.get("password") or "")
    if len(new) > MAX_PASSWORD:
        raise ValidationFailed({"password": error_text("too_long", max=MAX_PASSWORD)})
    if new != str(data.get("password_confirm") or ""):
        raise ValidationFailed({"password_confirm": error_text("password_mismatch")})
    passwords.check(new, user.username, user)
    user.password_hash = hash_password(new)
    user.session_version += 1
    passwords.remember(user)
    audit.record("password_changed", object_type="user", object_id=user.id, actor=user)


@dataclass(frozen=True)
class LoginRecord:
    """One row of 我的登录记录 (``at`` in UTC, ``when`` in Beijing time)."""

    at: datetime
    ip: str
    result: str
    ok: bool

    @property
    def when(self) -> str:
        local = self.at.replace(tzinfo=UTC).astimezone(BEIJING)
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"


def login_records(user: User, limit: int = 50) -> list[LoginRecord]:
    """``user``'s most recent logins and refused attempts, newest first (from the audit
    trail, which keeps them for as long as it keeps everything)."""
    rows = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id),
        AuditEvent.action.in_(LOGIN_ACTIONS)).order_by(AuditEvent.seq.desc()).limit(limit)
    ).scalars()
    return [LoginRecord(at=e.at, ip=e.ip or "—", result=label("audit_action", e.action),
                        ok=e.action in ("login", "login_password_ok")) for e in rows]


def enable_two_factor(user: User, secret: str | None, code: str) -> list[str]:
    """Confirm enrolment with a code from the app; returns the recovery codes. The user's
    other sessions end (a session opened without the second step does not outlive it; the
    caller renews this one), as after a password change."""
    step = totp.code_step(secret, code or "") if secret else None
    if step is None:
        raise ValidationFailed({"code": error_text("totp_wrong")})
    user.session_version += 1
    return totp.enable(user, secret, step)


def disable_two_factor(user: User, data: dict[str, Any], require_2fa: bool) -> None:
    """Turn two-step login off after the current password (refused when it is required);
    the user's other sessions end (the caller renews this one)."""
    if require_2fa and user.role in totp.ROLES_REQUIRED:
        raise ValidationFailed({"current_password": error_text("totp_required_role")})
    _current_password(user, data)
    user.session_version += 1
    totp.disable(user, user)
