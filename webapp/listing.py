"""Paging, sorting and export of lists: every list in the UI and API goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, flash, request
from pydantic import BaseModel
from sqlalchemy import Select, func, select

from .errors import ValidationFailed
from .extensions import db
from .messages import error_text
from .validation import parse

M = TypeVar("M", bound=BaseModel)

MAX_PER_PAGE = 200
MAX_PAGE = 100_000  # as the pydantic list models: beyond it the OFFSET overflows SQLite's INTEGER


@dataclass
class Page:
    """One page of a list, with what the pager needs."""

    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_args(model: type[M]) -> M:
    """A list page's query string checked by ``model``; when it is malformed, the Chinese
    reasons are flashed and the list shows with the defaults."""
    try:
        return parse(model, request.args.to_dict())
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "warning")
        return model()


def page_args() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string, validated (422 when not integers)."""
    default = current_app.config["GOVCOUNSEL_PAGE_SIZE"]
    values = {}
    for name, fallback in (("page", 1), ("per_page", default)):
        raw = request.args.get(name, "")
        if raw == "":
            values[name] = fallback
            continue
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationFailed({name: error_text("invalid_integer")})
        if name == "page" and int(raw) > MAX_PAGE:
            raise ValidationFailed({name: error_text("page_out_of_range", max=MAX_PAGE)})
        values[name] = min(int(raw), MAX_PER_PAGE) if name == "per_page" else int(raw)
    return values["page"], values["per_page"]


def sort_clause(columns: dict[str, Any], default: str) -> tuple[str, Any]:
    """Order-by clause from ``sort`` (``name`` or ``-name``), restricted to ``columns``."""
    key = request.args.get("sort") or default
    desc = key.startswith("-")
    column = columns.get(key.lstrip("-"))
    if column is None:
        key, desc = default, default.startswith("-")
        column = columns[default.lstrip("-")]
    return key, column.desc() if desc else column.asc()


def paginate(stmt: Select, page: int, per_page: int) -> Page:
    """Run ``stmt`` for one page and count the total."""
    total = db.session.execute(select(func.count()).select_from(
        stmt.order_by(None).subquery())).scalar_one()
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)
                               ).scalars().all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)
