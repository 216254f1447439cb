"""系统设置 → template previews and redlines, and the clause library (条款库).

A version is previewed as its manifest's sample values rendered (a .docx to open
before accepting or activating it); two consecutive versions of a kind are
compared as a redline in the page or as a .docx with tracked changes. The clause
library lists every named clause with its versions; saving a text makes a new
version, checked first (no block markers, only known placeholders).
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from flask import flash, redirect, render_template, request, send_file, session, url_for
from flask_login import current_user, login_required

from contract_templates import parse_manifest, preview, tracked_docx

from .. import transaction
from ..engagements import clause_library, contract_store, redlines
from ..engagements.files import DOCX_MIME
from ..errors import DomainError, NotFound, ValidationFailed
from ..messages import notice
from . import services
from .views import PENDING_KEY, _require_admin, bp


def _preview_response(docx: bytes, manifest, name: str):
    result = preview(docx, manifest, clauses=clause_library.latest())
    if not result.ok:
        raise DomainError("sample_invalid", "；".join(p.message for p in result.problems),
                          status=422)
    return send_file(BytesIO(result.docx), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=name, max_age=0)


@bp.route("/templates/<int:template_id>/preview.docx")
@login_required
def template_preview(template_id: int):
    """A stored version rendered with its sample values."""
    _require_admin()
    row = redlines.template_row(template_id)
    if row is None:
        raise NotFound()
    loaded = contract_store.load(row)
    return _preview_response(loaded.docx, loaded.manifest,
                             f"preview-{row.kind}-v{row.version}.docx")


@bp.route("/templates/pending/preview.docx")
@login_required
def pending_preview():
    """The checked, not yet accepted upload rendered with its sample values."""
    _require_admin("template.manage")
    docx, manifest = services.load_pending(session.get(PENDING_KEY) or "")
    return _preview_response(docx, parse_manifest(manifest), "preview-pending.docx")


@bp.route("/templates/<int:template_id>/redline")
@login_required
def template_redline(template_id: int):
    """What this version changed from the previous one of its kind (``?format=docx``:
    tracked changes)."""
    _require_admin()
    row = redlines.template_row(template_id)
    old = redlines.previous_version(row) if row is not None else None
    if row is None or old is None:
        raise NotFound()
    if request.args.get("format") == "docx":
        data = tracked_docx(contract_store.load(old).docx, contract_store.load(row).docx,
                            author=current_user.username, date=datetime.now(UTC))
        return send_file(BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, max_age=0,
                         download_name=f"redline-{row.kind}-v{old.version}-v{row.version}.docx")
    result = redlines.view(redlines.templates(old, row), f"第 {old.version} 版",
                           f"第 {row.version} 版")
    return render_template("engagements/redline.html", result=result,
                           title=f"模板修订对照：{row.name}",
                           docx_url=url_for(".template_redline", template_id=row.id,
                                            format="docx"),
                           back_url=url_for(".index"))


@bp.route("/clauses", methods=["GET", "POST"])
@login_required
def clauses():
    """The clause library: every clause with its versions; save a new version."""
    _require_admin()
    errors, status = {}, 200
    if request.method == "POST":
        _require_admin("template.manage")
        try:
            row = clause_library.save(current_user, request.form.get("name"),
                                      request.form.get("title"), request.form.get("text"))
            flash(notice("clause_saved", title=row.title, version=row.version), "success")
            return redirect(url_for(".clauses"), 303)
        except ValidationFailed as exc:
            transaction.fail()
            errors, status = exc.fields, 422
    return render_template("admin_settings/clauses.html", rows=clause_library.history(),
                           errors=errors, form=request.form), status
