"""API: agencies and advisors, scoped by the access policy."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from ..extensions import db
from ..models import ADVISOR_KINDS, AGENCY_CATEGORIES, Advisor, Agency
from ..orgs.contacts import phone_of
from ..policy import agency_scope
from ..validation import parse_query
from . import bp
from .spec import api_route


class AgencyQuery(BaseModel):
    """Filters of the agency list."""

    model_config = ConfigDict(extra="forbid")
    category: Literal[AGENCY_CATEGORIES] | None = None  # type: ignore[valid-type]
    q: str | None = Field(default=None, max_length=64)
    include_inactive: bool = False


class AgencyOut(BaseModel):
    """One agency."""

    id: int
    code: str
    name: str
    category: str
    category_label: str
    is_classified_unit: bool
    active: bool


class AgencyList(BaseModel):
    """All agencies the caller may see."""

    total: int
    items: list[AgencyOut]


class AdvisorQuery(BaseModel):
    """Filters of the advisor list."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal[ADVISOR_KINDS] | None = None  # type: ignore[valid-type]
    firm_id: int | None = Field(default=None, ge=1)
    q: str | None = Field(default=None, max_length=64)
    include_inactive: bool = False


class AdvisorOut(BaseModel):
    """One advisor."""

    id: int
    name: str
    kind: str
    kind_label: str
    firm_id: int | None
    firm: str | None
    licence_no: str | None
    specialties: str | None
    phone: str | None = Field(default=None, description=(
        "手机号码；仅管理员、纪检审计、当前聘任该顾问的单位及顾问本人可见，其他情况为 null"))
    active: bool


class AdvisorList(BaseModel):
    """All advisors matching the filters."""

    total: int
    items: list[AdvisorOut]


@api_route(bp, "/agencies", summary="单位列表（按权限范围）", query=AgencyQuery,
           response=AgencyList, errors=(401, 422))
def agencies():
    """Agencies the caller may see: all for admin/auditor, their own for a clerk."""
    from ..messages import label

    args = parse_query(AgencyQuery)
    stmt = select(Agency).where(agency_scope(current_user)).order_by(Agency.code)
    if args.category:
        stmt = stmt.where(Agency.category == args.category)
    if args.q:
        stmt = stmt.where(Agency.name.contains(args.q, autoescape=True)
                           | Agency.code.contains(args.q, autoescape=True))
    if not args.include_inactive:
        stmt = stmt.where(Agency.active.is_(True))
    rows = db.session.execute(stmt).scalars().all()
    items = [AgencyOut(id=a.id, code=a.code, name=a.name, category=a.category,
                       category_label=label("agency_category", a.category),
                       is_classified_unit=a.is_classified_unit, active=a.active)
             for a in rows]
    return jsonify(AgencyList(total=len(items), items=items).model_dump())


@api_route(bp, "/advisors", summary="法律顾问列表", query=AdvisorQuery, response=AdvisorList,
           errors=(401, 422))
def advisors():
    """Advisors (everyone may read the advisor roster)."""
    from ..messages import label

    args = parse_query(AdvisorQuery)
    stmt = select(Advisor).order_by(Advisor.id)
    if args.kind:
        stmt = stmt.where(Advisor.kind == args.kind)
    if args.firm_id:
        stmt = stmt.where(Advisor.firm_id == args.firm_id)
    if args.q:
        stmt = stmt.where(Advisor.name.contains(args.q, autoescape=True))
    if not args.include_inactive:
        stmt = stmt.where(Advisor.active.is_(True))
    rows = db.session.execute(stmt).scalars().all()
    items = [AdvisorOut(id=a.id, name=a.name, kind=a.kind, kind_label=label("advisor_kind", a.kind),
                        firm_id=a.firm_id, firm=a.firm.name if a.firm else None,
                        licence_no=a.licence_no, specialties=a.specialties, phone=phone_of(a),
                        active=a.active)
             for a in rows]
    return jsonify(AdvisorList(total=len(items), items=items).model_dump())
