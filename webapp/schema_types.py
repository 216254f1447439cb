"""Field types shared by the pydantic models that describe JSON responses.

The database stores naive UTC datetimes; ``UtcDateTime`` makes them say so on
the way out: ISO 8601 with the offset (``2026-11-27T03:00:00+00:00``), as RFC 3339
``date-time`` requires and the OpenAPI document states.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[
    datetime,
    AfterValidator(as_utc),
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time",
                    "description": "UTC 时间，ISO 8601 格式并带时区偏移，"
                                   "如 2026-11-27T03:00:00+00:00"}),
]
