"""Accounts managed by the admin: create, edit, reset password, (de)activate, unlock.

Creation goes through ``auth.services.create_user``. Deactivating, resetting a
password or changing a role or binding bumps ``session_version``, which ends
every existing session of that user. Admins cannot deactivate or demote
themselves. Flush only; the caller commits. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from ..audit import services as audit
from ..auth import passwords
from ..auth.services import create_user, hash_password, revoke_all_tokens
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..models import Advisor, Agency, User, utcnow
from ..validation import parse
from .schemas import NewUser, UserRecord
from .services import snapshot
from .validators import Checker

USER_FIELDS = ("username", "display_name", "role", "agency_id", "advisor_id", "active")
MAX_PASSWORD = 256


def is_locked(user: User) -> bool:
    """True while a lockout after failed logins is in force."""
    return user.locked_until is not None and user.locked_until > utcnow()


def _password(c: Checker, data: Mapping[str, Any], username: str) -> str:
    password = str(data.get("password") or "")
    if len(password) > MAX_PASSWORD:
        c.fail("password", "too_long", max=MAX_PASSWORD)
    elif reason := passwords.problem(password, username):
        c.errors.setdefault("password", reason)
    if password != str(data.get("password_confirm") or ""):
        c.fail("password_confirm", "password_mismatch")
    return password


def _binding(c: Checker, form: UserRecord) -> tuple[Agency | None, Advisor | None]:
    """The agency (by code) and advisor (by id) a user is bound to, checked against the role."""
    code, advisor_id, role = form.agency, form.advisor, form.role
    agency = None if not code else db.session.execute(
        select(Agency).where(Agency.code == code)).scalar_one_or_none()
    if code and agency is None:
        c.fail("agency", "unknown_agency", value=code)
    advisor = None if advisor_id is None else db.session.get(Advisor, advisor_id)
    if advisor_id is not None and advisor is None:
        c.fail("advisor", "unknown_advisor", value=advisor_id)
    if role == "clerk" and agency is None and c.ok("agency"):
        c.fail("agency", "role_needs_agency")
    if role == "advisor" and advisor is None and c.ok("advisor"):
        c.fail("advisor", "role_needs_advisor")
    return agency, advisor


def create(data: Mapping[str, Any], actor: User) -> User:
    """Create an account with a role, its binding and an initial password."""
    c = Checker()
    password = _password(c, data, str(data.get("username") or ""))
    try:
        form = parse(NewUser, dict(data))
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.fields, **c.errors}) from exc
    agency, advisor = _binding(c, form)
    c.raise_if_any()
    return create_user(form.username, form.role, password,
                       agency_code=agency.code if agency else None,
                       advisor_id=advisor.id if advisor else None,
                       display_name=form.display_name, actor=actor, strong=True)


def update(user: User, data: Mapping[str, Any], actor: User) -> bool:
    """Change display name, role and binding; False when nothing changed."""
    form = parse(UserRecord, dict(data))
    display, role = form.display_name, form.role
    c = Checker()
    agency, advisor = _binding(c, form)
    if user.id == actor.id and role is not None and role != user.role:
        c.fail("role", "cannot_change_self")
    c.raise_if_any()
    before = snapshot(user, USER_FIELDS)
    user.display_name = display or user.username
    user.role = role
    user.agency_id = agency.id if agency else None
    user.advisor_id = advisor.id if advisor else None
    after = snapshot(user, USER_FIELDS)
    if before == after:
        return False
    if any(before[k] != after[k] for k in ("role", "agency_id", "advisor_id")):
        user.session_version += 1
    db.session.flush()
    audit.record("user_updated", object_type="user", object_id=user.id, actor=actor,
                 detail={"before": before, "after": after})
    return True


def reset_password(user: User, data: Mapping[str, Any], actor: User) -> None:
    """Set a new password; the user's existing sessions end and their API tokens are
    revoked (whoever needed the reset may hold them)."""
    c = Checker()
    password = _password(c, data, user.username)
    c.raise_if_any()
    passwords.check(password, user.username, user)
    user.password_hash = hash_password(password)
    passwords.remember(user)
    user.session_version += 1
    db.session.flush()
    audit.record("user_password_reset", object_type="user", object_id=user.id, actor=actor,
                 detail={"username": user.username})
    revoke_all_tokens(user, actor)


def set_active(user: User, active: bool, actor: User) -> bool:
    """Deactivate (ending every session) or reactivate; False when already so."""
    if user.id == actor.id and not active:
        raise DomainError("cannot_change_self", status=409)
    if user.active == active:
        return False
    user.active = active
    if not active:
        user.session_version += 1
    db.session.flush()
    audit.record(f"user_{'reactivated' if active else 'deactivated'}", object_type="user",
                 object_id=user.id, actor=actor,
                 detail={"before": {"active": not active}, "after": {"active": active}})
    return True


def unlock(user: User, actor: User) -> None:
    """Lift a lockout after failed logins."""
    before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
    user.locked_until, user.failed_logins = None, 0
    db.session.flush()
    audit.record("user_unlocked", object_type="user", object_id=user.id, actor=actor,
                 detail={"before": before, "after": {"locked_until": None,
                                                     "failed_logins": 0}})
