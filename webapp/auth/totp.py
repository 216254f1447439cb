"""Two-step login with TOTP (RFC 6238, pyotp) and single-use recovery codes (issue #15).

Enrolment: :func:`new_secret` makes a secret that the enrolment page keeps in the session
(nothing is stored yet) and shows as a QR code drawn here as SVG by ``qrcode`` (nothing
is loaded from a CDN); :func:`enable` stores it once the user has typed a valid code
from their authenticator app, and returns 10 recovery codes — shown once, stored as
SHA-256 hashes. At login, :func:`verify` accepts the current code (±30 s) or an unused
recovery code (which is then used up). Flush only; every change is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import delete, or_, select, update

from ..audit import services as audit
from ..extensions import db
from ..messages import PRODUCT_NAME
from ..models import RecoveryCode, User, utcnow

RECOVERY_CODES = 10
ROLES_REQUIRED = ("admin", "auditor")


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=PRODUCT_NAME)


def qr_svg(data: str) -> str:
    """``data`` as a QR code, an inline SVG document (made locally)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode("utf-8")


def code_step(secret: str, code: str) -> int | None:
    """The time step (unix time // 30) whose TOTP of ``secret`` is ``code``, looking at now
    and 30 s either side; None when ``code`` matches none of them."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    otp = pyotp.TOTP(secret)
    now = int(time.time()) // otp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(otp.generate_otp(step), code):
            return step
    return None


def _claim(user: User, step: int) -> bool:
    """Record ``step`` as ``user``'s last accepted step; False when it, or a later step, was
    accepted before (a replay). One conditional UPDATE, atomic under concurrency."""
    done = db.session.execute(update(User).where(
        User.id == user.id,
        or_(User.totp_last_step.is_(None), User.totp_last_step < step),
    ).values(totp_last_step=step).execution_options(synchronize_session="fetch"))
    return done.rowcount == 1


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def enable(user: User, secret: str, step: int) -> list[str]:
    """Turn two-step login on with ``secret``, confirmed by the code of time ``step`` (which
    can then not be used again to log in); returns the recovery codes (shown once)."""
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    codes = _new_recovery_codes(user)
    audit.record("totp_enabled", object_type="user", object_id=user.id, actor=user)
    return codes


def disable(user: User, by: User) -> None:
    """Turn two-step login off (the user on the account page; an admin's reset of another
    user's is ``auth.reset``)."""
    remove(user)
    audit.record("totp_disabled", object_type="user", object_id=user.id, actor=by)


def remove(user: User) -> None:
    """Forget ``user``'s secret, last step and recovery codes (not audited: callers are)."""
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = None, None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def check(user: User, code: str) -> str:
    """``"ok"`` for a TOTP code of a step not used before, or an unused recovery code (used
    up now, atomically); ``"replayed"`` for a valid code already accepted once (same or
    earlier step); ``"wrong"`` otherwise."""
    if not user.totp_secret or not code:
        return "wrong"
    step = code_step(user.totp_secret, code)
    if step is not None:
        return "ok" if _claim(user, step) else "replayed"
    done = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    if done.rowcount != 1:
        return "wrong"
    audit.record("recovery_code_used", object_type="user", object_id=user.id, actor=user)
    return "ok"


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes ``user`` has."""
    return len(db.session.execute(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def required(user: User, require_2fa: bool) -> bool:
    """True when ``user`` must have two-step login on (``GOVCOUNSEL_REQUIRE_2FA``, admin and
    auditor) but has not."""
    return require_2fa and user.role in ROLES_REQUIRED and not user.totp_secret
