"""User management pages (admin only): create, edit, reset password or two-step login, unlock."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..auth.forms import TOTP_RESET
from ..auth.reset import next_login_text, reset_two_factor
from ..forms import Form
from ..messages import notice
from ..models import User
from ..policy import require
from . import forms, user_services
from .views import bp, get_or_404, submit


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    """Create an account with its role and binding (through auth.create_user)."""
    require(current_user, "user.manage")
    form = Form(forms.USER_CREATE)
    status = 200
    if form.submitted:
        user, status = submit(form, lambda: user_services.create(form.data, current_user))
        if user is not None:
            flash(notice("created", name=user.username), "success")
            return redirect(url_for("orgs.users"))
    return render_template("orgs/form.html", form=form, register="users", obj=None,
                           back=url_for("orgs.users")), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    """Change display name, role and binding (a changed role ends the user's sessions)."""
    require(current_user, "user.manage")
    user = get_or_404(User, user_id)
    form = Form(forms.USER_EDIT, defaults={
        "display_name": user.display_name, "role": user.role,
        "agency": user.agency.code if user.agency else "", "advisor": str(user.advisor_id or "")})
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: user_services.update(user, form.data, current_user))
        if status == 200:
            flash(notice("updated", name=user.username), "success")
            return redirect(url_for("orgs.users"))
    return render_template("orgs/user_edit.html", form=form, user=user,
                           locked=user_services.is_locked(user)), status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@login_required
def user_password(user_id: int):
    """Reset a password; the user's existing sessions end."""
    require(current_user, "user.manage")
    user = get_or_404(User, user_id)
    form = Form(forms.PASSWORD)
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: user_services.reset_password(user, form.data,
                                                                      current_user))
        if status == 200:
            flash(notice("password_reset", name=user.username), "success")
            return redirect(url_for("orgs.users"))
    return render_template("orgs/form.html", form=form, register="users", obj=user,
                           action="password", title=user.username,
                           back=url_for("orgs.user_edit", user_id=user.id)), status


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def user_unlock(user_id: int):
    """Lift a lockout after failed logins."""
    require(current_user, "user.manage")
    user = get_or_404(User, user_id)
    user_services.unlock(user, current_user)
    flash(notice("unlocked", name=user.username), "success")
    return redirect(url_for("orgs.users"))


@bp.route("/users/<int:user_id>/2fa-reset", methods=["GET", "POST"])
@login_required
def user_2fa_reset(user_id: int):
    """Reset another user's two-step login (reason required; see ``auth.reset``)."""
    require(current_user, "user.manage")
    user = get_or_404(User, user_id)
    form = Form(TOTP_RESET)
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: reset_two_factor(user, form.data, current_user))
        if status == 200:
            flash(notice("totp_reset", name=user.username, next=next_login_text(user)),
                  "success")
            return redirect(url_for("orgs.user_edit", user_id=user.id))
    return render_template("orgs/user_2fa_reset.html", form=form, user=user), status
