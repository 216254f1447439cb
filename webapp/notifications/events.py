"""Creating notifications: one row per user and ``key``, so a reminder is never sent twice.

Every notification about a matter goes only to users who may view the matter
(``policy.can(user, "matter.view", ...)``): a classified matter never reaches an
advisor, whatever the event. Flush only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..messages import label
from ..models import LegalMatter, Notification, User

ADVISOR_EVENTS = {"create": "matter_assigned", "resubmit": "matter_assigned"}
CLERK_EVENTS = {"return": "matter_returned", "answer": "matter_answered"}


def notify(users: list[User], key: str, kind: str, text: str, *, link: str | None = None,
           matter: LegalMatter | None = None, due_on: date | None = None) -> int:
    """Add the notification to each user who has none with this key yet; how many."""
    if not users:
        return 0
    have = set(db.session.execute(select(Notification.user_id).where(
        Notification.key == key, Notification.user_id.in_([u.id for u in users]))).scalars())
    added = 0
    for user in users:
        if user.id in have or not user.active:
            continue
        if matter is not None and not policy.can(user, "matter.view", matter):
            continue
        db.session.add(Notification(user_id=user.id, key=key[:120], kind=kind, text=text,
                                    link=link, matter_id=matter.id if matter else None,
                                    due_on=due_on))
        added += 1
    db.session.flush()
    return added


def advisor_users(matter: LegalMatter) -> list[User]:
    """Users of the matter's advisors."""
    if not matter.advisor_ids:
        return []
    return list(db.session.execute(select(User).where(
        User.advisor_id.in_(matter.advisor_ids), User.role == "advisor")).scalars())


def clerk_users(agency_id: int) -> list[User]:
    """The clerks of an agency."""
    return list(db.session.execute(select(User).where(
        User.agency_id == agency_id, User.role == "clerk")).scalars())


def matter_link(matter: LegalMatter) -> str:
    """The matter's page (a path: reminders are also made outside a request)."""
    return f"/matters/{matter.id}"


def matter_text(kind: str, matter: LegalMatter) -> str:
    """``事务已逾期：汴法顾事〔2026〕0001号 …（办理期限 2026-03-05）``."""
    return (f"{label('notification_kind', kind)}：{matter.matter_no} {matter.title}"
            f"（办理期限 {matter.due_on.isoformat()}）")


def matter_moved(matter: LegalMatter, action: str) -> None:
    """Tell the other side of a matter what just happened to it."""
    if action in ADVISOR_EVENTS:
        users, kind = advisor_users(matter), ADVISOR_EVENTS[action]
    elif action in CLERK_EVENTS:
        users, kind = clerk_users(matter.agency_id), CLERK_EVENTS[action]
    else:
        return
    key = f"{kind}:{matter.id}:{matter.due_on.isoformat()}"
    notify(users, key, kind, matter_text(kind, matter), link=matter_link(matter),
           matter=matter, due_on=matter.due_on)
