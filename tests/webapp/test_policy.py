"""The access policy as a role × action matrix, on own and other agencies' objects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp import policy
from webapp.extensions import db
from webapp.models import Document, Engagement

TODAY = date.today()


@pytest.fixture
def world(app, make_agency, make_user, make_advisor):
    own, other = make_agency("OWN"), make_agency("OTH")
    advisor = make_advisor("李顾问")
    db.session.add(Engagement(contract_no="E1", year=TODAY.year, seq=1, agency_id=own.id,
                              advisor_id=advisor.id, status="active", annual_fee=1,
                              start_date=TODAY - timedelta(days=30),
                              end_date=TODAY + timedelta(days=300)))
    users = {"admin": make_user("admin"), "auditor": make_user("auditor"),
             "clerk": make_user("clerk", agency=own), "advisor": make_user("advisor",
                                                                            advisor=advisor)}

    def doc(agency, n, classified=False, advisor_id=None):
        d = Document(registration_no=f"R{n}", reg_year=2022, reg_seq=n, agency_id=agency.id,
                     doc_type="legal_opinion", title=f"文书{n}", sha256="0" * 64,
                     classified=classified, advisor_id=advisor_id)
        db.session.add(d)
        return d

    docs = {"own": doc(own, 1), "own_classified": doc(own, 2, True),
            "other": doc(other, 3), "other_classified": doc(other, 4, True),
            "advised": doc(own, 5, advisor_id=advisor.id),
            "advised_classified": doc(own, 6, True, advisor_id=advisor.id)}
    db.session.commit()
    return {"users": users, "docs": docs, "own": own, "other": other}


VIEW = {
    "admin": {"own", "own_classified", "other", "other_classified", "advised",
              "advised_classified"},
    "auditor": {"own", "own_classified", "other", "other_classified", "advised",
                "advised_classified"},
    "clerk": {"own", "own_classified", "advised", "advised_classified"},
    "advisor": {"advised"},
}


@pytest.mark.parametrize("role", sorted(VIEW))
def test_document_view_matrix_and_scope_agree(world, role):
    user = world["users"][role]
    allowed = {k for k, d in world["docs"].items() if policy.can(user, "document.view", d)}
    assert allowed == VIEW[role]
    listed = set(db.session.execute(select(Document.title).where(
        policy.document_scope(user))).scalars())
    assert listed == {world["docs"][k].title for k in VIEW[role]}


@pytest.mark.parametrize(("role", "own", "other"), [
    ("admin", True, True), ("clerk", True, False), ("advisor", True, False),
    ("auditor", False, False)])
def test_upload_for_agency(world, role, own, other):
    user = world["users"][role]
    assert policy.can(user, "document.upload_for", world["own"].id) is own
    assert policy.can(user, "document.upload_for", world["other"].id) is other


ACTIONS = {
    "org.manage": {"admin"}, "user.manage": {"admin"}, "settings.manage": {"admin"},
    "document.delete": {"admin"}, "engagement.file": {"admin"},
    "template.manage": {"admin"}, "assessment.manage": {"admin"},
    "statistics.view": {"admin", "auditor"}, "audit.view": {"admin", "auditor"},
    "document.create": {"admin", "clerk", "advisor"}, "search.use": set(VIEW),
    "org.view": set(VIEW),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_global_actions(world, action):
    allowed = {r for r, u in world["users"].items() if policy.can(u, action)}
    assert allowed == ACTIONS[action]


def test_anonymous_and_inactive_users_can_do_nothing(world):
    assert not policy.can(None, "document.list")
    admin = world["users"]["admin"]
    admin.active = False
    assert not policy.can(admin, "document.view", world["docs"]["own"])


def test_unknown_action_is_refused(world):
    assert not policy.can(world["users"]["admin"], "no.such.action")


def test_agency_api_scope(client, world, token_for):
    seen = {r: {a["code"] for a in client.get("/api/v1/agencies",
                                             headers=token_for(u)).json["items"]}
            for r, u in world["users"].items()}
    assert seen["admin"] == seen["auditor"] == {"OWN", "OTH"}
    assert seen["clerk"] == {"OWN"}
    assert seen["advisor"] == {"OWN"}
