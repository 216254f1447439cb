"""What one user's searching may cost the server: concurrent searches per user, and the
engine's cost limits (index terms, time budget) from the settings.

A user past ``GOVCOUNSEL_SEARCH_PER_USER`` searches running at once gets 429 with
``Retry-After`` at once (nothing waits, so a flood from one user holds at most that
many server threads); a query past its limits gets 422 with a Chinese explanation.
The count is per web process.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from indexer import CostLimits

from ..errors import DomainError

RETRY_AFTER_SECONDS = 1


class SearchBusy(DomainError):
    """The user already has as many searches running as allowed (429)."""

    status = 429

    def __init__(self) -> None:
        super().__init__("search_busy")
        self.retry_after = RETRY_AFTER_SECONDS


class SearchGate:
    """Counts each user's running searches in this process."""

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._lock = threading.Lock()
        self._running: Counter[int] = Counter()

    @contextmanager
    def slot(self, user_id: int) -> Iterator[None]:
        """Hold one of the user's search slots; :class:`SearchBusy` when none is free."""
        with self._lock:
            if self._running[user_id] >= self.per_user:
                raise SearchBusy()
            self._running[user_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[user_id] -= 1
                if not self._running[user_id]:
                    del self._running[user_id]


def gate(app: Flask | None = None) -> SearchGate:
    """The app's search gate (created on first use from the settings)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    ext = app.extensions["govcounsel"]
    if "search_gate" not in ext:
        ext.setdefault("search_gate", SearchGate(int(app.config["GOVCOUNSEL_SEARCH_PER_USER"])))
    return ext["search_gate"]


def cost_limits(app: Flask | None = None) -> CostLimits:
    """The engine's limits for one search, from the settings."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return CostLimits(max_terms=int(app.config["GOVCOUNSEL_SEARCH_MAX_TERMS"]),
                      time_budget=int(app.config["GOVCOUNSEL_SEARCH_TIME_BUDGET_MS"]) / 1000)
