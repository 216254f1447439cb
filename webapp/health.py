"""``GET /healthz``: is the database reachable, and which search engine runs (``search``:
``{"engine": "tantivy" | "whoosh" | "postgres", "fallback_reason": ...}``; the reason is
set when tantivy was asked for but cannot be imported here)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from indexer import SearchConfigError
from indexer.factory import resolve_engine

from .extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """200 with component states when healthy, 503 otherwise."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(exc).__name__}"
    checks["search"] = _search_check()
    healthy = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if healthy else "error", "checks": checks,
                    "search": _search_engine()}), (200 if healthy else 503)


def _search_check() -> str:
    """``ok`` when the configured engine resolves (the index itself is the worker's)."""
    try:
        resolve_engine(current_app.config["GOVCOUNSEL_SEARCH"])
    except SearchConfigError as exc:
        return f"error: {exc}"
    return "ok"


def _search_engine() -> dict[str, str | None]:
    """Which search engine this process runs, and why not the one asked for."""
    try:
        choice = resolve_engine(current_app.config["GOVCOUNSEL_SEARCH"])
    except SearchConfigError:
        return {"engine": None, "fallback_reason": None}
    return {"engine": choice.engine, "fallback_reason": choice.fallback_reason}
