"""系统设置 pages: contract template versions, numbering patterns and limits, API tokens.

Template upload is two steps: check (problems shown, a rejected upload is dropped)
and accept (stored as the new active version). The token page is open to every
signed-in user for their own tokens; the rest is for admins.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_required

from .. import policy, transaction
from ..documents.intake import blob_store
from ..engagements import contract_store
from ..engagements.files import DOCX_MIME
from ..errors import DomainError, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..messages import LABELS, notice
from ..models import ContractTemplate
from ..settings import SETTINGS_BY_NAME
from . import services

bp = Blueprint("admin_settings", __name__, url_prefix="/settings")
PENDING_KEY = "template_upload"
LIMIT_SETTINGS = ("GOVCOUNSEL_MAX_UPLOAD_MB", "GOVCOUNSEL_MAX_PDF_PAGES",
                  "GOVCOUNSEL_MAX_DOCX_UNCOMPRESSED_MB", "GOVCOUNSEL_FILING_DUE_DAYS",
                  "GOVCOUNSEL_PAGE_SIZE")


def _require_admin(action: str = "settings.manage") -> None:
    if not (policy.can(current_user, "settings.manage") and policy.can(current_user, action)):
        raise Forbidden()


def _index(errors: dict[str, str] | None = None, result=None, status: int = 200):
    limits = [(LABELS["setting_plain"].get(k, SETTINGS_BY_NAME[k].help), current_app.config.get(k))
              for k in LIMIT_SETTINGS]
    return render_template("admin_settings/index.html", versions=contract_store.versions(),
                           numbering=services.numbering(), limits=limits,
                           errors=errors or {}, result=result,
                           can_manage_templates=policy.can(current_user, "template.manage")
                           ), status


@bp.route("/")
@login_required
def index():
    """Template versions, the upload form, numbering patterns and limits."""
    _require_admin()
    return _index()


@bp.route("/templates/check", methods=["POST"])
@login_required
def template_check():
    """Check an uploaded .docx + manifest; show every mismatch; keep it only if it passes."""
    _require_admin("template.manage")
    services.drop_pending(session.pop(PENDING_KEY, None))
    try:
        docx, manifest = services.read_upload(
            _stream("template"), _stream("manifest"), request.form.get("manifest_text"))
    except ValidationFailed as exc:
        return _index(errors=exc.fields, status=422)
    result = services.check(docx, manifest)
    if not result.accepted:
        return _index(result=result, status=422)
    session[PENDING_KEY] = services.keep_pending(docx, manifest)
    return render_template("admin_settings/template_check.html", result=result,
                           filename=request.files["template"].filename)


def _stream(name: str):
    upload = request.files.get(name)
    return upload.stream if upload and upload.filename else None


@bp.route("/templates/accept", methods=["POST"])
@login_required
def template_accept():
    """Store the checked upload as the new active template version."""
    _require_admin("template.manage")
    pending = session.get(PENDING_KEY)
    try:
        row = services.accept(current_user, pending or "", request.form.get("notes"))
    except DomainError as exc:
        transaction.fail()
        flash(exc.message if not exc.fields else "；".join(exc.fields.values()), "danger")
        return redirect(url_for(".index"))
    session.pop(PENDING_KEY, None)
    flash(notice("template_accepted", version=row.version), "success")
    return redirect(url_for(".index"))


@bp.route("/templates/cancel", methods=["POST"])
@login_required
def template_cancel():
    """Drop the checked upload."""
    _require_admin()
    services.drop_pending(session.pop(PENDING_KEY, None))
    flash(notice("template_cancelled"), "info")
    return redirect(url_for(".index"))


@bp.route("/templates/<int:template_id>/activate", methods=["POST"])
@login_required
def template_activate(template_id: int):
    """Make a stored version the one new contracts use."""
    _require_admin("template.manage")
    row = services.activate_version(current_user, template_id)
    flash(notice("template_activated", version=row.version), "success")
    return redirect(url_for(".index"))


@bp.route("/templates/<int:template_id>/template.docx")
@login_required
def template_download(template_id: int):
    """The stored .docx of a version."""
    _require_admin()
    row = db.session.get(ContractTemplate, template_id)
    if row is None:
        raise NotFound()
    return send_file(blob_store().open(row.sha256), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=f"template-v{row.version}.docx", max_age=0)


@bp.route("/templates/<int:template_id>/manifest.json")
@login_required
def template_manifest(template_id: int):
    """The stored manifest of a version."""
    _require_admin()
    row = db.session.get(ContractTemplate, template_id)
    if row is None:
        raise NotFound()
    return services.manifest_json(row), 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f"attachment; filename=manifest-v{row.version}.json"}


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The signed-in user's API tokens: list, create (shown once), revoke."""
    new_token, errors, status = None, {}, 200
    if request.method == "POST":
        try:
            new_token = services.create_token(current_user, request.form.get("name"))
        except ValidationFailed as exc:
            transaction.fail()
            errors, status = exc.fields, 422
    return render_template("admin_settings/tokens.html", tokens=services.tokens_of(current_user),
                           new_token=new_token, errors=errors,
                           form=request.form), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    """Revoke one of the user's own tokens."""
    row = services.revoke_own_token(current_user, token_id)
    flash(notice("token_revoked", prefix=row.prefix), "success")
    return redirect(url_for(".tokens"))


from . import views_fields, views_library  # noqa: E402,F401  (文书字段, templates, 条款库)
