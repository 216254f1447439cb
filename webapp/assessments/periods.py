"""Quarters as periods (``2022Q1``): bounds, neighbours and Chinese names."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from .linking import PERIOD, parse_period, period_of

QUARTER_NAMES = ("一", "二", "三", "四")


def quarter_bounds(period: str) -> tuple[date, date]:
    """First and last day of the quarter (422 for a malformed period such as 2022Q5)."""
    year, quarter = parse_period(period)
    last_month = quarter * 3
    return date(year, last_month - 2, 1), date(year, last_month, monthrange(year, last_month)[1])


def previous_period(period: str) -> str:
    """The quarter before: ``2021Q4`` for ``2022Q1``."""
    year, quarter = parse_period(period)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def next_period(period: str) -> str:
    """The quarter after: ``2022Q1`` for ``2021Q4``."""
    year, quarter = parse_period(period)
    return f"{year + 1}Q1" if quarter == 4 else f"{year}Q{quarter + 1}"


def current_period(today: date | None = None) -> str:
    """The quarter of ``today``."""
    return period_of(today or date.today())


def year_periods(year: int) -> list[str]:
    """The four quarters of ``year``."""
    return [f"{year}Q{q}" for q in range(1, 5)]


def choosable_periods(first: str, count: int, keep: str | None = None) -> list[str]:
    """``count`` quarters from ``first`` on, plus ``keep`` (a well-formed quarter) if outside."""
    periods = [first]
    while len(periods) < count:
        periods.append(next_period(periods[-1]))
    if keep and PERIOD.match(keep) and keep not in periods:
        periods = sorted([*periods, keep])
    return periods


def period_label(period: str) -> str:
    """``2022年第一季度``: how every page names a quarter (the API keeps ``2022Q1``)."""
    year, quarter = parse_period(period)
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"
