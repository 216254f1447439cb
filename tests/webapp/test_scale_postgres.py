"""Several processes against one PostgreSQL: outbox shared without double work, numbers gap-free.

These need a PostgreSQL server: ``GOVCOUNSEL_TEST_PG_URL`` (CI sets it); they skip
loudly without it (and fail under ``GOVCOUNSEL_REQUIRE_ALL``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests.helpers import skip_or_fail

PG_URL = os.environ.get("GOVCOUNSEL_TEST_PG_URL") or os.environ.get(
    "GOVCOUNSEL_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_app(tmp_path):
    """An initialised service on a fresh PostgreSQL database with one agency and admin."""
    if not PG_URL:
        skip_or_fail("GOVCOUNSEL_TEST_PG_URL (a PostgreSQL server) is needed")
    from webapp import create_app
    from webapp.auth.services import create_user
    from webapp.extensions import db
    from webapp.models import Agency
    from webapp.setup import initialise, shutdown

    name = f"gc_scale_{os.getpid()}"
    admin_engine = create_engine(make_url(PG_URL).set(database="postgres"),
                                 isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    config = {"GOVCOUNSEL_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url,
              "GOVCOUNSEL_WORKER": False}
    app = create_app(config)
    initialise(app)
    with app.app_context():
        db.session.add(Agency(code="A01", name="开封市测试局", category="government_dept"))
        create_user("boss", "admin", "correct-horse-42")
        db.session.commit()
        yield app, config
        shutdown(app)
        db.session.remove()
        db.engine.dispose()
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


def _spawn(config: dict, body: str) -> subprocess.Popen:
    script = textwrap.dedent(f"""
        import io, sys
        from webapp import create_app
        from webapp.extensions import db
        app = create_app({config!r})
        with app.app_context():
    """) + textwrap.indent(textwrap.dedent(body), "    ")
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


UPLOAD = """
    from sqlalchemy import select
    from tests.webapp.files import docx_bytes
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.models import Agency, User
    user = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
    agency = db.session.execute(select(Agency)).scalar_one()
    from webapp.transaction import unit_of_work
    for i in range({n}):
        with unit_of_work():
            create_document(user, DocumentMeta(agency_id=agency.id, doc_type="other"),
                            io.BytesIO(docx_bytes("进程{p}的第%d份" % i)), "f.docx")
"""


def _wait(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-3000:]


def test_concurrent_uploads_from_several_processes_number_gap_free(pg_app):
    from webapp.extensions import db
    from webapp.models import Document

    app, config = pg_app
    procs = [_spawn(config, UPLOAD.format(n=8, p=p)) for p in range(3)]
    _wait(procs)
    seqs = sorted(db.session.execute(select(Document.reg_seq)).scalars())
    assert seqs == list(range(1, 25))


def test_two_workers_share_the_outbox_without_double_work(pg_app):
    from webapp.extensions import db
    from webapp.models import Document, IndexJob

    app, config = pg_app
    _wait([_spawn(config, UPLOAD.format(n=12, p=0))])
    drain = "from webapp.indexing.jobs import drain\nprint(drain())\n"
    workers = [_spawn(config, drain) for _ in range(2)]
    counts = []
    for proc in workers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-3000:]
        counts.append(int(out.decode().strip().splitlines()[-1]))
    db.session.expire_all()
    jobs = db.session.execute(select(IndexJob)).scalars().all()
    assert sum(counts) == len(jobs) == 12
    assert all(j.status == "done" and j.attempts == 1 for j in jobs)
    statuses = set(db.session.execute(select(Document.index_status)).scalars())
    assert statuses == {"indexed"}
