"""Scans, OFD and .doc/.wps through the app: accepted by content, OCR'd in the worker,
searchable through the profile's engines, and refused cleanly when they cannot be read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import profile
from tests.webapp import test_documents_bad_input as bad_input
from tests.webapp.files import docx_bytes
from tests.webapp.scans import SCAN_TEXT, doc_bytes, ofd_sample, scan_pdf, scan_png
from webapp.extensions import db
from webapp.indexing.jobs import drain, run_batch
from webapp.models import IndexJob

env, post, state = bad_input.env, bad_input.post, bad_input.state  # shared with bad input


@pytest.fixture(params=profile.local_engines())
def engine(request, monkeypatch) -> str:
    """The search tests here run on each engine of the profile (see tests/profile.py)."""
    monkeypatch.setattr(profile, "TEST_SEARCH", request.param)
    return request.param


def search(env, phrase: str) -> list[int]:
    client, _, headers = env
    resp = client.get("/api/v1/search", query_string={"q": f'"{phrase}"'}, headers=headers)
    assert resp.status_code == 200, resp.json
    return [hit["id"] for hit in resp.json["hits"]]


def document(env, doc_id: int) -> dict:
    client, _, headers = env
    return client.get(f"/api/v1/documents/{doc_id}", headers=headers).json


def test_an_ofd_is_accepted_by_content_and_found_by_its_text(engine, env):
    resp = post(env, ofd_sample(), "批复.ofd", title="路桥区卫生局批复")
    assert resp.status_code == 201, resp.json
    drain()
    doc = document(env, resp.json["id"])
    assert doc["versions"][0]["kind"] == "ofd" and doc["versions"][0]["pages"] == 2
    assert doc["ocr"] is None
    assert search(env, "同意张阿三同志辞职") == [doc["id"]]
    download = env[0].get(f"/api/v1/documents/{doc['id']}/file", headers=env[2])
    assert download.headers["Content-Type"] == "application/ofd"
    assert download.headers["Content-Disposition"].endswith(".ofd")


def test_a_scanned_pdf_shows_ocr_progress_then_its_text_and_is_searchable(engine, env, app):
    scan = scan_pdf()
    resp = post(env, scan, "签字扫描件.pdf", title="征收补偿法律意见（扫描件）")
    assert resp.status_code == 201, resp.json
    doc_id = resp.json["id"]
    run_batch()  # the text layer step: nothing, so OCR is queued
    waiting = document(env, doc_id)
    assert waiting["ocr"] == {"status": "pending", "done": 0, "total": 1, "failed_pages": [],
                              "error": None}
    page = env[0].get(f"/documents/{doc_id}", headers=env[2])
    assert "识别中 0/1 页" in page.get_data(as_text=True)

    drain()
    done = document(env, doc_id)
    assert done["ocr"]["status"] == "done" and done["ocr"]["failed_pages"] == []
    (source,) = done["versions"][0]["page_sources"]
    assert source["source"] == "ocr" and source["confidence"] > 0.8
    assert not done["versions"][0]["needs_ocr"]
    assert search(env, "征收补偿方案") == [doc_id]
    html = env[0].get(f"/documents/{doc_id}", headers=env[2]).get_data(as_text=True)
    assert "征收补偿方案" in html and "OCR" in html and "需 OCR" not in html
    marked = env[0].get(f"/documents/{doc_id}?q=%22征收补偿方案%22", headers=env[2])
    hits = re.findall(r'<mark data-hit="\d+">(.*?)</mark>', marked.get_data(as_text=True))
    assert ["".join(hit.split()) for hit in hits] == ["征收补偿方案"]  # OCR text is marked too
    original = env[0].get(f"/api/v1/documents/{doc_id}/file", headers=env[2]).data
    assert original == scan


def test_ocr_waiting_survives_a_reindex_and_finishes_afterwards(env, app):
    from webapp.ops.reindex import reindex

    doc_id = post(env, scan_png(), "扫描件.png").json["id"]
    run_batch()
    reindex(app, restart=True)
    assert db.session.execute(select(IndexJob.status).where(
        IndexJob.document_id == doc_id, IndexJob.action == "ocr")).scalar_one() == "pending"
    assert document(env, doc_id)["ocr"]["status"] == "pending"
    drain()
    assert document(env, doc_id)["ocr"]["status"] == "done"
    assert search(env, "征收补偿方案") == [doc_id]


def test_with_ocr_off_a_scan_stays_flagged(env, app):
    app.config["GOVCOUNSEL_OCR"] = "off"
    doc_id = post(env, scan_png(), "扫描件.png").json["id"]
    drain()
    doc = document(env, doc_id)
    assert doc["ocr"]["status"] == "off" and doc["versions"][0]["needs_ocr"]
    html = env[0].get(f"/documents/{doc_id}", headers=env[2]).get_data(as_text=True)
    assert "需 OCR" in html


def test_a_doc_file_is_read_through_libreoffice(env):
    resp = post(env, doc_bytes("旧版公文格式的合法性审查意见"), "旧版意见.doc")
    assert resp.status_code == 201, resp.json
    drain()
    assert document(env, resp.json["id"])["versions"][0]["kind"] == "doc"
    assert search(env, "旧版公文格式") == [resp.json["id"]]


def test_without_libreoffice_a_doc_file_is_refused_saying_what_to_install(env, app):
    app.config["GOVCOUNSEL_SOFFICE"] = "/nonexistent/soffice"
    before = state(app)
    resp = post(env, doc_bytes("旧版公文"), "旧版意见.wps")
    assert resp.status_code == 415
    assert resp.json["error"]["code"] == "office_unavailable"
    assert "LibreOffice" in resp.json["error"]["message"]
    assert "apt-get install" in resp.json["error"]["message"]
    assert state(app) == before


BAD = {
    "damaged_ofd": (lambda: ofd_sample()[:2000], "损坏.ofd", 422, "corrupt_ofd"),
    "truncated_png": (lambda: scan_png()[:300], "截断.png", 422, "corrupt_image"),
    "ofd_renamed_docx": (lambda: ofd_sample(), "伪装.docx", 201, None),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scans_and_ofd_get_their_error_and_leave_nothing(env, app, case):
    make, name, status, code = BAD[case]
    before = state(app)
    resp = post(env, make(), name)
    assert resp.status_code == status, resp.json
    if code:
        assert resp.json["error"]["code"] == code
        assert resp.json["error"]["message"] and "请求无效" not in resp.json["error"]["message"]
        assert state(app) == before
    else:
        assert document(env, resp.json["id"])["versions"][0]["kind"] == "ofd"


def test_text_and_docx_uploads_are_unchanged(env):
    resp = post(env, docx_bytes(SCAN_TEXT), "意见.docx")
    assert resp.status_code == 201 and resp.json["index_status"] == "pending"
    drain()
    assert document(env, resp.json["id"])["ocr"] is None
