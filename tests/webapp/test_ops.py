"""Operator commands: import, reindex, verify (tampering, crash orphans), worker."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from tests.webapp.files import EXE, docx_bytes
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import AuditEvent, Document
from webapp.transaction import unit_of_work


@pytest.fixture
def seeded(app, make_agency, make_user):
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    agency = make_agency("A01")
    admin = make_user("admin", username="boss")
    with unit_of_work():
        for i in range(3):
            create_document(admin, DocumentMeta(agency_id=agency.id,
                                                doc_type="legal_opinion"),
                            io.BytesIO(docx_bytes(f"第{i}份法律意见书，关于国资处置")),
                            f"{i}.docx")
    drain()
    return agency, admin


def test_verify_passes_on_a_consistent_service(runner, seeded):
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


def test_verify_detects_a_changed_blob_byte(runner, seeded, app):
    from webapp.documents.intake import blob_store

    doc = db.session.execute(select(Document)).scalars().first()
    store = blob_store()
    if hasattr(store, "object_key"):  # an S3-compatible store: change the object itself
        key = store.object_key(doc.sha256)
        data = bytearray(store.client.get_object(Bucket=store.bucket, Key=key)["Body"].read())
        data[100] ^= 0xFF
        store.client.put_object(Bucket=store.bucket, Key=key, Body=bytes(data))
    else:
        path = next(Path(app.config["GOVCOUNSEL_STORE"]).rglob(doc.sha256))
        data = bytearray(path.read_bytes())
        data[100] ^= 0xFF
        os.chmod(path, 0o644)
        path.write_bytes(bytes(data))
    assert not store.verify(doc.sha256)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert doc.sha256 in result.output


def test_verify_detects_a_deleted_audit_row(runner, seeded):
    db.session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    db.session.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert "序号 3" in result.output


def test_verify_detects_an_edited_audit_row(runner, seeded):
    event = db.session.execute(select(AuditEvent).where(AuditEvent.seq == 2)).scalar_one()
    event.actor_name = "someone-else"
    db.session.commit()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert "序号 2" in result.output


def test_verify_detects_index_drift(runner, seeded):
    from webapp.indexing.backend import get_backend

    doc = db.session.execute(select(Document)).scalars().first()
    get_backend().delete(doc.id)
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1 and f"文书 {doc.id}" in result.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert runner.invoke(args=["verify"]).exit_code == 0


def test_reindex_in_chunks_rebuilds_the_same_index(runner, seeded):
    from webapp.indexing.backend import get_backend

    before = get_backend().doc_ids()
    result = runner.invoke(args=["reindex", "--restart", "--chunk", "2"])
    assert result.exit_code == 0, result.output
    assert get_backend().doc_ids() == before
    assert runner.invoke(args=["verify"]).exit_code == 0


def test_crash_between_blob_write_and_commit_leaves_only_an_orphan(runner, seeded, app):
    """A real process is killed with SIGKILL after storing the blob, before the commit."""
    script = textwrap.dedent(f"""
        import io, os, signal
        from webapp import create_app
        from webapp.documents.intake import Intake
        from tests.webapp.files import docx_bytes
        app = create_app({{"GOVCOUNSEL_DATA_DIR": {app.config["GOVCOUNSEL_DATA_DIR"]!r},
                           "DATABASE_URL": {app.config["DATABASE_URL"]!r},
                           "GOVCOUNSEL_WORKER": False}})
        with app.app_context():
            intake = Intake()
            intake.receive(io.BytesIO(docx_bytes("崩溃时的上传")), "crash.docx")
            intake.store()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 3
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "孤立文件" in result.output
    result = runner.invoke(args=["verify", "--clean-orphans"])
    assert "已清理 1 个孤立文件" in result.output
    result = runner.invoke(args=["verify"])
    assert "孤立文件" not in result.output


def test_import_folder(runner, app, make_agency, make_user, tmp_path):
    make_agency("A01")
    make_user("admin")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    first = docx_bytes("第一份")  # once: python-docx stamps the save time into the file
    (folder / "一.docx").write_bytes(first)
    (folder / "sub" / "二.docx").write_bytes(docx_bytes("第二份"))
    (folder / "重复.docx").write_bytes(first)
    (folder / "病毒.pdf").write_bytes(EXE)
    (folder / "空.txt").write_bytes(b"")
    result = runner.invoke(args=["import", str(folder), "--agency", "A01",
                                 "--type", "legal_opinion"])
    assert result.exit_code == 0, result.output
    assert "新登记 2 份，重复 1 份，拒绝 2 份" in result.output
    assert "病毒.pdf" in result.output
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 2


def test_import_unknown_agency(runner, app, make_user, tmp_path):
    make_user("admin")
    result = runner.invoke(args=["import", str(tmp_path), "--agency", "NOPE",
                                 "--type", "other"])
    assert result.exit_code != 0 and "NOPE" in result.output


def test_worker_once_applies_the_queue(runner, app, make_agency, make_user):
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    agency, admin = make_agency("A01"), make_user("admin")
    with unit_of_work():
        doc = create_document(admin, DocumentMeta(agency_id=agency.id, doc_type="other"),
                              io.BytesIO(docx_bytes("工作进程")), "w.docx")
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    db.session.refresh(doc)
    assert doc.index_status == "indexed"
