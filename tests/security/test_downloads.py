"""Downloads and paths: attachments with safe names, real media types, no path traversal.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import io
import re
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select, update
from werkzeug.http import parse_options_header

from tests.security.support import admin_client, security_agency
from tests.webapp.files import docx_bytes

# ---------------------------------------------------------------------------
# Downloads: attachment, safe names, no sniffing
# ---------------------------------------------------------------------------

# Names the upload check accepts (quotes arrive as %22 from browsers; the multipart
# parser decodes them), stored as is: the header must still be one safe line.
# stored name -> served name (the content is a .docx, so it is served as one)
NASTY_NAMES = {'q"uote;name=evil.docx': 'q"uote;name=evil.docx',
               '"; filename="evil.exe': '"; filename="evil.docx',
               "报告（最终版）“定稿”.docx": "报告（最终版）“定稿”.docx",
               "..%2f..%2fetc.docx": "..%2f..%2fetc.docx", "a" * 200 + ".docx": "a" * 200 + ".docx",
               "semi;colon,comma=.docx": "semi;colon,comma=.docx",
               "emoji😀 and spaces  .docx": "emoji😀 and spaces  .docx",
               "percent%0d%0aSet-Cookie: pwned=1.docx": "percent%0d%0aSet-Cookie: pwned=1.docx"}


DISPOSITION = re.compile(r"""attachment; filename="([ -~]*)"; filename\*=UTF-8''([!-~]+)$""")


def _download_name(resp) -> str:
    """The served name (RFC 5987 ``filename*``); the header must be exactly
    ``attachment; filename="<printable ASCII>"; filename*=UTF-8''<percent-encoded>``."""
    value = resp.headers["Content-Disposition"]
    match = DISPOSITION.fullmatch(value)
    assert match, value
    fallback, encoded = match.groups()
    assert '"' not in fallback and "\\" not in fallback and fallback.strip(" ._"), value
    assert parse_options_header(value) == ("attachment", {"filename": unquote(encoded)}), value
    return unquote(encoded)


def _upload(client, headers, agency_id, name="意见书.docx", content=None):
    return client.post("/api/v1/documents", headers=headers, data={
        "agency_id": str(agency_id), "doc_type": "legal_opinion",
        "file": (io.BytesIO(content if content is not None else docx_bytes(name)), name)},
        content_type="multipart/form-data")


def test_downloads_are_attachments_with_safe_names(app, make_user, token_for):
    """Whatever name the upload check lets through is served as one well-formed header
    line that cannot be split, add a parameter or set a cookie."""
    from webapp.documents.intake import safe_filename
    from webapp.extensions import db
    from webapp.models import DocumentVersion

    headers = token_for(make_user("admin", username="dl1"))
    created = _upload(app.test_client(), headers, security_agency(app).id)
    assert created.status_code == 201
    doc_id = created.json["id"]
    page_client = admin_client(app, make_user, "dl2")
    for name, served in NASTY_NAMES.items():
        assert safe_filename(name) == name  # the upload check lets this name through
        db.session.execute(update(DocumentVersion).where(
            DocumentVersion.document_id == doc_id).values(filename=name))
        db.session.commit()
        for resp in (app.test_client().get(f"/api/v1/documents/{doc_id}/file", headers=headers),
                     page_client.get(f"/documents/{doc_id}/file")):
            assert resp.status_code == 200, name
            raw = resp.headers["Content-Disposition"]
            assert "\r" not in raw and "\n" not in raw, raw
            assert not any(c.startswith("pwned") for c in resp.headers.getlist("Set-Cookie"))
            assert _download_name(resp) == served, raw
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert resp.data.startswith(b"PK")


BAD_NAMES = ["../../etc/passwd", "..\\..\\boot.ini", "C:\\Users\\x.docx", "a/b.docx", ".",
             "..", "nul\x00.docx", "bell\x07.docx", "new\r\nSet-Cookie: pwned=1.docx",
             "tab\tname.docx", "x" * 300 + ".docx", " ", "del\x7f.docx"]


def test_the_upload_check_refuses_paths_and_control_characters():
    from webapp.documents.intake import safe_filename
    from webapp.errors import DomainError

    for name in BAD_NAMES:
        with pytest.raises(DomainError) as refused:
            safe_filename(name)
        assert refused.value.code == "bad_filename", name


def test_uploads_with_path_or_control_characters_in_the_name_are_refused(app, make_user,
                                                                         token_for):
    """Through the API (backslashes do not survive the multipart parser, which reads them
    as escapes, so those names are checked on ``safe_filename`` above only)."""
    from webapp.extensions import db
    from webapp.models import Document

    headers = token_for(make_user("admin", username="up1"))
    agency_id = security_agency(app).id
    for name in [n for n in BAD_NAMES if "\\" not in n]:
        resp = _upload(app.test_client(), headers, agency_id, name=name,
                       content=docx_bytes("内容"))
        assert resp.status_code in (400, 422), (name, resp.status_code, resp.json)
    assert db.session.execute(select(Document)).first() is None


MEDIA_BY_EXTENSION = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain"}
SPOOFS = [("x\u202excod.exe", docx_bytes("甲"), "xxcod.docx"),  # shows as "xexe.docx"
          ("report.exe", docx_bytes("乙"), "report.docx"),
          ("invoice\u2066\u200f.pdf.exe", docx_bytes("丙"), "invoice.pdf.docx"),
          ("page.html", "<html><script>alert(document.cookie)</script>正文</html>".encode(),
           "page.txt"),
          ("说明", "说明正文".encode(), "说明.txt")]


@pytest.mark.parametrize(("name", "content", "served"), SPOOFS, ids=[s[2] for s in SPOOFS])
def test_download_names_cannot_spoof_the_file_type(app, make_user, token_for, name, content,
                                                   served):
    """Format characters (bidi overrides, zero-width marks) are dropped, the extension is
    the one of the type detected from the content, and so is the media type (an HTML page
    is plain text: it is never rendered in the app's origin)."""
    headers = token_for(make_user("admin", username="up3"))
    client = app.test_client()
    created = _upload(client, headers, security_agency(app).id, name=name, content=content)
    assert created.status_code == 201, created.json
    page_client = admin_client(app, make_user, "up3page")
    for resp in (client.get(f"/api/v1/documents/{created.json['id']}/file", headers=headers),
                 page_client.get(f"/documents/{created.json['id']}/file")):
        assert _download_name(resp) == served
        assert resp.mimetype == MEDIA_BY_EXTENSION[served.rsplit(".", 1)[1]]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("text", "encoding", "charset"), [
    ("关于合同审查的法律意见。", "gb18030", "gb18030"),
    ("关于合同审查的法律意见。", "utf-8", "utf-8"),
    ("\ufeff关于合同审查的法律意见。", "utf-8", "utf-8")])
