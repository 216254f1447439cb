"""Which deployment profile the suite's apps run on.

CI runs the whole suite twice (see ``.ci/run``): on the embedded default, then on the
scale-out profile, selected by

``GOVCOUNSEL_TEST_DATABASE_URL``
    PostgreSQL for every test database (see :mod:`tests.databases`);
``GOVCOUNSEL_TEST_STORE=s3``
    every app stores its blobs in an S3-compatible object store: a ``moto`` server
    started once per test process on 127.0.0.1 (it stands in for a real object store;
    the code talks to it through boto3 exactly as in production), one bucket per
    process and one prefix per data dir;
``GOVCOUNSEL_TEST_SEARCH=postgres``
    every app searches with the PostgreSQL full-text backend (needs the PostgreSQL
    database above); ``tantivy`` or ``whoosh`` choose a local engine.  Unset, apps use
    the default engine (tantivy), and the search tests through the app
    (``tests/webapp/test_search_api.py``, ``test_indexing.py``) run on tantivy and on
    Whoosh (:func:`local_engines`).

The choice is written into the data dir's ``config.json``, so every process working on
that data dir — the test's app, the CLI runner, a ``govcounsel serve`` or a worker
started as a child process — uses the same store and search backend.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from pathlib import Path

from tests.helpers import skip_or_fail
from tests.s3server import CREDENTIALS, MotoS3

TEST_STORE = os.environ.get("GOVCOUNSEL_TEST_STORE", "").lower()
TEST_SEARCH = os.environ.get("GOVCOUNSEL_TEST_SEARCH", "").lower()
_PREFIXES = itertools.count(1)


class _Server:
    """The process-wide moto server and bucket (started on first use, stopped at exit)."""

    server: MotoS3 | None = None
    bucket = ""

    @classmethod
    def url(cls, prefix: str) -> str:
        if cls.server is None:
            server = MotoS3(Path(tempfile.mkdtemp(prefix="govcounsel-moto-")))
            if reason := server.missing():
                skip_or_fail(reason)
            os.environ.update(CREDENTIALS)
            server.start()
            cls.server, cls.bucket = server, server.new_bucket()
        return cls.server.url(cls.bucket, prefix)

    @classmethod
    def stop(cls) -> None:
        if cls.server is not None:
            cls.server.stop()
            cls.server = None


def profile_settings(database: dict) -> dict[str, str]:
    """The settings of the profile under test for a new data dir (empty by default)."""
    values: dict[str, str] = {}
    if TEST_STORE == "s3":
        values["GOVCOUNSEL_STORE"] = _Server.url(f"p{os.getpid()}-{next(_PREFIXES)}/blobs")
    if TEST_SEARCH == "postgres":
        if not database.get("DATABASE_URL", "").startswith("postgresql"):
            skip_or_fail("GOVCOUNSEL_TEST_SEARCH=postgres needs GOVCOUNSEL_TEST_DATABASE_URL")
        values["GOVCOUNSEL_SEARCH"] = "postgres"
    elif TEST_SEARCH in ("tantivy", "whoosh"):
        values["GOVCOUNSEL_SEARCH"] = TEST_SEARCH
    return values


def local_engines() -> list[str]:
    """The engines the search tests through the app run on in this profile: the
    profile's own engine, or (embedded profile) tantivy and the pure-Python Whoosh."""
    return [TEST_SEARCH] if TEST_SEARCH else ["tantivy", "whoosh"]


def configure_data_dir(data_dir: Path, database: dict) -> dict[str, str]:
    """Write the profile's settings into ``data_dir/config.json``; returns them."""
    values = profile_settings(database)
    if values:
        path = data_dir / "config.json"
        current = json.loads(path.read_text("utf-8")) if path.exists() else {}
        path.write_text(json.dumps({**current, **values}), "utf-8")
    return values


def stop() -> None:
    """Stop the object-store server (end of the test session)."""
    _Server.stop()
