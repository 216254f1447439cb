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
from pathlib import Path

from tests.helpers import skip_or_fail
from tests.s3server import shared_server

TEST_STORE = os.environ.get("GOVCOUNSEL_TEST_STORE", "").lower()
TEST_SEARCH = os.environ.get("GOVCOUNSEL_TEST_SEARCH", "").lower()
_PREFIXES = itertools.count(1)


_BUCKET: list[str] = []


def _store_url(prefix: str) -> str:
    """A prefix of the process's bucket on the shared moto server."""
    server = shared_server()
    if not _BUCKET:
        _BUCKET.append(server.new_bucket())
    return server.url(_BUCKET[0], prefix)


def profile_settings(database: dict) -> dict[str, str]:
    """The settings of the profile under test for a new data dir (empty by default)."""
    values: dict[str, str] = {}
    if TEST_STORE == "s3":
        values["GOVCOUNSEL_STORE"] = _store_url(f"p{os.getpid()}-{next(_PREFIXES)}/blobs")
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
