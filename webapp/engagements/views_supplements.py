"""补充协议 pages and the redline page of a contract.

The detail page shows the agreements, the terms in force on a chosen date
(``?on=``) and the buttons; a new agreement has its own form; signing and filing
post back to the detail page. The redline page compares the contract file with
the sample rendered with the same values (``?against=active``: the kind's current
template version; ``?format=docx``: tracked changes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from .. import policy, transaction
from ..documents import services as documents
from ..documents.storage import open_version
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text, notice
from ..models import Document
from ..validation import parse
from . import files, redlines, services, supplements
from .files import DOCX_MIME
from .schemas import FileInput, SignInput
from .supplement_schemas import SupplementInput
from .terms import agreements, terms_on
from .views import bp

CHECKS = ("change_fee", "extend_term", "change_lawyers")


def supplement_context(eng) -> dict[str, Any]:
    """What the detail page shows about agreements and the terms in force on ``?on=``."""
    raw, on, on_error = request.args.get("on", ""), date.today(), None
    if raw:
        try:
            on = date.fromisoformat(raw)
        except ValueError:
            on_error = error_text("terms_date_invalid")
    return {"supplements": agreements(eng), "terms": terms_on(eng, on), "on": on,
            "on_error": on_error,
            "can_supplement": eng.status in supplements.BASE_STATES
            and policy.can(current_user, "engagement.manage", eng),
            "can_file_supplement": policy.can(current_user, "engagement.file", eng)}


def _form_data(form) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k) for k in (
        "effective_date", "new_annual_fee", "new_end_date", "lawyer_change_mode",
        "override_reason", "copies", "signed_place")}
    data.update({k: k in form for k in CHECKS})
    data["added_lawyer_ids"] = [v for v in form.getlist("added_lawyer_ids") if v.strip()]
    data["removed_lawyer_names"] = form.getlist("removed_lawyer_names")
    return {k: v for k, v in data.items() if v not in (None, "")}


@bp.route("/<int:engagement_id>/supplements/new", methods=["GET", "POST"])
@login_required
def supplement_new(engagement_id: int):
    """The form of a new supplementary agreement (fee, term, lawyers)."""
    eng = services.get_visible(current_user, engagement_id)
    policy.require(current_user, "engagement.manage", eng)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"effective_date": date.today().isoformat(), "copies": "4"}
    status = 200
    if request.method == "POST":
        values = {**request.form.to_dict(), **{k: k in request.form for k in CHECKS},
                  "removed_lawyer_names": request.form.getlist("removed_lawyer_names"),
                  "added_lawyer_ids": request.form.getlist("added_lawyer_ids")}
        try:
            row = supplements.create(current_user, eng, parse(SupplementInput,
                                                              _form_data(request.form)))
            flash(notice("supplement_created", no=row.agreement_no), "success")
            return redirect(url_for(".detail", engagement_id=eng.id), 303)
        except ValidationFailed as exc:
            transaction.fail()
            errors, status = exc.fields, 422
    firm_lawyers = sorted((a for a in eng.firm.advisors if a.kind == "lawyer" and a.licence_no),
                          key=lambda a: a.name) if eng.firm else []
    return render_template("engagements/supplement_form.html", eng=eng, values=values,
                           errors=errors, terms=terms_on(eng, date.today()),
                           firm_lawyers=firm_lawyers,
                           is_admin=policy.can(current_user, "engagement.override_pool")
                           ), status


def _supplement_action(supplement_id: int, work, done: str, rule: str = "engagement.manage"):
    row = supplements.get_visible(current_user, supplement_id)
    policy.require(current_user, rule, row.engagement)  # a refusal is a 403 page
    try:
        work(row)
    except DomainError as exc:
        transaction.fail()
        flash("；".join(exc.fields.values()) if exc.fields else exc.message, "danger")
    else:
        flash(notice(done, no=row.agreement_no), "success")
    return redirect(url_for(".detail", engagement_id=row.engagement_id), 303)


@bp.route("/supplements/<int:supplement_id>/sign", methods=["POST"])
@login_required
def supplement_sign(supplement_id: int):
    """Upload the signed scan (草稿 → 已签订)."""
    def work(row):
        data = parse(SignInput, {"signed_on": request.form.get("signed_on")})
        upload = request.files.get("file")
        supplements.sign(current_user, row, upload.stream if upload else None,
                         upload.filename if upload else None, data.signed_on)
    return _supplement_action(supplement_id, work, "supplement_signed")


@bp.route("/supplements/<int:supplement_id>/file", methods=["POST"])
@login_required
def supplement_file(supplement_id: int):
    """Record the filing (admin)."""
    def work(row):
        data = parse(FileInput, {"filing_no": request.form.get("filing_no"),
                                 "filed_on": request.form.get("filed_on")})
        supplements.file(current_user, row, data)
    return _supplement_action(supplement_id, work, "supplement_filed", "engagement.file")


@bp.route("/supplements/<int:supplement_id>/agreement.docx")
@login_required
def supplement_docx(supplement_id: int):
    """Download the generated agreement (audited)."""
    row = supplements.get_visible(current_user, supplement_id)
    return files.send_docx(current_user, db.session.get(Document, row.document_id),
                           f"补充协议{row.agreement_no}.docx")


@bp.route("/<int:engagement_id>/redline")
@login_required
def redline(engagement_id: int):
    """The contract file against the sample rendered with the same values."""
    eng = services.get_visible(current_user, engagement_id)
    against = request.args.get("against")
    against = against if against in ("active", "terms") else "own"
    doc = services.eng_document(eng)
    _, stream = open_version(doc)
    with stream:
        generated = stream.read()
    result, row = redlines.contract_vs_sample(eng, generated, against)
    sample_name = f"{row.name}（第 {row.version} 版，按本合同的填写内容生成）"
    names = (sample_name, f"合同 {eng.contract_no}")
    if against == "terms":
        names = (f"合同 {eng.contract_no}（签订文本）", "按补充协议变更后的现行条款")
    if request.args.get("format") == "docx":
        sample, _ = redlines.sample_docx(eng, against)
        old, new = (generated, sample) if against == "terms" else (sample, generated)
        data = redlines.tracked_isolated(old, new, current_user.username, datetime.now(UTC))
        documents.record_access(current_user, doc, "download")
        return send_file(BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, max_age=0,
                         download_name=f"修订对照{eng.contract_no}.docx")
    return render_template("engagements/redline.html",
                           result=redlines.view(result, *names),
                           title=f"合同与样本比对：{eng.contract_no}",
                           docx_url=url_for(".redline", engagement_id=eng.id, against=against,
                                            format="docx"),
                           back_url=url_for(".detail", engagement_id=eng.id))



def _version_bytes(doc, number: int) -> bytes:
    version, stream = open_version(doc, number)
    if version.kind != "docx":
        raise DomainError("redline_not_docx", status=422)
    with stream:
        return stream.read()


@bp.route("/redline/documents/<int:doc_id>")
@login_required
def document_redline(doc_id: int):
    """Two versions of an uploaded .docx (``?old=1&new=2``; default the last two), compared
    in a time-limited child process; ``?format=docx`` gives tracked changes."""
    doc = documents.get_visible(current_user, doc_id)
    new_no = request.args.get("new", type=int) or doc.current_version_no
    old_no = request.args.get("old", type=int) or new_no - 1
    if old_no < 1 or old_no == new_no:
        raise DomainError("redline_same_document", status=422)
    old, new = _version_bytes(doc, old_no), _version_bytes(doc, new_no)
    documents.record_access(current_user, doc, "download", new_no)
    if request.args.get("format") == "docx":
        data = redlines.tracked_isolated(old, new, current_user.username, datetime.now(UTC))
        return send_file(BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, max_age=0,
                         download_name=f"修订对照-{doc.registration_no}-v{old_no}-v{new_no}.docx")
    result = redlines.view(redlines.compare_isolated(old, new), f"第 {old_no} 版",
                           f"第 {new_no} 版")
    return render_template("engagements/redline.html", result=result,
                           title=f"文书版本比对：{doc.title}",
                           docx_url=url_for(".document_redline", doc_id=doc.id, old=old_no,
                                            new=new_no, format="docx"),
                           back_url=url_for("documents.detail", doc_id=doc.id))
