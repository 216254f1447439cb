"""文书管理 pages: list, upload, detail, edit, new version, delete, download.

URL rules and request parsing only; each request is one unit of work (see
``webapp.transaction``): a refusal shown with ``flash`` and a redirect calls
``transaction.fail()`` so nothing of it is kept.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import policy, transaction
from ..errors import DomainError, NotFound, ValidationFailed
from ..exports import export_response
from ..extensions import db
from ..listing import list_args, paginate
from ..messages import error_text, notice
from ..models import Advisor, Agency, AssessmentRecord
from ..validation import parse
from . import advisor_choices, duplicates, history, previews, regform, registry, services
from .downloads import FileQuery, file_response
from .present import export_table
from .queries import list_statement
from .reading import reading
from .registry import all_fields
from .schemas import current, list_query_model, meta_model
from .storage import open_version

bp = Blueprint("documents", __name__, url_prefix="/documents")
DUPLICATE_KEYS = ("allow_duplicate", "duplicate_reason")


def _choices(agency_id: object = None, form: bool = False) -> dict:
    """Options of the selects; with ``form``, the advisor options of the upload/edit form
    grouped for ``agency_id`` (else the first agency the select offers)."""
    agencies = db.session.execute(select(Agency).where(policy.agency_scope(current_user),
                                                       Agency.active.is_(True))
                                  .order_by(Agency.code)).scalars().all()
    advisors = db.session.execute(select(Advisor).where(Advisor.active.is_(True))
                                  .order_by(Advisor.name)).scalars().all()
    options: dict = {"agency": [(a.id, a.name) for a in agencies],
                     "advisor": [(a.id, a.name) for a in advisors]}
    if form:
        listed = {a.id for a in agencies}
        chosen = agency_id if agency_id in listed else (agencies[0].id if agencies else None)
        picks = advisor_choices.advisor_options(advisors, listed)
        options["advisor_groups"] = advisor_choices.grouped(picks, chosen)
    return {"agencies": agencies, "advisors": advisors, "fields": all_fields(),
            "options": options}


def _form_agency() -> int | None:
    """The agency chosen on the submitted upload form (``None`` when not a number)."""
    raw = request.form.get("agency_id", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def _form_data() -> dict:
    return {k: v for k, v in request.form.items()
            if k not in ("csrf_token", "comment", "reason", *DUPLICATE_KEYS)}


@bp.route("/")
@login_required
def index():
    """The document list with filters, sorting, paging and export."""
    q = list_args(current(list_query_model))
    stmt = list_statement(current_user, q)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        headers, rows = export_table(db.session.execute(stmt).scalars())
        return export_response(fmt, "文书清单", headers, rows)
    page = paginate(stmt, q.page, q.per_page)
    return render_template("documents/index.html", page=page, q=q, **_choices())


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Upload one or several files with shared metadata."""
    policy.require(current_user, "document.create")
    errors: dict[str, str] = {}
    results: list[tuple[str, str, object]] = []
    if request.method == "POST":
        files = [f for f in request.files.getlist("file") if f and f.filename]
        if not files:
            errors["file"] = error_text("no_file")
        else:
            errors, results = _upload_all(files)
            if results and all(ok == "ok" for _, ok, _ in results):
                flash(notice("documents_uploaded", count=len(results)), "success")
                if len(results) == 1:
                    return redirect(url_for(".detail", doc_id=results[0][2].id))
                return redirect(url_for(".index"))
    status = 422 if errors or any(ok != "ok" for _, ok, _ in results) else 200
    if any(ok == "duplicate" for _, ok, _ in results):
        status = 409
    return render_template("documents/upload.html", errors=errors, results=results,
                           form=request.form,
                           **_choices(_form_agency(), form=True)), status


def _upload_all(files) -> tuple[dict[str, str], list]:
    """Register every file, or none: one request is one unit of work, so when a file is
    refused the others are not kept either (the page says which one and why). The
    upload page's script sends files one request each, so each stands on its own."""
    try:
        meta = parse(current(meta_model), _form_data())
        choice = duplicates.choice_from({k: request.form[k] for k in DUPLICATE_KEYS
                                         if k in request.form})
    except ValidationFailed as exc:
        return exc.fields, []
    results = []
    for f in files:
        single = meta.model_copy(update={"title": meta.title if len(files) == 1 else None})
        try:
            doc = services.create_document(current_user, single, f.stream, f.filename,
                                           duplicate=choice)
            results.append((f.filename, "ok", doc))
        except duplicates.DuplicateDocument as exc:
            results.append((f.filename, "duplicate", exc.existing))
        except ValidationFailed as exc:
            results.append((f.filename, "error", "；".join(exc.fields.values()) or exc.message))
        except DomainError as exc:
            results.append((f.filename, "error", exc.message))
    if any(ok != "ok" for _, ok, _ in results):
        results = [(name, ok, detail) if ok != "ok" else (name, "skipped",
                                                         error_text("upload_batch_refused"))
                   for name, ok, detail in results]
    return {}, results


