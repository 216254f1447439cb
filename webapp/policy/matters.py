"""Access rules of legal matters (#13): who may see and move a matter, in which order.

Part of :mod:`webapp.policy` (the one place for access rules): the rules are added to
``RULES`` there, and everything here is importable from ``webapp.policy``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, select, true

from ..models import User
from . import RULES, _act_for_agency, _role, can

# --- Legal matters (#13): who may see and move a matter, and in which order ---------------
#
# A matter is seen like a document: admin and auditor see all; a clerk the matters of
# their own agency; an advisor the matters assigned to them — never a classified one
# (classified matters obey the rule of classified documents). A classified matter is
# worked off the platform by its advisor; its owning agency's clerk records the advisor's
# steps (accept, return, answer) on their behalf. Everyone else's order of steps is
# ``MATTER_TRANSITIONS``.

MATTER_TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # action: (from states, to state, rule)
    "accept": (("submitted",), "accepted", "matter.advise"),
    "return": (("submitted", "accepted"), "returned", "matter.advise"),
    "resubmit": (("returned",), "submitted", "matter.manage"),
    "answer": (("accepted",), "answered", "matter.advise"),
    "adopt": (("answered", "adoption_recorded"), "adoption_recorded", "matter.manage"),
    "close": (("adoption_recorded",), "closed", "matter.manage"),
    "withdraw": (("submitted", "accepted", "returned"), "withdrawn", "matter.manage"),
}


def _assigned(user: User, matter: Any) -> bool:
    return user.advisor_id is not None and user.advisor_id in matter.advisor_ids


def _view_matter(user: User, matter: Any) -> bool:
    if user.role in ("admin", "auditor"):
        return True
    if user.role == "clerk":
        return user.agency_id is not None and matter.agency_id == user.agency_id
    if user.role == "advisor":
        return _assigned(user, matter) and not matter.classified
    return False


def _advise_matter(user: User, matter: Any) -> bool:
    if matter.classified:
        return user.role == "clerk" and user.agency_id == matter.agency_id
    return user.role == "advisor" and _assigned(user, matter)


def _manage_matter(user: User, matter: Any) -> bool:
    return user.role == "admin" or (user.role == "clerk" and user.agency_id is not None
                                    and matter.agency_id == user.agency_id)


RULES.update({
    "matter.list": lambda u, o: True,
    "matter.view": _view_matter,
    "matter.create": lambda u, o: u.role in ("admin", "clerk"),
    "matter.for_agency": _act_for_agency,
    "matter.override_assignment": lambda u, o: u.role == "admin",
    "matter.advise": _advise_matter,
    "matter.manage": _manage_matter,
    "calendar.manage": lambda u, o: u.role == "admin",
    "notification.use": lambda u, o: True,
    "evaluation.view": lambda u, o: u.role in ("admin", "clerk", "auditor"),
    "evaluation.submit": lambda u, o: u.role in ("admin", "clerk"),
    "evaluation.review": lambda u, o: u.role in ("admin", "auditor"),
    "evaluation.decide": lambda u, o: u.role == "admin",
})


def matter_actions(user: User | None, matter: Any) -> list[str]:
    """The steps ``user`` may take on ``matter`` now (buttons, the API's ``actions``)."""
    return [name for name, (sources, _, rule) in MATTER_TRANSITIONS.items()
            if matter.status in sources and can(user, rule, matter)]


def matter_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting the matters ``user`` may view (same answer as
    ``can(user, "matter.view", m)``)."""
    from ..models import LegalMatter, MatterAdvisor

    role = _role(user)
    if role in ("admin", "auditor"):
        return true()
    if role == "clerk" and user.agency_id is not None:
        return LegalMatter.agency_id == user.agency_id
    if role == "advisor" and user.advisor_id is not None:
        assigned = select(MatterAdvisor.matter_id).where(
            MatterAdvisor.advisor_id == user.advisor_id)
        return and_(LegalMatter.id.in_(assigned), LegalMatter.classified.is_(False))
    return false()
