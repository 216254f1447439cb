"""系统设置 → 节假日与调休: the table working-day deadlines are computed with (admin)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import policy, transaction
from ..errors import ValidationFailed
from ..messages import error_text, notice
from ..validation import parse
from . import calendar
from .calendar import CalendarDayIn
from .views import bp


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar_days():
    """The table by year; POST adds a day."""
    policy.require(current_user, "calendar.manage")
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = {k: request.form.get(k) for k in ("day", "kind", "name", "source")}
        try:
            row = calendar.save(current_user, parse(CalendarDayIn, {
                k: v for k, v in raw.items() if v not in (None, "")}))
        except ValidationFailed as exc:
            transaction.fail()
            errors = exc.fields
        else:
            flash(notice("calendar_day_saved", day=row.day.isoformat(), name=row.name),
                  "success")
            return redirect(url_for(".calendar_days", year=row.day.year), 303)
    year = request.args.get("year", "")
    year_no = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else date.today().year
    return render_template("matters/calendar.html", days=calendar.days(year_no), year=year_no,
                           errors=errors, values=request.form), 422 if errors else 200


@bp.route("/calendar/<day>/delete", methods=["POST"])
@login_required
def calendar_delete(day: str):
    """Remove one day from the table."""
    policy.require(current_user, "calendar.manage")
    try:
        when = date.fromisoformat(day)
    except ValueError:
        when = None
    if when is None:
        flash(error_text("invalid_date"), "danger")
        return redirect(url_for(".calendar_days"), 303)
    calendar.delete(current_user, when)
    flash(notice("calendar_day_deleted", day=day), "success")
    return redirect(url_for(".calendar_days", year=when.year), 303)
