"""审计日志: the trail with filters, export, and the result of the chain check."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from .. import policy
from ..exports import export_response
from ..extensions import db
from ..listing import list_args, paginate
from ..messages import LABELS
from . import services, trail
from .queries import AuditFilters, statement

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
def index():
    """The trail (admin, auditor), filterable, exportable as CSV/XLSX."""
    policy.require(current_user, "audit.view")
    f = list_args(AuditFilters)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        rows = trail.export_rows(db.session.execute(statement(f)).scalars())
        return export_response(fmt, "审计日志", trail.EXPORT_HEADERS, rows)
    page = paginate(statement(f), f.page, f.per_page)
    problems = services.verify_chain() if request.args.get("check") == "1" else None
    return render_template("audit/index.html", page=page, f=f, problems=problems,
                           lines=trail.lines(page.items), object_types=LABELS["audit_object"])
