"""The outbox worker loop, driven by an in-memory job queue with a controllable clock."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from indexer import SearchRequest, VisibilityFilter
from indexer.worker import next_attempt_at, retry_delay, run_batch, run_loop

START = datetime(2022, 3, 31, 9, 0, 0)
GIVE_UP_AFTER = 4  # the queue's policy (the webapp's is jobs.MAX_ATTEMPTS)


@dataclass
class Job:
    id: int
    attempts: int = 0
    due: datetime = START
    status: str = "pending"
    errors: list[str] = field(default_factory=list)


class MemoryQueue:
    """An outbox as the webapp keeps it, but in a list; ``now`` is moved by the test."""

    def __init__(self, count: int, batch: int = 20) -> None:
        self.jobs = [Job(i) for i in range(1, count + 1)]
        self.now = START
        self.batch = batch

    def claim_many(self) -> list[Job]:
        due = [j for j in self.jobs if j.status == "pending" and j.due <= self.now]
        return sorted(due, key=lambda j: j.id)[: self.batch]

    def complete_many(self, jobs: list[Job]) -> None:
        for job in jobs:
            job.status = "done"

    def fail(self, job: Job, exc: Exception) -> None:
        job.attempts += 1
        job.errors.append(str(exc))
        if job.attempts >= GIVE_UP_AFTER:
            job.status = "failed"
        else:
            job.due = next_attempt_at(job.attempts, self.now)

    def step(self, apply_many) -> int:
        """One batch of the worker (what ``run_loop`` repeats)."""
        return run_batch(self.claim_many, apply_many, self.complete_many, self.fail)


def each(apply_one):
    """``apply_many`` that applies jobs one by one, each failure its own."""
    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        failures: dict[int, Exception] = {}
        for job in jobs:
            try:
                apply_one(job)
            except Exception as exc:  # noqa: BLE001 - the job's own failure
                failures[job.id] = exc
        return failures

    return apply_many


def test_jobs_are_applied_in_order_until_stopped():
    queue = MemoryQueue(5, batch=2)
    applied: list[int] = []
    stop = threading.Event()

    def apply(job: Job) -> None:
        applied.append(job.id)
        if len(applied) == 5:
            stop.set()

    processed = run_loop(lambda: queue.step(each(apply)), stop)
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

    assert queue.step(each(apply)) == 2
    assert [j.status for j in queue.jobs] == ["pending", "done"]
    assert queue.jobs[0].due == START + timedelta(seconds=retry_delay(1))
    assert queue.step(each(apply)) == 0  # not due yet
    queue.now = queue.jobs[0].due
    queue.step(each(apply))
    assert queue.jobs[0].due - queue.now == timedelta(seconds=retry_delay(2))
    queue.now = queue.jobs[0].due
    queue.step(each(apply))
    assert [j.status for j in queue.jobs] == ["done", "done"]
    assert queue.jobs[0].errors == ["index locked", "index locked"]


def test_a_job_that_keeps_failing_is_given_up():
    queue = MemoryQueue(1)

    def apply(job: Job) -> None:
        raise ValueError("cannot extract text")

    for _ in range(GIVE_UP_AFTER):
        queue.now = queue.jobs[0].due
        queue.step(each(apply))
    assert queue.jobs[0].status == "failed"
    assert len(queue.jobs[0].errors) == GIVE_UP_AFTER
    assert queue.step(each(apply)) == 0


def test_an_unreachable_queue_does_not_stop_the_worker():
    queue = MemoryQueue(1)
    outages = [ConnectionError("database restarting")]
    stop = threading.Event()

    def claim_many() -> list[Job]:
        if outages:
            raise outages.pop()
        return queue.claim_many()

    def complete_many(jobs: list[Job]) -> None:
        queue.complete_many(jobs)
        stop.set()

    def step() -> int:
        return run_batch(claim_many, each(lambda job: None), complete_many, queue.fail)

    assert run_loop(step, stop, error_sleep=0.01) == 1
    assert queue.jobs[0].status == "done"


def test_stop_interrupts_an_idle_wait_at_once():
    stop = threading.Event()
    thread = threading.Thread(target=run_loop, args=(lambda: 0, stop),
                              kwargs={"idle_sleep": 60})
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 1


def test_a_job_is_completed_only_once_its_document_is_searchable(backend, make_doc):
    queue = MemoryQueue(3, batch=2)
    docs = {i: make_doc(i, f"第{i}份聘任合同") for i in (1, 2, 3)}
    searchable_at_completion: list[bool] = []

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        backend.apply_changes([docs[job.id] for job in jobs], [])
        return {}

    def complete_many(jobs: list[Job]) -> None:
        for job in jobs:
            found = backend.search(SearchRequest(f'"第{job.id}份"',
                                                 VisibilityFilter(all_visible=True)))
            searchable_at_completion.append([hit.id for hit in found.hits] == [job.id])
        queue.complete_many(jobs)

    while run_batch(queue.claim_many, apply_many, complete_many, queue.fail):
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


def test_a_batch_is_applied_with_one_commit():
    queue = MemoryQueue(7, batch=3)
    claim_many, complete_many = queue.claim_many, queue.complete_many
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
    queue = MemoryQueue(4, batch=4)
    claim_many, complete_many = queue.claim_many, queue.complete_many
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

    queue = MemoryQueue(3, batch=3)
    claim_many, complete_many = queue.claim_many, queue.complete_many
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

    queue = MemoryQueue(2, batch=2)
    claim_many, complete_many = queue.claim_many, queue.complete_many

    def apply_many(jobs: list[Job]) -> dict[int, Exception]:
        raise LockError()

    with caplog.at_level("WARNING", logger="indexer.worker"):
        run_batch(claim_many, apply_many, complete_many, queue.fail)
    assert "index batch of 2 jobs failed (LockError)" in caplog.text
    assert "index job 1 failed (attempt 0): LockError" in caplog.text
