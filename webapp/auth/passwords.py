"""The password policy (等保 2.0, issue #15) and the history it checks.

A password a person chooses — ``govcounsel create-user``, the admin's user form (new
user, password reset) and the own password change — must have at least
:data:`MIN_LENGTH` characters of at least three of four classes (lower case, upper case,
digits, other characters), must not contain the user name, and must not be one of the
user's last :data:`HISTORY` passwords. Every password set is remembered (its hash only)
in ``password_history``.
"""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash

from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import PasswordHistory, User

MIN_LENGTH = 10
MIN_CLASSES = 3
HISTORY = 5


def _classes(password: str) -> int:
    kinds = (any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password),
             any(not c.isalnum() for c in password))
    return sum(kinds)


def problem(password: str, username: str) -> str | None:
    """The Chinese reason ``password`` breaks the policy for ``username``, or None."""
    if len(password) < MIN_LENGTH or _classes(password) < MIN_CLASSES:
        return error_text("password_weak", length=MIN_LENGTH)
    name = username.strip().lower()
    if name and name in password.lower():
        return error_text("password_has_username")
    return None


def recent_hashes(user: User) -> list[str]:
    """The hashes of ``user``'s current and previous passwords, newest first (at most
    :data:`HISTORY`)."""
    rows = db.session.execute(select(PasswordHistory.password_hash).where(
        PasswordHistory.user_id == user.id).order_by(PasswordHistory.id.desc())
        .limit(HISTORY)).scalars().all()
    hashes = list(rows)
    if user.password_hash not in hashes:
        hashes = [user.password_hash, *hashes][:HISTORY]
    return hashes


def check(password: str, username: str, user: User | None = None,
          field: str = "password") -> None:
    """Refuse (422 on ``field``) a password that breaks the policy or was used lately."""
    reason = problem(password, username)
    if reason is None and user is not None and any(
            check_password_hash(h, password) for h in recent_hashes(user)):
        reason = error_text("password_reused", count=HISTORY)
    if reason:
        raise ValidationFailed({field: reason})


def remember(user: User) -> None:
    """Record ``user``'s current password hash in the history (flush only)."""
    db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
