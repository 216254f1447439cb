"""API: legal matters — list, request, read, and every step of their life cycle.

``POST /matters`` takes JSON (materials can follow with ``resubmit`` or be uploaded as
documents); the opinion is uploaded with ``POST /matters/<id>/answer`` (multipart).
Steps are ``POST /matters/<id>/<action>``; a caller who may not see the matter gets
404, one who may see it but not take the step 403 — before the body is validated.
"""

from __future__ import annotations

import json

from flask import jsonify, request
from flask_login import current_user

from ..errors import ValidationFailed
from ..listing import paginate
from ..matters import lifecycle, queries, services
from ..matters.schemas import (
    AdoptionInput,
    AnswerInput,
    EmptyInput,
    MatterCreate,
    MatterList,
    MatterListQuery,
    MatterOut,
    ReasonInput,
)
from ..messages import error_text
from ..policy import MATTER_TRANSITIONS, can, require
from ..validation import parse, parse_json, parse_query
from . import bp
from .spec import api_route

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)
ANSWER_FORM = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "法律意见书"},
    "answered_on": {"type": "string", "format": "date"},
    "recommendations": {"type": "string",
                        "description": "意见建议：JSON 字符串数组，如 [\"建议一\", \"建议二\"]"}}}
FILES_FORM = {"type": "object", "properties": {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"},
              "description": "补充材料"}}}


def _out(matter) -> dict:
    return queries.matter_out(current_user, matter).model_dump(mode="json")


def _for_step(matter_id: int, action: str):
    """The matter once the caller may see it (404) and take ``action`` by role (403)."""
    matter = services.get_visible(current_user, matter_id)
    if not can(current_user, MATTER_TRANSITIONS[action][2], matter):
        lifecycle.guard(current_user, matter, action)
    return matter


def _optional_json(model):
    if request.get_data():
        return parse_json(model)
    return model()


@api_route(bp, "/matters", summary="法律事务列表（按权限、筛选、分页）", query=MatterListQuery,
           response=MatterList, errors=(401, 403, 422))
def list_matters():
    """Matters the caller may view, with ``total``."""
    require(current_user, "matter.list")
    q = parse_query(MatterListQuery)
    page = paginate(queries.list_statement(current_user, q), q.page, q.per_page)
    items = [queries.matter_out(current_user, m) for m in page.items]
    return jsonify(MatterList(total=page.total, page=q.page, per_page=q.per_page,
                              items=items).model_dump(mode="json"))


@api_route(bp, "/matters", "POST", summary="提请法律事务", body=MatterCreate,
           response=MatterOut, status=201, errors=(400, 401, 403, 409, 422))
def create_matter():
    """Check agency, advisors and dates; number and register the matter."""
    require(current_user, "matter.create")
    matter = services.create(current_user, parse_json(MatterCreate))
    return jsonify(_out(matter)), 201


@api_route(bp, "/matters/<int:matter_id>", summary="法律事务详情", response=MatterOut,
           errors=(401, 403, 404))
def get_matter(matter_id: int):
    """The matter, its recommendations and the steps the caller may take now."""
    return jsonify(_out(services.get_visible(current_user, matter_id)))


@api_route(bp, "/matters/<int:matter_id>/accept", "POST", summary="受理（承办顾问）",
           body=EmptyInput, response=MatterOut, errors=WRITE_ERRORS)
def accept_matter(matter_id: int):
    """已提交 → 已受理."""
    matter = _for_step(matter_id, "accept")
    _optional_json(EmptyInput)
    lifecycle.accept(current_user, matter)
    return jsonify(_out(matter))


@api_route(bp, "/matters/<int:matter_id>/return", "POST", summary="退回补充材料（承办顾问）",
           body=ReasonInput, response=MatterOut, errors=WRITE_ERRORS)
def return_matter(matter_id: int):
    """→ 退回补充材料; the clock pauses."""
    matter = _for_step(matter_id, "return")
    lifecycle.return_for_material(current_user, matter, parse_json(ReasonInput))
    return jsonify(_out(matter))


@api_route(bp, "/matters/<int:matter_id>/resubmit", "POST", summary="补充材料后重新提交",
           multipart=FILES_FORM, response=MatterOut, errors=(*WRITE_ERRORS, 413, 415))
def resubmit_matter(matter_id: int):
    """退回补充材料 → 已提交; the due date moves by the working days paused."""
    matter = _for_step(matter_id, "resubmit")
    uploads = [(f.stream, f.filename) for f in request.files.getlist("files") if f.filename]
    lifecycle.resubmit(current_user, matter, uploads)
    return jsonify(_out(matter))


def _answer_input() -> AnswerInput:
    raw = request.form.get("recommendations") or "[]"
    try:
        texts = json.loads(raw)
    except ValueError:
        texts = None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise ValidationFailed({"recommendations": error_text("json_string_list")})
    return parse(AnswerInput, {"answered_on": request.form.get("answered_on"),
                               "recommendations": texts})


@api_route(bp, "/matters/<int:matter_id>/answer", "POST", summary="出具法律意见（承办顾问）",
           multipart=ANSWER_FORM, response=MatterOut, errors=(*WRITE_ERRORS, 413, 415))
def answer_matter(matter_id: int):
    """已受理 → 已出具意见, with the opinion registered as a document."""
    matter = _for_step(matter_id, "answer")
    data = _answer_input()
    upload = request.files.get("file")
    lifecycle.answer(current_user, matter, upload.stream if upload else None,
                     upload.filename if upload else None, data)
    return jsonify(_out(matter))


@api_route(bp, "/matters/<int:matter_id>/adopt", "POST", summary="反馈采纳情况（经办人）",
           body=AdoptionInput, response=MatterOut, errors=WRITE_ERRORS)
def adopt_matter(matter_id: int):
    """Every recommendation with 采纳 / 部分采纳 / 未采纳 (and a reason when not adopted)."""
    matter = _for_step(matter_id, "adopt")
    lifecycle.adopt(current_user, matter, parse_json(AdoptionInput))
    return jsonify(_out(matter))


@api_route(bp, "/matters/<int:matter_id>/close", "POST", summary="办结",
           body=EmptyInput, response=MatterOut, errors=WRITE_ERRORS)
def close_matter(matter_id: int):
    """已反馈采纳 → 已办结."""
    matter = _for_step(matter_id, "close")
    _optional_json(EmptyInput)
    lifecycle.close(current_user, matter)
    return jsonify(_out(matter))


@api_route(bp, "/matters/<int:matter_id>/withdraw", "POST", summary="撤回（经办人）",
           body=ReasonInput, response=MatterOut, errors=WRITE_ERRORS)
def withdraw_matter(matter_id: int):
    """→ 已撤回, with a written reason."""
    matter = _for_step(matter_id, "withdraw")
    lifecycle.withdraw(current_user, matter, parse_json(ReasonInput))
    return jsonify(_out(matter))
