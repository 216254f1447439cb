"""Rebuild the search index from the database and the blob store.

Documents are read in id order in chunks, so memory stays bounded whatever the
corpus size. A checkpoint file in the data dir records the last id indexed; an
interrupted rebuild resumes from there (``restart=True`` starts over). The checkpoint
is written before the index is cleared, so a rebuild killed at any point (even between
the clear and its first chunk) leaves a checkpoint behind: ``serve``, ``worker`` and
``reindex`` then finish it instead of trusting a half-empty index.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, update

from ..extensions import db
from ..indexing.backend import current_text, get_backend, index_doc
from ..indexing.extraction import extract_current
from ..models import Document, IndexJob, utcnow

CHUNK = 1000  # documents per commit: each commit merges segments, so fewer is faster


def _checkpoint(app: Flask) -> Path:
    return Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "reindex.checkpoint"


def _read_checkpoint(path: Path) -> tuple[int, int] | None:
    """``(last_id, covered_jobs)`` of an interrupted rebuild, or None (none, or
    unreadable: start over)."""
    try:
        state = json.loads(path.read_text())
        return int(state["last_id"]), int(state.get("covered_jobs", 0))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_checkpoint(path: Path, last_id: int, covered_jobs: int) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"last_id": last_id, "covered_jobs": covered_jobs}))
    temporary.replace(path)


def reindex(app: Flask, restart: bool = False,
            progress: Callable[[int], None] | None = None,
            chunk: int = CHUNK) -> dict[str, int]:
    """Rebuild the index; returns counts. Call inside an app context.

    Analysis runs in ``backend.bulk_procs`` processes: two for tantivy (jieba is the
    cost, tantivy itself indexes in its own threads); one for Whoosh, where two were
    measured no faster at 20,000 documents — each commit's merge of the existing
    segments runs in the parent — and doubled the peak memory (docs/BENCHMARKS.md).

    Jobs queued before the rebuild first started are reflected in it and marked done at
    the end; the checkpoint keeps that boundary, so a resumed rebuild leaves later jobs
    (changes to documents it had already passed) to the worker.
    """
    checkpoint = _checkpoint(app)
    backend = get_backend(app)
    state = None if restart else _read_checkpoint(checkpoint)
    if state is None or state[0] == 0:
        covered_jobs = db.session.execute(select(func.max(IndexJob.id))).scalar_one() or 0
        _write_checkpoint(checkpoint, 0, covered_jobs)
        backend.clear()
        state = (0, covered_jobs)
    last_id, covered_jobs = state
    total = db.session.execute(select(func.count(Document.id)).where(
        Document.deleted_at.is_(None), Document.id > last_id)).scalar_one()
    done = 0
    while True:
        docs = db.session.execute(select(Document).where(
            Document.deleted_at.is_(None), Document.id > last_id)
            .order_by(Document.id).limit(chunk)).scalars().all()
        if not docs:
            break
        batch = []
        for doc in docs:
            text = current_text(doc)
            batch.append(index_doc(doc, extract_current(doc) if text is None else text))
        backend.upsert_many(batch, procs=backend.bulk_procs)
        for doc in docs:
            doc.index_status, doc.index_error = "indexed", None
        last_id = docs[-1].id
        db.session.commit()
        _write_checkpoint(checkpoint, last_id, covered_jobs)
        db.session.expunge_all()
        done += len(docs)
        if progress:
            progress(len(docs))
    _complete_covered_jobs(covered_jobs)
    checkpoint.unlink(missing_ok=True)
    return {"indexed": done, "remaining_before": total}


def _complete_covered_jobs(max_job_id: int) -> None:
    """Jobs queued before the rebuild started are reflected in it: mark them done."""
    db.session.execute(update(IndexJob).where(  # OCR jobs are work, not index state: kept
        IndexJob.id <= max_job_id, IndexJob.action != "ocr",
        IndexJob.status.in_(("pending", "running"))).values(
        status="done", done_at=utcnow()))
    db.session.commit()


def pending_rebuild(app: Flask) -> bool:
    """True when the index was reset (missing, corrupt, old format) or a rebuild was cut off."""
    get_backend(app)
    ext = app.extensions["govcounsel"]
    return bool(ext.get("index_rebuild_reason")) or _checkpoint(app).exists()


def rebuild_if_needed(app: Flask) -> list[str]:
    """Init hook: rebuild a reset or half-rebuilt index; returns report lines."""
    if not pending_rebuild(app):
        return ["检索索引已就绪。"]
    reason = app.extensions["govcounsel"].pop("index_rebuild_reason", None) or "上次重建未完成"
    counts = reindex(app)
    if reason == "missing":
        return [f"已建立检索索引（{counts['indexed']} 份文书）。"]
    return [f"检索索引需要重建（{reason}），已重建 {counts['indexed']} 份文书。"]
