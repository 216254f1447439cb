"""A real S3-compatible server for the tests: ``moto`` in server mode, in a child process.

It stands in for a real object store (AWS S3, MinIO, Ceph, ...): the code
under test talks HTTP to it through boto3 exactly as it would in production.
The server runs in its own process so that its memory (it keeps objects in
RAM) does not count in the tests' memory measurements, and it listens on a
free port of 127.0.0.1 chosen by the OS. It exits when the test process
closes its stdin, even if the test process dies.

One server per test process, started on first use, serves every test that needs an
object store (the ``s3_server`` fixture of ``tests/conftest.py`` and the scale-out
profile of ``tests/profile.py``)::

    server = shared_server()
    url = server.url(server.new_bucket(), "blobs")
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "govcounsel-test",
    "AWS_SECRET_ACCESS_KEY": "govcounsel-test-secret",
}
"""Dummy credentials: moto accepts any; set them in the environment of the test session."""

_SERVER_SCRIPT = """
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.WARNING)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""
_BUCKETS = itertools.count(1)


class MotoS3:
    """One moto S3 server process for a test session."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "moto.log"
        self.endpoint = ""
        self._process: subprocess.Popen[str] | None = None
        self._client: Any = None

    @staticmethod
    def missing() -> str | None:
        """Why the server cannot run here (a missing package), or None."""
        for module, package in (("boto3", "boto3"), ("moto", "moto[server]"),
                                ("flask_cors", "moto[server]")):
            if importlib.util.find_spec(module) is None:
                return f"{package} is not installed: the S3 blob store is not tested"
        return None

    def start(self) -> None:
        """Start the server and wait until it listens."""
        with self.log_path.open("w") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _SERVER_SCRIPT], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=log, text=True)
        assert self._process.stdout is not None
        port = self._process.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise RuntimeError(f"moto server did not start: {self.log_path.read_text()[-2000:]}")
        self.endpoint = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        """Stop the server process."""
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    @property
    def client(self) -> Any:
        """A boto3 S3 client for the server (for setting up and tampering in tests)."""
        if self._client is None:
            import boto3

            self._client = boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                                        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                                        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
        return self._client

    def new_bucket(self) -> str:
        """Create a new, empty bucket and return its name."""
        name = f"govcounsel-test-{next(_BUCKETS)}"
        self.client.create_bucket(Bucket=name)
        return name

    def url(self, bucket: str, prefix: str = "", **params: object) -> str:
        """The ``s3://`` store URL of ``bucket``/``prefix`` on this server."""
        query = urlencode({"endpoint": self.endpoint, "region": REGION,
                           **{k: str(v) for k, v in params.items()}})
        return f"s3://{bucket}/{prefix}?{query}"


_SHARED: list[MotoS3] = []


def shared_server() -> MotoS3:
    """The test process's moto server (started on first use, with the dummy CREDENTIALS in
    the environment; it exits with the process), or a loud skip without moto."""
    if not _SHARED:
        from tests.helpers import skip_or_fail

        if reason := MotoS3.missing():
            skip_or_fail(reason)
        server = MotoS3(Path(tempfile.mkdtemp(prefix="govcounsel-moto-")))
        os.environ.update(CREDENTIALS)
        os.environ.pop("AWS_PROFILE", None)
        server.start()
        _SHARED.append(server)
    return _SHARED[0]
