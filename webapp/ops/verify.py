"""``govcounsel verify``: re-hash every blob, check the audit chain and DB↔index agreement."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..audit.services import verify_chain
from ..documents.intake import blob_store
from ..extensions import db
from ..indexing.backend import get_backend, stamp
from ..models import ContractTemplate, Document, DocumentVersion, IndexJob


@dataclass
class Report:
    """What verify found: problems fail the check, notes do not."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    blobs_checked: int = 0


def _referenced() -> set[str]:
    shas = set(db.session.execute(select(DocumentVersion.sha256)).scalars())
    return shas | set(db.session.execute(select(ContractTemplate.sha256)).scalars())


def check_blobs(report: Report, progress=None) -> None:
    """Every referenced blob exists and hashes to its key; list unreferenced blobs."""
    store = blob_store()
    referenced = _referenced()
    for sha in sorted(referenced):
        if not store.exists(sha):
            report.problems.append(f"文件缺失：{sha}")
        elif not store.verify(sha):
            report.problems.append(f"文件内容与 SHA-256 不符（被篡改或损坏）：{sha}")
        report.blobs_checked += 1
        if progress:
            progress(1)
    for key in store.iter_keys():
        if key not in referenced:
            report.orphans.append(key)
    if report.orphans:
        report.notes.append(f"发现 {len(report.orphans)} 个未被任何文书引用的孤立文件"
                            "（上传中途失败所致，不计为文书；可用 --clean-orphans 清理）")


def check_index(report: Report) -> None:
    """Live documents are in the index with their current stamp; nothing else is."""
    backend = get_backend()
    for problem in backend.check():
        report.problems.append(f"检索索引异常：{problem}")
    indexed = backend.doc_ids()
    pending = set(db.session.execute(select(IndexJob.document_id).where(
        IndexJob.status.in_(("pending", "running")))).scalars())
    live = {d.id: stamp(d) for d in db.session.execute(
        select(Document).where(Document.deleted_at.is_(None))).scalars()}
    for doc_id, expected in live.items():
        if doc_id in pending:
            continue
        if doc_id not in indexed:
            report.problems.append(f"文书 {doc_id} 不在检索索引中")
        elif indexed[doc_id] != expected:
            report.problems.append(f"文书 {doc_id} 的索引已过期")
    for doc_id in indexed.keys() - live.keys():
        if doc_id not in pending:
            report.problems.append(f"检索索引含有已删除或不存在的文书 {doc_id}")
    if pending:
        report.notes.append(f"{len(pending)} 份文书的索引任务尚在队列中")


def verify(progress=None) -> Report:
    """Run every check (inside an app context)."""
    report = Report()
    check_blobs(report, progress)
    report.problems.extend(verify_chain())
    check_index(report)
    return report


def clean_orphans(orphans: list[str]) -> int:
    """Delete unreferenced blobs (re-checked just before deleting); returns how many."""
    store = blob_store()
    referenced = _referenced()
    removed = 0
    for sha in orphans:
        if sha not in referenced and store.exists(sha):
            store.delete(sha)
            removed += 1
    return removed



def clean_crash_leftovers(older_than_s: float = 3600.0) -> int:
    """Delete temporary files of uploads cut off by a crash (the upload folder and the
    store's own temp files) older than ``older_than_s``, so that uploads in progress are
    left alone; returns how many."""
    cutoff = time.time() - older_than_s
    removed = blob_store().clean_temp(older_than_s)
    for path in (Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "tmp").glob("upload-*"):
        try:
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
