"""Login and logout pages; the session id is renewed at login (no fixation)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import transaction
from ..audit import services as audit
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..forms import Form
from ..messages import error_text, notice
from ..models import User
from ..validation import parse
from . import services
from .forms import LOGIN, SECOND_STEP, LoginIn

PENDING = "pending_2fa"
PENDING_SECONDS = 300

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on valid credentials start a fresh session."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = Form(LOGIN)
    status = 200
    if form.submitted:
        try:
            data = parse(LoginIn, form.data)
            user = services.authenticate(data.username, data.password,
                                         request.remote_addr or "-")
        except ValidationFailed as exc:
            form.show_errors(exc.fields)
            status = 400
        except DomainError as exc:
            transaction.fail()  # the attempt's trace is kept (see services.authenticate)
            form.show_errors({"password": exc.message})
            status = exc.status
        else:
            session.clear()
            if user.totp_secret:
                session[PENDING] = {"id": user.id, "v": user.session_version,
                                    "at": time.time()}
                return redirect(url_for("auth.second_step", next=request.args.get("next")))
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), status


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    user = db.session.get(User, pending.get("id") or 0)
    fresh = time.time() - float(pending.get("at") or 0) < PENDING_SECONDS
    if user is None or not fresh or user.session_version != pending.get("v"):
        return None
    return user


@bp.route("/login/2fa", methods=["GET", "POST"])
def second_step():
    """The second step of a login with two-step verification: a code from the app."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(error_text("totp_pending_expired"), "warning")
        return redirect(url_for("auth.login"))
    form = Form(SECOND_STEP)
    status = 200
    if form.submitted:
        try:
            services.second_factor(user, str(form.data.get("code") or ""),
                                   request.remote_addr or "-")
        except DomainError as exc:
            transaction.fail()
            form.show_errors({"code": exc.message})
            status = exc.status
        else:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/second_step.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session: the user's session version moves on, so a copy of the session
    cookie (taken before logout) no longer signs anyone in. This ends the user's other
    browser sessions too; API tokens are not affected."""
    current_user.session_version += 1
    audit.record("logout", object_type="user", object_id=current_user.id)
    logout_user()
    session.clear()
    flash(notice("logged_out"), "info")
    return redirect(url_for("auth.login"))
