"""The outbox: claim, apply, complete and fail index jobs.

Applying a job is state-based: it reads the document as it is now and makes the
index agree (upsert, or delete when the document is deleted). So a job applied
twice does no harm, older pending jobs of the same document are folded into the
one being applied, and a crash anywhere leaves a job that will be applied again.
A job is marked done only after the index commit.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from indexer.worker import next_attempt_at

from ..extensions import db
from ..models import Document, IndexJob, utcnow
from . import extraction
from .backend import current_text, get_backend, index_doc

HOST = socket.gethostname()
WORKER_ID = f"{HOST}:{os.getpid()}"
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class Claimed:
    """A claimed job (plain data, safe across sessions)."""

    id: int
    document_id: int
    action: str
    attempts: int


def _dead_local_workers(claimants: set[str]) -> list[str]:
    """Claimants that were processes of this machine and no longer exist."""
    dead = []
    for claimant in claimants:
        host, _, pid = claimant.rpartition(":")
        if host != HOST or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(claimant)
        except PermissionError:  # alive, another user's process
            continue
    return dead


def release_abandoned_claims() -> None:
    """Put back jobs whose worker died: at once when it was a process of this machine
    that no longer exists (a restart after a crash catches up immediately), after
    ``STALE_CLAIM`` otherwise (a worker on another machine may still be applying it)."""
    now = utcnow()
    running = IndexJob.status == "running"
    claimants = set(db.session.execute(
        select(IndexJob.claimed_by).where(running).distinct()).scalars())
    dead = _dead_local_workers({c for c in claimants if c})
    abandoned = IndexJob.claimed_at < now - STALE_CLAIM
    if dead:
        abandoned = abandoned | IndexJob.claimed_by.in_(dead)
    db.session.execute(update(IndexJob).where(running, abandoned).values(status="pending"))


def claim() -> Claimed | None:
    """Take the oldest due job (SKIP LOCKED on PostgreSQL; SQLite serialises writers)."""
    now = utcnow()
    release_abandoned_claims()
    stmt = (select(IndexJob).where(IndexJob.status == "pending",
                                   IndexJob.next_attempt_at <= now)
            .order_by(IndexJob.id).limit(1))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    job = db.session.execute(stmt).scalar_one_or_none()
    if job is None:
        db.session.commit()
        return None
    job.status, job.claimed_by, job.claimed_at = "running", WORKER_ID, now
    job.attempts += 1
    claimed = Claimed(job.id, job.document_id, job.action, job.attempts)
    db.session.commit()
    return claimed


def apply(job: Claimed) -> None:
    """Make the index agree with the document's current state (commits the index)."""
    doc = db.session.get(Document, job.document_id)
    backend = get_backend()
    if doc is None or doc.deleted_at is not None:
        backend.delete(job.document_id)
        return
    text = current_text(doc)
    if text is None:
        text = extraction.extract_current(doc)
    backend.upsert(index_doc(doc, text))


def complete(job: Claimed) -> None:
    """Mark the job and every older pending job of the same document done."""
    now = utcnow()
    db.session.execute(update(IndexJob).where(
        IndexJob.document_id == job.document_id, IndexJob.id <= job.id,
        IndexJob.status.in_(("pending", "running"))).values(status="done", done_at=now))
    doc = db.session.get(Document, job.document_id)
    if doc is not None:
        newer = db.session.execute(select(IndexJob.id).where(
            IndexJob.document_id == doc.id, IndexJob.status == "pending")).first()
        if not newer:
            doc.index_status, doc.index_error = "indexed", None
    db.session.commit()


def fail(job: Claimed, exc: Exception) -> None:
    """Record the error; retry later with backoff, or give up after MAX_ATTEMPTS."""
    db.session.rollback()
    row = db.session.get(IndexJob, job.id)
    if row is None:
        return
    message = f"{type(exc).__name__}: {exc}"[:2000]
    row.last_error = message
    if job.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        doc = db.session.get(Document, job.document_id)
        if doc is not None:
            doc.index_status, doc.index_error = "failed", message
    else:
        row.status = "pending"
        row.next_attempt_at = next_attempt_at(job.attempts)
    db.session.commit()


def run_once() -> bool:
    """Claim and apply one job; False when there was nothing to do."""
    job = claim()
    if job is None:
        return False
    try:
        apply(job)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
        fail(job, exc)
        return True
    complete(job)
    return True


def drain(limit: int = 100_000) -> int:
    """Apply due jobs until none is left (tests, CLI); returns how many ran."""
    count = 0
    while count < limit and run_once():
        count += 1
    return count
