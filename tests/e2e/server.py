"""A real ``govcounsel serve --demo`` in a subprocess, for the browser journeys.

The server gets its own data dir (and, when ``GOVCOUNSEL_TEST_DATABASE_URL`` is
set, its own PostgreSQL database ``gc_e2e_<pid>``, dropped afterwards). Every
wait is bounded; a failure quotes the end of the server's log.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

STARTUP_SECONDS = 300
INDEX_SECONDS = 90
HTTP_SECONDS = 30
TOKEN_SECONDS = 180


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def govcounsel_command() -> list[str]:
    """The console script next to this interpreter, else the CLI group through Python."""
    script = Path(sys.executable).with_name("govcounsel")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from webapp.cli import main; main()"]


class PostgresDatabase:
    """A dedicated, empty database on the test server (``CREATE``/``DROP … WITH (FORCE)``)."""

    def __init__(self, url: str) -> None:
        self.name = f"gc_e2e_{os.getpid()}"
        self.url = make_url(url).set(database=self.name).render_as_string(hide_password=False)
        self.admin = create_engine(make_url(url).set(database="postgres"),
                                   isolation_level="AUTOCOMMIT")
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()


@dataclass
class LiveServer:
    """A running server: its URL, data dir, demo passwords and an admin API token."""

    url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen
    log_path: Path
    logins: dict[str, str] = field(default_factory=dict)
    token_process: subprocess.Popen | None = None
    _token: str = ""

    @property
    def token(self) -> str:
        """The admin's API token (``create-token`` runs while the first journey does)."""
        if not self._token:
            assert self.token_process is not None
            out, err = self.token_process.communicate(timeout=TOKEN_SECONDS)
            assert self.token_process.returncode == 0, f"create-token failed: {out}\n{err}"
            self._token = out.strip().splitlines()[-1].strip()
        return self._token

    def log_tail(self, lines: int = 40) -> str:
        text_ = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text_.splitlines()[-lines:])

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the JSON API as the admin (setup and polling only, never a journey step)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Authorization": f"Bearer {self.token}",
                     "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=HTTP_SECONDS) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read()[:500]!r}") from exc

    def wait_indexed(self, doc_id: int, timeout: float = INDEX_SECONDS) -> None:
        """Poll the document until the worker has indexed it."""
        deadline = time.monotonic() + timeout
        status = None
        while time.monotonic() < deadline:
            status = self.api("GET", f"/api/v1/documents/{doc_id}")["index_status"]
            if status == "indexed":
                return
            assert status != "failed", f"document {doc_id} failed to index\n{self.log_tail()}"
            time.sleep(0.25)
        raise AssertionError(f"document {doc_id} not indexed after {timeout}s "
                             f"(status {status})\n{self.log_tail()}")


def _server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, GOVCOUNSEL_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _wait_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server exited with {server.process.returncode}\n"
                                 f"{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"server not healthy after {STARTUP_SECONDS}s\n{server.log_tail()}")


def _read_logins(data_dir: Path) -> dict[str, str]:
    lines = (data_dir / "demo_logins.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line.strip())


def _create_token(env: dict[str, str], username: str) -> subprocess.Popen:
    return subprocess.Popen([*govcounsel_command(), "create-token", username], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start(data_dir: Path, database_url: str | None) -> LiveServer:
    """Start ``govcounsel serve --demo`` and wait until it answers and has its demo users."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _server_env(data_dir, database_url)
    port = free_port()
    log_path = data_dir.parent / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*govcounsel_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--demo"], env=env, stdout=log, stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2])
    server = LiveServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env,
                        process=process, log_path=log_path)
    try:
        _wait_healthy(server)
        server.logins = _read_logins(data_dir)
        server.token_process = _create_token(env, "admin")
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: LiveServer) -> None:
    """SIGTERM, then SIGKILL if it has not exited within 15 seconds."""
    if server.token_process is not None:
        if server.token_process.poll() is None:
            server.token_process.kill()
            server.token_process.communicate(timeout=15)
        for stream in (server.token_process.stdout, server.token_process.stderr):
            if stream is not None and not stream.closed:
                stream.close()  # a token never asked for: its pipes, unread
    if server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)
