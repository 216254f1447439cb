"""The per-user calendar feed (.ics): a secret token in the URL, revocable.

Only the token's SHA-256 is stored; issuing a new one revokes the old. The feed lists
the due dates of the matters the user may view and that are still open (and, for the
matters' requesters, those awaiting adoption feedback) — the same scope as the list,
so a classified matter never appears in an advisor's calendar.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from .. import policy
from ..audit import services as audit
from ..extensions import db
from ..messages import PRODUCT_NAME, label
from ..models import CalendarFeed, LegalMatter, User, utcnow

FEED_STATUSES = ("submitted", "accepted", "returned", "answered")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user: User) -> CalendarFeed | None:
    """The user's unrevoked feed, if any."""
    return db.session.execute(select(CalendarFeed).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))).scalar_one_or_none()


def revoke(user: User) -> bool:
    """Revoke the user's feed (audited); False when there was none."""
    feed = active_feed(user)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    audit.record("calendar_feed_revoked", object_type="calendar_feed", object_id=feed.id,
                 actor=user)
    return True


def issue(user: User) -> str:
    """A new secret token for the user (the old one stops working); shown once."""
    revoke(user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_hash=_hash(token))
    db.session.add(feed)
    db.session.flush()
    audit.record("calendar_feed_issued", object_type="calendar_feed", object_id=feed.id,
                 actor=user)
    return token


def user_for(token: str) -> User | None:
    """The active user a token belongs to (None when unknown, revoked or disabled)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.execute(select(CalendarFeed).where(
        CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None))
    ).scalar_one_or_none()
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.active else None


def ics_bytes(user: User, base_url: str, today: date | None = None) -> bytes:
    """The calendar of ``user``: one all-day event on each open matter's due date."""
    cal = Calendar()
    cal.add("prodid", f"-//{PRODUCT_NAME}//GovCounsel//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{PRODUCT_NAME}：办理期限")
    matters = db.session.execute(select(LegalMatter).where(
        policy.matter_scope(user), LegalMatter.status.in_(FEED_STATUSES))
        .order_by(LegalMatter.due_on)).scalars()
    stamp = datetime.now().astimezone()
    for matter in matters:
        event = Event()
        event.add("uid", f"matter-{matter.id}@govcounsel")
        event.add("dtstamp", stamp)
        event.add("dtstart", matter.due_on)
        event.add("dtend", matter.due_on + timedelta(days=1))
        event.add("summary", f"办理期限：{matter.matter_no} {matter.title}")
        event.add("description", f"{matter.agency.name} · {label('matter_kind', matter.kind)}"
                                 f" · {label('matter_status', matter.status)}")
        event.add("url", f"{base_url.rstrip('/')}/matters/{matter.id}")
        cal.add_component(event)
    return cal.to_ical()
