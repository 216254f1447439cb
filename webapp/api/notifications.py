"""API: the caller's own 站内信 (reminders and life-cycle messages) — list, mark read."""

from __future__ import annotations

from datetime import date

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel

from .. import policy
from ..listing import paginate
from ..messages import label
from ..models import Notification
from ..notifications import inbox
from ..schema_types import UtcDateTime
from ..validation import EmptyBody, ListQuery, parse_json_optional, parse_query
from . import bp
from .spec import api_route


class NotificationQuery(ListQuery):
    """``unread=true``: only the unread ones."""

    unread: bool = False


class NotificationOut(BaseModel):
    """One notification; ``link`` is the page it is about (relative URL)."""

    id: int
    kind: str
    kind_label: str
    text: str
    link: str | None
    matter_id: int | None
    due_on: date | None
    created_at: UtcDateTime
    read: bool


class NotificationList(BaseModel):
    """A page of the caller's notifications (unread first, newest first)."""

    total: int
    unread: int
    page: int
    per_page: int
    items: list[NotificationOut]


class MarkedOut(BaseModel):
    """How many notifications were marked read."""

    marked: int


def _out(note: Notification) -> NotificationOut:
    return NotificationOut(id=note.id, kind=note.kind, kind_label=label("notification_kind",
                           note.kind), text=note.text, link=note.link, matter_id=note.matter_id,
                           due_on=note.due_on, created_at=note.created_at,
                           read=note.read_at is not None)


@api_route(bp, "/notifications", summary="我的站内信（未读在前）", query=NotificationQuery,
           response=NotificationList, errors=(401, 422))
def list_notifications():
    """The caller's notifications, paged, with the unread count."""
    policy.require(current_user, "notification.use")
    q = parse_query(NotificationQuery)
    page = paginate(inbox.statement(current_user, q.unread), q.page, q.per_page)
    return jsonify(NotificationList(
        total=page.total, unread=inbox.unread(current_user), page=q.page, per_page=q.per_page,
        items=[_out(n) for n in page.items]).model_dump(mode="json"))


@api_route(bp, "/notifications/<int:notification_id>/read", "POST", summary="标为已读",
           body=EmptyBody, response=NotificationOut, errors=(400, 401, 404, 422))
def read_notification(notification_id: int):
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    policy.require(current_user, "notification.use")
    parse_json_optional(EmptyBody)
    return jsonify(_out(inbox.mark_read(current_user, notification_id)).model_dump(mode="json"))


@api_route(bp, "/notifications/read-all", "POST", summary="全部标为已读", body=EmptyBody,
           response=MarkedOut, errors=(400, 401, 422))
def read_all_notifications():
    """Mark every unread notification of the caller read."""
    policy.require(current_user, "notification.use")
    parse_json_optional(EmptyBody)
    return jsonify(MarkedOut(marked=inbox.mark_all_read(current_user)).model_dump(mode="json"))
