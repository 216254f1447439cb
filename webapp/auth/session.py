"""How a request is authenticated: the web session, or ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

from flask import Request, g
from flask_login import LoginManager

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
