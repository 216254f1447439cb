"""API: create, update, deactivate and reactivate agencies, law firms and advisors (admin).

The web forms' service functions validate every field, so the API refuses the
same input with the same Chinese messages (422 with ``fields``). ``PUT`` changes
only the fields present in the body. Each call is one unit of work (``webapp.transaction``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel, ConfigDict

from ..errors import NotFound
from ..extensions import db
from ..messages import label
from ..models import Advisor, Agency, LawFirm
from ..orgs import services
from ..orgs.contacts import phone_of
from ..policy import require
from ..validation import parse_json
from . import bp
from .orgs import AdvisorOut, AgencyOut
from .spec import api_route

WRITE_ERRORS = (400, 401, 403, 404, 409, 422)


class AgencyIn(BaseModel):
    """An agency's fields; on PUT, absent fields keep their value."""

    model_config = ConfigDict(extra="forbid")
    code: str | None = None
    name: str | None = None
    category: str | None = None
    is_classified_unit: bool | None = None
    legal_rep: str | None = None
    address: str | None = None
    contact: str | None = None
    phone: str | None = None


class FirmIn(BaseModel):
    """A law firm's fields (``licence_no`` is the unified social credit code)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    licence_no: str | None = None
    leader: str | None = None
    address: str | None = None
    phone: str | None = None


class AdvisorIn(BaseModel):
    """An advisor's fields; lawyers need ``firm_id`` and a 17-digit ``licence_no``."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    kind: str | None = None
    firm_id: int | None = None
    licence_no: str | None = None
    title: str | None = None
    specialties: str | None = None
    phone: str | None = None
    email: str | None = None


class FirmOut(BaseModel):
    """One law firm."""

    id: int
    name: str
    licence_no: str | None
    leader: str | None
    address: str | None
    phone: str | None
    active: bool


def _agency_out(a: Agency) -> dict[str, Any]:
    return AgencyOut(id=a.id, code=a.code, name=a.name, category=a.category,
                     category_label=label("agency_category", a.category),
                     is_classified_unit=a.is_classified_unit, active=a.active).model_dump()


def _firm_out(f: LawFirm) -> dict[str, Any]:
    return FirmOut(id=f.id, name=f.name, licence_no=f.licence_no, leader=f.leader,
                   address=f.address, phone=f.phone, active=f.active).model_dump()


def _advisor_out(a: Advisor) -> dict[str, Any]:
    return AdvisorOut(id=a.id, name=a.name, kind=a.kind, kind_label=label("advisor_kind", a.kind),
                      firm_id=a.firm_id, firm=a.firm.name if a.firm else None,
                      licence_no=a.licence_no, specialties=a.specialties,
                      phone=phone_of(a), active=a.active).model_dump()


def _require_admin() -> None:
    require(current_user, "org.manage")


def _as_admin(action: Callable[[], Any]) -> Any:
    """Run ``action`` for an admin (403 for anyone else)."""
    _require_admin()
    return action()


def _get(model: type, obj_id: int) -> Any:
    obj = db.session.get(model, obj_id)
    if obj is None:
        raise NotFound()
    return obj


def _save(model: type, body: type[BaseModel], obj_id: int | None) -> Any:
    _require_admin()  # before the body is validated: a refusal is a 403, not field errors
    data = parse_json(body).model_dump(exclude_unset=True)

    def action() -> Any:
        obj = _get(model, obj_id) if obj_id is not None else None
        return services.save_record(model, data, obj)[0]

    return _as_admin(action)


@api_route(bp, "/agencies", "POST", summary="新增单位（管理员）", body=AgencyIn,
           response=AgencyOut, status=201, errors=WRITE_ERRORS)
def create_agency():
    """Create an agency; 422 with per-field Chinese messages when refused."""
    return jsonify(_agency_out(_save(Agency, AgencyIn, None))), 201


@api_route(bp, "/agencies/<int:agency_id>", "PUT", summary="修改单位（管理员）", body=AgencyIn,
           response=AgencyOut, errors=WRITE_ERRORS)
def update_agency(agency_id: int):
    """Change the given fields of an agency."""
    return jsonify(_agency_out(_save(Agency, AgencyIn, agency_id)))


@api_route(bp, "/firms", "POST", summary="新增律师事务所（管理员）", body=FirmIn,
           response=FirmOut, status=201, errors=WRITE_ERRORS)
def create_firm():
    """Create a law firm."""
    return jsonify(_firm_out(_save(LawFirm, FirmIn, None))), 201


@api_route(bp, "/firms/<int:firm_id>", "PUT", summary="修改律师事务所（管理员）", body=FirmIn,
           response=FirmOut, errors=WRITE_ERRORS)
def update_firm(firm_id: int):
    """Change the given fields of a law firm."""
    return jsonify(_firm_out(_save(LawFirm, FirmIn, firm_id)))


@api_route(bp, "/advisors", "POST", summary="新增法律顾问（管理员）", body=AdvisorIn,
           response=AdvisorOut, status=201, errors=WRITE_ERRORS)
def create_advisor():
    """Create an advisor."""
    return jsonify(_advisor_out(_save(Advisor, AdvisorIn, None))), 201


@api_route(bp, "/advisors/<int:advisor_id>", "PUT", summary="修改法律顾问（管理员）",
           body=AdvisorIn, response=AdvisorOut, errors=WRITE_ERRORS)
def update_advisor(advisor_id: int):
    """Change the given fields of an advisor."""
    return jsonify(_advisor_out(_save(Advisor, AdvisorIn, advisor_id)))


STATE_ROUTES = (("agencies", Agency, _agency_out, AgencyOut, "单位"),
                ("firms", LawFirm, _firm_out, FirmOut, "律师事务所"),
                ("advisors", Advisor, _advisor_out, AdvisorOut, "法律顾问"))


def _state_view(model: type, present: Callable[[Any], dict[str, Any]], active: bool):
    def view(obj_id: int):
        obj = _as_admin(lambda: _set_active(model, obj_id, active))
        return jsonify(present(obj))

    return view


def _set_active(model: type, obj_id: int, active: bool) -> Any:
    obj = _get(model, obj_id)
    services.set_active(obj, active)
    return obj


for _path, _model, _present, _out, _noun in STATE_ROUTES:
    for _op, _active, _verb in (("deactivate", False, "停用"), ("reactivate", True, "启用")):
        _view = _state_view(_model, _present, _active)
        _view.__name__ = f"{_op}_{_path}"
        _view.__doc__ = f"{_verb}{_noun}（管理员）；记录不会被删除。"
        api_route(bp, f"/{_path}/<int:obj_id>/{_op}", "POST", summary=f"{_verb}{_noun}（管理员）",
                  response=_out, errors=(400, 401, 403, 404))(_view)
