"""Fixtures of the fault tests: a data dir and database for real ``govcounsel`` processes.

The database comes from the suite's ``databases`` fixture (a SQLite copy of the migrated
template, or a PostgreSQL clone when ``GOVCOUNSEL_TEST_DATABASE_URL`` is set); it is
initialised in-process with ``make_app`` and given an agency, an admin and a token, then
every process the test starts (``serve``, ``reindex``, ``verify``) uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.faults.service import Service
from tests.helpers import PASSWORD


def _close(app) -> None:
    from webapp.extensions import db
    from webapp.setup import shutdown

    shutdown(app)
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def service_app(tmp_path: Path, databases):
    """An initialised app on a fresh data dir and database, with agency F01 and admin ``boss``."""
    from webapp.auth.services import create_user
    from webapp.extensions import db
    from webapp.models import Agency

    app = make_app(tmp_path / "data", databases)
    with app.app_context():
        db.session.add(Agency(code="F01", name="开封市故障测试局", category="government_dept"))
        create_user("boss", "admin", PASSWORD)
        db.session.commit()
    yield app
    databases.drop({"DATABASE_URL": app.config["DATABASE_URL"]})


def make_service(app) -> Service:
    """Issue the admin's token, release the app's resources, and describe the service."""
    from sqlalchemy import select

    from webapp.auth.services import issue_token
    from webapp.extensions import db
    from webapp.models import Agency, User

    with app.app_context():
        boss = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
        token = issue_token(boss, "faults")
        db.session.commit()
        agency_id = db.session.execute(select(Agency.id).where(Agency.code == "F01")
                                       ).scalar_one()
        _close(app)
    return Service(data_dir=Path(app.config["GOVCOUNSEL_DATA_DIR"]),
                   database_url=app.config["DATABASE_URL"], token=token, agency_id=agency_id)


@pytest.fixture
def service(service_app) -> Iterator[Service]:
    """The service, not started; every process it started is gone after the test."""
    svc = make_service(service_app)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def indexed_corpus(service_app, tmp_path: Path) -> list[int]:
    """150 small text documents bulk-imported and fully indexed (jobs done); returns their
    ids. (Plain text: the rebuild does not care about the format, and .docx files would
    triple the setup time.)"""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Document, User
    from webapp.ops.bulk_import import run_import
    from webapp.ops.reindex import reindex

    folder = tmp_path / "import"
    folder.mkdir()
    for n in range(150):
        (folder / f"{n:03d}.txt").write_text(corpus_text(n), encoding="utf-8")
    with service_app.app_context():
        boss = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
        summary = run_import(folder, "F01", "legal_opinion", boss)
        assert len(summary.imported) == 150, summary.refused
        reindex(service_app)
        ids = list(db.session.execute(select(Document.id).order_by(Document.id)).scalars())
        _close(service_app)
    return ids


def corpus_text(n: int) -> str:
    """The text of the ``n``-th imported document; its first line is unique to it."""
    return (f"第{n}号重建测试文书\n关于国有资产处置事项的法律意见：经审查，"
            f"该事项应当履行合法性审查程序，建议补充履约担保条款（第{n}项）。")
