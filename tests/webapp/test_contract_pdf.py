"""Issue #15, finding 1 (SSRF through the contract PDF preview), as a regression test.

Reproduction: the engagement's contract document gets a new version — a .docx whose
image relationship is ``TargetMode="External"`` pointing at an HTTP server on
127.0.0.1 (plus an INCLUDEPICTURE field to it). ``GET /engagements/<id>/contract.pdf``
made LibreOffice fetch that URL and embed the answer. Now only the contract the
renderer generates is converted, through document_store's sanitised, network-less
conversion: the server receives nothing and the PDF is the generated contract.
"""

from __future__ import annotations

import io
import re

import pdfplumber

from tests.document_store.test_office import external_image_docx, listener  # noqa: F401
from tests.helpers import has_program, skip_or_fail
from tests.webapp.engagements_support import body, create
from webapp.documents.intake import incoming
from webapp.documents.services import store_version
from webapp.engagements.services import eng_document
from webapp.extensions import db
from webapp.models import Engagement
from webapp.transaction import unit_of_work


def test_contract_pdf_converts_only_the_generated_contract(client, world, login,
                                                           listener):  # noqa: F811
    if not has_program("soffice"):
        skip_or_fail("LibreOffice (soffice) is needed for the contract PDF preview")
    port, seen = listener
    out = create(client, world.headers, body(world)).json
    planted = external_image_docx(port)
    with unit_of_work():
        doc = eng_document(db.session.get(Engagement, out["id"]))
        received = incoming().receive(io.BytesIO(planted), "合同（替换）.docx")
        store_version(world.clerk, doc, received, "上传修改后的合同")
    assert eng_document(db.session.get(Engagement, out["id"])).sha256 == received.sha256

    login(world.clerk.username)
    resp = client.get(f"/engagements/{out['id']}/contract.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert seen == []
    with pdfplumber.open(io.BytesIO(resp.data)) as pdf:
        text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))
        images = sum(len(page.images) for page in pdf.pages)
    assert out["contract_no"] in text and "外部图片链接测试" not in text
    assert images == 0  # the listener's answer (a red PNG) is nowhere in the PDF


def test_the_signed_scan_may_be_an_image_a_pdf_or_an_ofd_but_not_text(client, world):
    from tests.webapp.scans import ofd_sample, scan_png
    from webapp.models import Document

    def sign(data: bytes, name: str):
        eng_id = create(client, world.headers, body(world)).json["id"]
        return eng_id, client.post(f"/api/v1/engagements/{eng_id}/sign",
                                   data={"file": (io.BytesIO(data), name)},
                                   headers=world.headers, content_type="multipart/form-data")

    for data, name, kind in ((scan_png(), "签章页.png", "image"),
                             (ofd_sample(), "签章.ofd", "ofd")):
        eng_id, resp = sign(data, name)
        assert resp.status_code == 200, resp.json
        eng = db.session.get(Engagement, eng_id)
        signed = db.session.get(Document, eng.signed_document_id)
        assert eng.status == "signed" and signed.versions[0].kind == kind
    _, refused = sign("签章页的文字说明".encode(), "签章.txt")
    assert refused.status_code == 415
    assert refused.json["error"]["code"] == "signed_scan_type"
    assert "图片" in refused.json["error"]["message"]
