"""Bringing an installation up: schema upgrade, data dirs, demo data, background worker."""

from __future__ import annotations

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from .extensions import db
from .models import AuditHead
from .transaction import unit_of_work


def initialise(app: Flask, demo: bool = False, rebuild_index: bool = True) -> list[str]:
    """Create or upgrade schema, ensure store and index; optionally load demo data.

    ``rebuild_index=False`` (``serve``) leaves a needed index rebuild to the background
    worker, so the service answers while the index is rebuilt.
    """
    lines: list[str] = []
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with unit_of_work():
            if db.session.execute(select(AuditHead)).first() is None:
                db.session.add(AuditHead(id=1, seq=0, last_hash="0" * 64))
        lines.append(f"数据库已就绪：{_safe_url(app.config['DATABASE_URL'])}")
        for hook in app.extensions["govcounsel"].get("init_hooks", []):
            with unit_of_work():
                lines.extend(hook(app))
        if demo:
            from .demo import load_demo

            lines.extend(load_demo(app))
        if rebuild_index:
            from .ops.reindex import rebuild_if_needed

            lines.extend(rebuild_if_needed(app))
    return lines


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def start_background(app: Flask) -> None:
    """Start the in-process background workers registered by features."""
    for starter in app.extensions["govcounsel"].get("background", []):
        starter(app)


def shutdown(app: Flask) -> None:
    """Release per-app resources: the extraction child process and the search backend
    (``serve`` and ``worker`` call it when they stop; tests when they drop an app)."""
    from .indexing.runner import stop_thread

    stop_thread(app)
    ext = app.extensions.get("govcounsel", {})
    extractor = ext.pop("extractor", None)
    if extractor is not None:
        extractor.close()
    backend = ext.pop("search", None)
    if backend is not None:
        backend.close()
