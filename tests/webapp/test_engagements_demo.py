"""The demo contracts: most agencies engaged, every state present, watch lists filled,
numbers gap-free, and the demo advisor able to upload for the first agency."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from webapp.engagements.queries import watch_lists
from webapp.engagements.services import regenerated_matches
from webapp.engagements.terms import terms_on
from webapp.extensions import db
from webapp.models import Agency, Engagement, User
from webapp.policy import engaged_agency_ids


def test_demo_engagements(demo):
    rows = db.session.execute(select(Engagement)).scalars().all()
    agencies = {e.agency_id for e in rows}
    assert len(agencies) >= 50
    assert {"draft", "signed", "active", "expired", "renewed", "terminated", "filed"} <= \
        {e.status for e in rows}
    assert len({a.id for e in rows for a in [e.advisor]}) >= 50
    seqs: dict[tuple, list[int]] = defaultdict(list)
    for eng in rows:
        seqs[eng.kind, eng.year].append(eng.seq)
        assert eng.is_demo and eng.document_id
    for numbers in seqs.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert any(e.pool_override_reason for e in rows)
    kinds = {e.kind: e for e in rows if e.kind != "standard"}
    assert kinds["individual"].advisor.kind == "scholar"
    assert kinds["individual"].status == "active" and kinds["special"].status == "signed"
    assert regenerated_matches(kinds["individual"]) and regenerated_matches(kinds["special"])
    terms = terms_on(kinds["individual"], date.today())
    assert terms.annual_fee == 36000 and len(terms.applied) == 1
    assert all(regenerated_matches(e) for e in rows[:5])


def test_demo_watch_lists_and_advisor(demo):
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    lists = watch_lists(admin)
    assert lists.overdue
    assert sum(len(v) for v in lists.expiring.values()) >= 3
    assert lists.without_advisor
    advisor = db.session.execute(select(User).where(User.username == "advisor")).scalar_one()
    first = db.session.execute(select(Agency).order_by(Agency.id)).scalars().first()
    assert first.id in engaged_agency_ids(advisor)
