"""聘任合同 pages: list by state, watch lists, the contract form, detail, files.

URL rules and request parsing only; the rules live in ``services`` and
``lifecycle``. Each request is one unit of work (``webapp.transaction``): it
commits when it succeeds, and a refused one keeps neither rows nor new blobs.
Transition routes are in ``views_lifecycle``. Registering the blueprint also
registers the ``init`` hook that imports the standard template, and the
``check-expiry`` command.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from contract_templates import get_kind

from .. import policy, transaction
from ..documents import services as documents
from ..errors import DomainError, ValidationFailed
from ..exports import export_response
from ..extensions import db
from ..listing import list_args, paginate
from ..messages import label, notice
from ..models import Agency, AuditEvent, Document
from . import (
    cli,  # noqa: F401  (registers ``govcounsel check-expiry``)
    contract_store,
    files,
    forms,
    lifecycle,
    params,
    preview,
    queries,
    services,
)
from .schemas import ListQuery

bp = Blueprint("engagements", __name__, url_prefix="/engagements")

EXPORT_HEADERS = ("合同编号", "单位", "首席法律顾问", "律师事务所", "服务期限开始", "服务期限结束",
                  "年度顾问费", "状态", "签订日期", "备案期限", "备案日期", "备案号")
FORM_DEFAULTS = {"response_hours": "24", "copies": "4", "dispute_resolution": "court",
                 "fee_mode": "fixed", "payment_schedule": "once"}


@bp.record_once
def _register_init_hook(state) -> None:
    hooks = state.app.extensions.setdefault("govcounsel", {}).setdefault("init_hooks", [])
    if contract_store.init_hook not in hooks:
        hooks.append(contract_store.init_hook)


@bp.route("/")
@login_required
def index():
    """Engagements by state, filtered, sorted, paged; ``?format=xlsx|csv`` exports."""
    policy.require(current_user, "engagement.list")
    q = list_args(ListQuery)
    stmt = queries.list_statement(current_user, q)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        rows = ([e.contract_no, e.agency.name, e.advisor.name if e.advisor else "",
                 e.firm.name if e.firm else "", e.start_date, e.end_date, e.annual_fee,
                 label("engagement_status", e.status), e.signed_on, e.filing_due_on,
                 e.filed_on, e.filing_no] for e in db.session.execute(stmt).scalars())
        return export_response(fmt, "聘任合同清单", EXPORT_HEADERS, rows)
    agencies = db.session.execute(select(Agency).where(policy.agency_scope(current_user))
                                  .order_by(Agency.code)).scalars().all()
    return render_template("engagements/index.html", page=paginate(stmt, q.page, q.per_page),
                           q=q, counts=queries.status_counts(current_user), agencies=agencies,
                           today=date.today())


@bp.route("/watch")
@login_required
def watch():
    """Overdue filings, contracts expiring within 30/60/90 days, agencies without an advisor."""
    policy.require(current_user, "engagement.list")
    return render_template("engagements/watch.html", lists=queries.watch_lists(current_user),
                           today=date.today())


def one_year_from(start: date) -> date:
    """The last day of a one-year term starting on ``start``."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


def _defaults(manifest) -> dict[str, Any]:
    today = date.today()
    values: dict[str, Any] = {k: v for k, v in FORM_DEFAULTS.items() if manifest.field(k)}
    values.update(start_date=today.isoformat(), end_date=one_year_from(today).isoformat())
    if current_user.role == "clerk":
        values["agency_id"] = current_user.agency_id
    if request.args.get("agency_id", "").isdigit():
        values["agency_id"] = int(request.args["agency_id"])
    return values


def _render_form(template, values, errors, *, eng=None, status=200, kind="standard"):
    return render_template("engagements/form.html", manifest=template.manifest,
                           template=template, values=values, errors=errors, eng=eng,
                           kind=kind, party=get_kind(kind).party,
                           register_fields=params.REGISTER_FIELDS, auto_fields=params.AUTO_FIELDS,
                           choices=forms.choices(current_user),
                           number_example=services.sample_number(date.today().year, kind),
                           is_admin=current_user.role == "admin"), status


