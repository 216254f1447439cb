"""Choose and open the search backend named by the ``GOVCOUNSEL_SEARCH`` setting.

=====================  ==================================================================
setting                backend
=====================  ==================================================================
empty or ``whoosh``    Whoosh index in ``DATA_DIR/index``
``whoosh:PATH``        Whoosh index in ``PATH`` (a relative path is taken from DATA_DIR)
``postgres``           PostgreSQL full text (not implemented yet: raises
                       :class:`SearchConfigError`)
=====================  ==================================================================

A PostgreSQL ``tsvector`` backend will implement the same
:class:`~indexer.backend.SearchBackend`, storing the tokens of
:func:`indexer.analysis.bigram_tokens` (with their positions) and
:func:`indexer.analysis.word_tokens` and converting the same query tree to ``tsquery``.
"""

from __future__ import annotations

import os
from pathlib import Path

from indexer.backend import SearchBackend

DEFAULT_INDEX_DIR = "index"


class SearchConfigError(ValueError):
    """The search setting names no backend this build can open."""


def open_backend(setting: str | None, data_dir: str | os.PathLike[str]) -> SearchBackend:
    """Open the configured backend; check ``needs_rebuild`` on the result."""
    name, _, argument = (setting or "whoosh").strip().partition(":")
    name = name.lower()
    if name == "whoosh":
        from indexer.whoosh_backend import WhooshBackend

        path = Path(data_dir) / (argument or DEFAULT_INDEX_DIR)
        return WhooshBackend(path)
    if name in ("postgres", "postgresql"):
        raise SearchConfigError(
            "the PostgreSQL search backend is not available yet; use GOVCOUNSEL_SEARCH=whoosh"
        )
    raise SearchConfigError(f"unknown search backend {setting!r}; expected whoosh[:PATH]")
