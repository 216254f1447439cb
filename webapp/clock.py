"""The service's local time: ``GOVCOUNSEL_TIMEZONE`` (default Asia/Shanghai).

Dates a user sees or gets as a default ("today", a quarter, a term that starts
today) are dates of the city the service runs for, not of UTC: between 00:00 and
08:00 Beijing time, UTC is still on the day before (#15, UI finding 7). As Django
does with ``TIME_ZONE``, :func:`install` makes the setting the process's local
time zone, so every ``date.today()`` of the service is a local date; stored
timestamps stay UTC (``models.utcnow``) and are shown with :func:`local`.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, has_app_context

DEFAULT = "Asia/Shanghai"


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; a ValueError (in Chinese) when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"GOVCOUNSEL_TIMEZONE 不是有效的时区名称：{name!r}（例如 Asia/Shanghai）"
                         ) from exc


def install(app: Flask) -> None:
    """Make the app's time zone the process's local one (``date.today()``)."""
    name = app.config.get("GOVCOUNSEL_TIMEZONE") or DEFAULT
    zone_named(name)
    if os.environ.get("TZ") != name:
        os.environ["TZ"] = name
    if hasattr(time, "tzset"):
        time.tzset()


def zone() -> ZoneInfo:
    """The service's time zone."""
    name = current_app.config.get("GOVCOUNSEL_TIMEZONE") if has_app_context() else None
    return zone_named(name or DEFAULT)


def today() -> date:
    """Today's date where the service is."""
    return datetime.now(zone()).date()


def local(value: datetime) -> datetime:
    """A stored (naive UTC) timestamp in the service's time zone."""
    return value.replace(tzinfo=UTC).astimezone(zone())


def utc_start(day: date) -> datetime:
    """The (naive UTC) instant the local ``day`` begins, for filtering stored timestamps."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone())
    return start.astimezone(UTC).replace(tzinfo=None)
