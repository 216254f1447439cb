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
import io
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import delete, select

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


def code_ok(secret: str, code: str) -> bool:
    """True when ``code`` is the TOTP of ``secret`` now (or 30 s either side)."""
    code = "".join(code.split())
    return code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code,
                                                                           valid_window=1)


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def enable(user: User, secret: str) -> list[str]:
    """Turn two-step login on with ``secret``; returns the recovery codes (shown once)."""
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    codes = _new_recovery_codes(user)
    audit.record("totp_enabled", object_type="user", object_id=user.id, actor=user)
    return codes


def disable(user: User, by: User) -> None:
    """Turn two-step login off (the user, or an admin for a user who lost the device)."""
    user.totp_secret, user.totp_enabled_at = None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("totp_disabled", object_type="user", object_id=user.id, actor=by)


def verify(user: User, code: str) -> bool:
    """True for the current TOTP code or an unused recovery code (used up now)."""
    if not user.totp_secret or not code:
        return False
    if code_ok(user.totp_secret, code):
        return True
    row = db.session.execute(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None))).scalar_one_or_none()
    if row is None:
        return False
    row.used_at = utcnow()
    audit.record("recovery_code_used", object_type="user", object_id=user.id, actor=user)
    return True


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes ``user`` has."""
    return len(db.session.execute(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def required(user: User, require_2fa: bool) -> bool:
    """True when ``user`` must have two-step login on (``GOVCOUNSEL_REQUIRE_2FA``, admin and
    auditor) but has not."""
    return require_2fa and user.role in ROLES_REQUIRED and not user.totp_secret
