"""统计报表: the annual statistics page with charts, and its Excel download."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..errors import ValidationFailed
from ..messages import error_text, label
from ..policy import require
from . import charts
from .exports import MONTHS, statistics_workbook
from .services import YearStatistics, year_statistics, years_with_documents

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
TOP_ADVISORS = 15


def parse_year(raw: str | None) -> int:
    """The ``year`` parameter (2000–2100; default the newest year with documents)."""
    if raw in (None, ""):
        return years_with_documents()[0]
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationFailed({"year": error_text("invalid_year")})
    return int(raw)


def page_charts(stats: YearStatistics) -> dict[str, dict[str, Any]]:
    """Chart configurations of the page (data only)."""
    top = [a for a in stats.advisors if a.advisor_id is not None][:TOP_ADVISORS]
    return {
        "by_type": charts.doughnut([label("service_type", k) for k in stats.by_service_type],
                                   list(stats.by_service_type.values()), "法律服务件数"),
        "by_group": charts.bar([g.label for g in stats.groups],
                               [g.services for g in stats.groups], "法律服务件数"),
        "by_month": charts.line(MONTHS, {"法律服务件数": stats.by_month}),
        "by_advisor": charts.bar([a.name for a in top], [a.services for a in top],
                                 "法律服务件数", horizontal=True, aspect=1.4),
        "by_doc_type": charts.bar([label("doc_type", k) for k in stats.by_doc_type],
                                  [r for _d, r in stats.by_doc_type.values()], "意见建议条数"),
    }


@bp.route("/")
@login_required
def index():
    """The year's statistics (``?year=2021``), or ``?format=xlsx`` for Excel."""
    require(current_user, "statistics.view")
    year = parse_year(request.args.get("year"))
    stats = year_statistics(year)
    if request.args.get("format") == "xlsx":
        return statistics_workbook(stats)
    years = sorted(set(years_with_documents()) | {year, date.today().year}, reverse=True)
    from .matters import matter_statistics

    return render_template("statistics/index.html", stats=stats, year=year, years=years,
                           charts=page_charts(stats), top=TOP_ADVISORS,
                           matters=matter_statistics(year))
