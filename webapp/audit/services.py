"""Append events to the hash-chained audit trail and verify the chain.

Each event's ``hash`` is the SHA-256 of its canonical content plus the previous
event's hash. Appending locks the single ``audit_head`` row with an UPDATE first,
so concurrent writers get consecutive sequence numbers and a linear chain.
Deleting, editing or reordering any row breaks the chain, which
``verify_chain`` reports with the sequence number where it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, update

from ..extensions import db
from ..models import AuditEvent, AuditHead, User, utcnow

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq, "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id, "actor_name": event.actor_name, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "ip": event.ip,
        "detail": event.detail, "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    """The chain hash of an event (covers ``prev_hash``)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def client_ip() -> str | None:
    """The client address of the current request, if any."""
    return request.remote_addr if has_request_context() else None


def _current_actor() -> User | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[attr-defined]
    return None


def record(action: str, *, object_type: str | None = None, object_id: Any = None,
           actor: User | None = None, actor_name: str | None = None,
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event inside the current transaction (the caller commits)."""
    actor = actor or _current_actor()
    db.session.flush()
    db.session.execute(update(AuditHead).where(AuditHead.id == 1)
                       .values(seq=AuditHead.seq + 1))
    head = db.session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=1, last_hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    else:
        db.session.refresh(head)
    event = AuditEvent(
        seq=head.seq, at=utcnow(), actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else actor_name, action=action,
        object_type=object_type, object_id=None if object_id is None else str(object_id),
        ip=client_ip(), detail=_jsonable(detail or {}), prev_hash=head.last_hash)
    event.hash = compute_hash(event)
    head.last_hash = event.hash
    db.session.add(event)
    db.session.flush()
    return event


def iter_events(batch: int = 1000) -> Iterator[AuditEvent]:
    """Every event in sequence order, loaded in batches."""
    last = 0
    while True:
        rows = db.session.execute(select(AuditEvent).where(AuditEvent.seq > last)
                                  .order_by(AuditEvent.seq).limit(batch)).scalars().all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain() -> list[str]:
    """Problems found in the chain (empty when intact): gaps, edits, a wrong head."""
    problems: list[str] = []
    prev_hash, expected_seq = GENESIS, 1
    for event in iter_events():
        if event.seq != expected_seq:
            problems.append(f"审计日志缺失：序号 {expected_seq} 至 {event.seq - 1} 的记录不存在")
        if event.prev_hash != prev_hash:
            problems.append(f"审计日志链断裂：序号 {event.seq} 的前序哈希不符")
        if compute_hash(event) != event.hash:
            problems.append(f"审计日志被篡改：序号 {event.seq} 的内容与哈希不符")
        prev_hash, expected_seq = event.hash, event.seq + 1
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.last_hash != prev_hash):
        problems.append(
            f"审计日志末尾缺失：链头记录到序号 {head.seq}，实际最后为 {expected_seq - 1}")
    return problems

