"""Chart.js configurations as plain data: pages embed them as JSON, ``charts.js`` draws them.

No inline script (the CSP forbids it): a page writes the config with
``<script type="application/json" id="...">`` and a ``<canvas data-chart="...">``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

PALETTE = ("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0",
           "#ffc107", "#6c757d", "#d63384")
HIGHLIGHT, NORMAL = "#dc3545", "#0d6efd"


def _num(value: Any) -> float | int:
    if value is None:
        return 0
    return float(value) if isinstance(value, Decimal | float) else value


def _count_axis(axis: str, values: Sequence[Any]) -> dict[str, Any]:
    """Counts (all integers) get whole-number ticks: no "0.5 件" on the axis."""
    if all(isinstance(_num(v), int) for v in values):
        return {"scales": {axis: {"beginAtZero": True, "ticks": {"precision": 0}}}}
    return {}


def bar(labels: Sequence[str], values: Sequence[Any], name: str, *,
        horizontal: bool = False, highlight: Sequence[bool] | None = None,
        aspect: float = 2.0) -> dict[str, Any]:
    """A one-series bar chart; ``highlight`` marks bars in red (e.g. the bottom five)."""
    colours = ([HIGHLIGHT if h else NORMAL for h in highlight] if highlight is not None
               else NORMAL)
    return {"type": "bar",
            "data": {"labels": list(labels), "datasets": [
                {"label": name, "data": [_num(v) for v in values], "backgroundColor": colours}]},
            "options": {"indexAxis": "y" if horizontal else "x", "aspectRatio": aspect,
                        "plugins": {"legend": {"display": False}},
                        **_count_axis("x" if horizontal else "y", values)}}


def doughnut(labels: Sequence[str], values: Sequence[Any], name: str) -> dict[str, Any]:
    """A doughnut chart of shares."""
    return {"type": "doughnut",
            "data": {"labels": list(labels), "datasets": [
                {"label": name, "data": [_num(v) for v in values],
                 "backgroundColor": list(PALETTE[:len(labels)])}]},
            "options": {"aspectRatio": 1.6, "plugins": {"legend": {"position": "right"}}}}


def line(labels: Sequence[str], series: dict[str, Sequence[Any]]) -> dict[str, Any]:
    """A line chart with one line per series."""
    return {"type": "line",
            "data": {"labels": list(labels), "datasets": [
                {"label": name, "data": [_num(v) for v in values], "borderColor": PALETTE[i],
                 "backgroundColor": PALETTE[i], "tension": 0.2}
                for i, (name, values) in enumerate(series.items())]},
            "options": {"aspectRatio": 2.5,
                        **_count_axis("y", [v for values in series.values() for v in values])}}
