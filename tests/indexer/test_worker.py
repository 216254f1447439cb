"""The outbox worker loop, driven by an in-memory job queue with a controllable clock."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from indexer import SearchRequest, VisibilityFilter
from indexer.worker import (
    MAX_ATTEMPTS,
    gave_up,
    next_attempt_at,
    retry_delay,
    run_batch,
    run_loop,
    run_once,
    run_worker,
)

START = datetime(2022, 3, 31, 9, 0, 0)


@dataclass
class Job:
    id: int
    attempts: int = 0
    due: datetime = START
    status: str = "pending"
    errors: list[str] = field(default_factory=list)


class MemoryQueue:
    """An outbox as the webapp keeps it, but in a list; ``now`` is moved by the test."""

    def __init__(self, count: int) -> None:
        self.jobs = [Job(i) for i in range(1, count + 1)]
        self.now = START

    def claim(self) -> Job | None:
        due = [j for j in self.jobs if j.status == "pending" and j.due <= self.now]
        return min(due, key=lambda j: j.id) if due else None

    def complete(self, job: Job) -> None:
        job.status = "done"

    def fail(self, job: Job, exc: Exception) -> None:
        job.attempts += 1
        job.errors.append(str(exc))
        if gave_up(job.attempts):
            job.status = "failed"
        else:
            job.due = next_attempt_at(job.attempts, self.now)


def test_jobs_are_applied_in_order_until_stopped():
    queue = MemoryQueue(5)
    applied: list[int] = []
    stop = threading.Event()

    def apply(job: Job) -> None:
        applied.append(job.id)
        if len(applied) == 5:
            stop.set()

    processed = run_worker(queue.claim, apply, queue.complete, queue.fail, stop)
    assert processed == 5
    assert applied == [1, 2, 3, 4, 5]
    assert {j.status for j in queue.jobs} == {"done"}


def test_a_failed_job_is_retried_with_growing_delays():
    queue = MemoryQueue(2)
    failures = {1: 2}

    def apply(job: Job) -> None:
        if failures.get(job.id, 0) > 0:
            failures[job.id] -= 1
            raise OSError("index locked")

    assert run_once(queue.claim, apply, queue.complete, queue.fail).id == 1
    assert queue.jobs[0].due == START + timedelta(seconds=retry_delay(1))
    assert run_once(queue.claim, apply, queue.complete, queue.fail).id == 2
    assert run_once(queue.claim, apply, queue.complete, queue.fail) is None
    queue.now = queue.jobs[0].due
    run_once(queue.claim, apply, queue.complete, queue.fail)
    assert queue.jobs[0].due - queue.now == timedelta(seconds=retry_delay(2))
    queue.now = queue.jobs[0].due
    run_once(queue.claim, apply, queue.complete, queue.fail)
    assert [j.status for j in queue.jobs] == ["done", "done"]
    assert queue.jobs[0].errors == ["index locked", "index locked"]


def test_a_job_that_keeps_failing_is_given_up():
    queue = MemoryQueue(1)

    def apply(job: Job) -> None:
        raise ValueError("cannot extract text")

    for _ in range(MAX_ATTEMPTS):
        queue.now = queue.jobs[0].due
        run_once(queue.claim, apply, queue.complete, queue.fail)
    assert queue.jobs[0].status == "failed"
    assert len(queue.jobs[0].errors) == MAX_ATTEMPTS


def test_an_unreachable_queue_does_not_stop_the_worker():
    queue = MemoryQueue(1)
    outages = [ConnectionError("database restarting")]
    stop = threading.Event()

    def claim() -> Job | None:
        if outages:
            raise outages.pop()
        return queue.claim()

    def complete(job: Job) -> None:
        queue.complete(job)
        stop.set()

    assert run_worker(claim, lambda job: None, complete, queue.fail, stop, error_sleep=0.01) == 1
    assert queue.jobs[0].status == "done"


def test_stop_interrupts_an_idle_wait_at_once():
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        kwargs=dict(
            claim=lambda: None, apply=None, complete=None, fail=None, stop=stop, idle_sleep=60
        ),
    )
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 1


def test_a_job_is_completed_only_once_its_document_is_searchable(backend, make_doc):
    queue = MemoryQueue(3)
    docs = {i: make_doc(i, f"第{i}份聘任合同") for i in (1, 2, 3)}
    searchable_at_completion: list[bool] = []

    def complete(job: Job) -> None:
        found = backend.search(SearchRequest(f'"第{job.id}份"', VisibilityFilter(all_visible=True)))
        searchable_at_completion.append([hit.id for hit in found.hits] == [job.id])
        queue.complete(job)

    while run_once(queue.claim, lambda job: backend.upsert(docs[job.id]), complete, queue.fail):
        pass
    assert searchable_at_completion == [True, True, True]


def test_retry_policy():
    assert [retry_delay(n) for n in range(5)] == [0.0, 5.0, 10.0, 20.0, 40.0]
    assert retry_delay(50) == 3600.0
    assert next_attempt_at(3, START) == START + timedelta(seconds=20)
    default = next_attempt_at(1)
    assert default.tzinfo is None
    now = datetime.now(UTC).replace(tzinfo=None)
    assert timedelta(seconds=4) < default - now <= timedelta(seconds=5)
    assert not gave_up(MAX_ATTEMPTS - 1) and gave_up(MAX_ATTEMPTS)


def _batch_queue(queue: MemoryQueue, size: int):
    """``claim_many``/``complete_many`` over ``queue`` (up to ``size`` jobs at a time)."""
    def claim_many() -> list[Job]:
        due = [j for j in queue.jobs if j.status == "pending" and j.due <= queue.now]
        return sorted(due, key=lambda j: j.id)[:size]

    def complete_many(jobs: list[Job]) -> None:
        for job in jobs:
            queue.complete(job)

    return claim_many, complete_many


def test_a_batch_is_applied_with_one_commit():
    queue = MemoryQueue(7)
    claim_many, complete_many = _batch_queue(queue, 3)
    commits: list[list[int]] = []

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        commits.append([job.id for job in jobs])
        return {}

    stop = threading.Event()

    def step() -> int:
        count = run_batch(claim_many, apply_many, complete_many, queue.fail)
        if not count:
            stop.set()
        return count

    assert run_loop(step, stop, idle_sleep=0) == 7
    assert commits == [[1, 2, 3], [4, 5, 6], [7]]
    assert {j.status for j in queue.jobs} == {"done"}


def test_one_bad_document_does_not_hold_back_its_batch():
    queue = MemoryQueue(4)
    claim_many, complete_many = _batch_queue(queue, 4)
    committed: list[int] = []

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        ids = [job.id for job in jobs]
        if 3 in ids:  # job 3 breaks the commit of any batch it is in
            raise OSError("index write failed")
        if 2 in ids:  # job 2's document cannot be prepared; the rest commit
            ids.remove(2)
            committed.extend(ids)
            return {2: ValueError("text extraction failed")}
        committed.extend(ids)
        return {}

    assert run_batch(claim_many, apply_many, complete_many, queue.fail) == 4
    assert sorted(committed) == [1, 4]
    assert [j.status for j in queue.jobs] == ["done", "pending", "pending", "done"]
    assert queue.jobs[1].errors == ["text extraction failed"]
    assert queue.jobs[2].errors == ["index write failed"]
    assert queue.jobs[2].due == START + timedelta(seconds=retry_delay(1))


def test_a_busy_index_writer_hands_the_batch_back_without_failing_it(caplog):
    """A reindex in another process holds the writer: the worker's batch is neither
    failed nor retried one by one; its jobs wait, with no attempt counted."""
    from indexer import IndexBusy

    queue = MemoryQueue(3)
    claim_many, complete_many = _batch_queue(queue, 3)
    released: list[list[int]] = []

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        raise IndexBusy("search index writer busy: held by pid 4242 (write documents)")

    def release_many(jobs: list[Job]) -> None:
        released.append([job.id for job in jobs])
        for job in jobs:
            job.status = "pending"

    with caplog.at_level("INFO", logger="indexer.worker"):
        assert run_batch(claim_many, apply_many, complete_many, queue.fail, release_many) == 0
    assert released == [[1, 2, 3]]
    assert all(j.status == "pending" and j.attempts == 0 and not j.errors for j in queue.jobs)
    assert "pid 4242" in caplog.text


def test_a_failed_batch_says_why_even_when_the_error_has_no_message(caplog):
    """The field report: ``index batch of 20 jobs failed ()`` — an exception with an
    empty message (a lock timeout) left the log without a reason."""

    class LockError(Exception):
        pass

    queue = MemoryQueue(2)
    claim_many, complete_many = _batch_queue(queue, 2)

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        raise LockError()

    with caplog.at_level("WARNING", logger="indexer.worker"):
        run_batch(claim_many, apply_many, complete_many, queue.fail)
    assert "index batch of 2 jobs failed (LockError)" in caplog.text
    assert "index job 1 failed (attempt 0): LockError" in caplog.text
