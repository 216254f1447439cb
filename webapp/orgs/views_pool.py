"""Talent-pool pages: admit, detail, edit, renew, suspend, remove, yearly review."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..forms import Form
from ..messages import notice
from ..models import TalentPoolEntry
from ..policy import require
from . import forms, pool_services
from .views import bp, get_or_404, submit

STATUS_NOTICES = {"renew": "pool_renewed", "suspend": "pool_suspended",
                  "remove": "pool_removed"}


def _done(entry: TalentPoolEntry, code: str):
    flash(notice(code, name=pool_services.member_name(entry)), "success")
    return redirect(url_for("orgs.pool_entry", entry_id=entry.id))


@bp.route("/pool/new", methods=["GET", "POST"])
@login_required
def pool_admit():
    """Admit a scholar, lawyer or firm (入库)."""
    require(current_user, "org.manage")
    form = Form(forms.POOL_ADMIT, defaults={"admitted_on": date.today()})
    status = 200
    if form.submitted:
        entry, status = submit(form, lambda: pool_services.admit(form.data))
        if entry is not None:
            return _done(entry, "pool_admitted")
    return render_template("orgs/form.html", form=form, register="pool", obj=None,
                           back=url_for("orgs.pool")), status


@bp.route("/pool/<int:entry_id>")
@login_required
def pool_entry(entry_id: int):
    """One entry: member, status history, review, and the admin's actions."""
    require(current_user, "org.view")
    entry = get_or_404(TalentPoolEntry, entry_id)
    return render_template("orgs/pool_entry.html", entry=entry,
                           member=pool_services.member_name(entry))


@bp.route("/pool/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def pool_edit(entry_id: int):
    """Edit specialties, admission date and notes."""
    require(current_user, "org.manage")
    entry = get_or_404(TalentPoolEntry, entry_id)
    form = Form(forms.POOL_EDIT, obj=entry)
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: pool_services.update(entry, form.data))
        if status == 200:
            return _done(entry, "updated")
    return render_template("orgs/form.html", form=form, register="pool", obj=entry,
                           title=pool_services.member_name(entry),
                           back=url_for("orgs.pool_entry", entry_id=entry.id)), status


@bp.route("/pool/<int:entry_id>/<any(renew,suspend,remove):action>", methods=["GET", "POST"])
@login_required
def pool_status(entry_id: int, action: str):
    """Renew (续聘), suspend (暂停) or remove (出库) with a date and a reason."""
    require(current_user, "org.manage")
    entry = get_or_404(TalentPoolEntry, entry_id)
    form = Form(forms.POOL_STATUS, defaults={"on_date": date.today()})
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: pool_services.change_status(entry, action, form.data))
        if status == 200:
            return _done(entry, STATUS_NOTICES[action])
    return render_template("orgs/form.html", form=form, register="pool", obj=entry,
                           action=action, title=pool_services.member_name(entry),
                           back=url_for("orgs.pool_entry", entry_id=entry.id)), status


@bp.route("/pool/<int:entry_id>/review", methods=["GET", "POST"])
@login_required
def pool_review(entry_id: int):
    """Record the yearly review (年度考核)."""
    require(current_user, "org.manage")
    entry = get_or_404(TalentPoolEntry, entry_id)
    form = Form(forms.POOL_REVIEW, defaults={"year": date.today().year - 1})
    status = 200
    if form.submitted:
        _, status = submit(form, lambda: pool_services.review(entry, form.data))
        if status == 200:
            return _done(entry, "pool_reviewed")
    return render_template("orgs/form.html", form=form, register="pool", obj=entry,
                           action="review", title=pool_services.member_name(entry),
                           back=url_for("orgs.pool_entry", entry_id=entry.id)), status
