"""The terms of an engagement in force on a given date (合同在某日的有效条款).

The engagement row keeps the terms it was signed with; each signed or filed
supplementary agreement changes the fee, the end of the term or the team from its
effective date. :func:`terms_on` applies them in order of effective date, so the
contract page and ``GET /api/v1/engagements/<id>/terms?on=`` can answer for any day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..models import Engagement, SupplementaryAgreement

IN_FORCE = ("signed", "filed")
"""States of a supplementary agreement whose changes apply."""


@dataclass
class Terms:
    """Fee, term and team in force on ``on`` and the agreements that made them."""

    on: date
    in_force: bool
    start_date: date
    end_date: date
    annual_fee: Decimal
    lawyers: list[dict] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)


def agreements(eng: Engagement, *, only_in_force: bool = False) -> list[SupplementaryAgreement]:
    """The engagement's supplementary agreements, by effective date then number."""
    stmt = select(SupplementaryAgreement).where(
        SupplementaryAgreement.engagement_id == eng.id).order_by(
        SupplementaryAgreement.effective_date, SupplementaryAgreement.id)
    if only_in_force:
        stmt = stmt.where(SupplementaryAgreement.status.in_(IN_FORCE))
    return list(db.session.execute(stmt).scalars())


def apply_change(terms: Terms, agreement: SupplementaryAgreement) -> None:
    """Change ``terms`` as ``agreement`` says."""
    if agreement.new_annual_fee is not None:
        terms.annual_fee = agreement.new_annual_fee
    if agreement.new_end_date is not None:
        terms.end_date = agreement.new_end_date
    change = agreement.lawyer_change
    if change:
        removed = set(change.get("removed") or [])
        kept = [m for m in terms.lawyers if m.get("name") not in removed]
        terms.lawyers = kept + [{"name": m["name"], "licence_no": m.get("licence_no")}
                                for m in change.get("added") or []]
    terms.applied.append(agreement.agreement_no)


def terms_on(eng: Engagement, day: date, *, extra: SupplementaryAgreement | None = None
             ) -> Terms:
    """The terms in force on ``day`` (``extra``: also apply this unsaved agreement)."""
    terms = Terms(day, False, eng.start_date, eng.end_date, Decimal(eng.annual_fee),
                  [dict(m) for m in eng.params.get("lawyers", [])])
    for agreement in agreements(eng, only_in_force=True):
        if agreement.effective_date <= day:
            apply_change(terms, agreement)
    if extra is not None:
        apply_change(terms, extra)
    ended = eng.terminated_on is not None and day > eng.terminated_on
    terms.in_force = eng.status not in ("draft",) and not ended and \
        terms.start_date <= day <= terms.end_date
    return terms


def current_end(eng: Engagement) -> date:
    """The end of the term after every extension in force (for the daily expiry check)."""
    end = eng.end_date
    for agreement in agreements(eng, only_in_force=True):
        if agreement.new_end_date is not None:
            end = max(end, agreement.new_end_date)
    return end
