"""The results page: search box, filters, facets, highlighted snippets, paging."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import DomainError, error_response
from ..validation import parse
from . import services
from .limits import SearchBusy
from .services import SearchQuery

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
@login_required
def index():
    """Search results, or the empty state when there is no query."""
    error, results, q, status = None, None, None, 200
    try:
        q = parse(SearchQuery, request.args.to_dict())
        if q.q.strip():
            results = services.search(current_user, q)
        elif filters := services.filters_only(q):
            return redirect(url_for("documents.index", **filters))
    except SearchBusy:
        raise  # 429 with Retry-After (below)
    except DomainError as exc:
        error = "；".join(exc.fields.values()) if exc.fields else exc.message
        status = 422
    return render_template("search/index.html", q=q or SearchQuery(), results=results,
                           error=error), status


@bp.app_errorhandler(SearchBusy)
def busy(exc: SearchBusy):
    """429 with ``Retry-After`` for the API and the results page alike."""
    body, status = error_response(exc.code, exc.message, exc.status)
    response = make_response(body, status)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response
