"""A service on a tmp data dir that the fault tests start, SIGKILL and restart.

It reuses the browser journeys' server helpers (``tests/e2e/server.py``): free port,
console script, health wait, graceful stop. Each ``govcounsel`` process runs in its own
process group, so that whatever a killed process leaves behind (its extraction child)
is killed at teardown. Every wait is bounded; failures quote the server's log.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, create_engine, text

from tests.e2e import server as live

ROOT = Path(__file__).resolve().parents[2]
HTTP_SECONDS = 30
CLI_SECONDS = 180
SHA_NAME = re.compile(r"[0-9a-f]{64}")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def wait_for(condition: Callable[[], Any], timeout: float, what: str,
             interval: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Service:
    """``govcounsel`` processes on one data dir and database, with an admin API token."""

    data_dir: Path
    database_url: str
    token: str
    agency_id: int
    server: live.LiveServer | None = None
    groups: list[int] = field(default_factory=list)
    log_index: int = 0
    _engine: Engine | None = None

    @property
    def env(self) -> dict[str, str]:
        # the concurrent uploads all use the one admin token but stand for many users:
        # lift the per-user limit of uploads in flight (issue #15) above their number
        return {**live._server_env(self.data_dir, self.database_url),
                "GOVCOUNSEL_UPLOADS_PER_USER": "64"}

    # --- processes ------------------------------------------------------------------

    def spawn(self, *args: str, log_name: str) -> tuple[subprocess.Popen, Path]:
        """Start ``govcounsel ARGS`` in its own process group, output to a log file."""
        self.log_index += 1
        log_path = self.data_dir.parent / f"{self.log_index:02d}-{log_name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen([*live.govcounsel_command(), *args], env=self.env,
                                       cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.groups.append(process.pid)
        return process, log_path

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run a ``govcounsel`` command to completion (stdout and stderr as text)."""
        return subprocess.run([*live.govcounsel_command(), *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=CLI_SECONDS)

    def start(self) -> live.LiveServer:
        """``govcounsel serve`` on a free port; returns once it answers ``/healthz``."""
        port = live.free_port()
        process, log_path = self.spawn("serve", "--host", "127.0.0.1", "--port", str(port),
                                       log_name="serve")
        self.server = live.LiveServer(url=f"http://127.0.0.1:{port}", data_dir=self.data_dir,
                                      env=self.env, process=process, log_path=log_path,
                                      _token=self.token)
        live._wait_healthy(self.server)
        return self.server

    def kill_server(self) -> None:
        """SIGKILL the server process (only it: its children are orphaned, as in a crash)."""
        assert self.server is not None
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait(timeout=HTTP_SECONDS)
        assert self.server.process.returncode == -signal.SIGKILL

    def stop_server(self) -> None:
        """Stop the server gracefully (SIGTERM; SIGKILL after 15 s)."""
        if self.server is not None:
            live.stop(self.server)

    def close(self) -> None:
        """Stop the server and kill whatever is left in the groups of our processes."""
        self.stop_server()
        if self._engine is not None:
            self._engine.dispose()
        for group in self.groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)

    # --- HTTP API -------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the running server as the admin (bearer token)."""
        assert self.server is not None
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.server.url + path, headers=headers,
                                timeout=HTTP_SECONDS, **kwargs)

    def api(self, path: str, **params) -> Any:
        """GET a JSON resource; fails on any status but 200."""
        response = self.request("GET", path, params=params)
        assert response.status_code == 200, f"GET {path}: {response.status_code} " \
                                            f"{response.text[:300]}\n{self.server.log_tail()}"
        return response.json()

    def all_documents(self) -> list[dict]:
        """Every live document, through the paged list."""
        items, page = [], 1
        while True:
            body = self.api("/api/v1/documents", per_page=200, page=page)
            items.extend(body["items"])
            if len(items) >= body["total"] or not body["items"]:
                return items
            page += 1

    # --- on-disk state --------------------------------------------------------------

    def store(self):
        """The service's blob store (the local folder, or the object store the suite's
        profile wrote into ``config.json``)."""
        import document_store

        config = self.data_dir / "config.json"
        settings = json.loads(config.read_text("utf-8")) if config.exists() else {}
        return document_store.open_store(settings.get("GOVCOUNSEL_STORE")
                                         or str(self.data_dir / "blobs"))

    def blob_keys(self) -> set[str]:
        """SHA-256 keys of every blob in the service's store."""
        return {key for key in self.store().iter_keys() if SHA_NAME.fullmatch(key)}

    def unfinished_uploads(self) -> list[str]:
        """Keys of the object store's multipart uploads that a kill cut off (none on the
        local folder). moto reports every one as initiated in 2010, so ``verify
        --clean-orphans`` rightly counts each as an old leftover."""
        from document_store.s3 import S3BlobStore

        store = self.store()
        if not isinstance(store, S3BlobStore):
            return []
        pages = store.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=store.bucket, Prefix=store._base)
        return [u["Key"] for page in pages for u in page.get("Uploads", ())]

    def old_spool_files(self) -> list[Path]:
        """The object store's spool files over an hour old (the spool is the system temp
        folder by default, shared with every process on the machine, so a crashed earlier
        run may have left some there; ``verify --clean-orphans`` rightly removes them)."""
        from document_store.s3 import SPOOL_PREFIX, S3BlobStore

        store = self.store()
        if not isinstance(store, S3BlobStore):
            return []
        cutoff = time.time() - 3600
        return [p for p in store.spool_dir.glob(f"{SPOOL_PREFIX}*")
                if p.is_file() and p.stat().st_mtime <= cutoff]

    def temp_files(self) -> list[Path]:
        """Temporary files of uploads (``tmp/upload-*``) and of blob puts (``blobs/.tmp``)."""
        return [p for p in [*(self.data_dir / "tmp").glob("upload-*"),
                            *(self.data_dir / "blobs" / ".tmp").glob("*")] if p.is_file()]

    def index_generation(self) -> int:
        """The generation of the Whoosh index's table of contents (+1 per commit; -1 when
        there is no Whoosh index, e.g. with ``GOVCOUNSEL_SEARCH=postgres``)."""
        tocs = (self.data_dir / "index").glob("_MAIN_*.toc")
        return max((int(p.stem.rsplit("_", 1)[1]) for p in tocs), default=-1)

    def job(self, doc_id: int) -> tuple[str, str | None] | None:
        """``(status, claimed_by)`` of the document's newest index job, read from the database."""
        if self._engine is None:
            self._engine = create_engine(self.database_url)
        with self._engine.connect() as conn:
            row = conn.execute(text(
                "SELECT status, claimed_by FROM index_jobs WHERE document_id = :id "
                "ORDER BY id DESC LIMIT 1"), {"id": doc_id}).first()
        return tuple(row) if row else None

    def checkpoint(self) -> dict | None:
        """The reindex checkpoint, or None when there is none (or it is being replaced)."""
        try:
            return json.loads((self.data_dir / "reindex.checkpoint").read_text())
        except (OSError, ValueError):
            return None
