"""Search through the access policy: the backend filters by visibility inside the query,
and every hit is checked again against the database before it is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field
from sqlalchemy import select

from indexer import Hit, QuerySyntaxError, SearchFilters, SearchRequest, SearchTooCostly

from .. import policy
from ..documents.registry import core_fields
from ..documents.schemas import DocumentFilters
from ..errors import DomainError
from ..extensions import db
from ..indexing.backend import get_backend
from ..messages import error_text
from ..models import Agency, Document, User
from ..policy import search_visibility
from .limits import cost_limits, gate


class SearchQuery(DocumentFilters):
    """``GET /api/v1/search`` and the results page."""

    q: str = Field(default="", max_length=200)
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(default=1, ge=1, le=1000)
    per_page: int = Field(default=20, ge=1, le=100)


@dataclass
class Results:
    """A page of visible hits with total and facets (labels resolved for agencies)."""

    total: int
    hits: list[Hit]
    facets: dict[str, dict]
    agency_names: dict[int, str]
    documents: dict[int, Document] | None = None


def search(user: User, q: SearchQuery) -> Results:
    """Run ``q`` for ``user``; a malformed query is a 422 with a helpful Chinese message."""
    if not policy.can(user, "search.use"):
        raise DomainError("forbidden", status=403)
    by_name = {f.name: getattr(q, f.name) for f in core_fields() if f.indexed and f.filterable}
    filters = SearchFilters(
        agency_ids=frozenset({q.agency_id}) if q.agency_id else frozenset(),
        doc_types=frozenset({q.doc_type}) if q.doc_type else frozenset(),
        date_from=q.date_from, date_to=q.date_to, **by_name)
    request = SearchRequest(query=q.q, visibility=search_visibility(user), filters=filters,
                            sort=q.sort, page=q.page, per_page=q.per_page,
                            limits=cost_limits())
    try:
        with gate().slot(user.id):
            result = get_backend().search(request)
    except QuerySyntaxError as exc:
        raise DomainError("bad_query", str(exc), status=422,
                          fields={"q": str(exc)}) from exc
    except SearchTooCostly as exc:
        message = error_text("search_too_costly")
        raise DomainError("search_too_costly", status=422, fields={"q": message}) from exc
    hits = _recheck(user, result.hits)
    names = dict(db.session.execute(select(Agency.id, Agency.name)).all())
    docs = {d.id: d for d in db.session.execute(select(Document).where(
        Document.id.in_([h.id for h in hits]))).scalars()} if hits else {}
    return Results(total=result.total, hits=hits, facets=result.facets, agency_names=names,
                   documents=docs)


def filters_only(q: SearchQuery) -> dict[str, object]:
    """The filters of a query without keywords (they list documents, not search text)."""
    data = q.model_dump(exclude={"q", "sort", "page", "per_page"}, exclude_none=True)
    return {k: v for k, v in data.items() if v not in ("", False)}


def _recheck(user: User, hits: list[Hit]) -> list[Hit]:
    """Drop hits the database no longer lets ``user`` open (e.g. deleted a moment ago)."""
    if not hits:
        return hits
    ids = [h.id for h in hits]
    visible = set(db.session.execute(select(Document.id).where(
        Document.id.in_(ids), policy.document_scope(user))).scalars())
    return [h for h in hits if h.id in visible]


def similar(user: User, doc: Document, limit: int = 5) -> list[Hit]:
    """Documents like ``doc`` that ``user`` may open."""
    try:
        hits = get_backend().similar(doc.id, search_visibility(user), limit)
    except Exception:  # noqa: BLE001 - a missing index must not break the detail page
        return []
    return _recheck(user, hits)
