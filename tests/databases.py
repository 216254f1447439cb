"""Fresh, migrated databases for tests: SQLite file copies, or PostgreSQL clones.

Set ``GOVCOUNSEL_TEST_DATABASE_URL`` (a PostgreSQL URL whose user may create
databases) to run the suite on PostgreSQL: the schema is migrated once into a
template database and every test gets ``CREATE DATABASE … TEMPLATE …``.
Without it, the suite runs on SQLite (the embedded default).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("GOVCOUNSEL_TEST_DATABASE_URL", "")
_COUNTER = itertools.count()


class SqliteDatabases:
    """Copy a migrated SQLite file into each test's data dir."""

    def __init__(self, template_dir: Path) -> None:
        self.template = template_dir / "govcounsel.db"

    def template_config(self, data_dir: Path) -> dict:
        return {}

    def fresh(self, data_dir: Path) -> dict:
        data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.template, data_dir / "govcounsel.db")
        return {}

    def drop(self, config: dict) -> None:
        return None


class PostgresDatabases:
    """Clone a migrated template database per test on a PostgreSQL server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"gct_{os.getpid()}"
        self.template_name = f"{self.prefix}_template"
        self.admin = create_engine(self.url.set(database="postgres"),
                                   isolation_level="AUTOCOMMIT")
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}"')
        self._execute(f'CREATE DATABASE "{self.template_name}"')

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def template_config(self, data_dir: Path) -> dict:
        return {"DATABASE_URL": self._url(self.template_name)}

    def fresh(self, data_dir: Path) -> dict:
        data_dir.mkdir(parents=True, exist_ok=True)
        name = f"{self.prefix}_{next(_COUNTER)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        return {"DATABASE_URL": self._url(name)}

    def drop(self, config: dict) -> None:
        name = make_url(config["DATABASE_URL"]).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
        self.admin.dispose()
