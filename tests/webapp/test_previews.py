"""Page previews on the document page: rendered lazily per page, cached by content hash,
watermarked per viewer and never cached for classified documents, audited, policy-checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from sqlalchemy import select

from tests.helpers import has_program, skip_or_fail
from tests.webapp.files import docx_bytes, pdf_bytes
from tests.webapp.scans import ofd_sample
from webapp.extensions import db
from webapp.models import AuditEvent


@pytest.fixture
def env(client, make_agency, make_user, token_for):
    own, other = make_agency("OWN", "开封市甲局"), make_agency("OTH", "开封市乙局")
    clerk = make_user("clerk", agency=own, username="zhang")
    clerk.display_name = "张经办"
    db.session.commit()
    return {"client": client, "own": own,
            "admin": token_for(make_user("admin", username="boss")),
            "clerk": token_for(clerk),
            "other": token_for(make_user("clerk", agency=other))}


def upload(env, data: bytes, name: str, **meta) -> dict:
    form = {"agency_id": str(env["own"].id), "doc_type": "legal_opinion", **meta,
            "file": (io.BytesIO(data), name)}
    resp = env["client"].post("/api/v1/documents", data=form, headers=env["admin"],
                              content_type="multipart/form-data")
    assert resp.status_code == 201, resp.json
    return resp.json


def page(env, doc_id: int, number: int, who: str = "admin", width: int | None = 600):
    query = {} if width is None else {"width": width}
    return env["client"].get(f"/documents/{doc_id}/pages/{number}.png", query_string=query,
                             headers=env[who])


def previews_of(app, sha256: str) -> Path:
    return Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "cache" / "previews" / sha256


def audited(doc_id: int) -> list[tuple[str | None, dict]]:
    rows = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "document_previewed", AuditEvent.object_id == str(doc_id))
        .order_by(AuditEvent.seq)).scalars()
    return [(row.actor_name, row.detail) for row in rows]


def test_an_ofd_is_paged_through_as_images_cached_by_content(env, app):
    doc = upload(env, ofd_sample(), "批复.ofd")
    first = page(env, doc["id"], 1)
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert first.headers["X-Page-Count"] == "2"
    assert first.headers["Cache-Control"] == "private, max-age=3600"
    image = Image.open(io.BytesIO(first.data))
    assert image.width == 600 and image.height > 600
    assert page(env, doc["id"], 2).status_code == 200
    assert page(env, doc["id"], 3).status_code == 404
    cached = previews_of(app, doc["sha256"])
    assert sorted(p.name for p in cached.glob("*.png")) == ["600-1.png", "600-2.png"]
    assert page(env, doc["id"], 1).data == first.data
    assert [d["page"] for _, d in audited(doc["id"])] == [1, 2, 1]


def test_the_document_page_offers_pages_and_text(env):
    doc = upload(env, pdf_bytes(), "意见.pdf")
    html = env["client"].get(f"/documents/{doc['id']}", headers=env["admin"]).get_data(
        as_text=True)
    assert 'data-reading="pages"' in html and 'data-reading="text"' in html
    assert f"/documents/{doc['id']}/pages/1.png" in html and "app/reading.js" in html
    assert page(env, doc["id"], 1, width=None).status_code == 200


def test_a_classified_preview_carries_each_viewers_watermark_and_is_never_cached(env, app):
    doc = upload(env, pdf_bytes(), "涉密意见.pdf", classified="true")
    by_admin, by_clerk = page(env, doc["id"], 1), page(env, doc["id"], 1, "clerk")
    for resp in (by_admin, by_clerk):
        assert resp.status_code == 200
        assert resp.headers["Cache-Control"] == "private, no-store"
    plain = upload(env, pdf_bytes(), "同一文件.pdf",  # same bytes, not classified
                   allow_duplicate="true", duplicate_reason="对照未加水印的页面")
    unmarked = Image.open(io.BytesIO(page(env, plain["id"], 1).data)).convert("L")
    for resp in (by_admin, by_clerk):
        marked = Image.open(io.BytesIO(resp.data)).convert("L")
        box = ImageChops.difference(marked, unmarked).getbbox()
        assert box is not None and box[2] - box[0] > 300  # stamped across the page
    assert by_admin.data != by_clerk.data  # each viewer's own name
    assert sorted(p.name for p in previews_of(app, doc["sha256"]).glob("*.png")) == ["600-1.png"]
    assert [name for name, _ in audited(doc["id"])] == ["boss", "zhang"]


def test_previews_follow_the_access_policy(env, app):
    secret = upload(env, pdf_bytes(), "涉密.pdf", classified="true")
    assert page(env, secret["id"], 1, "other").status_code in (403, 404)
    assert audited(secret["id"]) == []


def test_text_files_have_no_pages_and_bad_widths_are_refused(env):
    text = upload(env, "纯文本的法律意见".encode(), "意见.txt")
    assert page(env, text["id"], 1).status_code == 404
    html = env["client"].get(f"/documents/{text['id']}", headers=env["admin"]).get_data(
        as_text=True)
    assert 'data-reading="pages"' not in html
    pdf = upload(env, pdf_bytes(), "意见.pdf")
    assert page(env, pdf["id"], 1, width=50000).status_code == 422


def test_a_docx_is_previewed_through_libreoffice_once(env, app):
    if not has_program("soffice"):
        skip_or_fail("LibreOffice (soffice) is needed for .docx previews")
    doc = upload(env, docx_bytes("通过转换预览的法律意见书"), "意见.docx")
    assert page(env, doc["id"], 1).status_code == 200
    assert (previews_of(app, doc["sha256"]) / "converted.pdf").exists()
    assert page(env, doc["id"], 2).status_code == 404


def test_without_libreoffice_a_docx_keeps_the_text_view(env, app):
    app.config["GOVCOUNSEL_SOFFICE"] = "/nonexistent/soffice"
    doc = upload(env, docx_bytes("只有文本视图"), "意见.docx")
    assert page(env, doc["id"], 1).status_code == 404
