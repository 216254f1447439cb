"""Gap-free yearly sequences (registration numbers, contract numbers).

The counter row is incremented with an UPDATE inside the caller's transaction:
the database's row lock serialises concurrent requests (also across processes
and machines on PostgreSQL), and a rolled-back transaction gives its number back,
so numbers stay unique and gap-free.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .extensions import db
from .models import Counter


def _ensure_row(name: str, year: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Counter).values(name=name, year=year, value=0).on_conflict_do_nothing()
    db.session.execute(stmt)


def next_seq(name: str, year: int) -> int:
    """Take the next number of sequence ``name`` for ``year`` (1, 2, 3, …)."""
    stmt = update(Counter).where(Counter.name == name, Counter.year == year).values(
        value=Counter.value + 1)
    if db.session.execute(stmt).rowcount == 0:
        _ensure_row(name, year)
        db.session.execute(stmt)
    return db.session.execute(
        select(Counter.value).where(Counter.name == name, Counter.year == year)).scalar_one()


def format_number(pattern: str, year: int, seq: int) -> str:
    """Render a numbering pattern such as ``汴法顾〔{year}〕第{seq:03d}号``."""
    return pattern.format(year=year, seq=seq)
