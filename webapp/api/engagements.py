"""API: generate engagement contracts, list and read them, download, and move them on.

``POST /engagements`` takes the parties and the template's fields as JSON
(``GET /engagements/template`` lists them); every unknown or invalid field is a
422 naming it. Transitions are ``POST /engagements/<id>/<action>``.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from ..engagements import contract_store, lifecycle, queries, services
from ..engagements.files import DOCX_MIME, send_docx
from ..engagements.params import AUTO_FIELDS, REGISTER_FIELDS
from ..engagements.schemas import (
    ActivateInput,
    EngagementCreate,
    EngagementList,
    EngagementOut,
    FieldOut,
    FileInput,
    ListQuery,
    Refs,
    RenewInput,
    SignInput,
    TemplateOut,
    TerminateInput,
)
from ..errors import NotFound
from ..listing import paginate
from ..policy import require
from ..validation import parse, parse_json, parse_query
from . import bp
from .spec import api_route

SIGN_FORM = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary",
             "description": "签字盖章后的合同扫描件（PDF 或 .docx）"},
    "signed_on": {"type": "string", "format": "date"}}}
WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


def _out(eng) -> dict:
    return queries.engagement_out(eng).model_dump(mode="json")


def _for_action(engagement_id: int, action: str):
    """The engagement, once the caller may see it (else 404) and may take ``action`` on it
    (else 403): a refused caller learns nothing from validating the body."""
    eng = services.get_visible(current_user, engagement_id)
    require(current_user, lifecycle.TRANSITIONS[action].rule, eng)
    return eng


@api_route(bp, "/engagements/template", summary="当前合同模板及其字段", response=TemplateOut,
           errors=(401, 409))
def engagement_template():
    """The active template version of ``?kind=`` (default standard) and which fields the
    client sends."""
    kind = request.args.get("kind") or "standard"
    if kind not in services.ENGAGEMENT_KINDS:
        raise NotFound()
    row = contract_store.active_template(kind)
    manifest = contract_store.load(row).manifest
    fields = []
    for spec in manifest.fields:
        filled_by = "system" if spec.name in AUTO_FIELDS else \
            "register" if spec.name in REGISTER_FIELDS else "user"
        options = spec.items.choices if spec.items is not None else spec.choices
        fields.append(FieldOut(name=spec.name, label=spec.label, type=spec.type,
                               required=spec.required, filled_by=filled_by,
                               choices=[{"value": c.value, "label": c.label} for c in options]
                               or None))
    return jsonify(TemplateOut(version=row.version, title=row.name, sha256=row.sha256,
                               fields=fields).model_dump(mode="json"))


@api_route(bp, "/engagements", "POST", summary="生成聘任合同（草稿）", body=EngagementCreate,
           response=EngagementOut, status=201, errors=(400, 401, 403, 409, 422))
def create_engagement():
    """Check parties and terms, take the next number, render and register the .docx."""
    require(current_user, "engagement.create")
    data = parse_json(EngagementCreate)
    refs = Refs(**data.model_dump(include=set(Refs.model_fields)))
    eng = services.create(current_user, refs, data.terms(), kind=data.kind,
                          clauses=data.clauses)
    return jsonify(_out(eng)), 201


@api_route(bp, "/engagements", summary="聘任合同列表（按权限、筛选、分页）", query=ListQuery,
           response=EngagementList, errors=(401, 403, 422))
def list_engagements():
    """Engagements the caller may view, with ``total``."""
    require(current_user, "engagement.list")
    q = parse_query(ListQuery)
    page = paginate(queries.list_statement(current_user, q), q.page, q.per_page)
    items = [queries.engagement_out(e) for e in page.items]
    return jsonify(EngagementList(total=page.total, page=q.page, per_page=q.per_page,
                                  items=items).model_dump(mode="json"))


@api_route(bp, "/engagements/<int:engagement_id>", summary="聘任合同详情",
           response=EngagementOut, errors=(401, 403, 404))
def get_engagement(engagement_id: int):
    """Parties, term, state, filing, files and the exact template parameters."""
    return jsonify(_out(services.get_visible(current_user, engagement_id)))


@api_route(bp, "/engagements/<int:engagement_id>/contract.docx", summary="下载生成的合同",
           content_type=DOCX_MIME, errors=(401, 403, 404))
def get_engagement_docx(engagement_id: int):
    """The generated .docx (current version), as an attachment (audited)."""
    eng = services.get_visible(current_user, engagement_id)
    return send_docx(current_user, services.eng_document(eng), f"聘任合同{eng.contract_no}.docx")


@api_route(bp, "/engagements/<int:engagement_id>/sign", "POST", summary="签订：上传签字盖章扫描件",
           multipart=SIGN_FORM, response=EngagementOut, errors=(*WRITE_ERRORS, 413, 415))
def sign_engagement(engagement_id: int):
    """草稿 → 已签订; the terms are frozen from now on."""
    eng = _for_action(engagement_id, "sign")
    data = parse(SignInput, {k: v for k, v in request.form.items() if k != "csrf_token"})
    upload = request.files.get("file")
    lifecycle.sign(current_user, eng, upload.stream if upload else None,
                   upload.filename if upload else None, data.signed_on)
    return jsonify(_out(eng))


@api_route(bp, "/engagements/<int:engagement_id>/file", "POST", summary="备案（管理员）",
           body=FileInput, response=EngagementOut, errors=WRITE_ERRORS)
def file_engagement(engagement_id: int):
    """已签订 → 已备案, with the filing number and date."""
    eng = _for_action(engagement_id, "file")
    data = parse_json(FileInput)
    lifecycle.file(current_user, eng, data)
    return jsonify(_out(eng))


@api_route(bp, "/engagements/<int:engagement_id>/activate", "POST", summary="启用（履行中）",
           body=ActivateInput, response=EngagementOut, errors=WRITE_ERRORS)
def activate_engagement(engagement_id: int):
    """已备案 → 履行中, once the term has begun."""
    eng = _for_action(engagement_id, "activate")
    if request.get_data():
        parse_json(ActivateInput)
    lifecycle.activate(current_user, eng)
    return jsonify(_out(eng))


@api_route(bp, "/engagements/<int:engagement_id>/terminate", "POST", summary="解除合同",
           body=TerminateInput, response=EngagementOut, errors=WRITE_ERRORS)
def terminate_engagement(engagement_id: int):
    """→ 已解除, with a written reason."""
    eng = _for_action(engagement_id, "terminate")
    data = parse_json(TerminateInput)
    lifecycle.terminate(current_user, eng, data)
    return jsonify(_out(eng))


@api_route(bp, "/engagements/<int:engagement_id>/renew", "POST",
           summary="续聘或更换顾问（生成新的关联合同）", body=RenewInput, response=EngagementOut,
           status=201, errors=WRITE_ERRORS)
def renew_engagement(engagement_id: int):
    """The old contract becomes 已续聘; the new draft is returned (201)."""
    eng = _for_action(engagement_id, "renew")
    data = parse_json(RenewInput)
    new = lifecycle.renew(current_user, eng, data)
    return jsonify(_out(new)), 201
