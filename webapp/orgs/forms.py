"""The register forms: their inputs (labels, kinds, choices) for ``webapp.forms.Form``.

The forms only carry input; the rules are the pydantic records of ``schemas`` and the
services' checks, which raise ``ValidationFailed`` with Chinese messages that the
views put back on the inputs. (Selects list every record, inactive ones marked, so
the messages about an unknown or inactive firm come from the same place as those of
an import.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..forms import Input
from ..messages import LABELS, ORG_FIELDS, notice
from ..models import Advisor, Agency, LawFirm

A, F, D, P, U = (ORG_FIELDS[k] for k in ("agencies", "firms", "advisors", "pool", "users"))
DATE = "date"


def _labels(group: str) -> dict[str, str]:
    return dict(LABELS[group])


def _options(rows: Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """Choices led by an empty "none" option."""
    return [("", notice("none_option")), *rows]


def _all(model: type, key: Any, order: Any) -> list[tuple[Any, str]]:
    """Every record as (key, name), inactive ones marked (the services decide)."""
    rows = db.session.execute(select(key, model.name, model.active).order_by(order)).all()
    return [(k, name if active else name + notice("inactive_suffix")) for k, name, active in rows]


def firms() -> list[tuple[Any, str]]:
    """Every firm (an advisor's)."""
    return _options(_all(LawFirm, LawFirm.id, LawFirm.name))


def active_firms() -> list[tuple[Any, str]]:
    """Firms that may be admitted into the pool."""
    return _options(db.session.execute(select(LawFirm.id, LawFirm.name).where(
        LawFirm.active.is_(True)).order_by(LawFirm.name)).all())


def pool_candidates() -> list[tuple[Any, str]]:
    """Scholars and lawyers that may be admitted into the pool."""
    return _options((a.id, f"{a.name}（{LABELS['advisor_kind'][a.kind]}）") for a in
                    db.session.execute(select(Advisor).where(
                        Advisor.active.is_(True), Advisor.kind.in_(("scholar", "lawyer")))
                        .order_by(Advisor.name)).scalars())


def agencies() -> list[tuple[Any, str]]:
    """Every agency by code (a user's binding)."""
    return _options(_all(Agency, Agency.code, Agency.code))


def advisors() -> list[tuple[Any, str]]:
    """Every advisor (a user's binding)."""
    return _options(_all(Advisor, Advisor.id, Advisor.name))


AGENCY = (
    Input("code", A["code"], required=True),
    Input("name", A["name"], required=True),
    Input("category", A["category"], "select", lambda: _labels("agency_category").items(),
          required=True),
    Input("is_classified_unit", A["is_classified_unit"], "checkbox"),
    Input("legal_rep", A["legal_rep"]),
    Input("address", A["address"]),
    Input("contact", A["contact"]),
    Input("phone", A["phone"]),
)
FIRM = (
    Input("name", F["name"], required=True),
    Input("licence_no", F["licence_no"], required=True),
    Input("leader", F["leader"]),
    Input("address", F["address"]),
    Input("phone", F["phone"]),
)
ADVISOR = (
    Input("name", D["name"], required=True),
    Input("kind", D["kind"], "select", lambda: _labels("advisor_kind").items(), required=True),
    Input("firm_id", D["firm_id"], "select", firms),
    Input("licence_no", D["licence_no"]),
    Input("title", D["title"]),
    Input("specialties", D["specialties"]),
    Input("phone", D["phone"]),
    Input("email", D["email"]),
)
POOL_ADMIT = (
    Input("category", P["category"], "select", lambda: _labels("pool_category").items(),
          required=True, attrs={"data-pool-category": "1"}),
    Input("advisor_id", P["advisor_id"], "select", pool_candidates),
    Input("firm_id", P["firm_id"], "select", active_firms),
    Input("specialties", P["specialties"]),
    Input("admitted_on", P["admitted_on"], DATE, required=True),
    Input("notes", P["notes"], "textarea"),
)
POOL_EDIT = (
    Input("specialties", P["specialties"]),
    Input("admitted_on", P["admitted_on"], DATE, required=True),
    Input("notes", P["notes"], "textarea"),
)
POOL_STATUS = (
    Input("on_date", P["on_date"], DATE, required=True),
    Input("reason", P["reason"], "textarea"),
)
POOL_REVIEW = (
    Input("year", P["year"], "number", required=True),
    Input("result", P["result"], "select", lambda: _labels("review_result").items(),
          required=True),
)
_BINDING = (
    Input("display_name", U["display_name"]),
    Input("role", U["role"], "select", lambda: _labels("role").items(), required=True),
    Input("agency", U["agency"], "select", agencies),
    Input("advisor", U["advisor"], "select", advisors),
)
PASSWORD = (
    Input("password", U["password"], "password", required=True),
    Input("password_confirm", U["password_confirm"], "password", required=True),
)
USER_CREATE = (Input("username", U["username"], required=True), *_BINDING, *PASSWORD)
USER_EDIT = _BINDING
IMPORT = (Input("file", ORG_FIELDS["import"]["file"], "file", required=True,
                attrs={"accept": ".xlsx,.csv"}),)

RECORDS = {"agencies": AGENCY, "firms": FIRM, "advisors": ADVISOR}
