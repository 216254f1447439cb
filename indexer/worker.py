"""A generic outbox worker: claim a job, apply it to the index, mark it done or failed.

The loop knows nothing of the database.  The webapp passes four callables backed by its
outbox table, for example:

* ``claim()`` — in one transaction, take the oldest job whose ``available_at`` has come
  and mark it taken; ``None`` when there is none;
* ``apply(job)`` — extract the text if needed and upsert or delete the document in the
  index; it returns only after the index commit, so a job is never marked done before
  its change is durable;
* ``complete(job)`` — delete the job (or mark it done);
* ``fail(job, exc)`` — record the error, increment ``attempts`` and set
  ``available_at = next_attempt_at(attempts)``, or give up when
  ``gave_up(attempts)`` (the job stays visible to ``verify``).

An exception from ``claim``/``complete``/``fail`` (a database outage) is logged and
retried after a pause; it never stops the loop.  Only ``stop`` does.

Batches
    One index commit costs far more than one document's analysis (a Whoosh commit writes
    and merges segments), so a worker that commits once per job falls behind under a
    steady stream of uploads.  :func:`run_batch` claims up to a batch of jobs, applies
    them with one commit (``apply_many`` returns the jobs that failed on their own, e.g.
    an unreadable file) and completes the rest; when the batch's commit itself fails,
    every job is applied alone, so one bad document never holds back the others.
    :func:`run_loop` repeats any such step until ``stop`` is set.
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
MAX_ATTEMPTS = 10


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


def gave_up(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """True when a job has failed too often to retry automatically."""
    return attempts >= max_attempts


def run_once(
    claim: Callable[[], J | None],
    apply: Callable[[J], None],
    complete: Callable[[J], None],
    fail: Callable[[J, Exception], None],
) -> J | None:
    """Process at most one job; returns it, or ``None`` when there was nothing to do."""
    job = claim()
    if job is None:
        return None
    try:
        apply(job)
    except Exception as exc:  # any failure of one job is recorded, never fatal
        log.warning("index job %s failed (attempt %s): %s", job.id, job.attempts + 1,
                    describe(exc))
        fail(job, exc)
        return job
    complete(job)
    return job


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


def run_worker(
    claim: Callable[[], J | None],
    apply: Callable[[J], None],
    complete: Callable[[J], None],
    fail: Callable[[J, Exception], None],
    stop: threading.Event,
    idle_sleep: float = 1.0,
    error_sleep: float = RETRY_BASE_SECONDS,
) -> int:
    """Run jobs one at a time until ``stop`` is set; sleeps ``idle_sleep`` when the
    queue is empty.  Returns the number of jobs processed (done or failed)."""
    def step() -> int:
        return 0 if run_once(claim, apply, complete, fail) is None else 1

    return run_loop(step, stop, idle_sleep, error_sleep)
