"""Shared fixtures: an app on a tmp data dir, clients, logins and factories.

The schema is migrated once per session into a template SQLite file that each
test copies, so every test starts from a real, freshly migrated database. The
demo set is loaded once per session (and per day: it is dated relative to today)
into a snapshot of data dir and database, which every test using ``demo`` gets a
fresh copy of (see ``databases.py``).

Under pytest-xdist (``scripts/test`` runs ``-n``; pyproject.toml sets ``--dist
loadfile``) each test module runs whole, in order, on one worker: module-scoped
fixtures (the security suite's seeded world, which its tests change) and the
browser journeys' one server are never split. Every worker has its own tmp dirs,
template database and demo snapshot (PostgreSQL names carry the worker's pid).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.databases import PG_URL, PostgresDatabases, SqliteDatabases
from tests.helpers import PASSWORD, csrf_token
from tests.profile import configure_data_dir
from webapp import create_app


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory):
    """Where test databases come from: SQLite copies, or PostgreSQL clones (see databases.py)."""
    from webapp.setup import initialise

    template_dir = tmp_path_factory.mktemp("template")
    factory = PostgresDatabases(PG_URL) if PG_URL else SqliteDatabases(template_dir)
    app = create_app({"GOVCOUNSEL_DATA_DIR": str(template_dir), "TESTING": True,
                      **factory.template_config(template_dir)})
    initialise(app)
    with app.app_context():
        from webapp.extensions import db
        from webapp.setup import shutdown

        shutdown(app)
        db.engine.dispose()
    yield factory
    if PG_URL:
        factory.close()


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The ``app`` fixture keeps an app context pushed for the test body; without this,
    requests would share its ``g`` (and its database session) with each other.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


# Users made by the in-process test apps get a cheap password hash: scrypt costs 0.16 s
# a hash and a check, a fifth of the suite's time.  Logins still check real hashes; the
# browser journeys and fault tests run a real ``govcounsel serve`` with the default.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1000"


def make_app(data_dir: Path, databases, **overrides) -> Flask:
    """An app on ``data_dir`` with a fresh copy of the migrated template database."""
    return _open_app(data_dir, databases.fresh(data_dir), **overrides)


def _open_app(data_dir: Path, database: dict, **overrides) -> Flask:
    if not (data_dir / "config.json").exists():  # a copied snapshot keeps its own
        configure_data_dir(data_dir, database)  # the profile under test (tests/profile.py)
    config = {"GOVCOUNSEL_DATA_DIR": str(data_dir), "TESTING": True,
              "GOVCOUNSEL_WORKER": False, "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
              **database, **overrides}
    app = create_app(config)
    app.test_client_class = FreshContextClient
    from webapp.setup import initialise

    initialise(app)
    return app


def _release(app: Flask) -> None:
    """Close what ``app`` holds open (in its app context): extractor, index, connections."""
    from webapp.extensions import db
    from webapp.setup import shutdown

    shutdown(app)
    db.session.remove()
    db.engine.dispose()


def demo_snapshot(databases, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The key of a snapshot with the demo set loaded (built once per session and day).

    Built exactly as the ``demo`` fixture used to do it per test: an app on the
    migrated template, then ``load_demo(app, documents=False)``; data dir (blobs,
    ``demo_logins.txt``, index, secret key) and database are then copied per test.
    """
    key = f"demo-{date.today().isoformat()}"
    if key not in databases.snapshots:
        from webapp.demo import load_demo

        data_dir = tmp_path_factory.mktemp("demo-snapshot") / "data"
        application = make_app(data_dir, databases)
        with application.app_context():
            load_demo(application, documents=False)
            _release(application)
        databases.keep(key, data_dir, {"DATABASE_URL": application.config["DATABASE_URL"]})
    return key


def copy_of_snapshot(data_dir: Path, databases, snapshot: str) -> dict:
    """A fresh copy of ``snapshot`` in ``data_dir``: its files and database, and, on an
    object-store profile (``GOVCOUNSEL_TEST_STORE=s3``), its blobs under a new prefix of
    the test's own; returns the database settings."""
    database = databases.fresh(data_dir, snapshot)
    path = data_dir / "config.json"
    source = json.loads(path.read_text("utf-8")).get("GOVCOUNSEL_STORE") \
        if path.exists() else None
    if source and "://" in source:
        target = configure_data_dir(data_dir, database)["GOVCOUNSEL_STORE"]
        assert target != source, "the copy needs a store of its own"
        _copy_blobs(source, target)
    return database


_SOURCE_STORES: dict[str, object] = {}


