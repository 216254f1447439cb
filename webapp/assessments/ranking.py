"""The ranking rules, as pure functions over totals.

- Rank by total, highest first. Equal totals share a rank and the next rank skips
  the shared places (standard competition ranking: 1, 2, 2, 4).
- Bottom five (后5位): the agencies in the last five places. When agencies tied at
  the boundary straddle it, all of them are included, so the bottom five can hold
  more than five agencies; with five agencies or fewer, every agency is in it.
- Accountability interview (约谈问责): in the bottom five this quarter and in the
  previous quarter's published ranking as well (2021Q4 → 2022Q1 across the year).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
BOTTOM = 5


def competition_ranks(totals: Mapping[K, Decimal]) -> dict[K, int]:
    """``{key: rank}``: highest total first, ties share the rank, the next rank skips."""
    ordered = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks


def bottom_five(totals: Mapping[K, Decimal], size: int = BOTTOM) -> set[K]:
    """Keys in the last ``size`` places, with everyone tied at the boundary included."""
    if not totals:
        return set()
    ordered = sorted(totals.values(), reverse=True)
    threshold = ordered[max(0, len(ordered) - size)]
    return {key for key, total in totals.items() if total <= threshold}


def interviews(bottom_now: set[K], bottom_before: set[K]) -> set[K]:
    """Keys in the bottom five in both quarters."""
    return bottom_now & bottom_before
