"""The index worker as a background thread (``serve``) or a foreground loop (``worker``)."""

from __future__ import annotations

import threading

from flask import Flask

from indexer.worker import run_loop

from . import jobs

_THREADS: dict[int, tuple[threading.Thread, threading.Event]] = {}


IDLE_SLEEP = 0.1


def loop(app: Flask, stop: threading.Event, idle_sleep: float = IDLE_SLEEP) -> None:
    """Apply jobs in batches (one index commit each) until ``stop`` is set.  An idle
    worker looks for work ten times a second with a cheap read (no write transaction),
    so an upload is picked up within ~0.1 s."""
    def step() -> int:
        with app.app_context():
            if not jobs.work_waiting():
                return 0
            return jobs.run_batch()

    with app.app_context():
        from ..ops.reindex import rebuild_if_needed

        for line in rebuild_if_needed(app):
            app.logger.info(line)
    run_loop(step, stop, idle_sleep=idle_sleep)


def start_thread(app: Flask) -> threading.Event:
    """Start the in-process worker thread once per app; returns its stop event."""
    if id(app) in _THREADS:
        return _THREADS[id(app)][1]
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(app, stop), name="govcounsel-index-worker",
                              daemon=True)
    thread.start()
    _THREADS[id(app)] = (thread, stop)
    return stop


def stop_thread(app: Flask, timeout: float = 5.0) -> None:
    """Stop the app's in-process worker thread (if any) and wait for it a little."""
    entry = _THREADS.pop(id(app), None)
    if entry is not None:
        thread, stop = entry
        stop.set()
        thread.join(timeout)
