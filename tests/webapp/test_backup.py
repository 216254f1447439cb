"""Backup and restore round-trip the demo data set: documents, hashes, audit chain, search."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import AuditEvent, Document, User
from webapp.ops.reindex import reindex
from webapp.transaction import unit_of_work


def _snapshot(client, headers):
    docs = {d.registration_no: d.sha256 for d in db.session.execute(select(Document)).scalars()}
    chain = [e.hash for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.seq))
             .scalars()]
    hits = sorted(h["id"] for h in client.get("/api/v1/search", query_string={
        "q": '"国资处置"', "per_page": 100}, headers=headers).json["hits"])
    return docs, chain, hits


def test_round_trip(demo, tmp_path, databases, token_for):
    from tests.conftest import make_app
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.setup import shutdown

    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    agencies = db.session.execute(select(Document.agency_id)).scalars().all()
    with unit_of_work():
        for i in range(3):
            create_document(admin, DocumentMeta(agency_id=agencies[0] if agencies else 1,
                                            doc_type="legal_opinion", title=f"国资处置意见{i}"),
                        io.BytesIO(docx_bytes(f"关于国资处置的第{i}份意见")), f"{i}.docx")
    headers = token_for(admin)
    reindex(demo)
    client = demo.test_client()
    before = _snapshot(client, headers)
    assert before[2], "the search must find the documents before the backup"
    archive = tmp_path / "backup.tar.gz"
    result = demo.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output

    target = make_app(tmp_path / "restored", databases)
    try:
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert result.exit_code == 0, result.output
            restored_client = target.test_client()
            assert _snapshot(restored_client, headers)[:2] == before[:2]
            assert sorted(_snapshot(restored_client, headers)[2]) == before[2]
            assert target.test_cli_runner().invoke(args=["verify"]).exit_code == 0
            again = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert again.exit_code != 0 and "不是空的" in again.output
            db.session.remove()
    finally:
        shutdown(target)
        with target.app_context():
            db.engine.dispose()
        databases.drop({"DATABASE_URL": target.config["DATABASE_URL"]})


def test_restore_refuses_a_damaged_archive(runner, tmp_path):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar file")
    result = runner.invoke(args=["restore", str(bad)])
    assert result.exit_code != 0 and "无法读取备份文件" in result.output
