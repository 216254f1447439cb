"""SIGKILL a real ``govcounsel serve`` during uploads, and ``govcounsel reindex`` mid-way.

After a restart nothing acknowledged is lost, no orphan blob counts as a document, the
index catches up by itself and ``govcounsel verify`` passes. (The in-process crash
between blob write and commit is ``tests/webapp/test_ops.py``; these kill whole
processes from outside, at whatever point they have reached.)
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.faults.service import Service, sha256, wait_for
from tests.webapp.files import docx_bytes

UPLOADERS = 4
ACKS_BEFORE_KILL = 8
CATCH_UP_SECONDS = 120
PHRASE = "故障注入第{t}路第{n}份文书"
LONG_PHRASE = "故障注入时正在建立索引的长篇文书"


@dataclass
class Upload:
    """One upload attempt: what was sent and what (if anything) came back."""

    phrase: str
    sha256: str
    status: int | None = None
    doc: dict | None = None


class UploadStream:
    """Threads that upload unique .docx files through the API until stopped."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.stop = threading.Event()
        self.attempts: list[Upload] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(t,), daemon=True)
                        for t in range(UPLOADERS)]

    def acked(self) -> list[Upload]:
        with self.lock:
            return [a for a in self.attempts if a.status == 201]

    def send(self, name: str, phrase: str, data: bytes) -> Upload:
        """Upload one file (titled ``phrase``); a lost connection leaves ``status`` None."""
        attempt = Upload(phrase=phrase, sha256=sha256(data))
        with self.lock:
            self.attempts.append(attempt)
        try:
            response = self.service.request(
                "POST", "/api/v1/documents", files={"file": (name, data)},
                data={"agency_id": str(self.service.agency_id), "doc_type": "legality_review",
                      "title": phrase})
        except requests.RequestException:
            return attempt
        attempt.status = response.status_code
        if response.status_code == 201:
            attempt.doc = response.json()
        return attempt

    def _run(self, t: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            phrase = PHRASE.format(t=t, n=n)
            self.send(f"{t}-{n}.docx", phrase, docx_bytes(
                f"{phrase}\n关于重大投资项目的合法性审查意见。"
                f"经审查，该项目应当履行集体讨论决定程序。\n{phrase}结束。"))

    def __enter__(self) -> UploadStream:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def long_docx() -> bytes:
    """A .docx of ~750,000 characters: indexing it keeps the worker busy for seconds, even
    on the compiled engine."""
    return docx_bytes("\n".join([LONG_PHRASE, *(
        f"第{i}条 关于重大投资项目的合法性审查意见，经审查该项目应当履行集体讨论决定程序。"
        for i in range(15000))]))


def _check_document(service: Service, doc_id: int, expected_sha: str, phrase: str) -> dict:
    """Present, stored (the downloaded bytes hash to what was uploaded), registered,
    and found by a quoted search of a phrase of its text."""
    doc = service.api(f"/api/v1/documents/{doc_id}")
    assert doc["sha256"] == expected_sha
    assert re.search(r"\d", doc["registration_no"]), doc["registration_no"]
    body = service.request("GET", f"/api/v1/documents/{doc_id}/file")
    assert body.status_code == 200 and sha256(body.content) == expected_sha
    hits = service.api("/api/v1/search", q=f'"{phrase}"')["hits"]
    assert [hit["id"] for hit in hits] == [doc_id], (phrase, hits)
    return doc


def _wait_all_indexed(service: Service, ids: set[int]) -> None:
    def indexed() -> bool:
        docs = service.all_documents()
        failed = [d["id"] for d in docs if d["index_status"] == "failed"]
        assert not failed, f"index jobs failed for {failed}\n{service.server.log_tail()}"
        return all(d["index_status"] == "indexed" for d in docs if d["id"] in ids)

    try:
        wait_for(indexed, CATCH_UP_SECONDS, "the restarted worker to index every document",
                 interval=0.5)
    except AssertionError as exc:
        waiting = {d["id"]: service.job(d["id"]) for d in service.all_documents()
                   if d["index_status"] != "indexed"}
        raise AssertionError(f"{exc}; not indexed (job status, claim): {waiting}\n"
                             f"{service.server.log_tail()}") from None


def _registration_seqs(docs: list[dict]) -> dict[str, list[int]]:
    """Registration sequence numbers per year, e.g. 汴法顾登〔2025〕00007号 → {"2025": [7]}."""
    seqs: dict[str, list[int]] = {}
    for doc in docs:
        year, seq = re.findall(r"\d+", doc["registration_no"])[:2]
        seqs.setdefault(year, []).append(int(seq))
    return {year: sorted(values) for year, values in seqs.items()}


def _kill_while_indexing(service: Service) -> tuple[UploadStream, int]:
    """Upload a long document; while the worker indexes it (seconds), upload small ones
    from several threads and SIGKILL the server once some are acknowledged, with others
    in flight. The long document's job is left claimed by the dead process."""
    service.start()
    stream = UploadStream(service)
    long = stream.send("long.docx", LONG_PHRASE, long_docx())
    assert long.status == 201, long.status
    wait_for(lambda: service.job(long.doc["id"])[0] == "running", 60,
             "the worker to start indexing the long document")
    claim = f"{socket.gethostname()}:{service.server.process.pid}"
    with stream:
        wait_for(lambda: len(stream.acked()) > ACKS_BEFORE_KILL, 60,
                 f"{ACKS_BEFORE_KILL} acknowledged uploads")
        service.kill_server()
    assert service.job(long.doc["id"]) == ("running", claim), "indexed before the kill"
    assert all(a.status in (201, None) for a in stream.attempts), \
        [a.status for a in stream.attempts]
    return stream, long.doc["id"]


def test_sigkill_during_concurrent_uploads_loses_nothing_acknowledged(service):
    stream, long_id = _kill_while_indexing(service)
    server = service.start()
    by_sha = {a.sha256: a for a in stream.attempts}
    docs = service.all_documents()
    ids = {d["id"] for d in docs}
    assert {a.doc["id"] for a in stream.acked()} <= ids
    assert {d["sha256"] for d in docs} <= by_sha.keys()
    assert len(ids) == len({d["sha256"] for d in docs}), "an upload was registered twice"
    assert all(seqs == list(range(1, len(seqs) + 1))
               for seqs in _registration_seqs(docs).values()), "registration numbers have gaps"

    _wait_all_indexed(service, ids)
    # the restarted worker took the dead one's job over (not after STALE_CLAIM)
    assert service.job(long_id) == ("done", f"{socket.gethostname()}:{server.process.pid}")
    for doc in docs:
        _check_document(service, doc["id"], doc["sha256"], by_sha[doc["sha256"]].phrase)
    for attempt in stream.acked():
        assert attempt.doc["sha256"] == attempt.sha256
    service.stop_server()
    _orphans_are_reported_and_cleaned(service, by_sha.keys(), {d["sha256"] for d in docs})


def _orphans_are_reported_and_cleaned(service: Service, uploaded: set[str],
                                      registered: set[str]) -> None:
    """Blobs of uploads killed before their commit are orphans: ``verify`` passes and
    names them as such; ``--clean-orphans`` removes them and nothing else, and the temp
    files of uploads cut off by the kill once they are over an hour old."""
    orphans = {key for key in service.blob_keys() if key in uploaded and key not in registered}
    result = service.cli("verify")
    assert result.returncode == 0, result.stdout + result.stderr
    if orphans:
        assert f"发现 {len(orphans)} 个未被任何文书引用的孤立文件" in result.stdout
    leftovers = service.temp_files()
    an_hour_ago = time.time() - 3700
    for path in leftovers:
        os.utime(path, (an_hour_ago, an_hour_ago))
    cut_off = (len(leftovers) + len(service.unfinished_uploads())
               + len(service.old_spool_files()))
    result = service.cli("verify", "--clean-orphans")
    assert result.returncode == 0, result.stdout + result.stderr
    if orphans:
        assert f"已清理 {len(orphans)} 个孤立文件" in result.stdout
    if cut_off:
        assert f"已清理 {cut_off} 个中断上传留下的临时文件" in result.stdout
    assert not service.blob_keys() & orphans
    assert registered <= service.blob_keys()
    assert service.temp_files() == []
    assert service.unfinished_uploads() == []


def _reindex_until(service: Service, reached) -> subprocess.Popen:
    """Start ``reindex --restart --chunk 10``; SIGKILL it once ``reached()`` is true
    (unless it has ended by then). Returns the ended process."""
    process, _log = service.spawn("reindex", "--restart", "--chunk", "10", log_name="reindex")
    wait_for(lambda: process.poll() is not None or reached(), 120,
             "the rebuild to reach its kill point", interval=0.01)
    helpers = _children(process.pid)  # e.g. tantivy's analysis processes
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in helpers), 30,
             "the killed rebuild's helper processes to end (no orphans)", interval=0.1)
    return process


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux ``/proc``; none elsewhere)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cleared_index(service: Service):
    """A condition: the index has had a commit since now (the rebuild's clear); for an
    index other than Whoosh, the rebuild's first checkpoint."""
    generation = service.index_generation()
    if generation < 0:
        return lambda: service.checkpoint() is not None
    return lambda: service.index_generation() > generation


