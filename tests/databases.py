"""Fresh, migrated databases for tests: SQLite file copies, or PostgreSQL clones.

Set ``GOVCOUNSEL_TEST_DATABASE_URL`` (a PostgreSQL URL whose user may create
databases) to run the suite on PostgreSQL: the schema is migrated once into a
template database and every test gets ``CREATE DATABASE … TEMPLATE …``.
Without it, the suite runs on SQLite (the embedded default).

Besides the empty schema, a factory keeps *snapshots*: a data dir and its database
captured once (e.g. after loading the demo set, which takes many seconds) and then
copied for every test that asks for it (``fresh(data_dir, snapshot=key)``). Each
test still gets its own database and its own copy of every file, so nothing one
test writes is seen by another.

Names are per process (``os.getpid()``): under pytest-xdist every worker has its
own templates, snapshots and clones.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import threading
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("GOVCOUNSEL_TEST_DATABASE_URL", "")
_COUNTER = itertools.count()


def _copy_data_dir(source: Path, target: Path) -> None:
    """Copy every file of a snapshot's data dir (real copies: tests may tamper with blobs)."""
    shutil.copytree(source, target, dirs_exist_ok=True)


class SqliteDatabases:
    """Copy a migrated SQLite file into each test's data dir."""

    def __init__(self, template_dir: Path) -> None:
        self.template = template_dir / "govcounsel.db"
        self.snapshots: dict[str, Path] = {}

    def template_config(self, data_dir: Path) -> dict:
        return {}

    def fresh(self, data_dir: Path, snapshot: str | None = None) -> dict:
        """A new database for ``data_dir``: the empty schema, or a copy of ``snapshot``."""
        data_dir.mkdir(parents=True, exist_ok=True)
        if snapshot is not None:
            _copy_data_dir(self.snapshots[snapshot], data_dir)
            return {}
        shutil.copy(self.template, data_dir / "govcounsel.db")
        return {}

    def keep(self, key: str, data_dir: Path, config: dict) -> None:
        """Make ``data_dir`` (database file included; every connection closed) snapshot ``key``."""
        self.snapshots[key] = data_dir

    def drop(self, config: dict) -> None:
        return None


class PostgresDatabases:
    """Clone a migrated template database per test on a PostgreSQL server.

    ``CREATE DATABASE … TEMPLATE`` and ``DROP DATABASE`` take a few tenths of a second
    each, mostly the server's; background threads do them while tests run: they keep
    ``SPARES`` clones of the template ready (``fresh`` takes one) and drop the
    databases tests are done with. Any error of theirs is raised by the next ``fresh``
    or by ``close``, which also drops any database a test did not.
    """

    SPARES = 2
    THREADS = 2

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"gct_{os.getpid()}"
        self.template_name = f"{self.prefix}_template"
        self.snapshots: dict[str, tuple[Path, str]] = {}
        self.admin = create_engine(self.url.set(database="postgres"),
                                   isolation_level="AUTOCOMMIT")
        self._jobs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._spares: queue.Queue[str | None] = queue.Queue()
        self._errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        self._live: set[str] = set()
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}"')
        self._execute(f'CREATE DATABASE "{self.template_name}"')

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _new_name(self) -> str:
        name = f"{self.prefix}_{next(_COUNTER)}"
        self._live.add(name)
        return name

    def _background(self) -> None:
        while (job := self._jobs.get()) is not None:
            kind, name = job
            try:
                if kind == "create":
                    self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
                    self._spares.put(name)
                else:
                    self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except BaseException as exc:  # reported by fresh() / close()
                self._errors.append(exc)
                if kind == "create":
                    self._spares.put(None)

    def _raise_errors(self) -> None:
        if self._errors:
            raise RuntimeError(f"test database setup failed: {self._errors[0]}") \
                from self._errors[0]

    def _clone_of_template(self) -> str:
        """A clone of the (fully migrated) template: a spare made in the background."""
        if not self._threads:  # first call: the template is migrated by now
            self._threads = [threading.Thread(target=self._background, daemon=True,
                                              name=f"test-databases-{n}")
                             for n in range(self.THREADS)]
            for thread in self._threads:
                thread.start()
            for _ in range(self.SPARES):
                self._jobs.put(("create", self._new_name()))
        self._jobs.put(("create", self._new_name()))
        name = self._spares.get(timeout=600)
        self._raise_errors()
        assert name is not None
        return name

    def template_config(self, data_dir: Path) -> dict:
        return {"DATABASE_URL": self._url(self.template_name)}

    def fresh(self, data_dir: Path, snapshot: str | None = None) -> dict:
        """A new database for ``data_dir``: the empty schema, or a copy of ``snapshot``."""
        data_dir.mkdir(parents=True, exist_ok=True)
        if snapshot is None:
            return {"DATABASE_URL": self._url(self._clone_of_template())}
        snapshot_dir, template = self.snapshots[snapshot]
        _copy_data_dir(snapshot_dir, data_dir)
        name = self._new_name()
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return {"DATABASE_URL": self._url(name)}

    def keep(self, key: str, data_dir: Path, config: dict) -> None:
        """Make ``data_dir`` and its database (every connection closed) snapshot ``key``."""
        self.snapshots[key] = (data_dir, make_url(config["DATABASE_URL"]).database)

    def drop(self, config: dict) -> None:
        """Drop a test's database (in the background; its connections are closed first)."""
        name = make_url(config["DATABASE_URL"]).database
        self._live.discard(name)
        if self._threads:
            self._jobs.put(("drop", name))
        else:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        """Finish the pending work, then drop every database left: spares, snapshots,
        clones a test did not drop, and the template."""
        for _thread in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
        for name in sorted(self._live) + [self.template_name]:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()
        self._raise_errors()
