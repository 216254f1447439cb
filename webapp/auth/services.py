"""Authentication rules: passwords, lockout, per-IP throttling, sessions and tokens.

Failed logins count per account; after ``GOVCOUNSEL_LOGIN_MAX_FAILURES`` the
account is locked for ``GOVCOUNSEL_LOGIN_LOCK_MINUTES``. Independently, one IP
may try ``GOVCOUNSEL_LOGIN_RATE_PER_MINUTE`` logins a minute. Every login and
failed login is audited; passwords never appear in logs or the trail.

A refused login is a refused request: its unit of work rolls back, and what it must
leave behind (the attempt, the failure count or lock, the audit event) is written by
``transaction.keep`` after the rollback.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import transaction
from ..audit import services as audit
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import ROLES, Advisor, Agency, ApiToken, LoginAttempt, User, utcnow
from . import passwords

MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """A salted hash of ``password`` with the setting ``PASSWORD_HASH_METHOD`` (default
    scrypt, N=32768, r=8, p=1, ~0.16 s; the test suite's in-process apps use a cheap
    method, its real ``serve`` processes the default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    """A hash made with the current method, checked for unknown user names so that a
    login costs the same whether or not the name exists (no enumeration by timing)."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("govcounsel_dummy_hash", {})
    if method not in cache:
        cache[method] = hash_password(secrets.token_urlsafe(16))
    return cache[method]


def password_matches(user: User | None, password: str) -> bool:
    """True when ``password`` is ``user``'s; for no user, a dummy hash is checked at the
    same cost and False returned."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(user.password_hash, password)


def _throttle(ip: str) -> None:
    limit = current_app.config["GOVCOUNSEL_LOGIN_RATE_PER_MINUTE"]
    since = utcnow() - timedelta(minutes=1)
    recent = db.session.execute(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.ip == ip, LoginAttempt.at >= since)).scalar_one()
    if recent >= limit:
        raise DomainError("login_rate_limited", status=429)


def authenticate(username: str, password: str, ip: str) -> User:
    """Return the user for valid credentials (flush only), or raise a DomainError whose
    trace (attempt, failure count, audit event) is kept after the rollback."""
    _throttle(ip)
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    now = utcnow()
    name = username[:64]
    user_id = user.id if user is not None else None
    matches = password_matches(user, password)  # one hash check on every path
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        _keep_refusal("login_refused_locked", ip, name, user_id, now)
        raise DomainError("account_locked", status=403, minutes=minutes)
    if not matches:
        _keep_refusal("login_failed", ip, name, user_id, now, count=True)
        raise DomainError("login_failed", status=401)
    if not user.active:
        _keep_refusal("login_refused_disabled", ip, name, user_id, now, as_user=True)
        raise DomainError("account_disabled", status=403)
    db.session.add(LoginAttempt(ip=ip, username=name, success=False, at=now))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
    if user.totp_secret:  # the second step (``second_factor``) completes the login
        audit.record("login_password_ok", object_type="user", object_id=user.id, actor=user)
        return user
    complete_login(user)
    return user


def complete_login(user: User) -> None:
    """Record a successful login (both steps passed; flush only)."""
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, utcnow()
    audit.record("login", object_type="user", object_id=user.id, actor=user)


def second_factor(user: User, code: str, ip: str) -> None:
    """Check the second step of a login (TOTP or a recovery code): complete the login, or
    raise a DomainError whose trace counts as a failed login (towards the lockout)."""
    from . import totp

    _throttle(ip)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        _keep_refusal("login_refused_locked", ip, user.username, user.id, now)
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise DomainError("account_locked", status=403, minutes=minutes)
    result = totp.check(user, code) if user.active else "wrong"
    if result != "ok":  # a wrong or replayed code counts towards the lockout
        action = "login_2fa_replayed" if result == "replayed" else "login_2fa_failed"
        _keep_refusal(action, ip, user.username, user.id, now, count=True)
        raise DomainError("totp_replayed" if result == "replayed" else "totp_wrong",
                          status=401)
    db.session.add(LoginAttempt(ip=ip, username=user.username, success=True, at=now))
    complete_login(user)