def _copy_blobs(source: str, target: str) -> None:
    """Copy every blob of the store at ``source`` into the (new, empty) one at ``target``:
    server-side copies on S3 (one request a blob), else through the store API."""
    from concurrent.futures import ThreadPoolExecutor

    from document_store import open_store
    from document_store.migrate import copy_all
    from document_store.s3 import S3BlobStore

    src = _SOURCE_STORES.get(source) or _SOURCE_STORES.setdefault(source, open_store(source))
    dst = open_store(target)
    if not (isinstance(src, S3BlobStore) and isinstance(dst, S3BlobStore)):
        report = copy_all(src, dst, verify=False)
        assert report.ok, report.failed
        return

    def copy(sha256: str) -> None:
        src.client.copy_object(Bucket=dst.bucket, Key=dst.object_key(sha256),
                               CopySource={"Bucket": src.bucket, "Key": src.object_key(sha256)})

    with ThreadPoolExecutor(max_workers=4) as pool:  # a failed copy raises here
        list(pool.map(copy, list(src.iter_keys())))


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, databases) -> Iterator[Flask]:
    """A fresh app with an empty, migrated database; inside an app context.

    For a test that uses ``demo``, the database and data dir start as a fresh copy
    of the demo snapshot instead (the same state ``load_demo`` leaves, in a fraction
    of the time); ``demo`` then finds the set loaded.
    """
    data_dir = tmp_path / "data"
    if "demo" in request.fixturenames:
        snapshot = demo_snapshot(databases, request.getfixturevalue("tmp_path_factory"))
        application = _open_app(data_dir, copy_of_snapshot(data_dir, databases, snapshot))
    else:
        application = make_app(data_dir, databases)
    with application.app_context():
        yield application
        _release(application)
    databases.drop({"DATABASE_URL": application.config["DATABASE_URL"]})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (CSRF on, as in production)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner for the ``govcounsel`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def demo(app: Flask) -> Flask:
    """The app with the demo organisations, users, engagements and assessments (no files).

    ``app`` already starts from a copy of the demo snapshot, so this finds the set
    loaded; on an app without it (an overridden ``app``) it loads the set itself.
    """
    from webapp.demo import load_demo

    load_demo(app, documents=False)
    return app


@pytest.fixture
def make_user(app: Flask) -> Callable:
    """Create a user: ``make_user("clerk", agency=agency)``."""
    from webapp.auth.services import create_user
    from webapp.extensions import db

    counter = iter(range(1, 10_000))

    def _make(role: str, *, agency=None, advisor=None, username: str | None = None):
        name = username or f"{role}{next(counter)}"
        user = create_user(name, role, PASSWORD, agency_code=agency.code if agency else None,
                           advisor_id=advisor.id if advisor else None)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_agency(app: Flask) -> Callable:
    """Create an agency: ``make_agency("A1", "测试局")``."""
    from webapp.extensions import db
    from webapp.models import Agency

    def _make(code: str = "T01", name: str | None = None, category: str = "government_dept",
              **kw):
        agency = Agency(code=code, name=name or f"测试单位{code}", category=category, **kw)
        db.session.add(agency)
        db.session.commit()
        return agency

    return _make


@pytest.fixture
def make_advisor(app: Flask) -> Callable:
    """Create an advisor (a lawyer of a new firm unless told otherwise)."""
    from webapp.extensions import db
    from webapp.models import Advisor, LawFirm

    counter = iter(range(1, 10_000))

    def _make(name: str = "张律师", kind: str = "lawyer", **kw):
        n = next(counter)
        if kind == "lawyer" and "firm_id" not in kw:
            firm = LawFirm(name=f"测试律师事务所{n}")
            db.session.add(firm)
            db.session.flush()
            kw["firm_id"] = firm.id
        kw.setdefault("licence_no", f"1410220{n:010d}" if kind == "lawyer" else None)
        advisor = Advisor(name=name, kind=kind, **kw)
        db.session.add(advisor)
        db.session.commit()
        return advisor

    return _make


@pytest.fixture
def login(client: FlaskClient) -> Callable:
    """Log ``client`` in as a user (by username) through the real login form."""

    def _login(username: str, password: str = PASSWORD):
        token = csrf_token(client)
        resp = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return resp

    return _login


@pytest.fixture
def login_as(make_user, make_agency, login) -> Callable:
    """Create a user of ``role`` (clerks get a new agency unless given one) and log in."""

    def _as(role: str, agency=None, advisor=None):
        if role == "clerk" and agency is None:
            agency = make_agency(code=f"C{role[:2]}")
        user = make_user(role, agency=agency, advisor=advisor)
        login(user.username)
        return user

    return _as


@pytest.fixture
def token_for(app: Flask) -> Callable:
    """An ``Authorization`` header with a fresh API token for ``user``."""
    from webapp.auth.services import issue_token
    from webapp.extensions import db

    def _token(user) -> dict[str, str]:
        token = issue_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return _token


@pytest.fixture(scope="session")
def s3_server():
    """The process's S3-compatible server (moto; see ``tests/s3server.py``)."""
    from tests.s3server import shared_server

    return shared_server()


@pytest.fixture(scope="session")
def template_db(databases):
    """Older name of ``databases`` (kept for tests that build their own app)."""
    return databases
