"""One commit boundary per request (as indico's ``RH.process``), and one for each CLI run.

The rules, for every module that writes:

1. **Services flush, never commit or roll back.** They add and change rows, call
   ``audit.record`` and enqueue index jobs in the session; whoever owns the boundary
   decides whether it all happens.
2. **A web request is one unit of work.** :func:`finish` runs after every view (it is
   the app's last ``after_request`` hook): it *commits* when the response is a success
   (status below 400) and nothing called :func:`fail`, and *rolls back* otherwise. A
   view that catches a refusal to show it — a form again with its errors, or ``flash``
   and a redirect — calls :func:`fail` in its ``except`` block: the rollback happens
   there, before anything is rendered. An ``IntegrityError`` at commit (a lost race on
   a unique value) becomes a 409. The
   ``DomainError`` handler (``webapp.errors``) rolls back before it renders the error
   page, so an error page never sees half-made changes.
3. **What must survive a refusal is registered with** :func:`keep` **before the refusal
   is raised** — the audit event of a refused access, the count of a failed login. After
   the rollback each kept write runs in a transaction of its own. ``policy.require``
   does this for every refusal that names an object, so refused accesses are audited
   by the ``Forbidden`` handler, never by a read that commits.
4. **Things outside the database** that a unit of work changes (files put into the blob
   store) are *resources* with ``confirm()`` (after the commit), ``discard()`` (after a
   rollback) and ``close()`` (always). :func:`resource` creates one per unit of work;
   ``webapp.documents.intake.incoming()`` is the one for uploaded files.
5. **Outside a request** — CLI commands, the demo loader, tests that call services —
   ``with unit_of_work():`` is the same boundary: commit at the end of the block, or
   roll back (with resources and kept writes) when it raises. The index worker
   (``webapp.indexing``) keeps its own explicit commits: claim, apply, complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from flask import Flask, Response, current_app, g, has_request_context
from sqlalchemy.exc import IntegrityError

from .extensions import db

_KEY = "unit_of_work"


class Resource(Protocol):
    """Something outside the database that follows the unit of work."""

    def confirm(self) -> None: ...

    def discard(self) -> None: ...

    def close(self) -> None: ...


R = TypeVar("R", bound=Resource)


@dataclass
class Work:
    """The state of one unit of work: its resources, kept writes and outcome."""

    resources: dict[str, Resource] = field(default_factory=dict)
    kept: list[Callable[[], Any]] = field(default_factory=list)
    failed: bool = False
    done: bool = False


def _current() -> Work:
    work = g.get(_KEY)
    if work is None:
        if not has_request_context():
            raise RuntimeError("no unit of work: wrap this in `with unit_of_work():`")
        work = g.setdefault(_KEY, Work())
    return work


def resource(name: str, factory: Callable[[], R]) -> R:
    """The unit of work's resource ``name`` (made by ``factory`` on first use)."""
    work = _current()
    if name not in work.resources:
        work.resources[name] = factory()
    return work.resources[name]  # type: ignore[return-value]


def keep(write: Callable[[], Any]) -> None:
    """Run ``write`` in a transaction of its own if this unit of work rolls back."""
    _current().kept.append(write)


def fail() -> None:
    """The current request is refused although it answers 2xx/3xx (a flash and a
    redirect) or shows its form again: roll it back now, so the page that follows sees
    nothing of it. Nothing written after this is kept."""
    _current().failed = True
    rollback()


def commit() -> None:
    """Commit the unit of work (a lost race on a unique value is a 409), then confirm its
    resources; on any error roll back first."""
    from .errors import DomainError

    work = _current()
    if work.done:
        return
    try:
        db.session.commit()
    except IntegrityError as exc:
        rollback()
        raise DomainError("conflict", status=409) from exc
    except BaseException:
        rollback()
        raise
    work.done = True
    for item in work.resources.values():
        item.confirm()
    _close(work)


def rollback() -> None:
    """Roll back the unit of work, discard its resources, then write what it keeps."""
    work = g.get(_KEY)
    if work is not None and work.done:
        return
    db.session.rollback()
    if work is None:
        return
    work.done = True
    try:
        for item in work.resources.values():
            item.discard()
        for write in work.kept:
            _write_kept(write)
    finally:
        _close(work)


def _write_kept(write: Callable[[], Any]) -> None:
    try:
        write()
        db.session.commit()
    except Exception:  # noqa: BLE001 - a lost trace must not hide the refusal itself
        db.session.rollback()
        current_app.logger.exception("could not keep a write of a refused request")


def _close(work: Work) -> None:
    for item in work.resources.values():
        item.close()


@contextmanager
def unit_of_work() -> Iterator[Work]:
    """An explicit boundary (CLI, worker, demo data, tests): commit at the end of the
    block, or roll back when it raises."""
    outer = g.pop(_KEY, None)
    work = g.setdefault(_KEY, Work())
    try:
        yield work
    except BaseException:
        rollback()
        raise
    else:
        commit()
    finally:
        g.pop(_KEY, None)
        if outer is not None:
            g.setdefault(_KEY, outer)


def finish(response: Response) -> Response:
    """The request's boundary: commit a success, roll back anything else."""
    from .errors import DomainError, error_response

    work = _current()
    if work.done:
        return response
    if response.status_code >= 400 or work.failed:
        rollback()
        return response
    try:
        commit()
    except DomainError as exc:
        body, status = error_response(exc.code, exc.message, exc.status)
        return current_app.make_response((body, status))
    return response


def install(app: Flask) -> None:
    """Make every request of ``app`` one unit of work (register this after the hooks
    that should see its final response, e.g. the security headers)."""
    app.after_request(finish)

    @app.teardown_request
    def _abandoned(exc: BaseException | None) -> None:
        work = g.get(_KEY)
        if work is not None and not work.done:
            rollback()
