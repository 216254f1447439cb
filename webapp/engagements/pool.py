"""Choosing advisors from the talent pool (人才库), or overriding it with a written reason.

An advisor may be engaged when their own pool entry is admitted or renewed; a
lawyer without an entry of their own may also be engaged through their firm's
available entry. Suspended, removed or absent members are refused unless an
admin gives a reason, which is recorded on the engagement and in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from .. import policy
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..messages import error_text, label
from ..models import Advisor, TalentPoolEntry, User

MAX_REASON = 500


@dataclass(frozen=True)
class PoolStanding:
    """Where one advisor stands: ``available``, and the status found (``None``: absent)."""

    advisor_id: int
    name: str
    available: bool
    status: str | None
    via_firm: bool = False

    def message(self) -> str:
        """Why this advisor cannot be chosen (Chinese)."""
        if self.status is None or self.status == "removed":
            return error_text("advisor_not_in_pool", value=self.name)
        return error_text("advisor_pool_status", value=self.name,
                          status=label("pool_status", self.status))


def _entry(**where) -> TalentPoolEntry | None:
    stmt = select(TalentPoolEntry).filter_by(**where).order_by(
        (TalentPoolEntry.status == "removed").asc(), TalentPoolEntry.id.desc())
    return db.session.execute(stmt).scalars().first()


def standing(advisor: Advisor) -> PoolStanding:
    """The pool standing of ``advisor`` (own entry first, then the firm's)."""
    own = _entry(advisor_id=advisor.id)
    if own is not None and own.status != "removed":
        return PoolStanding(advisor.id, advisor.name, own.is_available, own.status)
    if advisor.kind == "lawyer" and advisor.firm_id is not None and own is None:
        firm = _entry(firm_id=advisor.firm_id, category="firm")
        if firm is not None and firm.is_available:
            return PoolStanding(advisor.id, advisor.name, True, firm.status, via_firm=True)
    return PoolStanding(advisor.id, advisor.name, False, own.status if own else None)


def available_advisor_ids() -> set[int]:
    """Advisors that may be chosen without an override (for the form's grouping)."""
    ids = set(db.session.execute(select(TalentPoolEntry.advisor_id).where(
        TalentPoolEntry.advisor_id.is_not(None),
        TalentPoolEntry.status.in_(("admitted", "renewed")))).scalars())
    listed = set(db.session.execute(select(TalentPoolEntry.advisor_id).where(
        TalentPoolEntry.advisor_id.is_not(None))).scalars())
    firms = set(db.session.execute(select(TalentPoolEntry.firm_id).where(
        TalentPoolEntry.category == "firm",
        TalentPoolEntry.status.in_(("admitted", "renewed")))).scalars())
    via_firm = db.session.execute(select(Advisor.id).where(
        Advisor.kind == "lawyer", Advisor.firm_id.in_(firms))).scalars() if firms else []
    return ids | {a for a in via_firm if a not in listed}


def check(user: User, advisors: Iterable[Advisor], override_reason: str | None,
          field: str = "advisor_id") -> dict | None:
    """Refuse advisors not available in the pool, unless an admin gives a reason.

    Returns what to record when an override was used (``None`` otherwise).
    """
    refused = [s for s in (standing(a) for a in advisors) if not s.available]
    if not refused:
        return None
    if not override_reason:
        raise ValidationFailed({field: "；".join(s.message() for s in refused)})
    if not policy.can(user, "engagement.override_pool"):
        raise DomainError("pool_override_forbidden", status=403)
    return {"reason": override_reason,
            "members": [{"advisor_id": s.advisor_id, "name": s.name, "status": s.status}
                        for s in refused]}
