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
    MatterCreate,
    MatterList,
    MatterListQuery,
    MatterOut,
    ReasonInput,
)
from ..messages import error_text
from ..policy import MATTER_TRANSITIONS, can, require
from ..validation import EmptyBody, parse, parse_json, parse_json_optional, parse_query
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


# The steps that take a JSON body: (summary, body, lifecycle function). ``EmptyBody``
# steps accept an empty body or ``{}``; the others pass the parsed body on.
JSON_STEPS = {
    "accept": ("受理（承办顾问）", EmptyBody, lifecycle.accept),
    "return": ("退回补充材料（承办顾问）", ReasonInput, lifecycle.return_for_material),
    "adopt": ("反馈采纳情况（经办人）", AdoptionInput, lifecycle.adopt),
    "close": ("办结", EmptyBody, lifecycle.close),
    "withdraw": ("撤回（经办人）", ReasonInput, lifecycle.withdraw),
}


def _json_step(action: str, body: type, step) -> None:
    def view(matter_id: int):
        matter = _for_step(matter_id, action)
        if body is EmptyBody:
            parse_json_optional(EmptyBody)
            step(current_user, matter)
        else:
            step(current_user, matter, parse_json(body))
        return jsonify(_out(matter))

    view.__name__ = f"{action}_matter"
    sources, target, _rule = MATTER_TRANSITIONS[action]
    view.__doc__ = f"{JSON_STEPS[action][0]}: {' / '.join(sources)} → {target}."
    api_route(bp, f"/matters/<int:matter_id>/{action}", "POST", summary=JSON_STEPS[action][0],
              body=body, response=MatterOut, errors=WRITE_ERRORS)(view)


for _action, (_summary, _body, _step) in JSON_STEPS.items():
    _json_step(_action, _body, _step)
