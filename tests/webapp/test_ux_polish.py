"""Issue #15, UI finding 16: real names as 操作人, and a favicon.

Reproductions (became these tests): 操作人 showed login names instead of real names;
``/favicon.ico`` answered 404.
"""

from __future__ import annotations

import io

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import User


def test_history_shows_the_operators_real_name(client, make_agency, make_user, login):
    agency = make_agency("A01")
    clerk = make_user("clerk", agency=agency, username="li.na")
    db.session.get(User, clerk.id).display_name = "李娜"
    db.session.commit()
    login("li.na")
    resp = client.post("/documents/upload", data={
        "csrf_token": csrf_token(client, "/documents/upload"), "agency_id": str(agency.id),
        "doc_type": "legal_opinion", "file": [(io.BytesIO(docx_bytes("意见")), "意见.docx")]},
        content_type="multipart/form-data")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    history = html.split("data-history")[0].rsplit("<tr>", 1)[1]
    assert "<td>李娜</td>" in history and "li.na" not in history


def test_favicon_is_served(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200
    assert resp.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/favicon.ico"' in html


def test_no_technical_words_for_bureau_staff(client, make_user, login):
    """#15 UI finding 12: settings page and login prompt in the bureau's words."""
    prompt = client.get("/documents/", follow_redirects=True).get_data(as_text=True)
    assert "请先登录" in prompt and "API 令牌" not in prompt
    make_user("admin", username="bureau")
    login("bureau")
    html = client.get("/settings/").get_data(as_text=True)
    visible = html.split("<details")[0] + html.split("</details>")[-1]
    for word in ("GOVCOUNSEL_", "{seq", "SHA-256", "防压缩炸弹"):
        assert word not in visible, word
