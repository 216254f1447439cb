"""The dashboard page (工作台): everyone's counts plus the role's panel."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..assessments.periods import period_label
from . import services

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    """Role dashboard: to-dos, key figures, this quarter's standing.

    ``?verify=1`` re-checks the audit chain on the auditor's panel.
    """
    verify = request.args.get("verify") == "1"
    return render_template("dashboard/index.html", summary=services.summary(current_user),
                           panel=services.panel(current_user, verify=verify),
                           period_label=period_label)
