"""Transition routes of the detail page: sign, file, activate, terminate, renew.

Each posts to its own URL, runs one ``lifecycle`` function and returns to the
detail page with a notice, or with the Chinese reasons it was refused (the request
then rolls back, ``transaction.fail``; a role refusal is a 403 page).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import policy, transaction
from ..errors import DomainError, Forbidden, ValidationFailed
from ..messages import LABELS, notice
from ..validation import parse
from . import contract_store, forms, lifecycle, services
from .schemas import FileInput, RenewInput, SignInput, TerminateInput
from .views import bp, one_year_from


def _fields_text(fields: dict[str, str]) -> str:
    names = LABELS.get("engagement_field", {})
    return "；".join(f"{names.get(k, k)}：{v}" if k != "_" else v for k, v in fields.items())


def _run(engagement_id: int, action: str, work: Callable[..., object]):
    eng = services.get_visible(current_user, engagement_id)
    # before the form is read: a refusal is a 403, not field errors
    policy.require(current_user, lifecycle.TRANSITIONS[action].rule, eng)
    try:
        work(eng)
    except Forbidden:
        raise
    except DomainError as exc:
        transaction.fail()
        flash(_fields_text(exc.fields) if exc.fields else exc.message, "danger")
    else:
        flash(notice(f"engagement_{action}", no=eng.contract_no), "success")
    return redirect(url_for(".detail", engagement_id=engagement_id), 303)


@bp.route("/<int:engagement_id>/sign", methods=["POST"])
@login_required
def sign(engagement_id: int):
    """Upload the scan of the signed, sealed contract (草稿 → 已签订)."""
    def work(eng):
        data = parse(SignInput, {"signed_on": request.form.get("signed_on")})
        upload = request.files.get("file")
        lifecycle.sign(current_user, eng, upload.stream if upload else None,
                       upload.filename if upload else None, data.signed_on)

    return _run(engagement_id, "sign", work)


@bp.route("/<int:engagement_id>/file", methods=["POST"])
@login_required
def file(engagement_id: int):
    """Record the filing number and date (已签订 → 已备案; admin)."""
    def work(eng):
        data = parse(FileInput, {"filing_no": request.form.get("filing_no", ""),
                                 "filed_on": request.form.get("filed_on", "")})
        lifecycle.file(current_user, eng, data)

    return _run(engagement_id, "file", work)


@bp.route("/<int:engagement_id>/activate", methods=["POST"])
@login_required
def activate(engagement_id: int):
    """Put a filed contract into force (已备案 → 履行中)."""
    return _run(engagement_id, "activate",
                lambda eng: lifecycle.activate(current_user, eng))


@bp.route("/<int:engagement_id>/terminate", methods=["POST"])
@login_required
def terminate(engagement_id: int):
    """End the contract with a written reason (→ 已解除)."""
    def work(eng):
        data = parse(TerminateInput, {"reason": request.form.get("reason", ""),
                                      "terminated_on": request.form.get("terminated_on")})
        lifecycle.terminate(current_user, eng, data)

    return _run(engagement_id, "terminate", work)


def _renew_data() -> RenewInput:
    form = request.form
    raw = {k: form.get(k) for k in ("start_date", "end_date", "annual_fee", "advisor_id",
                                     "firm_id", "override_reason")}
    raw["lawyer_ids"] = [v for v in form.getlist("lawyer_ids") if v.strip()] or None
    return parse(RenewInput, {k: v for k, v in raw.items() if v not in (None, "")})


@bp.route("/<int:engagement_id>/renew", methods=["GET", "POST"])
@login_required
def renew(engagement_id: int):
    """Renew, or replace the advisor: a new draft linked to this contract."""
    eng = services.get_visible(current_user, engagement_id)
    lifecycle.guard(current_user, eng, "renew")
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            new = lifecycle.renew(current_user, eng, _renew_data())
            flash(notice("engagement_renew", no=new.contract_no), "success")
            return redirect(url_for(".detail", engagement_id=new.id), 303)
        except ValidationFailed as exc:
            transaction.fail()
            errors = exc.fields
    manifest = contract_store.load(eng.template).manifest
    start = eng.end_date + timedelta(days=1)
    values = forms.form_values(request.form, {}, manifest) if request.method == "POST" else {
        "start_date": start.isoformat(), "end_date": one_year_from(start).isoformat(),
        "annual_fee": f"{eng.annual_fee:.2f}", "advisor_id": eng.advisor_id}
    return render_template("engagements/renew.html", eng=eng, values=values, errors=errors,
                           choices=forms.choices(current_user), manifest=manifest,
                           is_admin=current_user.role == "admin"), 422 if errors else 200
