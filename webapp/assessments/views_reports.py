"""督察考评 pages: the annual roll-up and the versioned criteria (考评标准)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import transaction
from ..errors import ValidationFailed
from ..messages import error_text, notice
from ..policy import require
from . import criteria as criteria_services
from . import reports, rules
from .exports import annual_workbook
from .indicators import INDICATORS
from .periods import choosable_periods, current_period, next_period, period_label
from .views import bp

ITEM_FIELD = re.compile(
    r"^items-(\d{1,3})-(code|name|max_points|method|indicator|rule_kind|rule_n|rule_none)$")
BLANK_ROWS = 4


def parse_year(raw: str | None, default: int) -> int:
    """The ``year`` query parameter (2000–2100); 422 when malformed."""
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationFailed({"year": error_text("invalid_year")})
    return int(raw)


@bp.route("/annual")
@login_required
def annual():
    """The year's roll-up of the published quarters (or its Excel file)."""
    require(current_user, "assessment.ranking")
    latest = reports.latest_published_period()
    year = parse_year(request.args.get("year"), int(latest[:4]) if latest else date.today().year)
    rows, published = reports.annual(year, current_user)
    if request.args.get("format") == "xlsx":
        return annual_workbook(year, rows, published)
    return render_template("assessments/annual.html", year=year, rows=rows,
                           published=published)


@bp.route("/criteria")
@login_required
def criteria():
    """Every version of the scoring standard, with the periods it applies to."""
    require(current_user, "assessment.ranking")
    return render_template("assessments/criteria.html",
                           versions=criteria_services.all_versions(),
                           usage=criteria_services.usage_counts(),
                           current=criteria_services.criteria_for(current_period()),
                           indicators={i.code: i for i in INDICATORS},
                           describe_rule=rules.describe)


def _rows_from_form() -> list[dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key, value in request.form.items():
        match = ITEM_FIELD.match(key)
        if match:
            # a page row always goes through the rule form (no JSON rule from a page)
            rows.setdefault(int(match.group(1)), {"rule_kind": ""})[match.group(2)] = value
    return [rows.get(i, {}) for i in range(max(rows, default=-1) + 1)]


def _rows_from_version() -> list[dict[str, Any]]:
    latest = criteria_services.criteria_for("9999Q4")
    rows: list[dict[str, Any]] = []
    for item in latest.items if latest else ():
        rows.append({"code": item.code, "name": item.name, "max_points": str(item.max_points),
                     "method": item.method, "indicator": item.indicator or "",
                     **rules.form_values(item.rule, item.indicator)})
    return rows + [{} for _ in range(BLANK_ROWS)]


@bp.route("/criteria/new", methods=["GET", "POST"])
@login_required
def new_criteria():
    """Define a new version of the scoring standard (admin)."""
    require(current_user, "assessment.manage")
    errors: dict[str, str] = {}
    form = {"name": "", "valid_from": current_period()}
    rows = _rows_from_version()
    status = 200
    if request.method == "POST":
        form = {"name": request.form.get("name", ""),
                "valid_from": request.form.get("valid_from", "")}
        rows = _rows_from_form()
        try:
            version = criteria_services.create_criteria(form["name"], form["valid_from"],
                                                        rows, current_user)
        except ValidationFailed as exc:
            transaction.fail()
            errors, status = exc.fields, 422
        else:
            flash(notice("criteria_created", version=version.version,
                         period=period_label(version.valid_from)), "success")
            return redirect(url_for(".criteria"))
    locked = criteria_services.last_finalised_period()
    first = next_period(locked) if locked else f"{date.today().year - 1}Q1"
    return render_template("assessments/criteria_form.html", form=form, rows=rows,
                           errors=errors, indicators=INDICATORS, locked=locked,
                           rule_kinds=rules.choices(),
                           periods=choosable_periods(first, 12, form["valid_from"])), status