def _submit(template, run, kind="standard") -> tuple[Any, dict[str, str]]:
    """Parse the posted form and run ``run(refs, terms)``; the errors to show, if any
    (the page is then answered 422, so the request rolls back)."""
    errors: dict[str, str] = {}
    refs = forms.parse_refs(request.form, errors)
    terms = forms.parse_terms(request.form, template.manifest)
    if refs is None or errors:
        services.check_terms(template.manifest, None, terms, errors,
                             services.sample_number(date.today().year, kind))
        return None, errors
    try:
        return run(refs, terms), {}
    except ValidationFailed as exc:
        transaction.fail()
        return None, exc.fields


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """First which kind of contract (常年 / 个人 / 专项), then that kind's form: parties,
    term, fee, scope, contacts, other clauses — all from its template's manifest."""
    policy.require(current_user, "engagement.create")
    kind = request.values.get("kind") or ("standard" if request.method == "POST" else None)
    if kind not in services.ENGAGEMENT_KINDS:
        kinds = [get_kind(k) for k in services.ENGAGEMENT_KINDS]
        return render_template("engagements/kinds.html", kinds=kinds,
                               agency_id=request.args.get("agency_id", ""))
    template = contract_store.load(contract_store.active_template(kind))
    if request.method == "POST":
        eng, errors = _submit(template, lambda refs, terms: services.create(
            current_user, refs, terms, kind=kind, clauses=request.form.getlist("clauses")),
            kind)
        if eng is not None:
            flash(notice("engagement_created", no=eng.contract_no), "success")
            return redirect(url_for(".detail", engagement_id=eng.id), 303)
        values = forms.form_values(request.form, {}, template.manifest)
        return _render_form(template, values, errors, status=422, kind=kind)
    return _render_form(template, _defaults(template.manifest), {}, kind=kind)


@bp.route("/<int:engagement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(engagement_id: int):
    """Change a draft (before signing); the contract keeps its number."""
    eng = services.get_visible(current_user, engagement_id)
    policy.require(current_user, "engagement.manage", eng)
    if eng.status != "draft":
        raise DomainError("engagement_frozen", status=409)
    template = contract_store.load(eng.template)
    if request.method == "POST":
        done, errors = _submit(template, lambda refs, terms: services.update_draft(
            current_user, eng, refs, terms, request.form.getlist("clauses")), eng.kind)
        if done is not None:
            flash(notice("engagement_updated", no=eng.contract_no), "success")
            return redirect(url_for(".detail", engagement_id=eng.id), 303)
        values = forms.form_values(request.form, {}, template.manifest)
        return _render_form(template, values, errors, eng=eng, status=422, kind=eng.kind)
    refs = services.refs_of(eng)
    values = {**eng.params, **refs.model_dump(exclude_none=True),
              "clauses": [c["name"] for c in eng.clauses or []]}
    return _render_form(template, values, {}, eng=eng, kind=eng.kind)


def _events(eng) -> list[AuditEvent]:
    doc_ids = [str(i) for i in (eng.document_id, eng.signed_document_id) if i]
    stmt = select(AuditEvent).where(
        ((AuditEvent.object_type == "engagement") & (AuditEvent.object_id == str(eng.id)))
        | ((AuditEvent.object_type == "document") & AuditEvent.object_id.in_(doc_ids))
    ).order_by(AuditEvent.seq)
    return list(db.session.execute(stmt).scalars())


@bp.route("/<int:engagement_id>")
@login_required
def detail(engagement_id: int):
    """Parties, terms, state, transitions, files and history."""
    from .views_supplements import supplement_context

    eng = services.get_visible(current_user, engagement_id)
    manifest = contract_store.load(eng.template).manifest
    docs = {k: db.session.get(Document, i) if i else None
            for k, i in (("contract", eng.document_id), ("signed", eng.signed_document_id))}
    return render_template(
        "engagements/detail.html", eng=eng, manifest=manifest, docs=docs,
        actions=lifecycle.allowed_actions(current_user, eng), events=_events(eng),
        renewed_by=queries.renewed_by_id(eng), overdue=queries.is_overdue(eng),
        pdf=preview.available(), today=date.today(), **supplement_context(eng),
        can_edit=eng.status == "draft" and policy.can(current_user, "engagement.manage", eng))


@bp.route("/<int:engagement_id>/contract.docx")
@login_required
def contract_docx(engagement_id: int):
    """Download the generated contract (audited)."""
    eng = services.get_visible(current_user, engagement_id)
    return files.send_docx(current_user, services.eng_document(eng),
                           f"聘任合同{eng.contract_no}.docx")


@bp.route("/<int:engagement_id>/contract.pdf")
@login_required
def contract_pdf(engagement_id: int):
    """PDF preview through LibreOffice (404 when the server has none)."""
    eng = services.get_visible(current_user, engagement_id)
    doc = services.eng_document(eng)
    pdf = preview.contract_pdf(eng)
    documents.record_access(current_user, doc, "download")
    name = quote(f"聘任合同{eng.contract_no}.pdf")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=contract.pdf; filename*=UTF-8''{name}",
        "Content-Security-Policy": "default-src 'self'; object-src 'self'; "
                                   "frame-ancestors 'self'"})


@bp.route("/<int:engagement_id>/verify")
@login_required
def verify(engagement_id: int):
    """Regenerate from the stored template version and parameters and compare."""
    eng = services.get_visible(current_user, engagement_id)
    same = services.regenerated_matches(eng)
    flash(notice("regenerated_same" if same else "regenerated_differs"),
          "success" if same else "danger")
    return redirect(url_for(".detail", engagement_id=eng.id))


from . import views_lifecycle, views_supplements  # noqa: E402,F401  (routes on ``bp``)