def test_text_downloads_declare_their_real_charset_once(app, make_user, token_for, text,
                                                        encoding, charset):
    headers = token_for(make_user("admin", username="up4"))
    data = text.encode(encoding)
    created = _upload(app.test_client(), headers, security_agency(app).id, name="意见.txt",
                      content=data)
    assert created.status_code == 201, created.json
    page_client = admin_client(app, make_user, "up4page")
    for resp in (app.test_client().get(f"/api/v1/documents/{created.json['id']}/file",
                                       headers=headers),
                 page_client.get(f"/documents/{created.json['id']}/file")):
        assert resp.headers["Content-Type"] == f"text/plain; charset={charset}"
        assert resp.data == data


# ---------------------------------------------------------------------------
# Path traversal
# ---------------------------------------------------------------------------

TRAVERSALS = ["/static/../webapp/__init__.py", "/static/..%2f..%2fwebapp%2fsettings.py",
              "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/app/../../__init__.py",
              "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static//etc/passwd",
              "/static/..\\..\\pyproject.toml", "/static/app/%00.js",
              "/static/%252e%252e/%252e%252e/pyproject.toml", "/..%2f..%2fpyproject.toml"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files_do_not_escape_their_folder(world, role_clients, path):
    resp = role_clients["admin"].client.get(path, follow_redirects=True)
    body = resp.get_data()
    resp.close()
    assert resp.status_code in (400, 404), (path, resp.status_code)
    assert all(urlsplit(r.location).path.startswith("/static/") for r in resp.history), path
    for leak in (b"def create_app", b"[build-system]", b"root:x:0", b"SETTINGS"):
        assert leak not in body, (path, leak)


@pytest.mark.parametrize("version", ["../", "../../etc/passwd", "%2e%2e%2f", "1/../2", "-1",
                                     "0", "99999", "1e3", "0x1", " 1", "１"])
def test_download_version_parameter_is_only_a_number(world, role_clients, version):
    client = role_clients["clerk_a"].client
    current = client.get(f"/documents/{world.doc_a}/file").data
    for url in (f"/documents/{world.doc_a}/file", f"/api/v1/documents/{world.doc_a}/file"):
        resp = client.get(url, query_string={"version": version})
        data = resp.data
        resp.close()
        assert resp.status_code in (200, 400, 404, 422), (url, version, resp.status_code)
        if resp.status_code == 200:
            assert data == current, (url, version)  # never another file


def test_import_and_template_ids_cannot_name_a_path(app):
    from webapp.admin_settings import services as settings_services
    from webapp.errors import DomainError
    from webapp.orgs import io as orgs_io

    for bad in ("../../secret_key", "..", "a/b" * 10, "x" * 15, "0" * 16 + "/../x"):
        with pytest.raises(DomainError):
            orgs_io.upload_path(bad, "csv")
        with pytest.raises(DomainError):
            settings_services.load_pending(bad)
    with pytest.raises(DomainError):
        orgs_io.upload_path("a" * 20, "../csv")
