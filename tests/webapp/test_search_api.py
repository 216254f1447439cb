"""Search through the app: exact Chinese matching, snippets, facets and the access policy."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests import profile
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import Document
from webapp.transaction import unit_of_work


@pytest.fixture(autouse=True, params=profile.local_engines())
def engine(request, monkeypatch) -> str:
    """Every test here runs on each engine of the profile (see tests/profile.py)."""
    monkeypatch.setattr(profile, "TEST_SEARCH", request.param)
    return request.param


@pytest.fixture
def corpus(app, make_agency, make_user, make_advisor, token_for):
    """Two agencies; public and classified documents in each; one advisor's submission."""
    from datetime import date, timedelta

    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.models import Engagement

    own, other = make_agency("OWN", "开封市甲局"), make_agency("OTH", "开封市乙局")
    advisor = make_advisor("王顾问")
    admin = make_user("admin")
    today = date.today()
    db.session.add(Engagement(contract_no="E1", year=today.year, seq=1, agency_id=own.id,
                              advisor_id=advisor.id, status="active", annual_fee=1,
                              start_date=today - timedelta(days=9),
                              end_date=today + timedelta(days=99)))
    db.session.commit()
    users = {"admin": admin, "auditor": make_user("auditor"),
             "clerk": make_user("clerk", agency=own),
             "other_clerk": make_user("clerk", agency=other),
             "advisor": make_user("advisor", advisor=advisor)}

    def add(user, agency, title, text, classified=False, issued="2021-06-30"):
        meta = DocumentMeta(agency_id=agency.id, doc_type="legal_opinion", title=title,
                            classified=classified, issued_on=issued)
        with unit_of_work():
            return create_document(user, meta, io.BytesIO(docx_bytes(text)),
                                   f"{title}.docx").id

    ids = {
        "own": add(admin, own, "甲局公开意见", "关于郑汴同城南水北调配套工程的法律意见。"),
        "own_secret": add(admin, own, "甲局涉密意见", "郑汴同城南水北调涉密事项。", True),
        "other": add(admin, other, "乙局公开意见", "郑汴同城南水北调补偿争议的意见。",
                     issued="2022-01-05"),
        "other_secret": add(admin, other, "乙局涉密意见", "郑汴同城南水北调机密。", True),
        "advised": add(users["advisor"], own, "顾问提交意见", "郑汴同城南水北调顾问意见。"),
    }
    drain()
    headers = {role: token_for(u) for role, u in users.items()}
    return ids, headers


def search(client, headers, q, **params):
    return client.get("/api/v1/search", query_string={"q": q, **params}, headers=headers)


