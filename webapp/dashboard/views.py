"""The dashboard page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from . import services

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    """Role dashboard: to-dos, key figures, this quarter's standing."""
    return render_template("dashboard/index.html", summary=services.summary(current_user))
