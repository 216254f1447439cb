"""The JSON API under ``/api/v1``: bearer-token or session auth, JSON errors, OpenAPI."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask_login import current_user

from ..errors import DomainError
from ..extensions import csrf
from .spec import build_spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _authenticate() -> None:
    """Every API call needs a user; session-authenticated writes also need the CSRF token."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        raise DomainError("unauthorized", status=401)
    if request.method not in ("GET", "HEAD", "OPTIONS") and not g.get("auth_via_token"):
        csrf.protect()


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API, generated from the routes."""
    return jsonify(build_spec())


# Importing a module registers its routes on ``bp``.
from . import (  # noqa: E402,F401
    assessments,
    audit,
    documents,
    engagements,
    matters,
    notifications,
    orgs,
    orgs_write,
    search,
    statistics,
    supplements,
)
