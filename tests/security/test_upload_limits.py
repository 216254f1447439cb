"""Issue #15, finding 2 (the web application's part): one user's uploads cannot block
everyone else's.

- A user has at most ``GOVCOUNSEL_UPLOADS_PER_USER`` uploads in flight (per web
  process); one more gets 429 with ``Retry-After`` at once — a Chinese page in the UI,
  JSON under ``/api/`` — and other users are not affected.
- No request thread holds a process-wide lock while untrusted bytes are parsed: with
  PDFium's process-wide lock held by another thread for the whole test (as an in-process
  parse of a slow PDF would hold it), uploads of PDFs still complete, because every
  check of the bytes runs in ``document_store``'s time-limited child process. And the
  reproduction of the issue — a "PDF" of 200,000 objects and no xref — uploaded by one
  user at the same time as another user's ordinary upload: both complete (the crafted
  one refused with 422, the ordinary one registered).

Completion and ordering are asserted, never durations; the generous bound only keeps a
regression from hanging the suite.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes, pdf_bytes

BOUND = 180  # seconds: a hang, not a measurement


def crafted_pdf(objects: int = 200_000) -> bytes:
    """The issue's reproduction: ``%PDF-1.4`` + ``i 0 obj << /A i >> endobj`` lines, no xref."""
    return b"%PDF-1.4\n" + b"".join(b"%d 0 obj << /A %d >> endobj\n" % (i, i)
                                    for i in range(1, objects))


@pytest.fixture
def people(app, make_agency, make_user, token_for):
    agency = make_agency("A01")
    one, two = make_user("clerk", agency=agency), make_user("clerk", agency=agency)
    return agency, one, two, token_for(one), token_for(two)


def _api_upload(app, headers, agency_id, data: bytes, filename: str):
    """POST /api/v1/documents; the multipart body is encoded in memory (werkzeug's test
    client would spool a large one to a temp file it leaves open)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({
        "agency_id": str(agency_id), "doc_type": "legal_opinion",
        "file": FileStorage(io.BytesIO(data), filename=filename)})
    return app.test_client().post("/api/v1/documents", data=body, headers=headers,
                                  content_type=f"multipart/form-data; boundary={boundary}")


def test_uploads_past_the_limit_answer_429_with_retry_after(app, client, login, people):
    from webapp.security import _upload_gate

    agency, one, two, one_headers, two_headers = people
    limit = app.config["GOVCOUNSEL_UPLOADS_PER_USER"]
    assert limit == 2
    gate = _upload_gate(app)
    login(one.username)
    token = csrf_token(client, "/documents/upload")
    with gate.slot(one.id), gate.slot(one.id):  # two uploads of ``one`` in flight
        api = _api_upload(app, one_headers, agency.id, docx_bytes(), "a.docx")
        assert api.status_code == 429 and api.headers["Retry-After"] == "1"
        assert api.json["error"]["code"] == "upload_busy"
        assert "正在上传" in api.json["error"]["message"]
        page = client.post("/documents/upload", content_type="multipart/form-data", data={
            "csrf_token": token, "agency_id": str(agency.id), "doc_type": "legal_opinion",
            "file": (io.BytesIO(docx_bytes()), "a.docx")})
        assert page.status_code == 429 and page.headers["Retry-After"] == "1"
        assert "您已有 2 个文件正在上传" in page.get_data(as_text=True)
        other = _api_upload(app, two_headers, agency.id, docx_bytes("另一位"), "b.docx")
        assert other.status_code == 201  # another user is not affected
        assert client.get("/documents/").status_code == 200  # only uploads are limited
    again = _api_upload(app, one_headers, agency.id, docx_bytes("之后"), "c.docx")
    assert again.status_code == 201


def test_a_finished_or_refused_upload_frees_its_place(app, people):
    agency, one, _, one_headers, _ = people
    for n in range(3):  # more than the limit, one after another
        bad = _api_upload(app, one_headers, agency.id, b"MZ" + b"\0" * 64, f"x{n}.pdf")
        assert bad.status_code in (415, 422)
    ok = _api_upload(app, one_headers, agency.id, docx_bytes("最后"), "ok.docx")
    assert ok.status_code == 201


def test_no_request_thread_takes_the_process_wide_pdfium_lock(app, people):
    from document_store.extract_pdf import PDFIUM_LOCK

    agency, one, two, one_headers, two_headers = people
    ordinary = pdf_bytes("普通的法律意见书")
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with PDFIUM_LOCK:
            held.set()
            release.wait(BOUND)

    holder = threading.Thread(target=hold_the_lock, daemon=True)
    holder.start()
    assert held.wait(10)
    try:
        with ThreadPoolExecutor(2) as pool:
            crafted = pool.submit(_api_upload, app, one_headers, agency.id, crafted_pdf(),
                                  "crafted.pdf")
            plain = pool.submit(_api_upload, app, two_headers, agency.id, ordinary,
                                "plain.pdf")
            plain_resp = plain.result(timeout=BOUND)
            crafted_resp = crafted.result(timeout=BOUND)
        assert holder.is_alive(), "the lock was held the whole time"
    finally:
        release.set()
        holder.join(10)
    assert plain_resp.status_code == 201, plain_resp.get_data(as_text=True)
    assert crafted_resp.status_code == 422
    assert crafted_resp.json["error"]["code"] == "corrupt_pdf"
