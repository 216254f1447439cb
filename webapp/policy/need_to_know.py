"""Need-to-know rules (#15, UI finding 13): assessment results and phone numbers.

Part of :mod:`webapp.policy` (the one place for access rules): the rules
``assessment.results`` and ``advisor.phone`` are added to ``RULES`` there, and
everything here is importable from ``webapp.policy``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Engagement, User
from . import RULES, _role

# --- Need-to-know (#15, UI finding 13): assessment results and phone numbers -------------
#
# Assessment results (scores, standing, bottom five, 约谈问责) of a record:
# - admin and auditor: every agency, always;
# - clerk: their own agency always; another agency's once the quarter is published (or
#   before, when ``GOVCOUNSEL_PUBLISH_SCORES`` is on) — the bureau publishes the ranking
#   to every agency and reads the bottom five out at the joint meeting;
# - advisor: only the agencies that engaged them during that quarter (an engagement that
#   was signed and whose term, up to an early termination, overlaps the quarter), on the
#   same publication terms as a clerk — never the ranking of other agencies.
# Phone numbers of advisors (mobiles): admin and auditor; a clerk for the advisors of a
# current engagement of their agency (being drafted or in force, term not over: the chief
# advisor and the contract's team lawyers); an advisor their own.

RAN_STATUSES = ("signed", "filed", "active", "expired", "renewed", "terminated")
CURRENT_STATUSES = ("draft", "signed", "filed", "active")


def _request_cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per request (always when there is no request)."""
    from flask import g, has_request_context

    if not has_request_context():
        return compute()
    cache = g.setdefault("_gc_policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def advised_agency_ids(user: User, period: str) -> set[int]:
    """Agencies that engaged this advisor at some time during the quarter ``period``."""
    if user.advisor_id is None:
        return set()

    def compute() -> set[int]:
        from ..assessments.periods import quarter_bounds

        start, end = quarter_bounds(period)
        rows = db.session.execute(select(
            Engagement.agency_id, Engagement.end_date, Engagement.terminated_on).where(
            Engagement.advisor_id == user.advisor_id,
            Engagement.status.in_(RAN_STATUSES),
            Engagement.start_date <= end, Engagement.end_date >= start)).all()
        return {agency for agency, until, stopped in rows if (stopped or until) >= start}
    return _request_cached(("advised", user.id, period), compute)


def _see_results(user: User, record: Any) -> bool:
    from flask import current_app

    if user.role in ("admin", "auditor"):
        return True
    if user.role == "clerk" and user.agency_id is not None \
            and record.agency_id == user.agency_id:
        return True
    public = bool(record.published or current_app.config.get("GOVCOUNSEL_PUBLISH_SCORES"))
    if user.role == "clerk":
        return public
    if user.role == "advisor":
        return public and record.agency_id in advised_agency_ids(user, record.period)
    return False


def phone_advisor_ids(user: User | None) -> set[int] | None:
    """The advisors whose phone numbers ``user`` may see; None for every advisor."""
    role = _role(user)
    if role in ("admin", "auditor"):
        return None
    if role is None:
        return set()

    def compute() -> set[int]:
        ids = {user.advisor_id} if user.advisor_id else set()
        if role == "clerk" and user.agency_id is not None:
            rows = db.session.execute(select(Engagement.advisor_id, Engagement.params).where(
                Engagement.agency_id == user.agency_id,
                Engagement.status.in_(CURRENT_STATUSES),
                Engagement.end_date >= date.today())).all()
            licences = {lawyer.get("licence_no") for _, params in rows
                        for lawyer in (params or {}).get("lawyers", []) or []} - {None}
            ids |= {advisor for advisor, _ in rows if advisor}
            if licences:
                from ..models import Advisor

                ids |= set(db.session.execute(select(Advisor.id).where(
                    Advisor.licence_no.in_(licences))).scalars())
        return ids
    return _request_cached(("phones", user.id), compute)


def _see_phone(user: User, advisor: Any) -> bool:
    visible = phone_advisor_ids(user)
    return visible is None or getattr(advisor, "id", advisor) in visible


RULES.update({
    "assessment.results": _see_results,
    "advisor.phone": _see_phone,
})
