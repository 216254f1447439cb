"""The search backend interface and the plain data passed across it.

Everything here is backend-neutral: tantivy (the embedded default), Whoosh (pure Python)
and PostgreSQL full text implement it.  The webapp builds these objects from its models;
the backends know nothing of the database.

How the webapp builds a :class:`VisibilityFilter` for a user (the policy in DESIGN.md):

=========  =====================================================================
role       filter
=========  =====================================================================
admin,     ``VisibilityFilter(all_visible=True)``
auditor
clerk      ``VisibilityFilter(agency_ids=frozenset({own}),
           classified_agency_ids=frozenset({own}))``; if clerks may read other
           agencies' unclassified documents, ``agency_ids=None`` instead
advisor    ``VisibilityFilter(advisor_ids=frozenset({own}))`` (what they submitted),
           plus ``doc_ids`` for anything else the webapp grants one by one
=========  =====================================================================

The backend applies the filter *inside* the query, so hit lists, totals, facet counts
and "similar documents" never include or count a document the user may not open.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

SORTS = ("relevance", "date")
MAX_PER_PAGE = 100


class IndexUnavailable(RuntimeError):
    """The index cannot be used until it is reset and rebuilt (see ``needs_rebuild``)."""


class IndexBusy(RuntimeError):
    """Another process holds the index writer (e.g. a ``reindex``); try again later.
    Not a failure of the documents being written."""


class SearchTooCostly(RuntimeError):
    """A search that would cost more than its limits allow (``reason``: ``"terms"`` when
    it needs more index terms than ``max_terms``, ``"time"`` when it ran out of its time
    budget).  The user should narrow the query."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"search too costly ({reason})")


@dataclass(frozen=True)
class CostLimits:
    """What one search may cost: distinct index terms it expands to, and seconds."""

    max_terms: int = 128
    time_budget: float = 3.0


@dataclass(frozen=True)
class IndexDoc:
    """One document as the index sees it.

    ``content`` is the extracted text.  ``stamp`` is whatever identifies this version of
    the document in the database, e.g. ``f"{sha256}:{metadata_version}"``; ``doc_ids()``
    returns it so ``verify`` can find missing, extra and stale index entries.  A deleted
    document is removed with ``SearchBackend.delete``.
    """

    id: int
    title: str
    content: str
    agency_id: int
    stamp: str
    agency_name: str = ""
    doc_type: str = "other"
    issued_on: date | None = None
    advisor_id: int | None = None
    matter_area: str | None = None
    meeting_type: str | None = None
    service_type: str | None = None
    classified: bool = False


@dataclass(frozen=True)
class VisibilityFilter:
    """Which documents a user may see, as data a backend can turn into a query clause.

    A document is visible when ``all_visible`` is set, or when it is *granted* and its
    classification allows it:

    * granted: its agency is in ``agency_ids`` (``None`` means every agency), or its
      ``advisor_id`` is in ``advisor_ids``, or its id is in ``doc_ids``;
    * classification: it is not classified, or ``classified_all`` is set, or its agency
      is in ``classified_agency_ids``.

    The default filter shows nothing, so forgetting to build one fails closed.
    """

    all_visible: bool = False
    agency_ids: frozenset[int] | None = frozenset()
    advisor_ids: frozenset[int] = frozenset()
    doc_ids: frozenset[int] = frozenset()
    classified_all: bool = False
    classified_agency_ids: frozenset[int] = frozenset()

    def allows(self, doc: IndexDoc) -> bool:
        """The same rule in Python, for tests and for checking a single document."""
        if self.all_visible:
            return True
        granted = (
            self.agency_ids is None
            or doc.agency_id in self.agency_ids
            or doc.advisor_id in self.advisor_ids
            or doc.id in self.doc_ids
        )
        cleared = (
            not doc.classified or self.classified_all or doc.agency_id in self.classified_agency_ids
        )
        return granted and cleared


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing chosen by the user; empty sets and ``None`` mean "any"."""

    agency_ids: frozenset[int] = frozenset()
    doc_types: frozenset[str] = frozenset()
    date_from: date | None = None
    date_to: date | None = None
    advisor_id: int | None = None
    matter_area: str | None = None
    meeting_type: str | None = None
    service_type: str | None = None


@dataclass(frozen=True)
class SearchRequest:
    """A full-text search: query string (syntax in :mod:`indexer.query`), filters,
    visibility, sort order (``relevance`` or ``date``, newest first), page (from 1)."""

    query: str
    visibility: VisibilityFilter
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Literal["relevance", "date"] = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    limits: CostLimits = field(default_factory=CostLimits)

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {self.sort!r}")
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")


@dataclass(frozen=True)
class Hit:
    """One result.  ``snippet_html`` and ``title_html`` are safe HTML: the text is
    escaped and every match is wrapped in ``<mark>``."""

    id: int
    title: str
    agency_id: int
    agency_name: str
    doc_type: str
    issued_on: date | None
    score: float
    snippet_html: str
    title_html: str


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, the total number of visible matches, and facet counts over all
    of them: ``{"agency": {agency_id: n}, "doc_type": {doc_type: n}, "year": {2022: n}}``
    (documents without a date are not counted under ``year``)."""

    total: int
    hits: list[Hit]
    facets: dict[str, dict[int | str, int]]


