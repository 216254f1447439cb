"""Hostile and broken uploads get a specific error and leave nothing behind."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.webapp.files import EXE, ZERO_PAGE_PDF, docx_bytes, pdf_bytes, zip_bomb
from webapp.extensions import db
from webapp.models import AuditEvent, Document, DocumentVersion, IndexJob
from webapp.transaction import unit_of_work


def state(app) -> tuple:
    """Everything an upload could leave behind: rows, blobs, temp files."""
    from pathlib import Path

    from webapp.documents.intake import blob_store

    data = Path(app.config["GOVCOUNSEL_DATA_DIR"])
    tmp = sorted(p.name for p in (data / "tmp").glob("*")) if (data / "tmp").exists() else []
    count = lambda m: db.session.execute(select(func.count()).select_from(m)).scalar_one()  # noqa: E731
    return (count(Document), count(DocumentVersion), count(IndexJob),
            count(AuditEvent), sorted(blob_store().iter_keys()), tmp)


@pytest.fixture
def env(client, make_agency, make_user, token_for):
    agency = make_agency("A01")
    return client, agency, token_for(make_user("admin"))


def post(env, data: bytes, filename: str, **meta):
    client, agency, headers = env
    form = {"agency_id": str(agency.id), "doc_type": "legal_opinion", **meta,
            "file": (io.BytesIO(data), filename)}
    return client.post("/api/v1/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


def encrypted_pdf() -> bytes:
    import shutil
    import subprocess
    import tempfile

    from tests.helpers import skip_or_fail

    if not shutil.which("qpdf"):
        skip_or_fail("qpdf is needed to make an encrypted PDF")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = f"{tmp}/a.pdf", f"{tmp}/b.pdf"
        with open(src, "wb") as fh:
            fh.write(pdf_bytes("加密文件"))
        subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", src, dst],
                       check=True)
        with open(dst, "rb") as fh:
            return fh.read()


CASES = {
    "empty": (lambda: b"", "空.docx", 400, "empty_file"),
    "exe_renamed_pdf": (lambda: EXE, "setup.pdf", 415, "unsupported_file_type"),
    "zip_bomb_docx": (zip_bomb, "炸弹.docx", 422, "zip_bomb"),
    "zero_page_pdf": (lambda: ZERO_PAGE_PDF, "空白.pdf", 422, "zero_pages"),
    "corrupt_pdf": (lambda: pdf_bytes()[:400], "损坏.pdf", 422, "corrupt_pdf"),
    "encrypted_pdf": (encrypted_pdf, "加密.pdf", 422, "encrypted_pdf"),
    "traversal_name": (docx_bytes, "../../etc/passwd.docx", 422, "bad_filename"),
    "control_char_name": (docx_bytes, "意见\x07书.docx", 422, "bad_filename"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_and_leaves_nothing(env, app, case):
    make, name, status, code = CASES[case]
    data = make()
    before = state(app)
    resp = post(env, data, name)
    assert resp.status_code == status, resp.json
    assert resp.json["error"]["code"] == code
    assert resp.json["error"]["message"]
    assert state(app) == before


def test_too_large_upload(env, app):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    app.config["GOVCOUNSEL_MAX_UPLOAD_MB"] = 1
    before = state(app)
    client, agency, headers = env
    big = docx_bytes() + b"\0" * (1024 * 1024 + 10)
    boundary, body = encode_multipart({
        "agency_id": str(agency.id), "doc_type": "legal_opinion",
        "file": FileStorage(io.BytesIO(big), filename="大文件.docx")})
    # a prebuilt body keeps werkzeug's test client from spooling it to an unclosed temp file
    resp = client.post("/api/v1/documents", data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 413
    assert resp.json["error"]["code"] in ("file_too_large", "too_large")
    assert state(app) == before


def test_html_in_title_is_refused(env, app):
    before = state(app)
    resp = post(env, docx_bytes(), "a.docx", title="<script>alert(1)</script>")
    assert resp.status_code == 422
    assert "title" in resp.json["error"]["fields"]
    assert state(app) == before


def test_same_bytes_stored_once(env, app):
    from webapp.documents.intake import blob_store

    before = set(blob_store().iter_keys())
    data = docx_bytes("同一文件")
    assert post(env, data, "a.docx").status_code == 201
    assert post(env, data, "b.docx", allow_duplicate="true",
                duplicate_reason="同一文件分别登记").status_code == 201
    assert len(set(blob_store().iter_keys()) - before) == 1


def test_failed_transaction_removes_the_new_blob(env, app, monkeypatch):
    """A database failure after the blob was written leaves no orphan blob behind."""
    from webapp.documents import services
    from webapp.documents.intake import blob_store

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "register", broken)
    before = set(blob_store().iter_keys())
    with pytest.raises(RuntimeError), unit_of_work():
        services.create_document(
            db.session.execute(select(__import__("webapp.models", fromlist=["User"]).User)
                               ).scalars().first(),
            services.DocumentMeta(agency_id=env[1].id, doc_type="other"),
            io.BytesIO(docx_bytes("失败的上传")), "x.docx")
    assert set(blob_store().iter_keys()) == before


def test_a_failed_upload_never_takes_the_blob_of_a_concurrent_identical_one(env, app):
    """Upload A stores new bytes, then its transaction fails; meanwhile upload B of the
    same bytes found the blob present and relied on it.  A's clean-up runs while B's
    transaction is still open (so A sees no reference and deletes the blob); B commits
    and must still have its file."""
    import threading

    from sqlalchemy import event

    from webapp.documents import services
    from webapp.documents.intake import Intake, blob_store
    from webapp.models import User

    data = docx_bytes("两个机关同时上传的同一份法律意见")
    failing = Intake()
    failing.receive(io.BytesIO(data), "a.docx")
    failing.store()
    assert failing.created_blob

    def failed_upload_cleans_up(session):
        def discard():
            with app.app_context():
                failing.discard()
                db.session.remove()
        worker = threading.Thread(target=discard)
        worker.start()
        worker.join()
        assert not blob_store().exists(failing.received.sha256)  # A removed it meanwhile

    session = db.session()
    event.listen(session, "before_commit", failed_upload_cleans_up, once=True)
    try:
        admin = db.session.execute(select(User)).scalars().first()
        with unit_of_work():
            doc = services.create_document(admin, services.DocumentMeta(
                agency_id=env[1].id, doc_type="other"), io.BytesIO(data), "b.docx")
    finally:
        failing.__exit__(None, None, None)
    assert blob_store().exists(doc.sha256)
    client, _agency, headers = env
    response = client.get(f"/api/v1/documents/{doc.id}/file", headers=headers)
    assert response.status_code == 200 and response.data == data
