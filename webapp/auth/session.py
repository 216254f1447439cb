"""How a request is authenticated: the web session, or ``Authorization: Bearer TOKEN``;
and the rules every signed-in request meets (issue #15): a session idle for longer than
``GOVCOUNSEL_IDLE_TIMEOUT_MIN`` ends, and with ``GOVCOUNSEL_REQUIRE_2FA`` an admin or
auditor without two-step login can do nothing but set it up (pages redirect there; the
API, tokens included, answers 403 ``totp_required``)."""

from __future__ import annotations

import time

from flask import Flask, Request, flash, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from ..messages import error_text
from . import services


def configure_login(manager: LoginManager) -> None:
    """Install the session and bearer-token loaders on the login manager."""
    manager.login_view = "auth.login"
    manager.login_message = "请先登录。"
    manager.login_message_category = "warning"
    manager.session_protection = "basic"

    @manager.user_loader
    def _load(session_id: str):
        return services.load_session_user(session_id)

    @manager.request_loader
    def _from_token(request: Request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        user = services.user_for_token(header[7:].strip())
        if user is not None:
            g.auth_via_token = True
        return user

    @manager.unauthorized_handler
    def _unauthorized():
        from flask import flash, redirect, request, url_for

        from ..errors import DomainError

        if request.path.startswith("/api/"):
            raise DomainError("unauthorized", status=401)
        flash(error_text("login_required"), "warning")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


LAST_SEEN = "last_seen"
OPEN_ENDPOINTS = ("static", "auth.login", "auth.logout", "auth.second_step",
                  "account.two_factor", "health.healthz")


def _idle_expired(app: Flask) -> bool:
    """True (and the session ended) when this session was idle too long; else note now."""
    minutes = int(app.config["GOVCOUNSEL_IDLE_TIMEOUT_MIN"])
    now = time.time()
    last = session.get(LAST_SEEN)
    if minutes > 0 and last is not None and now - float(last) > minutes * 60:
        return True
    if last is None or now - float(last) > 30:  # refresh the cookie at most every 30 s
        session[LAST_SEEN] = now
    return False


def register_session_guards(app: Flask) -> None:
    """Install the idle timeout and the required two-step login (see the module doc)."""
    from ..errors import DomainError
    from . import totp

    @app.before_request
    def _guards():
        if not current_user.is_authenticated:
            return None
        via_token = bool(g.get("auth_via_token"))
        if not via_token and _idle_expired(app):
            from ..audit import services as audit

            audit.record("idle_logout", object_type="user", object_id=current_user.id)
            logout_user()
            session.clear()
            if request.path.startswith("/api/"):
                raise DomainError("idle_timeout", status=401)
            flash(error_text("idle_timeout"), "warning")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not totp.required(current_user, bool(app.config["GOVCOUNSEL_REQUIRE_2FA"])):
            return None
        if request.path.startswith("/api/"):
            raise DomainError("totp_required", status=403)
        if request.endpoint not in OPEN_ENDPOINTS:
            flash(error_text("totp_required"), "warning")
            return redirect(url_for("account.two_factor"))
        return None
