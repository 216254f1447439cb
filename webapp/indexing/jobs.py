"""The outbox: claim, apply, complete and fail index jobs.

Applying a job is state-based: it reads the document as it is now and makes the
index agree (upsert, or delete when the document is deleted). So a job applied
twice does no harm, older pending jobs of the same document are folded into the
one being applied, and a crash anywhere leaves a job that will be applied again.
A job is marked done only after the index commit.

The worker takes jobs in batches (``run_batch``: up to ``BATCH`` due jobs, one per
document, applied with one index commit), so a backlog after a burst of uploads costs
one commit per batch rather than per document.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from indexer import IndexDoc
from indexer.worker import next_attempt_at
from indexer.worker import run_batch as run_job_batch

from ..extensions import db
from ..models import Document, IndexJob, utcnow
from . import extraction
from .backend import current_text, get_backend, index_doc

HOST = socket.gethostname()
WORKER_ID = f"{HOST}:{os.getpid()}"
MAX_ATTEMPTS = 8
BATCH = 20
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


def claim_batch(limit: int = BATCH) -> list[Claimed]:
    """Take up to ``limit`` of the oldest due jobs, at most one per document (a later
    job of the same document waits for the next batch); SKIP LOCKED on PostgreSQL, so
    workers on several machines never take the same job. OCR jobs come after every other
    due job and run one per batch, alone, so uploads and edits are indexed while a
    backlog of scans waits."""
    now = utcnow()
    release_abandoned_claims()
    stmt = (select(IndexJob).where(IndexJob.status == "pending",
                                   IndexJob.next_attempt_at <= now)
            .order_by(IndexJob.action == "ocr", IndexJob.id).limit(limit * 2))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    taken: list[Claimed] = []
    documents: set[int] = set()
    for job in db.session.execute(stmt).scalars():
        if job.document_id in documents or len(taken) == limit:
            continue
        if job.action == "ocr" and taken:  # OCR takes minutes: alone, when nothing else waits
            break
        documents.add(job.document_id)
        job.status, job.claimed_by, job.claimed_at = "running", WORKER_ID, now
        job.attempts += 1
        taken.append(Claimed(job.id, job.document_id, job.action, job.attempts))
    db.session.commit()
    return taken


def _prepare(job: Claimed) -> IndexDoc | None:
    """The index document for ``job``'s document as it is now (its text extracted if
    not yet), or ``None`` when the document is gone or deleted."""
    doc = db.session.get(Document, job.document_id)
    if doc is None or doc.deleted_at is not None:
        return None
    text = current_text(doc)
    if text is None:
        text = extraction.extract_current(doc)
    elif extraction.ocr_waiting(doc):
        text = extraction.recognise_current(doc)
    return index_doc(doc, text)


def apply_batch(batch: list[Claimed]) -> dict[int, Exception]:
    """Make the index agree with the current state of every job's document, in one index
    commit.  A job whose document cannot be prepared is left out and returned with its
    error (``{job id: exception}``); an error of the commit itself is raised."""
    upserts: list[IndexDoc] = []
    deletes: list[int] = []
    failures: dict[int, Exception] = {}
    for job in batch:
        try:
            doc = _prepare(job)
        except Exception as exc:  # noqa: BLE001 - this job fails, the others go on
            db.session.rollback()
            failures[job.id] = exc
            continue
        if doc is None:
            deletes.append(job.document_id)
        else:
            upserts.append(doc)
    db.session.rollback()  # end the read transaction: the index commit may take a while
    if upserts or deletes:
        get_backend().apply_changes(upserts, deletes)
    return failures


def complete_many(batch: list[Claimed]) -> None:
    """Mark each job and every older pending job of its document done, in one
    transaction; a document with no newer pending job is ``indexed``."""
    now = utcnow()
    for job in batch:
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


def release_many(batch: list[Claimed]) -> None:
    """Hand claimed jobs back untouched (the index writer was busy): pending again, the
    attempt not counted."""
    db.session.rollback()
    for job in batch:
        db.session.execute(update(IndexJob).where(
            IndexJob.id == job.id, IndexJob.status == "running").values(
            status="pending", claimed_by=None, attempts=IndexJob.attempts - 1))
    db.session.commit()


def work_waiting() -> bool:
    """Whether a batch could find anything: a due pending job, or a claimed one (whose
    worker may have died).  A cheap read, so an idle worker can poll often."""
    due = (IndexJob.status == "pending") & (IndexJob.next_attempt_at <= utcnow())
    found = db.session.execute(select(IndexJob.id).where(
        due | (IndexJob.status == "running")).limit(1)).first()
    db.session.rollback()
    return found is not None


def run_batch(limit: int = BATCH) -> int:
    """Claim up to ``limit`` due jobs and apply them in one index commit (one by one if
    that commit fails; handed back if another process holds the index writer); returns
    how many were processed."""
    return run_job_batch(lambda: claim_batch(limit), apply_batch, complete_many, fail,
                         release_many)


def drain(limit: int = 100_000) -> int:
    """Apply due jobs until none is left (tests, CLI); returns how many ran."""
    count = 0
    while count < limit and (processed := run_batch(min(BATCH, limit - count))):
        count += processed
    return count