def _passed_a_third(service: Service, ids: list[int]):
    """A condition: the rebuild's checkpoint is past a third of ``ids``."""
    def reached() -> bool:
        state = service.checkpoint()
        return state is not None and state["last_id"] >= ids[len(ids) // 3]
    return reached


def _kill_reindex(service: Service, ids: list[int], mid_way: bool) -> dict:
    """SIGKILL a rebuild as soon as it has cleared the index (``mid_way=False``), or once
    it has passed a third of the documents. Returns the checkpoint left behind. A run
    that ends before the signal lands is repeated (at most three times); how far it got
    is read afterwards, never assumed."""
    for _ in range(3):
        (service.data_dir / "reindex.checkpoint").unlink(missing_ok=True)  # --restart anyway
        reached = _passed_a_third(service, ids) if mid_way else _cleared_index(service)
        process = _reindex_until(service, reached)
        assert process.returncode in (0, -signal.SIGKILL), process.returncode
        state = service.checkpoint()
        if process.returncode == -signal.SIGKILL:
            assert state is not None, "a killed rebuild must leave its checkpoint"
            if state["last_id"] < ids[-1]:
                return state
    raise AssertionError("the rebuild finished three times before it could be killed")


def _assert_index_complete(service_app) -> None:
    """Every live document is in the index with its current stamp, and nothing else."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.indexing.backend import get_backend, stamp
    from webapp.models import Document
    from webapp.setup import shutdown

    with service_app.app_context():
        live = {d.id: stamp(d) for d in db.session.execute(
            select(Document).where(Document.deleted_at.is_(None))).scalars()}
        try:
            assert get_backend().doc_ids() == live
        finally:
            shutdown(service_app)
            db.session.remove()
            db.engine.dispose()


def _verify_passes(service: Service) -> None:
    result = service.cli("verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "尚在队列中" not in result.stdout, result.stdout


def test_reindex_killed_mid_way_resumes_from_its_checkpoint(indexed_corpus, service,
                                                             service_app):
    state = _kill_reindex(service, indexed_corpus, mid_way=True)
    remaining = sum(1 for doc_id in indexed_corpus if doc_id > state["last_id"])
    assert 0 < remaining <= len(indexed_corpus) * 2 // 3
    result = service.cli("reindex")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"索引重建完成：{remaining} 份文书" in result.stdout, result.stdout
    assert service.checkpoint() is None
    _assert_index_complete(service_app)
    _verify_passes(service)


def test_reindex_killed_after_clearing_is_finished_by_the_restarted_server(
        indexed_corpus, service, service_app):
    _kill_reindex(service, indexed_corpus, mid_way=False)
    service.start()
    wait_for(lambda: service.checkpoint() is None, CATCH_UP_SECONDS,
             "the server's worker to finish the interrupted rebuild", interval=0.2)
    last = len(indexed_corpus) - 1
    hits = service.api("/api/v1/search", q=f'"第{last}号重建测试文书"')["hits"]
    assert [hit["id"] for hit in hits] == [indexed_corpus[-1]]
    service.stop_server()
    _assert_index_complete(service_app)
    _verify_passes(service)