EXPECTED = {
    "admin": {"own", "own_secret", "other", "other_secret", "advised"},
    "auditor": {"own", "own_secret", "other", "other_secret", "advised"},
    "clerk": {"own", "own_secret", "advised"},
    "other_clerk": {"other", "other_secret"},
    "advisor": {"advised"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_hits_totals_and_facets_obey_the_policy(client, corpus, role):
    ids, headers = corpus
    body = search(client, headers[role], '"南水北调"').json
    want = {ids[k] for k in EXPECTED[role]}
    assert {h["id"] for h in body["hits"]} == want
    assert body["total"] == len(want)
    assert sum(f["count"] for f in body["facets"]["agency"]) == len(want)
    assert sum(f["count"] for f in body["facets"]["doc_type"]) == len(want)


def test_quoted_phrase_is_exact_and_marked(client, corpus):
    ids, headers = corpus
    body = search(client, headers["admin"], '"补偿争议"').json
    assert [h["id"] for h in body["hits"]] == [ids["other"]]
    assert "<mark>" in body["hits"][0]["snippet"]
    assert search(client, headers["admin"], '"补偿争执"').json["total"] == 0


def test_unquoted_terms_are_and(client, corpus):
    ids, headers = corpus
    body = search(client, headers["admin"], "南水北调 补偿").json
    assert {h["id"] for h in body["hits"]} == {ids["other"]}


def test_filters_and_year_facet(client, corpus):
    ids, headers = corpus
    body = search(client, headers["admin"], "南水北调", date_from="2022-01-01").json
    assert {h["id"] for h in body["hits"]} == {ids["other"]}
    years = {f["key"]: f["count"] for f in search(client, headers["admin"],
                                                  "南水北调").json["facets"]["year"]}
    assert years == {"2021": 4, "2022": 1}


def test_bad_query_is_a_helpful_422(client, corpus):
    _, headers = corpus
    resp = search(client, headers["admin"], '"未闭合')
    assert resp.status_code == 422
    assert resp.json["error"]["fields"]["q"]


def test_deleted_document_is_not_found(client, corpus, app):
    from webapp.documents.services import soft_delete
    from webapp.models import User

    ids, headers = corpus
    admin = db.session.execute(select(User).where(User.role == "admin")).scalars().first()
    with unit_of_work():
        soft_delete(admin, db.session.get(Document, ids["other"]), "测试删除")
    hits = {h["id"] for h in search(client, headers["admin"], '"补偿争议"').json["hits"]}
    assert ids["other"] not in hits
    drain()
    assert search(client, headers["admin"], '"补偿争议"').json["total"] == 0


def test_search_page_shows_highlighted_snippets(client, corpus, login):
    ids, headers = corpus
    from webapp.models import User

    clerk = db.session.execute(select(User).where(User.role == "clerk")).scalars().first()
    login(clerk.username)
    html = client.get("/search/?q=%22南水北调%22").get_data(as_text=True)
    assert "<mark>" in html and "甲局公开意见" in html
    assert "乙局" not in html
    empty = client.get("/search/?q=%22不存在的词语%22").get_data(as_text=True)
    assert "没有找到" in empty


def test_a_query_past_the_cost_limits_is_a_chinese_422(client, corpus, app):
    _, headers = corpus
    app.config["GOVCOUNSEL_SEARCH_MAX_TERMS"] = 3
    resp = search(client, headers["admin"], "南水北调 补偿 争议 配套 工程")
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "search_too_costly"
    assert resp.json["error"]["fields"]["q"] == "检索条件过于宽泛，请缩小范围"


def test_a_user_past_the_concurrent_search_limit_gets_429_others_do_not(client, corpus, app):
    from webapp.models import User
    from webapp.search.limits import gate

    _, headers = corpus
    clerk = db.session.execute(select(User).where(User.role == "clerk")).scalars().first()
    slots = gate(app)
    with slots.slot(clerk.id), slots.slot(clerk.id):  # two searches of the clerk running
        busy = search(client, headers["clerk"], "南水北调")
        assert busy.status_code == 429
        assert busy.headers["Retry-After"] == "1"
        assert busy.json["error"]["code"] == "search_busy"
        assert search(client, headers["admin"], "南水北调").status_code == 200
        assert client.get("/healthz").status_code == 200
    assert search(client, headers["clerk"], "南水北调").status_code == 200


def test_one_users_flood_leaves_health_and_other_users_answered(client, corpus):
    """Eight concurrent searches of 32 OR'ed characters from one clerk: the ones past
    the per-user limit are refused at once, and meanwhile /healthz and the admin's
    search answer normally (no 5xx anywhere)."""
    from concurrent.futures import ThreadPoolExecutor

    _, headers = corpus
    wide = " OR ".join("南水北调配套工程补偿争议的法律意见郑汴同城涉密事项顾问公开机甲乙局"[:32])
    with ThreadPoolExecutor(max_workers=10) as pool:
        flood = [pool.submit(search, client, headers["clerk"], wide) for _ in range(8)]
        health = client.get("/healthz")
        other = search(client, headers["admin"], '"补偿争议"')
        statuses = [future.result().status_code for future in flood]
    assert health.status_code == 200 and other.status_code == 200
    assert other.json["total"] == 1
    assert set(statuses) <= {200, 429, 422} and 200 in statuses


def test_healthz_names_the_engine_and_why_it_fell_back(client, engine, monkeypatch):
    body = client.get("/healthz").json
    assert body["search"] == {"engine": engine, "fallback_reason": None}
    assert body["checks"]["search"] == "ok"
    if engine == "tantivy":
        import indexer.factory

        monkeypatch.setattr(indexer.factory, "tantivy_problem",
                            lambda: "tantivy cannot be imported (ImportError: no wheel)")
        body = client.get("/healthz").json
        assert body["search"]["engine"] == "whoosh"
        assert "cannot be imported" in body["search"]["fallback_reason"]
