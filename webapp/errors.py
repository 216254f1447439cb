"""Domain errors and the one place that turns errors into responses.

Under ``/api/`` every error is JSON ``{"error": {"code", "message", "fields"?}}``;
elsewhere a Chinese HTML page is rendered. Every handler first rolls the request's
unit of work back (``webapp.transaction``), so a refused request changes nothing and
its error page never sees half-made changes; a ``Forbidden`` that names the refused
object is audited (``permission_refused``) in a transaction of its own.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import transaction
from .messages import error_text


class DomainError(Exception):
    """A refusal the user can understand: stable ``code``, Chinese ``message``, HTTP status."""

    status = 400

    def __init__(self, code: str, message: str | None = None, *, status: int | None = None,
                 fields: dict[str, str] | None = None, **params: Any) -> None:
        self.code = code
        self.message = message or error_text(code, **params)
        self.fields = fields or {}
        if status is not None:
            self.status = status
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """Input failed validation; ``fields`` maps field names to Chinese messages."""

    status = 422

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        super().__init__("validation", message, fields=fields)


class Forbidden(DomainError):
    """The access policy refused the action; ``object_type``/``object_id`` name the object
    when there is one (the refusal is then audited; see ``policy.require``)."""

    status = 403

    def __init__(self, message: str | None = None, *, action: str | None = None,
                 object_type: str | None = None, object_id: object = None) -> None:
        super().__init__("forbidden", message)
        self.action, self.object_type, self.object_id = action, object_type, object_id


class Concealed(Forbidden):
    """A refused view of an object the user may not know exists: answered exactly like a
    missing one (404, ``not_found``) and still audited as ``permission_refused``."""

    status = 404

    def __init__(self, *, action: str | None = None, object_type: str | None = None,
                 object_id: object = None) -> None:
        super().__init__(error_text("not_found"), action=action, object_type=object_type,
                         object_id=object_id)
        self.code = "not_found"


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it exists."""

    status = 404

    def __init__(self, message: str | None = None) -> None:
        super().__init__("not_found", message)


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_type", 422: "validation", 429: "rate_limited",
              500: "server_error"}


def wants_json() -> bool:
    """True for API requests, which always get JSON errors."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(code: str, message: str, status: int,
                   fields: dict[str, str] | None = None) -> tuple[Response | str, int]:
    """Render an error as JSON (API) or as the Chinese error page."""
    if wants_json():
        body: dict[str, Any] = {"code": code, "message": message}
        if fields:
            body["fields"] = fields
        return jsonify({"error": body}), status
    return render_template("error.html", code=code, message=message, status=status,
                           fields=fields or {}), status


def _audit_refusal(exc: Forbidden) -> None:
    from .audit import services as audit

    audit.record("permission_refused", object_type=exc.object_type, object_id=exc.object_id,
                 detail={"action": exc.action})


def register_error_handlers(app: Flask) -> None:
    """Install handlers for domain errors, CSRF failures and HTTP errors."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        if isinstance(exc, Forbidden) and exc.object_id is not None:
            transaction.keep(lambda: _audit_refusal(exc))
        transaction.rollback()
        return error_response(exc.code, exc.message, exc.status, exc.fields)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        transaction.rollback()
        return error_response("csrf", error_text("csrf"), 400)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        transaction.rollback()
        status = exc.code or 500
        code = HTTP_CODES.get(status, "bad_request")
        return error_response(code, error_text(code), status)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        transaction.rollback()
        return error_response("server_error", error_text("server_error"), 500)
