"""The service starts, migrates, answers health checks and loads the demo set."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Advisor, Agency, LawFirm, TalentPoolEntry, User


def test_healthz(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json["status"] == "ok"


def test_demo_counts(demo):
    groups = Counter(db.session.execute(select(Agency.category)).scalars())
    assert groups == {"party_committee": 13, "government_dept": 34, "county_district": 9,
                      "stationed_unit": 6}
    assert db.session.execute(select(func.count(LawFirm.id))).scalar_one() == 29
    lawyers = db.session.execute(select(func.count(Advisor.id)).where(
        Advisor.kind == "lawyer")).scalar_one()
    assert lawyers == 120
    pool = Counter(db.session.execute(select(TalentPoolEntry.category)).scalars())
    assert pool == {"scholar": 9, "firm": 16, "lawyer": 82}
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    assert set(users) == {"admin", "clerk", "advisor", "auditor"}
    first = db.session.execute(select(Agency).order_by(Agency.id)).scalars().first()
    assert users["clerk"].agency_id == first.id
    assert users["advisor"].advisor_id is not None


def test_demo_is_idempotent_and_prints_logins(demo):
    from webapp.demo import load_demo

    lines = load_demo(demo)
    assert any("admin" in line for line in lines)
    assert db.session.execute(select(func.count(Agency.id))).scalar_one() == 62


def test_unknown_page_is_chinese_html(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    assert "未找到" in resp.get_data(as_text=True)


def test_unknown_api_path_is_json(client):
    resp = client.get("/api/v1/no-such-thing")
    assert resp.status_code in (401, 404)
    assert "error" in resp.json


def test_secret_key_generated_once_and_kept(app, tmp_path):
    from webapp.settings import load_settings

    first = load_settings(overrides={"GOVCOUNSEL_DATA_DIR": str(tmp_path / "k")})["SECRET_KEY"]
    second = load_settings(overrides={"GOVCOUNSEL_DATA_DIR": str(tmp_path / "k")})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "k" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_sqlite_runs_in_wal_mode(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only (this run uses PostgreSQL)")
    mode = db.session.execute(db.text("PRAGMA journal_mode")).scalar_one()
    assert mode == "wal"


def test_the_soffice_path_from_config_json_is_honoured(tmp_path, databases):
    """GOVCOUNSEL_SOFFICE in the data dir's config.json decides the PDF preview (the
    library no longer reads the environment; the webapp passes its setting in)."""
    import json
    import shutil

    from tests.conftest import make_app
    from webapp.engagements import preview

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.json").write_text(json.dumps(
        {"GOVCOUNSEL_SOFFICE": str(tmp_path / "no-such-soffice")}), encoding="utf-8")
    app = make_app(data_dir, databases)
    with app.app_context():
        assert app.config["GOVCOUNSEL_SOFFICE"].endswith("no-such-soffice")
        assert not preview.available()
        found = shutil.which("soffice")
        if found:
            app.config["GOVCOUNSEL_SOFFICE"] = found
            assert preview.available()


def test_the_password_hash_method_is_a_declared_setting(app, make_user):
    from webapp.settings import SETTINGS_BY_NAME

    assert SETTINGS_BY_NAME["PASSWORD_HASH_METHOD"].default == "scrypt"
    assert app.config["PASSWORD_HASH_METHOD"].startswith("pbkdf2")  # the suite's cheap one
    user = make_user("auditor")
    assert db.session.get(User, user.id).password_hash.startswith("pbkdf2:sha256")
