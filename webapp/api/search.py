"""API: full-text search."""

from __future__ import annotations

from datetime import date

from flask import jsonify
from flask_login import current_user
from pydantic import BaseModel

from ..messages import label
from ..search import services
from ..search.services import SearchQuery
from ..validation import parse_query
from . import bp
from .spec import api_route


class HitOut(BaseModel):
    """One search hit; ``snippet`` is HTML with every match in ``<mark>``."""

    id: int
    title: str
    agency_id: int
    agency: str
    doc_type: str
    doc_type_label: str
    issued_on: date | None
    score: float
    snippet: str


class FacetOut(BaseModel):
    """One facet value with its count."""

    key: str
    label: str
    count: int


class SearchOut(BaseModel):
    """Total, one page of hits, and facet counts over all visible matches."""

    total: int
    page: int
    per_page: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


def facets_out(facets: dict, agency_names: dict[int, str]) -> dict[str, list[FacetOut]]:
    """Facet counts with Chinese labels, largest first."""
    labels = {"agency": lambda k: agency_names.get(int(k), str(k)),
              "doc_type": lambda k: label("doc_type", k), "year": lambda k: f"{k}年"}
    return {name: [FacetOut(key=str(k), label=labels.get(name, str)(k), count=n)
                   for k, n in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))]
            for name, values in facets.items()}


@api_route(bp, "/search", summary="全文检索", query=SearchQuery, response=SearchOut,
           errors=(401, 422))
def search():
    """BM25-ranked (or by date) hits with highlighted snippets and facets."""
    q = parse_query(SearchQuery)
    if not q.q.strip():
        return jsonify(SearchOut(total=0, page=q.page, per_page=q.per_page, hits=[],
                                 facets={}).model_dump(mode="json"))
    results = services.search(current_user, q)
    hits = [HitOut(id=h.id, title=h.title, agency_id=h.agency_id, agency=h.agency_name,
                   doc_type=h.doc_type, doc_type_label=label("doc_type", h.doc_type),
                   issued_on=h.issued_on, score=h.score, snippet=h.snippet_html)
            for h in results.hits]
    return jsonify(SearchOut(total=results.total, page=q.page, per_page=q.per_page, hits=hits,
                             facets=facets_out(results.facets, results.agency_names)
                             ).model_dump(mode="json"))
