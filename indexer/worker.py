"""A generic outbox worker: claim a batch of jobs, apply them to the index with one
commit, mark each done or failed.

The loop knows nothing of the database.  The webapp passes callables backed by its
outbox table (``webapp/indexing/jobs.py``):

* ``claim_many()`` — in one transaction, take up to a batch of due jobs and mark them
  taken; an empty list when there is none;
* ``apply_many(jobs)`` — extract the texts if needed and change the index with one
  commit; it returns only after the commit, so a job is never marked done before its
  change is durable, and it returns the jobs that failed on their own (``{id: error}``,
  e.g. an unreadable file);
* ``complete_many(jobs)`` — mark them done;
* ``fail(job, exc)`` — record the error and schedule a retry at
  ``next_attempt_at(attempts)``, or give up (the caller's policy: the webapp gives up
  after its ``MAX_ATTEMPTS``; the job stays visible to ``verify``);
* ``release_many(jobs)`` — hand jobs back untouched (the index writer was busy).

One index commit costs far more than one document's analysis, so a worker that commits
once per job falls behind under a steady stream of uploads: :func:`run_batch` commits
once per batch, and when the batch's commit itself fails, every job is applied alone, so
one bad document never holds back the others.  :func:`run_loop` repeats such a step
until ``stop`` is set; an exception from the step (a database outage) is logged and
retried after a pause, it never stops the loop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from indexer.backend import IndexBusy

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 3600.0


class Job(Protocol):
    """What the loop needs of a job: an id and the number of failed attempts."""

    id: int
    attempts: int


J = TypeVar("J", bound=Job)


def retry_delay(
    attempts: int, base: float = RETRY_BASE_SECONDS, cap: float = RETRY_CAP_SECONDS
) -> float:
    """Seconds to wait after ``attempts`` failures: 5, 10, 20, … capped at an hour."""
    if attempts < 1:
        return 0.0
    return min(cap, base * 2 ** min(attempts - 1, 32))


def next_attempt_at(attempts: int, now: datetime | None = None) -> datetime:
    """When a job that has failed ``attempts`` times may be tried again: ``now`` plus
    :func:`retry_delay`.  ``now`` defaults to the current UTC time as a *naive* datetime,
    the way the database stores times."""
    if now is None:
        now = datetime.now(UTC).replace(tzinfo=None)
    return now + timedelta(seconds=retry_delay(attempts))


def describe(exc: BaseException) -> str:
    """An exception as a log line can show it: type and message (some, like a lock
    timeout, have an empty message)."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_batch(
    claim_many: Callable[[], list[J]],
    apply_many: Callable[[list[J]], dict[int, Exception]],
    complete_many: Callable[[list[J]], None],
    fail: Callable[[J, Exception], None],
    release_many: Callable[[list[J]], None] | None = None,
) -> int:
    """Claim a batch, apply it in one commit, complete or fail each job; returns the
    number of jobs processed (0 when there was nothing to do).  When another process
    holds the index writer (:class:`IndexBusy`, e.g. a ``reindex``), the batch is handed
    back untouched with ``release_many`` (no attempt counted) and 0 is returned, so the
    loop waits instead of failing documents."""
    batch = claim_many()
    if not batch:
        return 0
    try:
        failures = apply_many(batch)
    except IndexBusy as busy:
        if release_many is None:
            raise
        log.info("index writer busy (%s); %d jobs wait", busy, len(batch))
        release_many(batch)
        return 0
    except Exception as exc:  # the batch's commit failed: find the culprit one by one
        log.warning("index batch of %d jobs failed (%s); applying them one by one",
                    len(batch), describe(exc))
        failures = {}
        for job in batch:
            try:
                failures.update(apply_many([job]))
            except Exception as single:  # noqa: BLE001 - recorded on the job
                failures[job.id] = single
    done = [job for job in batch if job.id not in failures]
    for job in batch:
        if job.id in failures:
            log.warning("index job %s failed (attempt %s): %s", job.id, job.attempts,
                        describe(failures[job.id]))
            fail(job, failures[job.id])
    if done:
        complete_many(done)
    return len(batch)


def run_loop(
    step: Callable[[], int],
    stop: threading.Event,
    idle_sleep: float = 1.0,
    error_sleep: float = RETRY_BASE_SECONDS,
) -> int:
    """Call ``step`` (which processes some jobs and returns how many) until ``stop`` is
    set; sleeps ``idle_sleep`` when it found nothing, ``error_sleep`` when it raised (the
    queue is unavailable).  Returns the number of jobs processed."""
    processed = 0
    while not stop.is_set():
        try:
            count = step()
        except Exception:  # the queue itself is unavailable: wait and try again
            log.exception("index worker could not reach its job queue")
            stop.wait(error_sleep)
            continue
        if count:
            processed += count
        else:
            stop.wait(idle_sleep)
    return processed
