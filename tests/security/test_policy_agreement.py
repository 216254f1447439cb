"""One access policy, four ways of asking it — and they agree, role by role.

For every role of the security world (``world.py``) and every document in it (the two
seeded ones plus a few more that vary agency, classification, advisor and uploader):

- the SQL scope: is the document among ``select(Document.id).where(document_scope(user))``?
- the search filter: does ``search_visibility(user).allows(index_doc(doc))`` hold?
- the rule itself: ``can(user, "document.view", doc)``;
- the route matrix's expectation (``DOC_VIEW`` of ``test_route_matrix.py``);
- what the service answers: ``GET /api/v1/documents/<id>`` is 200 or a refusal, the list
  API counts exactly the visible ones, and a real search finds exactly them.

All must give the same answer, so lists, counts, search hits and direct access cannot
drift apart when the policy changes.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.security.routes import Target
from tests.security.test_route_matrix import DOC_VIEW
from tests.security.world import ROLES, World
from tests.webapp.files import docx_bytes

ROLE_NAMES = ("admin", "clerk_a", "clerk_b", "advisor", "auditor")
MARK = "玉衡星阁"  # in the title of every document of this world


def _extra_documents(app, world: World) -> dict[int, Target]:
    """Documents beyond the seeded two: other agency, classified of A, the advisor's own
    upload, one of agency B naming the advisor — each with what the matrix knows of it."""
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.extensions import db
    from webapp.indexing.jobs import drain
    from webapp.models import Document, User
    from webapp.transaction import unit_of_work

    admin = db.session.get(User, world.users["admin"])
    advisor_user = db.session.get(User, world.users["advisor"])
    cases = [("A", True, None, False), ("B", False, world.advisor, False),
             ("C", False, None, False), ("A", False, None, True), ("B", True, None, True)]
    targets: dict[int, Target] = {}
    for n, (agency, classified, advisor_id, by_advisor) in enumerate(cases):
        meta = DocumentMeta(agency_id=world.agencies[agency], doc_type="other",
                            title=f"{MARK}意见书{n}", classified=classified,
                            advisor_id=advisor_id)
        with unit_of_work():
            doc = create_document(admin, meta, io.BytesIO(docx_bytes(f"第{n}份")), "x.docx")
            if by_advisor:
                db.session.get(Document, doc.id).created_by_id = advisor_user.id
        targets[doc.id] = Target(f"extra{n}", agency=agency, classified=classified,
                                 advisor_linked=advisor_id is not None or by_advisor)
    drain()
    return targets


@pytest.fixture(scope="module")
def documents(sec_app, world) -> dict[int, Target]:
    from tests.security.routes import DOC_A, DOC_B

    with sec_app.app_context():
        extra = _extra_documents(sec_app, world)
        from webapp.documents.services import enqueue_index
        from webapp.extensions import db
        from webapp.indexing.jobs import drain
        from webapp.models import Document

        for doc_id in (world.doc_a, world.doc_b):
            doc = db.session.get(Document, doc_id)
            doc.title = f"{MARK}{doc.title}"
            doc.meta_version += 1
            enqueue_index(doc)
        db.session.commit()
        drain()
        db.session.remove()
    return {world.doc_a: DOC_A, world.doc_b: DOC_B, **extra}


def _answers(sec_app, world: World, role: str, doc_ids) -> dict[str, set[int]]:
    from webapp.extensions import db
    from webapp.indexing.backend import index_doc
    from webapp.models import Document, User
    from webapp.policy import can, document_scope, search_visibility

    with sec_app.app_context():
        user = db.session.get(User, world.users[role])
        docs = [db.session.get(Document, i) for i in doc_ids]
        in_scope = set(db.session.execute(select(Document.id).where(
            Document.id.in_(doc_ids), document_scope(user))).scalars())
        seen = search_visibility(user)
        answers = {"sql scope": in_scope,
                   "search filter": {d.id for d in docs if seen.allows(index_doc(d, ""))},
                   "can()": {d.id for d in docs if can(user, "document.view", d)}}
        db.session.remove()
    return answers


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_scope_search_filter_rule_matrix_and_service_agree(sec_app, world, documents, role):
    doc_ids = sorted(documents)
    answers = _answers(sec_app, world, role, doc_ids)
    answers["route matrix"] = {i for i, target in documents.items()
                               if DOC_VIEW.allows(ROLES[role], target)}
    client, headers = sec_app.test_client(), world.header(role)
    answers["GET /api/v1/documents/<id>"] = {
        i for i in doc_ids if client.get(f"/api/v1/documents/{i}", headers=headers).status_code
        == 200}
    listed = client.get("/api/v1/documents?per_page=200", headers=headers).json
    answers["GET /api/v1/documents"] = {d["id"] for d in listed["items"]} & set(doc_ids)
    found = client.get(f'/api/v1/search?q="{MARK}"&per_page=100', headers=headers).json
    answers["search hits"] = {h["id"] for h in found["hits"]}
    expected = answers["route matrix"]
    assert expected, f"{role} sees nothing: the world does not exercise the rule"
    assert {name: ids for name, ids in answers.items() if ids != expected} == {}, \
        f"{role}: expected {sorted(expected)}"
    assert found["total"] == len(expected)
