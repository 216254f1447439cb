"""账户安全 pages of the signed-in user: change password, 我的登录记录, two-step login.

URL rules and request parsing only (rules in ``account_services`` and ``totp``). The
secret being enrolled stays in the session until the user confirms it with a code.
"""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user

from .. import transaction
from ..errors import ValidationFailed
from ..forms import Form
from ..messages import notice
from . import account_services, totp
from .forms import CHANGE_PASSWORD, TOTP_CONFIRM, TOTP_DISABLE

bp = Blueprint("account", __name__, url_prefix="/account")
ENROLLING = "totp_enrolling"


def _require_2fa() -> bool:
    return bool(current_app.config["GOVCOUNSEL_REQUIRE_2FA"])


@bp.route("/")
@login_required
def index():
    """Overview: password, two-step login status, recent logins."""
    return render_template("auth/account.html", records=account_services.login_records(
        current_user, 5), codes_left=totp.recovery_codes_left(current_user))


def _keep_this_session() -> None:
    """After a change of the user's credentials has ended their sessions
    (``session_version``), this one goes on under the new version."""
    login_user(current_user._get_current_object())  # type: ignore[attr-defined]


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the own password (current one, policy, history)."""
    form = Form(CHANGE_PASSWORD)
    if form.submitted:
        try:
            account_services.change_password(current_user, form.data)
        except ValidationFailed as exc:
            transaction.fail()
            form.show_errors(exc.fields)
            return render_template("auth/account_password.html", form=form), 422
        _keep_this_session()
        flash(notice("password_changed_own"), "success")
        return redirect(url_for(".index"))
    return render_template("auth/account_password.html", form=form)


@bp.route("/logins")
@login_required
def logins():
    """我的登录记录: the user's own recent logins (time, IP, result)."""
    return render_template("auth/account_logins.html",
                           records=account_services.login_records(current_user))


def _qr_data_uri(secret: str) -> str:
    svg = totp.qr_svg(totp.provisioning_uri(current_user, secret))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@bp.route("/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    """Enrol (QR code, then a code to confirm) or, when on, show the status."""
    if current_user.totp_secret:
        return render_template("auth/account_2fa.html", enrolled=True,
                               form=Form(TOTP_DISABLE), required=_require_2fa(),
                               codes_left=totp.recovery_codes_left(current_user))
    secret = session.get(ENROLLING) or totp.new_secret()
    session[ENROLLING] = secret
    form = Form(TOTP_CONFIRM)
    if form.submitted:
        try:
            codes = account_services.enable_two_factor(current_user, secret,
                                                       str(form.data.get("code") or ""))
        except ValidationFailed as exc:
            transaction.fail()
            form.show_errors(exc.fields)
        else:
            session.pop(ENROLLING, None)
            _keep_this_session()
            return render_template("auth/account_2fa_codes.html", codes=codes,
                                   message=notice("totp_enabled_own"))
    status = 422 if form.errors else 200
    return render_template("auth/account_2fa.html", enrolled=False, form=form,
                           secret=secret, qr=_qr_data_uri(secret)), status


@bp.route("/2fa/disable", methods=["POST"])
@login_required
def two_factor_disable():
    """Turn two-step login off (current password; refused when it is required)."""
    form = Form(TOTP_DISABLE)
    try:
        account_services.disable_two_factor(current_user, form.data, _require_2fa())
    except ValidationFailed as exc:
        transaction.fail()
        flash("；".join(exc.fields.values()), "danger")
    else:
        _keep_this_session()
        flash(notice("totp_disabled_own"), "success")
    return redirect(url_for(".two_factor"))
