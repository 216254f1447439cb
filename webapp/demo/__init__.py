"""Demo data set (演示数据): loaded by ``init --demo`` / ``serve --demo`` into an empty database.

Deterministic (fixed seed) and idempotent: it runs only when no agency exists and
marks every row ``is_demo``. Demo passwords are generated on first load, kept in
``<data dir>/demo_logins.txt`` (mode 600) and printed, never stored in the repository.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from ..extensions import db
from ..models import Agency, User
from ..transaction import unit_of_work
from . import org_data

DEMO_USERS = (("admin", "admin", "司法局管理员（演示）"),
              ("clerk", "clerk", "单位法务经办人（演示）"),
              ("advisor", "advisor", "法律顾问（演示）"),
              ("auditor", "auditor", "纪检审计（演示）"))

EXTRA_LOADERS: list = []


def _logins_file(app: Flask) -> Path:
    return Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "demo_logins.txt"


def _read_logins(app: Flask) -> dict[str, str]:
    path = _logins_file(app)
    if not path.exists():
        return {}
    pairs = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {name: password for name, password in pairs}


def _write_logins(app: Flask, logins: dict[str, str]) -> None:
    path = _logins_file(app)
    path.write_text("".join(f"{k}\t{v}\n" for k, v in logins.items()), encoding="utf-8")
    path.chmod(0o600)


def _create_users(app: Flask) -> dict[str, str]:
    from ..auth.services import create_user

    logins = {}
    first_agency = db.session.execute(select(Agency).order_by(Agency.id)).scalars().first()
    first_advisor_id = org_data.first_engaged_advisor_id()
    for username, role, display in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        create_user(username, role, password, display_name=display, is_demo=True,
                    agency_code=first_agency.code if role == "clerk" else None,
                    advisor_id=first_advisor_id if role == "advisor" else None)
        logins[username] = password
    return logins


def load_demo(app: Flask, documents: bool = True) -> list[str]:
    """Load the demo set into an empty database; always print the demo logins.

    ``documents=False`` skips the demo files (tests that only need the organisations).
    """
    lines: list[str] = []
    if db.session.execute(select(func.count(Agency.id))).scalar_one() == 0:
        with unit_of_work():
            org_data.load(seed=2022)
            db.session.flush()
            logins = _create_users(app)
        _write_logins(app, logins)
        if documents:
            from .document_data import load_documents

            count = load_documents(app)
            lines.append(f"已登记 {count} 份演示文书（索引在后台建立）。")
        for loader in EXTRA_LOADERS:
            with unit_of_work():
                loader(app)
        _write_logins(app, logins)
        lines.append("已载入演示数据（所有演示记录均标记为演示）。")
    elif not db.session.execute(select(User.id).where(User.is_demo.is_(True))).first():
        lines.append("数据库中已有数据，未载入演示数据。")
        return lines
    logins = _read_logins(app)
    if logins:
        lines.append("演示账号（用户名 / 密码）：")
        for username, _role, display in DEMO_USERS:
            if username in logins:
                lines.append(f"  {username:<8} {logins[username]:<16} {display}")
    return lines

from . import assessment_data  # noqa: E402,F401  (registers the demo assessments loader)
from .engagement_data import load_engagements  # noqa: E402

EXTRA_LOADERS.append(load_engagements)
from .matter_data import load_matters  # noqa: E402

EXTRA_LOADERS.append(load_matters)
