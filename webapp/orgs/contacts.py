"""Need-to-know for advisors' phone numbers (#15, UI finding 13).

An advisor's mobile number is shown (page, export) to admins and to the clerks of an
agency that engages — or engaged — that advisor; everyone else sees the advisor
without it. The set of engaged advisors is read once per request.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Advisor, Engagement


def _visible_ids() -> set[int] | None:
    """None: every phone; else the advisors whose phones the current user may see."""
    user = current_user if has_request_context() else None
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    if role == "admin" or not has_request_context():
        return None
    cached = g.get("_gc_phone_ids")
    if cached is None:
        cached = set()
        if role == "clerk" and user.agency_id is not None:
            cached = set(db.session.execute(select(Engagement.advisor_id).where(
                Engagement.agency_id == user.agency_id,
                Engagement.status != "terminated")).scalars())
        g._gc_phone_ids = cached
    return cached


def phone_of(advisor: Advisor) -> str | None:
    """The advisor's phone number if the current user may see it, else None."""
    visible = _visible_ids()
    return advisor.phone if visible is None or advisor.id in visible else None
