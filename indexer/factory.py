"""Choose and open the search backend named by the ``GOVCOUNSEL_SEARCH`` setting.

=====================  ==================================================================
setting                backend
=====================  ==================================================================
empty or ``tantivy``   tantivy index in ``DATA_DIR/index`` (the embedded default); the
                       Whoosh index instead when the ``tantivy`` package cannot be
                       imported (no wheel for this platform), see :func:`resolve_engine`
``tantivy:PATH``       tantivy index in ``PATH`` (a relative path is taken from DATA_DIR)
``whoosh[:PATH]``      Whoosh index (pure Python), same locations
``postgres``           PostgreSQL full text in the application's own database
                       (``database_url``, which must be PostgreSQL)
``postgres:URL``       PostgreSQL full text in the database at ``URL``
=====================  ==================================================================

tantivy and Whoosh keep their index in the same directory; the directory records which
engine built it, so switching between them rebuilds the index (as a format change does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from indexer.backend import SearchBackend

DEFAULT_INDEX_DIR = "index"
DEFAULT_ENGINE = "tantivy"
ENGINES = ("tantivy", "whoosh", "postgres")


class SearchConfigError(ValueError):
    """The search setting names no backend this build can open."""


@dataclass(frozen=True)
class EngineChoice:
    """The engine a setting resolves to, and why it differs from the one asked for."""

    engine: str
    argument: str
    fallback_reason: str | None = None


def tantivy_problem() -> str | None:
    """Why the compiled engine cannot be used here (``None`` when it can)."""
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:  # no wheel for this platform, or a broken install
        return f"tantivy cannot be imported ({type(exc).__name__}: {exc})"
    return None


def resolve_engine(setting: str | None) -> EngineChoice:
    """The engine named by ``setting``; the default falls back to Whoosh, with the reason,
    where tantivy cannot be imported.  An explicit ``tantivy`` does too (the service
    still starts; the reason is logged and shown by ``/healthz``)."""
    name, _, argument = (setting or DEFAULT_ENGINE).strip().partition(":")
    name = name.lower() or DEFAULT_ENGINE
    if name == "postgresql":
        name = "postgres"
    if name not in ENGINES:
        raise SearchConfigError(
            f"unknown search backend {setting!r}; expected tantivy[:PATH], whoosh[:PATH] "
            "or postgres[:URL]"
        )
    if name == "tantivy" and (problem := tantivy_problem()):
        return EngineChoice("whoosh", argument, problem)
    return EngineChoice(name, argument)


def open_backend(
    setting: str | None, data_dir: str | os.PathLike[str], database_url: str | None = None
) -> SearchBackend:
    """Open the configured backend; check ``needs_rebuild`` on the result."""
    choice = resolve_engine(setting)
    if choice.engine == "postgres":
        from indexer.pg_backend import PostgresBackend

        url = choice.argument or database_url or ""
        if not url.startswith("postgresql"):
            raise SearchConfigError(
                "GOVCOUNSEL_SEARCH=postgres needs DATABASE_URL (or postgres:URL) to name a "
                "PostgreSQL database"
            )
        return PostgresBackend(url)
    path = Path(data_dir) / (choice.argument or DEFAULT_INDEX_DIR)
    if choice.engine == "tantivy":
        from indexer.tantivy_backend import TantivyBackend

        return TantivyBackend(path)
    from indexer.whoosh_backend import WhooshBackend

    return WhooshBackend(path)
