"""The outbox worker under crashes, and a damaged index, through the real app.

A worker process is killed with SIGKILL at the two dangerous moments (after claiming a
job, before the index commit; after the index commit, before the job is marked done);
the next worker must apply the job — nothing lost — and the index must hold the
document once — nothing duplicated.  A damaged index must be noticed at start-up,
rebuilt from the database, and searchable again, with ``verify`` passing.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests import profile
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.indexing.backend import get_backend
from webapp.indexing.jobs import drain
from webapp.models import Document, IndexJob
from webapp.transaction import unit_of_work

PROJECT = Path(__file__).parents[2]


@pytest.fixture(autouse=True, params=profile.local_engines())
def engine(request, monkeypatch) -> str:
    """Every test here runs on each engine of the profile (see tests/profile.py)."""
    monkeypatch.setattr(profile, "TEST_SEARCH", request.param)
    return request.param


@pytest.fixture
def pending_upload(app, make_agency, make_user):
    """One uploaded document whose index job has not run yet, and its uploader."""
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    agency, admin = make_agency("A01"), make_user("admin", username="boss")
    with unit_of_work():
        doc = create_document(admin, DocumentMeta(agency_id=agency.id,
                                                  doc_type="legal_opinion"),
                              io.BytesIO(docx_bytes("关于郑汴同城南水北调配套工程的法律意见")),
                              "opinion.docx")
    return doc.id, admin


def _killed_worker(app, stop_after: str) -> None:
    """Run a worker in a child process that SIGKILLs itself after claiming its batch, or
    after the batch's index commit (before the jobs are marked done)."""
    script = textwrap.dedent(f"""
        import os, signal
        from webapp import create_app
        from webapp.indexing import jobs
        app = create_app({{"GOVCOUNSEL_DATA_DIR": {app.config["GOVCOUNSEL_DATA_DIR"]!r},
                           "DATABASE_URL": {app.config["DATABASE_URL"]!r},
                           "GOVCOUNSEL_WORKER": False}})
        with app.app_context():
            batch = jobs.claim_batch()
            assert len(batch) == 1
            if {stop_after!r} == "apply":
                assert jobs.apply_batch(batch) == {{}}
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


def _found(client, token, phrase: str) -> list[int]:
    response = client.get("/api/v1/search", query_string={"q": f'"{phrase}"'}, headers=token)
    assert response.status_code == 200, response.get_json()
    return [hit["id"] for hit in response.get_json()["hits"]]


@pytest.mark.parametrize("stop_after", ["claim", "apply"])
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    app, client, pending_upload, token_for, stop_after
):
    doc_id, admin = pending_upload
    _killed_worker(app, stop_after)
    db.session.expire_all()
    job = db.session.execute(select(IndexJob)).scalar_one()
    assert job.status == "running"  # the dead worker's claim
    assert db.session.get(Document, doc_id).index_status == "pending"

    assert drain() == 1  # the next worker takes the abandoned job over at once
    db.session.expire_all()
    assert db.session.execute(select(IndexJob.status)).scalar_one() == "done"
    assert db.session.get(Document, doc_id).index_status == "indexed"
    backend = get_backend()
    assert list(backend.doc_ids()) == [doc_id] and backend.count() == 1
    assert _found(client, token_for(admin), "南水北调配套") == [doc_id]


def test_a_damaged_index_is_rebuilt_at_start_up(app, pending_upload, runner, engine):
    from webapp import create_app
    from webapp.ops.reindex import rebuild_if_needed
    from webapp.setup import shutdown

    doc_id, _admin = pending_upload
    drain()
    backend = get_backend()
    index_dir = Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "index"
    if engine == "postgres":
        from sqlalchemy import text

        with backend.engine.begin() as conn:  # an index of an older format
            conn.execute(text("UPDATE search_index_meta SET value = '0'"))
    elif engine == "whoosh":
        toc = max(index_dir.glob("_MAIN_*.toc"))
        toc.write_bytes(toc.read_bytes()[:20])
    else:
        for store in index_dir.glob("*.store"):
            store.write_bytes(store.read_bytes()[:20])
    shutdown(app)

    restarted = create_app({"GOVCOUNSEL_DATA_DIR": app.config["GOVCOUNSEL_DATA_DIR"],
                            "DATABASE_URL": app.config["DATABASE_URL"],
                            "GOVCOUNSEL_WORKER": False, "TESTING": True})
    with restarted.app_context():
        try:
            fresh = get_backend(restarted)
            assert fresh.count() == 0  # reset: the damaged index is not used
            assert restarted.extensions["govcounsel"]["index_rebuild_reason"]
            lines = list(rebuild_if_needed(restarted))
            assert lines, "the rebuild reports what it does"
            assert list(fresh.doc_ids()) == [doc_id]
            result = restarted.test_cli_runner().invoke(args=["verify"])
            assert result.exit_code == 0, result.output
        finally:
            shutdown(restarted)
            db.session.remove()
            db.engine.dispose()


def test_a_backlog_is_applied_in_batches_and_ends_in_step(app, client, make_agency,
                                                          make_user, token_for):
    """A burst of uploads, an edit and a deletion waiting for the worker: one batch takes
    them (one job per document), and afterwards every document is in the index as it is
    now — the edited one by its new title, the deleted one gone — and every job is done."""
    from webapp.documents.schemas import DocumentMeta, MetaChange
    from webapp.documents.services import create_document, soft_delete, update_metadata
    from webapp.indexing.jobs import claim_batch, run_batch

    agency, admin = make_agency("A01"), make_user("admin", username="boss")
    ids = []
    for i in range(6):
        with unit_of_work():
            doc = create_document(admin, DocumentMeta(agency_id=agency.id,
                                                      doc_type="legal_opinion"),
                                  io.BytesIO(docx_bytes(f"第{i}号关于国资处置事项的法律意见")),
                                  f"opinion{i}.docx")
        ids.append(doc.id)
    edited, deleted = db.session.get(Document, ids[0]), db.session.get(Document, ids[1])
    with unit_of_work():
        update_metadata(admin, edited, MetaChange(title="改名后的土地征收意见"))
        soft_delete(admin, deleted, "重复上传")

    taken = claim_batch(limit=20)
    assert sorted(job.document_id for job in taken) == sorted(ids)  # one job per document
    db.session.execute(update(IndexJob).values(status="pending", attempts=0))  # put back
    db.session.commit()

    assert run_batch() == 6
    assert run_batch() == 2  # the edit's and the deletion's later jobs
    assert run_batch() == 0
    db.session.expire_all()
    assert set(db.session.execute(select(IndexJob.status)).scalars()) == {"done"}
    assert {d.index_status for d in db.session.execute(select(Document)).scalars()} == {
        "indexed"}
    token = token_for(admin)
    assert set(_found(client, token, "国资处置")) == set(ids) - {ids[1]}
    assert _found(client, token, "土地征收") == [ids[0]]
    assert set(get_backend().doc_ids()) == set(ids) - {ids[1]}
