"""Import pages: upload → preview with row errors → confirm (all or nothing) or cancel.

The uploaded file waits in the data dir under a random id; the session holds
only that id, the register, the extension and the original file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from .. import transaction
from ..errors import DomainError
from ..forms import Form
from ..messages import IMPORT_MATCHING, error_text, notice
from ..policy import require
from . import forms, importing, io, tables
from .views import bp

IMPORT_RULE = "/<any(agencies,firms,advisors,pool):register>/import"
SESSION_KEY = "orgs_import"


def _forget() -> None:
    pending = session.pop(SESSION_KEY, None)
    if pending:
        io.discard_upload(pending.get("id", ""), pending.get("ext", ""))


def _pending(register: str) -> tuple[dict[str, Any], Path] | None:
    """The kept upload of this register, or None when it is gone."""
    pending = session.get(SESSION_KEY)
    if not pending or pending.get("register") != register:
        return None
    try:
        path = io.upload_path(pending.get("id", ""), pending.get("ext", ""))
    except DomainError:
        return None
    return (pending, path) if path.exists() else None


def _expired(register: str):
    flash(error_text("import_expired"), "warning")
    return redirect(url_for("orgs.import_upload", register=register))


def _preview(register: str, pending: dict[str, Any], report: importing.ImportReport,
             status: int):
    return render_template("orgs/import_preview.html", register=register, report=report,
                           filename=pending.get("filename", ""),
                           matching=IMPORT_MATCHING[register]), status


@bp.route(IMPORT_RULE, methods=["GET", "POST"])
@login_required
def import_upload(register: str):
    """Upload an .xlsx or .csv file with the export's Chinese headers."""
    require(current_user, "org.manage")
    form = Form(forms.IMPORT)
    status = 200
    if form.submitted:
        try:
            upload_id, ext = io.save_upload(form.data["file"])
        except DomainError as exc:
            form.show_errors({"file": exc.message})
            status = exc.status
        else:
            _forget()
            name = "".join(ch for ch in form.data["file"].filename if ch.isprintable())[:100]
            session[SESSION_KEY] = {"id": upload_id, "ext": ext, "register": register,
                                    "filename": name}
            return redirect(url_for("orgs.import_preview", register=register))
    return render_template("orgs/import_upload.html", form=form, register=register,
                           matching=IMPORT_MATCHING[register],
                           headers=tables.headers(register),
                           required=tables.required_headers(register)), status


@bp.route(IMPORT_RULE + "/preview")
@login_required
def import_preview(register: str):
    """Every row with its errors; nothing is written."""
    require(current_user, "org.manage")
    found = _pending(register)
    if found is None:
        return _expired(register)
    pending, path = found
    report = importing.run_import(register, path, pending["ext"], preview=True)
    transaction.fail()  # a preview keeps nothing
    return _preview(register, pending, report, 200 if report.ok else 422)


@bp.route(IMPORT_RULE + "/confirm", methods=["POST"])
@login_required
def import_confirm(register: str):
    """Write every row in one transaction, or nothing when any row is wrong."""
    require(current_user, "org.manage")
    found = _pending(register)
    if found is None:
        return _expired(register)
    pending, path = found
    report = importing.run_import(register, path, pending["ext"], preview=False)
    if not report.ok:
        transaction.fail()
        flash(report.file_error or error_text("import_has_errors", count=report.bad_rows),
              "danger")
        return _preview(register, pending, report, 422)
    importing.audit_import(report, pending.get("filename", ""))
    _forget()
    flash(notice("imported", **report.counts()), "success")
    return redirect(url_for(f"orgs.{register}"))


@bp.route(IMPORT_RULE + "/cancel", methods=["POST"])
@login_required
def import_cancel(register: str):
    """Drop the kept upload."""
    require(current_user, "org.manage")
    _forget()
    flash(notice("import_cancelled"), "info")
    return redirect(url_for(f"orgs.{register}"))
