"""Organisation registers: URL rules and request parsing only.

Lists (page, sort, filter, ``?format=xlsx|csv`` export) of agencies, firms,
advisors, the talent pool and users; the admin's create, edit and
(de)activate forms. Each writing view calls one service function; the request is
one unit of work (``webapp.transaction``), rolled back when the service refuses.
Pool, user and import routes live in ``views_*``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import transaction
from ..errors import DomainError, NotFound, ValidationFailed
from ..exports import FORMATS, export_response
from ..extensions import db
from ..forms import Form
from ..listing import page_args, paginate, sort_clause
from ..messages import label, notice
from ..models import Advisor, Agency, LawFirm, User
from ..policy import require
from . import forms, queries, services, tables, user_services
from .contacts import phone_of

bp = Blueprint("orgs", __name__, url_prefix="/orgs")

RECORDS: dict[str, type] = {"agencies": Agency, "firms": LawFirm, "advisors": Advisor}
MODELS: dict[str, type] = {**RECORDS, "users": User}


def get_or_404(model: type, obj_id: int) -> Any:
    """The row, or a 404 page."""
    obj = db.session.get(model, obj_id)
    if obj is None:
        raise NotFound()
    return obj


def submit(form: Form, action: Callable[[], Any]) -> tuple[Any, int]:
    """Run ``action`` for a submitted form; on refusal roll back and show the errors.

    Returns (result, 200) on success, or (None, status) with the messages on the form.
    """
    try:
        return action(), 200
    except ValidationFailed as exc:
        transaction.fail()
        form.show_errors(exc.fields)
        return None, 422
    except DomainError as exc:
        transaction.fail()
        form.show_errors({"_": exc.message})
        return None, exc.status


def render_list(register: str, template: str) -> Any:
    """One page of a register, or the whole filtered list as .xlsx / .csv."""
    spec = queries.LISTS[register]
    filters = queries.read_filters(request.args)
    sort, order = sort_clause(spec.sorts, spec.default_sort)
    stmt = spec.build(current_user, filters).order_by(order, spec.tiebreak)
    fmt = request.args.get("format")
    if fmt in FORMATS:
        objects = db.session.execute(stmt).scalars()
        return export_response(fmt, label("register", register), tables.headers(register),
                               tables.rows(register, objects), dated=True)
    page, per_page = page_args()
    return render_template(template, page=paginate(stmt, page, per_page), sort=sort,
                           filters=filters, register=register,
                           is_locked=user_services.is_locked, advisor_phone=phone_of)


@bp.route("/agencies")
@login_required
def agencies():
    """单位管理: all agencies for admin and auditor, a clerk's own agency."""
    require(current_user, "org.view")
    return render_list("agencies", "orgs/agencies.html")


@bp.route("/firms")
@login_required
def firms():
    """律师事务所."""
    require(current_user, "org.view")
    return render_list("firms", "orgs/firms.html")


@bp.route("/advisors")
@login_required
def advisors():
    """法律顾问."""
    require(current_user, "org.view")
    return render_list("advisors", "orgs/advisors.html")


@bp.route("/pool")
@login_required
def pool():
    """人才库."""
    require(current_user, "org.view")
    return render_list("pool", "orgs/pool.html")


@bp.route("/users")
@login_required
def users():
    """用户管理 (admin only)."""
    require(current_user, "user.manage")
    return render_list("users", "orgs/users.html")


RECORD_RULE = "/<any(agencies,firms,advisors):register>"


@bp.route(RECORD_RULE + "/new", methods=["GET", "POST"], defaults={"obj_id": None})
@bp.route(RECORD_RULE + "/<int:obj_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(register: str, obj_id: int | None):
    """Create or edit an agency, firm or advisor."""
    require(current_user, "org.manage")
    model = RECORDS[register]
    obj = get_or_404(model, obj_id) if obj_id is not None else None
    form = Form(forms.RECORDS[register], obj=obj)
    status = 200
    if form.submitted:
        result, status = submit(form, lambda: services.save_record(model, form.data, obj))
        if result is not None:
            saved, _ = result
            flash(notice("created" if obj is None else "updated", name=saved.name), "success")
            return redirect(url_for(f"orgs.{register}"))
    return render_template("orgs/form.html", form=form, register=register, obj=obj,
                           back=url_for(f"orgs.{register}")), status


@bp.route("/<any(agencies,firms,advisors,users):register>/<int:obj_id>/"
          "<any(deactivate,reactivate):op>", methods=["POST"])
@login_required
def set_active(register: str, obj_id: int, op: str):
    """Deactivate or reactivate a record (nothing is ever deleted)."""
    require(current_user, "user.manage" if register == "users" else "org.manage")
    obj = get_or_404(MODELS[register], obj_id)
    active = op == "reactivate"
    try:
        if register == "users":
            user_services.set_active(obj, active, current_user)
        else:
            services.set_active(obj, active)
    except DomainError as exc:
        transaction.fail()
        flash(exc.message, "danger")
    else:
        name = obj.username if register == "users" else obj.name
        flash(notice("reactivated" if active else "deactivated", name=name), "success")
    return redirect(url_for(f"orgs.{register}"))


from . import views_import, views_pool, views_users  # noqa: E402,F401  (register routes)
