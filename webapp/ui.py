"""Template helpers: Chinese dates, money and quarters, labels, history lines, navigation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, url_for
from flask_login import current_user

from . import clock, policy
from .messages import LABELS, PRODUCT_NAME, label

NAVIGATION = (
    ("工作台", "dashboard.index", "dashboard.view"),
    ("聘任合同", "engagements.index", "engagement.create"),
    ("法律事务", "matters.index", "matter.list"),
    ("文书管理", "documents.index", "document.list"),
    ("全文检索", "search.index", "search.use"),
    ("督察考评", "assessments.index", "assessment.ranking"),
    ("统计报表", "statistics.index", "statistics.view"),
    ("顾问考核", "evaluations.index", "evaluation.view"),
    ("人才库", "orgs.pool", "org.view"),
    ("律师事务所", "orgs.firms", "org.view"),
    ("法律顾问", "orgs.advisors", "org.view"),
    ("单位管理", "orgs.agencies", "org.manage"),
    ("用户管理", "orgs.users", "user.manage"),
    ("审计日志", "audit.index", "audit.view"),
    ("系统设置", "admin_settings.index", "settings.manage"),
)


def date_cn(value: date | datetime | None) -> str:
    """``2022年3月31日``; datetimes (UTC) are shown in the service's time zone
    (``GOVCOUNSEL_TIMEZONE``) with hours and minutes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = clock.local(value)
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"



def money(value: Decimal | float | int | None) -> str:
    """``¥68,000.00``."""
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


def navigation() -> list[tuple[str, str]]:
    """Menu entries (label, url) the current user may use and that exist in this build."""
    from flask import current_app

    items = []
    for text, endpoint, action in NAVIGATION:
        if endpoint in current_app.view_functions and policy.can(current_user, action):
            items.append((text, url_for(endpoint)))
    return items


def has_endpoint(name: str) -> bool:
    """True when this build has the endpoint (features register their own blueprints)."""
    from flask import current_app

    return name in current_app.view_functions


def register_ui(app: Flask) -> None:
    """Install filters and globals used by every template, and serve the favicon."""
    from .assessments.periods import period_label
    from .audit.objects import operator_name
    from .audit.present import describe
    from .documents.registry import text as field_text

    app.jinja_env.filters.update(date_cn=date_cn, money=money, label=lambda k, g: label(g, k),
                                 quarter_cn=period_label, history_lines=describe,
                                 operator=operator_name)
    app.jinja_env.globals.update(
        PRODUCT_NAME=PRODUCT_NAME, LABELS=LABELS, navigation=navigation, can=policy.can,
        has_endpoint=has_endpoint, label=label, field_text=field_text)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def _favicon():
    """The site icon at the address browsers ask for (no 404 in every server log)."""
    from pathlib import Path

    from flask import Response, current_app

    data = (Path(current_app.static_folder or "") / "app" / "favicon.ico").read_bytes()
    return Response(data, mimetype="image/vnd.microsoft.icon",
                    headers={"Cache-Control": "public, max-age=86400"})
