"""``Idempotency-Key`` on ``POST /api/v1/documents``: a retried upload (same key, same
user) answers with the document the first request registered and registers nothing.

The key is written in the same transaction as the document, so a request that failed
left no key and may be retried; two concurrent requests with one key collide on the
unique (user, key) constraint at commit and the second gets a 409.
"""

from __future__ import annotations

from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db
from ..models import Document, IdempotencyKey, User

HEADER = "Idempotency-Key"


def key_from(value: str | None) -> str | None:
    """The header's key (None when absent); 400 when it is not 1–100 visible characters."""
    if value is None:
        return None
    key = value.strip()
    if not key or len(key) > 100 or not key.isprintable():
        raise DomainError("idempotency_key", status=400)
    return key


def replay(user: User, key: str | None) -> Document | None:
    """The document an earlier request of ``user`` with ``key`` registered, if any."""
    if key is None:
        return None
    row = db.session.execute(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user.id, IdempotencyKey.key == key)).scalar_one_or_none()
    return db.session.get(Document, row.document_id) if row else None


def remember(user: User, key: str | None, doc: Document) -> None:
    """Record that ``key`` registered ``doc`` (flush only, in the upload's transaction)."""
    if key is not None:
        db.session.add(IdempotencyKey(user_id=user.id, key=key, document_id=doc.id))
