"""API: supplementary agreements (补充协议) of an engagement, and its terms in force on a date.

``POST /engagements/<id>/supplements`` creates a draft (JSON); ``sign`` (multipart
scan) and ``file`` move it on; ``GET /engagements/<id>/terms?on=`` answers what was
in force that day.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from ..engagements import services, supplements
from ..engagements.files import DOCX_MIME, send_docx
from ..engagements.schemas import FileInput, SignInput
from ..engagements.supplement_schemas import (
    SupplementInput,
    SupplementList,
    SupplementOut,
    TermsOut,
    TermsQuery,
)
from ..engagements.terms import agreements, terms_on
from ..extensions import db
from ..messages import label
from ..models import Document
from ..policy import require
from ..validation import parse, parse_json, parse_query
from . import bp
from .spec import api_route

SIGN_FORM = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "签字盖章后的补充协议扫描件"},
    "signed_on": {"type": "string", "format": "date"}}}


def supplement_out(row) -> dict:
    """The JSON view of a supplementary agreement."""
    return SupplementOut(
        id=row.id, engagement_id=row.engagement_id, agreement_no=row.agreement_no,
        status=row.status, status_label=label("supplement_status", row.status),
        effective_date=row.effective_date,
        new_annual_fee=f"{row.new_annual_fee:.2f}" if row.new_annual_fee is not None else None,
        new_end_date=row.new_end_date, lawyer_change=row.lawyer_change,
        pool_override_reason=row.pool_override_reason, signed_on=row.signed_on,
        filed_on=row.filed_on, filing_no=row.filing_no, document_id=row.document_id,
        signed_document_id=row.signed_document_id,
        template_version=row.template.version if row.template else None,
        created_at=row.created_at).model_dump(mode="json")


def terms_out(eng, on) -> dict:
    """The JSON view of the terms in force on ``on``."""
    terms = terms_on(eng, on)
    return TermsOut(engagement_id=eng.id, on=on, in_force=terms.in_force,
                    start_date=terms.start_date, end_date=terms.end_date,
                    annual_fee=f"{terms.annual_fee:.2f}", lawyers=terms.lawyers,
                    applied=terms.applied).model_dump(mode="json")


@api_route(bp, "/engagements/<int:engagement_id>/supplements", "POST",
           summary="生成补充协议（草稿）", body=SupplementInput, response=SupplementOut,
           status=201, errors=(400, 401, 403, 404, 409, 422))
def create_supplement(engagement_id: int):
    """Check the change against the terms in force and the pool, number, render, register."""
    eng = services.get_visible(current_user, engagement_id)
    require(current_user, "engagement.manage", eng)  # before the body is read
    data = parse_json(SupplementInput)
    row = supplements.create(current_user, eng, data)
    return jsonify(supplement_out(row)), 201


@api_route(bp, "/engagements/<int:engagement_id>/supplements", summary="合同的补充协议",
           response=SupplementList, errors=(401, 403, 404, 405))
# 405: an id beyond the database's INTEGER matches no GET rule, and werkzeug then names
# the POST rule of the same path
def list_supplements(engagement_id: int):
    """Every supplementary agreement of the engagement, by effective date."""
    eng = services.get_visible(current_user, engagement_id)
    rows = agreements(eng)
    return jsonify({"total": len(rows), "items": [supplement_out(r) for r in rows]})


@api_route(bp, "/engagements/<int:engagement_id>/terms", summary="某日有效的合同条款",
           query=TermsQuery, response=TermsOut, errors=(401, 403, 404, 422))
def engagement_terms(engagement_id: int):
    """Fee, term and team in force on ``on`` (default today)."""
    from datetime import date

    eng = services.get_visible(current_user, engagement_id)
    query = parse_query(TermsQuery)
    return jsonify(terms_out(eng, query.on or date.today()))


@api_route(bp, "/supplements/<int:supplement_id>", summary="补充协议详情",
           response=SupplementOut, errors=(401, 403, 404))
def get_supplement(supplement_id: int):
    """One supplementary agreement."""
    return jsonify(supplement_out(supplements.get_visible(current_user, supplement_id)))


@api_route(bp, "/supplements/<int:supplement_id>/agreement.docx", summary="下载补充协议",
           content_type=DOCX_MIME, errors=(401, 403, 404))
def get_supplement_docx(supplement_id: int):
    """The generated .docx (audited)."""
    row = supplements.get_visible(current_user, supplement_id)
    return send_docx(current_user, db.session.get(Document, row.document_id),
                     f"补充协议{row.agreement_no}.docx")


@api_route(bp, "/supplements/<int:supplement_id>/sign", "POST",
           summary="补充协议签订（上传扫描件）",
           multipart=SIGN_FORM, response=SupplementOut,
           errors=(400, 401, 403, 404, 409, 413, 415, 422))
def sign_supplement(supplement_id: int):
    """草稿 → 已签订: the change applies from its effective date."""
    row = supplements.get_visible(current_user, supplement_id)
    require(current_user, "engagement.manage", row.engagement)
    data = parse(SignInput, {k: v for k, v in request.form.items() if k != "csrf_token"})
    upload = request.files.get("file")
    supplements.sign(current_user, row, upload.stream if upload else None,
                     upload.filename if upload else None, data.signed_on)
    return jsonify(supplement_out(row))


@api_route(bp, "/supplements/<int:supplement_id>/file", "POST", summary="补充协议备案（管理员）",
           body=FileInput, response=SupplementOut, errors=(400, 401, 403, 404, 409, 422))
def file_supplement(supplement_id: int):
    """已签订 → 已备案."""
    row = supplements.get_visible(current_user, supplement_id)
    require(current_user, "engagement.file", row.engagement)
    supplements.file(current_user, row, parse_json(FileInput))
    return jsonify(supplement_out(row))
