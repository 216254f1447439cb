"""GovCounsel web application: ``create_app`` reads as the table of contents."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .settings import load_settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides settings (tests pass a tmp data dir)."""
    app = Flask(__name__, instance_relative_config=False)
    configure(app, config)
    register_extensions(app)
    register_input_guards(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_security(app)
    register_unit_of_work(app)
    register_services(app)
    register_cli(app)
    return app


def configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Resolve settings (env, config file, defaults) into ``app.config``."""
    settings = load_settings(overrides=config)
    app.config.update(settings)
    sqlite = settings["DATABASE_URL"].startswith("sqlite")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 30}} if sqlite else
        {"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=(settings["GOVCOUNSEL_MAX_UPLOAD_MB"] + 1) * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["GOVCOUNSEL_SECURE_COOKIES"],
        REMEMBER_COOKIE_SECURE=settings["GOVCOUNSEL_SECURE_COOKIES"],
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]


def register_extensions(app: Flask) -> None:
    """Bind db, migrations, login manager and CSRF protection."""
    from .extensions import csrf, db, login_manager, migrate
    from .sqlite import install_sqlite_pragmas

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
    from .auth.session import configure_login

    configure_login(login_manager)


def register_input_guards(app: Flask) -> None:
    """Input no database column can hold: ``<int:...>`` ids beyond INTEGER match no route
    (404); a statement carrying a NUL character is refused (422)."""
    from .extensions import db
    from .validation import DbIntConverter, refuse_nul_in_sql

    app.url_map.converters["int"] = DbIntConverter
    with app.app_context():
        refuse_nul_in_sql(db.engine)


BLUEPRINTS = ("auth", "dashboard", "health", "orgs", "documents", "search", "engagements",
              "assessments", "statistics", "audit", "admin_settings", "api",
              "matters", "notifications", "evaluations")


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint (module ``webapp.<feature>.views`` or ``webapp.api``)."""
    from importlib import import_module

    for name in BLUEPRINTS:
        module = import_module(f".{name}" if name in ("api", "health") else f".{name}.views",
                               __name__)
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    """JSON errors under /api/, Chinese HTML pages elsewhere."""
    from .errors import register_error_handlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Jinja filters (dates, money, labels) and the navigation; dates in the service's
    time zone (``GOVCOUNSEL_TIMEZONE``, see ``webapp.clock``)."""
    from .clock import install
    from .ui import register_ui

    install(app)
    register_ui(app)


def register_security(app: Flask) -> None:
    """Security headers on every response; the per-user limit of uploads in flight; the
    session rules (idle timeout, required two-step login) and the 账户安全 pages."""
    from .auth.account import bp as account_bp
    from .auth.session import register_session_guards
    from .security import register_headers, register_upload_gate

    register_headers(app)
    register_upload_gate(app)
    register_session_guards(app)
    app.register_blueprint(account_bp)


def register_unit_of_work(app: Flask) -> None:
    """One commit (or rollback) per request, after the view (see ``webapp.transaction``)."""
    from .transaction import install

    install(app)


def register_cli(app: Flask) -> None:
    """Operator commands (init, serve, create-user, …) on ``app.cli``."""
    from .cli import register_cli as register

    register(app)


def register_services(app: Flask) -> None:
    """Per-app services (store, search backend: opened lazily), the worker, init hooks."""
    from .indexing.runner import start_thread
    from .search.services import similar

    ext = app.extensions.setdefault("govcounsel", {})
    ext.setdefault("background", []).append(start_thread)
    ext["similar"] = similar
