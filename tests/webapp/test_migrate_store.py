"""``govcounsel migrate-store FROM TO``: the app's blobs copied to a real S3-compatible
server (moto, see ``tests/s3server.py``), verified; failures listed with exit status 1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.s3server import MotoS3
from tests.webapp.files import docx_bytes
from webapp.transaction import unit_of_work


@pytest.fixture
def documents(app, make_agency, make_user) -> list[str]:
    """Two registered documents; returns the SHA-256 of every document version."""
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.extensions import db
    from webapp.models import DocumentVersion

    agency = make_agency("M01")
    admin = make_user("admin")
    texts = ("关于国有资产处置的法律意见书\n建议履行评估程序。", "合法性审查意见\n建议修改第三条。")
    with unit_of_work():
        for text in texts:
            create_document(admin, DocumentMeta(agency_id=agency.id, doc_type="other"),
                            io.BytesIO(docx_bytes(text)), "x.docx")
    shas = sorted(set(db.session.execute(select(DocumentVersion.sha256)).scalars()))
    assert len(shas) == 2
    return shas


def target_url(s3_server: MotoS3, tmp_path: Path) -> str:
    return s3_server.url(s3_server.new_bucket(), "govcounsel/blobs", spool=tmp_path / "spool")


def test_migrate_store_copies_every_blob_to_s3_and_verifies_it(app, runner, documents,
                                                              s3_server, tmp_path):
    import document_store

    source = app.config["GOVCOUNSEL_STORE"]
    target = target_url(s3_server, tmp_path)
    all_keys = list(document_store.open_store(source).iter_keys())
    assert set(documents) <= set(all_keys)

    result = runner.invoke(args=["migrate-store", source, target])

    assert result.exit_code == 0, result.output
    assert f"复制 {len(all_keys)} 个文件" in result.output and "失败 0 个" in result.output
    assert target in result.output
    s3 = document_store.open_store(target)
    assert list(s3.iter_keys()) == all_keys
    for sha in documents:
        assert s3.exists(sha) and s3.verify(sha)

    again = runner.invoke(args=["migrate-store", source, target])
    assert again.exit_code == 0, again.output
    assert "复制 0 个文件" in again.output and f"目标库已有 {len(all_keys)} 个" in again.output


def test_migrate_store_back_from_s3_to_a_folder(app, runner, documents, s3_server, tmp_path):
    import document_store

    s3 = target_url(s3_server, tmp_path)
    assert runner.invoke(args=["migrate-store", app.config["GOVCOUNSEL_STORE"], s3]).exit_code == 0

    folder = tmp_path / "restored"
    result = runner.invoke(args=["migrate-store", s3, str(folder)])

    assert result.exit_code == 0, result.output
    restored = document_store.open_store(folder)
    assert all(restored.verify(sha) for sha in documents)


def test_migrate_store_lists_a_damaged_blob_and_exits_1(app, runner, documents, s3_server,
                                                        tmp_path):
    import document_store

    source_url = app.config["GOVCOUNSEL_STORE"]
    if not isinstance(document_store.open_store(source_url), document_store.LocalBlobStore):
        # The app runs on an object store (CI's scale-out run): damage a folder copy.
        folder = tmp_path / "local-copy"
        assert runner.invoke(args=["migrate-store", source_url, str(folder)]).exit_code == 0
        source_url = str(folder)
    source = document_store.open_store(source_url)
    victim = documents[0]
    path = source.local_path(victim)
    path.chmod(0o644)
    path.write_bytes(b"PK tampered")
    target = target_url(s3_server, tmp_path)

    result = runner.invoke(args=["migrate-store", source_url, target])

    assert result.exit_code == 1
    assert f"失败：{victim}" in result.stderr and "迁移未完成" in result.stderr
    s3 = document_store.open_store(target)
    assert not s3.exists(victim) and s3.exists(documents[1])


def test_migrate_store_refuses_a_missing_source_or_bad_target(app, runner, tmp_path):
    missing = runner.invoke(args=["migrate-store", str(tmp_path / "nope"), str(tmp_path / "to")])
    assert missing.exit_code == 1 and "源文件库不存在" in missing.output
    assert not (tmp_path / "nope").exists()

    bad = runner.invoke(args=["migrate-store", app.config["GOVCOUNSEL_STORE"], "ftp://x/y"])
    assert bad.exit_code == 1 and "无法打开目标文件库" in bad.output