def _keep_refusal(action: str, ip: str, name: str, user_id: int | None, now, *,
                  count: bool = False, as_user: bool = False) -> None:
    """Keep a refused login's trace: the attempt (per-IP throttle), the failure count and
    lock (``count``), and its audit event, written after the request's rollback."""
    def write() -> None:
        db.session.add(LoginAttempt(ip=ip, username=name, success=False, at=now))
        user = db.session.get(User, user_id) if user_id is not None else None
        if count:
            _count_failure(user, now)
        audit.record(action, object_type="user", object_id=user_id,
                     actor=user if as_user else None, actor_name=None if as_user else name)

    transaction.keep(write)


def _count_failure(user: User | None, now) -> None:
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=current_app.config[
            "GOVCOUNSEL_LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0


def load_session_user(session_id: str) -> User | None:
    """The user of a session id ``"<id>:<session_version>"``; stale versions are rejected."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "cli") -> str:
    """Create an API token for ``user``; only its hash is stored. Returns the token once."""
    token = "gct_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name[:64], token_hash=_token_hash(token),
                            prefix=token[:12]))
    audit.record("token_created", object_type="user", object_id=user.id, actor=user,
                 detail={"name": name, "prefix": token[:12]})
    return token


def user_for_token(token: str) -> User | None:
    """The active user owning a valid, unrevoked token; None while the user is locked
    out after failed logins (the token works again once the lock ends or is lifted)."""
    row = db.session.execute(select(ApiToken).where(
        ApiToken.token_hash == _token_hash(token))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if row.user.locked_until is not None and row.user.locked_until > utcnow():
        return None
    return row.user


def revoke_all_tokens(user: User, by: User | None, cause: str = "user_password_reset",
                      by_name: str | None = None) -> int:
    """Revoke every token of ``user`` still valid (a password reset or a reset of two-step
    login does this: ``cause``, the audit action of that reset); audited once with their
    prefixes and the cause in words, by ``by`` (or ``by_name``: the console). Returns how
    many were revoked (flush only)."""
    rows = db.session.execute(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).scalars().all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    if rows:
        audit.record("tokens_revoked", object_type="user", object_id=user.id, actor=by,
                     actor_name=by_name, detail={"prefixes": [row.prefix for row in rows],
                             "reason": label("audit_action", cause)})
    return len(rows)


def revoke_token(token_id: int, by: User) -> None:
    """Revoke a token (it stops working at once)."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise DomainError("not_found", status=404)
    row.revoked_at = utcnow()
    audit.record("token_revoked", object_type="user", object_id=row.user_id, actor=by,
                 detail={"prefix": row.prefix})


def create_user(username: str, role: str, password: str, *, agency_code: str | None = None,
                advisor_id: int | None = None, display_name: str | None = None,
                actor: User | None = None, is_demo: bool = False,
                strong: bool = False) -> User:
    """Create a user after checking role bindings and password length (flush only);
    ``strong``: a password a person chose (CLI, admin form), held to the password policy
    (``auth.passwords``)."""
    fields: dict[str, str] = {}
    if role not in ROLES:
        fields["role"] = error_text("invalid_choice")
    reason = passwords.problem(password, username) if strong else None
    if reason or len(password) < MIN_PASSWORD:
        fields["password"] = reason or error_text("password_too_short")
    if db.session.execute(select(User.id).where(User.username == username)).first():
        fields["username"] = error_text("user_exists", value=username)
    agency = advisor = None
    if agency_code:
        agency = db.session.execute(select(Agency).where(Agency.code == agency_code)
                                    ).scalar_one_or_none()
        if agency is None:
            fields["agency"] = error_text("unknown_agency", value=agency_code)
    if advisor_id is not None:
        advisor = db.session.get(Advisor, advisor_id)
        if advisor is None:
            fields["advisor"] = error_text("unknown_advisor", value=advisor_id)
    if role == "clerk" and agency is None and "agency" not in fields:
        fields["agency"] = error_text("role_needs_agency")
    if role == "advisor" and advisor is None and "advisor" not in fields:
        fields["advisor"] = error_text("role_needs_advisor")
    if fields:
        raise ValidationFailed(fields)
    user = User(username=username, role=role, display_name=display_name or username,
                agency_id=agency.id if agency else None,
                advisor_id=advisor.id if advisor else None,
                password_hash=hash_password(password), is_demo=is_demo)
    db.session.add(user)
    db.session.flush()
    passwords.remember(user)
    audit.record("user_created", object_type="user", object_id=user.id, actor=actor,
                 actor_name="cli" if actor is None else None,
                 detail={"username": username, "role": role, "agency": agency_code})
    return user
