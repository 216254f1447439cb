"""Resetting another user's two-step login (issue #15, finding 12): by an admin in 用户管理,
or from the server console (``govcounsel reset-2fa``) for an admin locked out of their own.

A reset removes the TOTP secret and the recovery codes, ends every session of the user
(``session_version``), revokes their API tokens (as a password reset does, finding 9), is
audited with the reason, and tells the user by 站内信. With ``GOVCOUNSEL_REQUIRE_2FA`` an
admin or auditor must then enrol again at the next login (``session.register_session_guards``);
other roles simply log in with the password until they turn it on again.

An admin cannot reset their own two-step login this way (the account page is for that, or
the console when the device is lost). Another admin — the last other one included — may be
reset: the reset takes no rights away, it only makes them enrol again. Flush only.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..audit import services as audit
from ..errors import DomainError
from ..extensions import db
from ..messages import NOTICES
from ..models import User
from ..notifications.events import notify
from ..validation import parse
from . import totp
from .forms import TotpResetIn
from .services import revoke_all_tokens

CONSOLE = "控制台（govcounsel reset-2fa）"


def next_login_text(user: User) -> str:
    """What the reset user's next login asks, in words: the second step is set up again
    at once where ``GOVCOUNSEL_REQUIRE_2FA`` applies to their role, else it is optional."""
    required = bool(current_app.config["GOVCOUNSEL_REQUIRE_2FA"]) \
        and user.role in totp.ROLES_REQUIRED
    return NOTICES["totp_reset_next_required" if required else "totp_reset_next_optional"]


def reset_two_factor(user: User, data: dict[str, Any], actor: User | None) -> int:
    """Reset ``user``'s two-step login for ``data["reason"]``; ``actor`` None means the server
    console. Returns how many API tokens were revoked."""
    if actor is not None and actor.id == user.id:
        raise DomainError("totp_reset_self", status=409)
    if not user.totp_secret:
        raise DomainError("totp_not_enrolled", status=409, name=user.username)
    reason = parse(TotpResetIn, data).reason
    totp.remove(user)
    user.session_version += 1
    db.session.flush()
    event = audit.record("totp_reset", object_type="user", object_id=user.id, actor=actor,
                         actor_name=CONSOLE, detail={"username": user.username,
                                                     "reason": reason})
    revoked = revoke_all_tokens(user, actor, "totp_reset", CONSOLE)
    notify([user], f"totp_reset:{event.seq}", "totp_reset",
           NOTICES["totp_reset_message"].format(reason=reason), link="/account/2fa")
    return revoked