@bp.route("/<int:doc_id>")
@login_required
def detail(doc_id: int):
    """Metadata, assessment link, text preview, versions and audit history."""
    doc = services.get_visible(current_user, doc_id)
    services.record_access(current_user, doc, "view")
    version = services.current_version(doc)
    record = db.session.get(AssessmentRecord, doc.assessment_record_id) \
        if doc.assessment_record_id else None
    return render_template("documents/detail.html", doc=doc, version=version, record=record,
                           values=registry.values(doc),
                           reading=reading(version.extracted_text, doc.title,
                                           request.args.get("q")),
                           events=history.events_for(doc), similar=history.similar(doc),
                           can_preview=previews.available(version),
                           ocr_error=error_text(version.ocr_error) if version.ocr_error else None,
                           can_change=policy.can(current_user, "document.change", doc),
                           can_delete=policy.can(current_user, "document.delete", doc),
                           **_choices(doc.agency_id, form=True))


@bp.route("/<int:doc_id>/registration-form")
@login_required
def registration_form(doc_id: int):
    """The printable 法律顾问文书备案登记表 of one document (audited like the page)."""
    return render_template("documents/registration_form.html",
                           forms=[regform.single(current_user, doc_id)], more=False,
                           back=url_for(".detail", doc_id=doc_id))


@bp.route("/registration-forms")
@login_required
def registration_forms():
    """The 备案登记表 of the filtered list, one per page (capped, see ``regform``);
    malformed filters are refused (422) rather than widened to the whole list."""
    forms, more = regform.batch(current_user,
                                parse(current(list_query_model), request.args.to_dict()))
    return render_template("documents/registration_form.html", forms=forms, more=more,
                           back=url_for(".index", **request.args))


@bp.route("/<int:doc_id>/file")
@login_required
def download(doc_id: int):
    """Download the current or ``?version=N`` file as an attachment (audited)."""
    doc = services.get_visible(current_user, doc_id)
    try:
        version_no = parse(FileQuery, request.args.to_dict()).version
    except ValidationFailed as exc:
        raise NotFound() from exc
    version, stream = open_version(doc, version_no)
    services.record_access(current_user, doc, "download", version.version_no)
    return file_response(version, stream)


@bp.route("/<int:doc_id>/pages/<int:page>.png")
@login_required
def page_image(doc_id: int, page: int):
    """Page ``page`` of the current version as a PNG ``?width=`` pixels wide (audited; a
    classified document's carries the viewer's watermark and is never cached)."""
    doc = services.get_visible(current_user, doc_id)
    width = previews.width_of(request.args.get("width"))
    rendered = previews.page_png(current_user, doc, services.current_version(doc), page, width)
    resp = Response(rendered.png, mimetype="image/png")
    resp.headers["X-Page-Count"] = str(rendered.pages)
    resp.headers["Cache-Control"] = "private, no-store" if rendered.private \
        else "private, max-age=3600"
    return resp


@bp.route("/<int:doc_id>/edit", methods=["POST"])
@login_required
def edit(doc_id: int):
    """Change metadata (audited with before/after)."""
    doc = services.get_visible(current_user, doc_id)
    services.require_changeable(current_user, doc)
    try:
        change = parse(current(meta_model, True), _form_data())
        services.update_metadata(current_user, doc, change)
        flash(notice("document_updated"), "success")
    except ValidationFailed as exc:
        transaction.fail()
        flash("；".join(f"{k}：{v}" for k, v in exc.fields.items()), "danger")
    return redirect(url_for(".detail", doc_id=doc_id))


@bp.route("/<int:doc_id>/versions", methods=["POST"])
@login_required
def new_version(doc_id: int):
    """Upload a corrected file as the next version."""
    doc = services.get_visible(current_user, doc_id)
    services.require_changeable(current_user, doc)
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        flash(error_text("no_file"), "danger")
        return redirect(url_for(".detail", doc_id=doc_id))
    try:
        version = services.add_version(current_user, doc, upload_file.stream,
                                       upload_file.filename, request.form.get("comment"))
        flash(notice("document_version_added", version=version.version_no), "success")
    except DomainError as exc:
        transaction.fail()
        flash(exc.message, "danger")
    return redirect(url_for(".detail", doc_id=doc_id))


@bp.route("/<int:doc_id>/delete", methods=["POST"])
@login_required
def delete(doc_id: int):
    """Soft-delete with a reason (admin)."""
    doc = services.get_visible(current_user, doc_id)
    try:
        services.soft_delete(current_user, doc, request.form.get("reason"))
    except ValidationFailed as exc:
        transaction.fail()
        flash(exc.fields.get("reason", exc.message), "danger")
        return redirect(url_for(".detail", doc_id=doc_id))
    flash(notice("document_deleted"), "success")
    return redirect(url_for(".index"))
