"""Issue #15, UI findings 10 and 14 (the rest): the document page marks the searched
terms; a printable 法律顾问文书备案登记表 per document and for a filtered list.

Reproductions (became these tests): "the document page does not highlight the searched
phrase" (test_result_links_carry_the_query, test_the_page_marks_what_the_snippet_marks);
"a print stylesheet (… 备案登记表 … printable)" — no 备案登记表 page existed
(test_registration_form_shows_the_registered_fields and the access tests).
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

from sqlalchemy import select

from tests.webapp.files import docx_bytes
from tests.webapp.test_search_api import corpus  # noqa: F401  (the search world)
from webapp.documents.schemas import DocumentMeta
from webapp.documents.services import create_document
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import AuditEvent, Document, User
from webapp.transaction import unit_of_work

MARK_RE = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)


def _as(login, role: str, agency_code: str = "OWN") -> User:
    users = db.session.execute(select(User).where(User.role == role)).scalars().all()
    user = next(u for u in users if role != "clerk" or u.agency.code == agency_code)
    login(user.username)
    return user


def _page(client, doc_id: int, q: str | None = None) -> str:
    url = f"/documents/{doc_id}" + (f"?q={quote(q)}" if q is not None else "")
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _text_panel(html: str) -> str:
    return html.split("data-hit-text>", 1)[1].split("</div>", 1)[0]


def test_result_links_carry_the_query(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk")
    html = client.get("/search/?q=" + quote('"南水北调"')).get_data(as_text=True)
    assert f'href="/documents/{ids["own"]}?q=%22%E5%8D%97' in html


def test_the_page_marks_what_the_snippet_marks(client, corpus, login):  # noqa: F811
    """The same matching as the engine: phrases exactly, unquoted terms also by word."""
    ids, headers = corpus
    _as(login, "clerk")
    for q in ('"南水北调"', "南水北调配套", "配套 工程", "同城 OR 机密"):
        hit = next(h for h in client.get("/api/v1/search", query_string={"q": q},
                                         headers=headers["clerk"]).json["hits"]
                   if h["id"] == ids["own"])
        panel = _text_panel(_page(client, ids["own"], q))
        assert MARK_RE.findall(panel) == MARK_RE.findall(hit["snippet"]), q
        assert MARK_RE.findall(panel)


def test_count_title_and_navigation(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk")
    html = _page(client, ids["own"], "公开意见 法律")
    assert '<h1 class="h4 mb-1">甲局<mark>公开意见</mark>' in html
    assert "共 1 处" in html and "下一处" in html and "上一处" in html
    assert '<mark data-hit="1">法律意见</mark>' in html  # 意见: a word of 公开意见
    assert "app/highlight.js" in html
    plain = _page(client, ids["own"])
    assert "<mark" not in plain and "data-hit-nav" not in plain


def test_a_missing_term_and_a_malformed_query_mark_nothing(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk")
    html = _page(client, ids["own"], '"补偿争议"')
    assert "<mark" not in _text_panel(html) and "未出现在" in html
    html = _page(client, ids["own"], '"南水北调')  # unbalanced quote: the engine refuses it
    assert "<mark" not in html and "data-hit-nav" not in html


def test_html_in_the_text_and_in_the_query_is_escaped(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    admin = _as(login, "admin")
    own = db.session.get(Document, ids["own"]).agency
    meta = DocumentMeta(agency_id=own.id, doc_type="legal_opinion", title="脚本测试意见",
                        issued_on="2021-06-30")
    with unit_of_work():
        doc_id = create_document(admin, meta, io.BytesIO(docx_bytes(
            '正文<script>alert("x")</script>南水北调<b>加粗</b>')), "脚本.docx").id
    drain()
    for q in ('"<script>alert"', '<script>alert(1)</script> 南水北调', '"<b>加粗"'):
        html = _page(client, doc_id, q)
        assert "<script>alert" not in html and "<b>加粗" not in html, q
        assert "&lt;script&gt;alert" in _text_panel(html)
    assert "<mark data-hit=\"1\">&lt;b&gt;加粗</mark>" in _page(client, doc_id, '"<b>加粗"')


def test_a_hidden_or_missing_document_is_404_with_or_without_q(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk", "OTH")
    for path in (f"/documents/{ids['own']}?q=%22南水北调%22",
                 f"/documents/{ids['own_secret']}?q=涉密",
                 f"/documents/{ids['own']}/registration-form",
                 f"/documents/{ids['own_secret']}/registration-form",
                 "/documents/999999/registration-form", "/documents/999999?q=x"):
        assert client.get(path).status_code == 404, path


def test_registration_form_shows_the_registered_fields(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk")
    doc = db.session.get(Document, ids["advised"])
    assert f'/documents/{doc.id}/registration-form' in _page(client, doc.id)
    resp = client.get(f"/documents/{doc.id}/registration-form")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    cells = dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', html))
    assert cells["单位"] == "开封市甲局" and cells["文书类型"] == "法律意见书"
    assert cells["标题"] == "顾问提交意见" and cells["出具日期"] == "2021年6月30日"
    assert cells["法律顾问（律师事务所）"].startswith("王顾问（测试律师事务所")
    assert cells["密级"] == "非涉密" and cells["版本"] == "第1版"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", cells["登记日期"])
    assert cells["登记人"]
    assert "法律顾问文书备案登记表" in html and f"登记号：{doc.registration_no}" in html
    for box in ("经办人签字", "审核人签字", "日期"):
        assert f'<th scope="col">{box}</th>' in html
    assert f"文件校验码 {doc.sha256}" in html and "SHA-256" not in html
    assert "gc-nav" not in html and "主导航" not in html  # no site navigation to print
    static = client.get("/static/app/regform.css")
    css = static.get_data(as_text=True)
    static.close()
    assert "size: A4" in css and "Noto Serif CJK SC" in css


def test_a_classified_form_is_audited_like_the_page(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    clerk = _as(login, "clerk")

    def views() -> int:
        return len(db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "classified_document_viewed",
            AuditEvent.object_id == str(ids["own_secret"]),
            AuditEvent.actor_id == clerk.id)).scalars().all())

    before = views()
    html = client.get(f"/documents/{ids['own_secret']}/registration-form").get_data(
        as_text=True)
    assert '<td>涉密</td>' in html
    assert views() == before + 1


def test_batch_forms_follow_the_list_filters_and_visibility(client, corpus, login):  # noqa: F811
    ids, _ = corpus
    _as(login, "clerk")
    own = db.session.get(Document, ids["own"]).agency
    html = client.get(f"/documents/registration-forms?agency_id={own.id}").get_data(
        as_text=True)
    shown = {int(n) for n in re.findall(r'data-registration-form="(\d+)"', html)}
    assert shown == {ids["own"], ids["own_secret"], ids["advised"]}
    html = client.get("/documents/registration-forms?q=甲局公开").get_data(as_text=True)
    assert re.findall(r'data-registration-form="(\d+)"', html) == [str(ids["own"])]
    assert "registration-forms" in client.get("/documents/").get_data(as_text=True)
    assert client.get("/documents/registration-forms?date_from=not-a-date").status_code == 422


def test_the_window_follows_a_hit_beyond_the_opening_and_work_is_capped():
    from webapp.documents.reading import PREVIEW_CHARS, reading
    from webapp.search.highlight import SCAN_CHARS

    filler = "一二三四五六七八九十" * (SCAN_CHARS // 10)
    text = filler[:8000] + "补水协议" + filler + "补水协议"
    shown = reading(text, "标题", '"补水协议"')
    assert shown.start == 8000 - 200 and shown.end == shown.start + PREVIEW_CHARS
    assert shown.shown_hits == 1 and shown.total_hits == 1  # the second is past the cap
    assert not shown.scanned_all
    assert '<mark data-hit="1">补水协议</mark>' in shown.text_html
    opening = reading(text, "标题", None)
    assert opening.start == 0 and opening.total_hits == 0 and "<mark" not in opening.text_html


def test_a_title_with_html_is_escaped_around_its_marks():
    from webapp.documents.reading import reading

    shown = reading("<img src=x onerror=alert(1)>正文", "<b>补水</b>协议", "补水 <img")
    assert str(shown.title_html) == "&lt;b&gt;<mark>补水</mark>&lt;/b&gt;协议"
    assert "<img" not in str(shown.text_html)


def test_the_batch_is_capped_and_says_so(client, corpus, login, monkeypatch):  # noqa: F811
    from webapp.documents import regform

    monkeypatch.setattr(regform, "BATCH_LIMIT", 2)  # the real cap is 200 documents
    _as(login, "admin")
    html = client.get("/documents/registration-forms").get_data(as_text=True)
    assert len(re.findall(r'data-registration-form="\d+"', html)) == 2
    assert "只列出前 2 份，请缩小筛选范围" in html
