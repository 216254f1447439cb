"""Choose and open the search backend named by the ``GOVCOUNSEL_SEARCH`` setting.

=====================  ==================================================================
setting                backend
=====================  ==================================================================
empty or ``whoosh``    Whoosh index in ``DATA_DIR/index``
``whoosh:PATH``        Whoosh index in ``PATH`` (a relative path is taken from DATA_DIR)
``postgres``           PostgreSQL full text in the application's own database
                       (``database_url``, which must be PostgreSQL)
``postgres:URL``       PostgreSQL full text in the database at ``URL``
=====================  ==================================================================
"""

from __future__ import annotations

import os
from pathlib import Path

from indexer.backend import SearchBackend

DEFAULT_INDEX_DIR = "index"


class SearchConfigError(ValueError):
    """The search setting names no backend this build can open."""


def open_backend(
    setting: str | None, data_dir: str | os.PathLike[str], database_url: str | None = None
) -> SearchBackend:
    """Open the configured backend; check ``needs_rebuild`` on the result."""
    name, _, argument = (setting or "whoosh").strip().partition(":")
    name = name.lower()
    if name == "whoosh":
        from indexer.whoosh_backend import WhooshBackend

        path = Path(data_dir) / (argument or DEFAULT_INDEX_DIR)
        return WhooshBackend(path)
    if name in ("postgres", "postgresql"):
        from indexer.pg_backend import PostgresBackend

        url = argument or database_url or ""
        if not url.startswith("postgresql"):
            raise SearchConfigError(
                "GOVCOUNSEL_SEARCH=postgres needs DATABASE_URL (or postgres:URL) to name a "
                "PostgreSQL database"
            )
        return PostgresBackend(url)
    raise SearchConfigError(
        f"unknown search backend {setting!r}; expected whoosh[:PATH] or postgres[:URL]"
    )
