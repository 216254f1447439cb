"""A user's 站内信: the one place that lists them and marks them read (the notification
centre page and ``/api/v1/notifications`` both ask here). A user only ever sees and
marks their own notifications; another user's id is answered like a missing one."""

from __future__ import annotations

from sqlalchemy import Select, func, select, update

from ..errors import NotFound
from ..extensions import db
from ..models import Notification, User, utcnow


def statement(user: User, unread_only: bool = False) -> Select:
    """The user's notifications, unread first, newest first."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.read_at.is_not(None), Notification.created_at.desc(),
                         Notification.id.desc())


def unread(user: User) -> int:
    """How many of the user's notifications are unread."""
    return db.session.execute(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (flush only); 404 for any other id."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound()
    note.read_at = note.read_at or utcnow()
    db.session.flush()
    return note


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many were."""
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount or 0
