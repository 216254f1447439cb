"""Issue #15, UI finding 10: search with filters only lists; results show 登记号.

Reproductions (became these tests): filters without a keyword gave an error instead of a
filtered list; results lacked 登记号 and advisor.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.webapp.test_search_api import corpus  # noqa: F401  (the search world)
from webapp.extensions import db
from webapp.models import Document, User


def _clerk_login(login):
    clerk = db.session.execute(select(User).where(User.role == "clerk")).scalars().first()
    login(clerk.username)
    return clerk


def test_filters_without_a_keyword_list_the_filtered_documents(client, corpus, login):  # noqa: F811
    clerk = _clerk_login(login)
    resp = client.get(f"/search/?q=&agency_id={clerk.agency_id}&doc_type=legal_opinion")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/documents/?")
    assert f"agency_id={clerk.agency_id}" in resp.headers["Location"]
    assert "doc_type=legal_opinion" in resp.headers["Location"]
    assert client.get(resp.headers["Location"]).status_code == 200


def test_hits_show_the_registration_number(client, corpus, login):  # noqa: F811
    _clerk_login(login)
    html = client.get("/search/?q=%22南水北调%22").get_data(as_text=True)
    numbers = set(db.session.execute(select(Document.registration_no)).scalars())
    shown = [n for n in numbers if f'<span class="gc-hit-no">{n}</span>' in html]
    assert shown
