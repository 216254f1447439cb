"""Security headers (a CSP without inline script, frame denial, no-sniff, referrer policy)
and the per-user limit of uploads in flight."""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, Response, g, make_response, request
from flask_login import current_user

from .errors import DomainError, error_response
from .search.limits import RETRY_AFTER_SECONDS, SearchBusy, SearchGate

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'")


def register_headers(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class UploadBusy(DomainError):
    """The user already has ``GOVCOUNSEL_UPLOADS_PER_USER`` uploads in flight (429)."""

    status = 429

    def __init__(self, limit: int) -> None:
        super().__init__("upload_busy", limit=limit)
        self.retry_after = RETRY_AFTER_SECONDS


def _upload_gate(app: Flask) -> SearchGate:
    """The app's per-user counter of uploads in flight (the search gate's counting, with
    its own limit; per web process)."""
    ext = app.extensions["govcounsel"]
    if "upload_gate" not in ext:
        ext.setdefault("upload_gate", SearchGate(int(app.config["GOVCOUNSEL_UPLOADS_PER_USER"])))
    return ext["upload_gate"]


def _is_upload() -> bool:
    return request.method in ("POST", "PUT") and request.mimetype == "multipart/form-data"


def register_upload_gate(app: Flask) -> None:
    """Count every multipart request of a signed-in user as an upload in flight, from
    before its body is read (ahead of the CSRF check, which parses it) until it ends; past
    the limit answer 429 with ``Retry-After`` at once. The untrusted bytes themselves are
    checked in ``document_store``'s time-limited child process, with no lock held here."""

    def enter() -> None:
        if not _is_upload() or not current_user.is_authenticated:
            return
        gate = _upload_gate(app)
        stack = ExitStack()
        try:
            stack.enter_context(gate.slot(current_user.id))
        except SearchBusy:
            raise UploadBusy(gate.per_user) from None
        g.upload_slot = stack

    app.before_request_funcs.setdefault(None, []).insert(0, enter)

    @app.teardown_request
    def _leave(exc: BaseException | None) -> None:
        stack = g.pop("upload_slot", None)
        if stack is not None:
            stack.close()

    @app.errorhandler(UploadBusy)
    def _busy(exc: UploadBusy):
        from . import transaction

        transaction.rollback()
        body, status = error_response(exc.code, exc.message, exc.status)
        response = make_response(body, status)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