def check_disjoint(upserts: Sequence[IndexDoc], deletes: Sequence[int]) -> None:
    """Refuse a batch that would both upsert and delete the same document."""
    overlap = {doc.id for doc in upserts} & set(deletes)
    if overlap:
        raise ValueError(f"documents {sorted(overlap)} both upserted and deleted")


class SearchBackend(ABC):
    """A full-text index of documents.  Writers are serialised by the caller's design
    (one worker writes); readers never block.

    ``needs_rebuild`` is set when the index was missing, of another format version, or
    unreadable; ``rebuild_reason`` says which.  The webapp then calls ``reset()`` (if the
    index is unusable, every other method raises :class:`IndexUnavailable` until then)
    and reindexes from the database.
    """

    needs_rebuild: bool = False
    rebuild_reason: str | None = None
    #: analysis processes worth using for a bulk rebuild (``upsert_many(procs=...)``)
    bulk_procs: int = 1

    @abstractmethod
    def upsert(self, doc: IndexDoc) -> None:
        """Add or replace one document; returns after the change is committed."""

    @abstractmethod
    def upsert_many(self, docs: Iterable[IndexDoc], procs: int = 1) -> int:
        """Add or replace many documents in one commit (``procs > 1``: analysed in that
        many processes); returns how many.  Nothing is committed when the iterable
        raises or repeats an id."""

    @abstractmethod
    def apply_changes(self, upserts: Sequence[IndexDoc], deletes: Sequence[int]) -> None:
        """Add or replace ``upserts`` and remove ``deletes`` in one commit (the worker's
        batch); nothing is committed when it raises.  An id must not be in both
        (:func:`check_disjoint`)."""

    @abstractmethod
    def delete(self, doc_id: int) -> None:
        """Remove a document (no error if it is not indexed); committed on return."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search; raises :class:`indexer.query.QuerySyntaxError` on a bad query."""

    @abstractmethod
    def similar(self, doc_id: int, visible: VisibilityFilter, limit: int = 5) -> list[Hit]:
        """Visible documents most like ``doc_id`` (which the caller may open)."""

    @abstractmethod
    def doc_ids(self) -> dict[int, str]:
        """Every indexed document id with its stamp."""

    @abstractmethod
    def count(self) -> int:
        """Number of indexed documents."""

    @abstractmethod
    def check(self) -> list[str]:
        """Problems found in the index itself (empty when healthy)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document, keeping the index."""

    @abstractmethod
    def reset(self) -> None:
        """Throw the index away and create an empty one of the current format."""

    @abstractmethod
    def close(self) -> None:
        """Release files and connections."""
