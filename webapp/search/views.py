"""The results page: search box, filters, facets, highlighted snippets, paging."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..errors import DomainError
from ..validation import parse
from . import services
from .services import SearchQuery

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
@login_required
def index():
    """Search results, or the empty state when there is no query."""
    error, results, q = None, None, None
    try:
        q = parse(SearchQuery, request.args.to_dict())
        if q.q.strip():
            results = services.search(current_user, q)
    except DomainError as exc:
        error = "；".join(exc.fields.values()) if exc.fields else exc.message
    status = 422 if error else 200
    return render_template("search/index.html", q=q or SearchQuery(), results=results,
                           error=error), status
