"""API: the audit trail (admin, auditor)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel

from .. import policy
from ..audit.queries import AuditFilters, statement
from ..listing import paginate
from ..schema_types import UtcDateTime
from ..validation import parse_query
from . import bp
from .spec import api_route


class AuditEventOut(BaseModel):
    """One audit event with its chain hashes."""

    seq: int
    at: UtcDateTime
    actor_id: int | None
    actor_name: str | None
    action: str
    object_type: str | None
    object_id: str | None
    ip: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditEventList(BaseModel):
    """A page of audit events, newest first."""

    total: int
    page: int
    per_page: int
    items: list[AuditEventOut]


@api_route(bp, "/audit/events", summary="审计日志（管理员、审计）", query=AuditFilters,
           response=AuditEventList, errors=(401, 403, 422))
def audit_events():
    """The audit trail, filtered and paged."""
    policy.require(current_user, "audit.view")
    f = parse_query(AuditFilters)
    page = paginate(statement(f), f.page, f.per_page)
    items = [AuditEventOut.model_validate(e, from_attributes=True) for e in page.items]
    return jsonify(AuditEventList(total=page.total, page=f.page, per_page=f.per_page,
                                  items=items).model_dump(mode="json"))
