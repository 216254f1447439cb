"""Full-text search for GovCounsel: Chinese analysis, index backends, outbox worker.

A plain library (no Flask).  The webapp opens a backend with :func:`open_backend`, feeds
it :class:`IndexDoc` objects from its worker and asks it :class:`SearchRequest` s.
"""

from indexer.analysis import add_words
from indexer.backend import (
    CostLimits,
    Hit,
    IndexBusy,
    IndexDoc,
    IndexUnavailable,
    SearchBackend,
    SearchFilters,
    SearchRequest,
    SearchResult,
    SearchTooCostly,
    VisibilityFilter,
)
from indexer.factory import SearchConfigError, open_backend
from indexer.query import QuerySyntaxError, parse_query

__all__ = [
    "add_words",
    "CostLimits",
    "IndexBusy",
    "SearchTooCostly",
    "Hit",
    "IndexDoc",
    "IndexUnavailable",
    "QuerySyntaxError",
    "SearchBackend",
    "SearchConfigError",
    "SearchFilters",
    "SearchRequest",
    "SearchResult",
    "VisibilityFilter",
    "open_backend",
    "parse_query",
]
