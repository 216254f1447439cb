"""#15 UI finding 12, the rest of it: pages a clerk or a bureau admin reads name no
setting (``GOVCOUNSEL_…``) and no hash algorithm (SHA-256) — the settings page and the
login prompt are covered in ``test_ux_polish``.

Reproductions (became these tests): the document page and its history said "SHA-256";
the reminders page named ``GOVCOUNSEL_SMTP_URL``.
"""

from __future__ import annotations

import io

from tests.helpers import csrf_token, visible_text
from tests.webapp.files import docx_bytes

WORDS = ("GOVCOUNSEL_", "{seq", "SHA-256", "防压缩炸弹", "full_at")


def test_the_document_page_and_reminders_speak_plainly(client, make_agency, make_user, login):
    agency = make_agency("A01")
    make_user("clerk", agency=agency, username="clerk1")
    login("clerk1")
    resp = client.post("/documents/upload", data={
        "csrf_token": csrf_token(client, "/documents/upload"), "agency_id": str(agency.id),
        "doc_type": "legal_opinion", "file": [(io.BytesIO(docx_bytes("意见")), "意见.docx")]},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    document = visible_text(client.get(resp.headers["Location"]).get_data(as_text=True))
    assert "文件校验码" in document
    reminders = visible_text(client.get("/notifications/").get_data(as_text=True))
    assert "邮件服务器" in reminders
    for page in (document, reminders):
        for word in WORDS:
            assert word not in page, word
