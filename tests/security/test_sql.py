"""SQL only through the ORM or bound parameters; search input is data.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

from tests.security.support import REPO
from tests.webapp.files import docx_bytes

# ---------------------------------------------------------------------------
# SQL only through the ORM or bound parameters
# ---------------------------------------------------------------------------

# (file, enclosing function) -> why raw SQL is needed and why it cannot carry input
SQL_ALLOW = {
    ("webapp/health.py", "healthz"): "constant 'SELECT 1' liveness probe",
    ("webapp/ops/backup.py", "create_backup"):
        "constant read of alembic_version (a table outside the ORM models)",
    ("webapp/ops/backup.py", "_reset_sequences"):
        "PostgreSQL setval on each table: identifiers come from the ORM metadata, not input; "
        "identifiers cannot be bound parameters",
    ("webapp/sqlite.py", "_pragmas"): "constant PRAGMAs on every new SQLite connection",
}
# modules (or folders, ending in "/") whose job is to speak SQL -> why it cannot carry input
SQL_MODULES = {
    "indexer/pg_backend.py":
        "the PostgreSQL full-text index: table and column names are module constants, "
        "LIMIT/OFFSET are int()s, and the WHERE clause comes from indexer/pg_query.py, "
        "which binds everything the user typed as a parameter (tests/indexer)",
    "bench/": "benchmarks run by hand against scratch databases they create; no user input",
}
SQL_SCAN_ROOTS = ("webapp", "document_store", "indexer", "contract_templates", "scripts",
                  "bench", "wsgi.py")
RAW_SQL_FUNCS = {"text", "literal_column", "exec_driver_sql", "executescript"}


def _raw_sql(call: ast.Call, sqlalchemy_names: set[str]) -> str | None:
    """What raw-SQL construct ``call`` is, if any."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""
    first = call.args[0] if call.args else None
    if isinstance(func, ast.Name) and called in sqlalchemy_names:
        return f"{called}()"
    qualified = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id in ("sa", "sqlalchemy")
    if (qualified and called in ("text", "literal_column")) \
            or called in ("exec_driver_sql", "executescript"):
        return f"{called}()"
    if called not in ("execute", "executemany") or first is None:
        return None
    formatted = isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) \
        and first.func.attr == "format"
    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
    if isinstance(first, ast.JoinedStr | ast.BinOp) or formatted or literal:
        return "execute(<string>)"
    return None


def _sql_uses(path: Path) -> list[tuple[str, int, str]]:
    """(enclosing function, line, what) for every raw-SQL construct in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
             for alias in node.names if alias.name in ("text", "literal_column")}
    uses = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) \
                else function
            what = _raw_sql(child, names) if isinstance(child, ast.Call) else None
            if what:
                uses.append((name, child.lineno, what))
            visit(child, name)

    visit(tree, "<module>")
    return uses


def _python_files() -> list[Path]:
    files = []
    for root in SQL_SCAN_ROOTS:
        path = REPO / root
        files += [path] if path.is_file() else sorted(
            p for p in path.rglob("*.py") if "migrations" not in p.parts)
    return files


def test_sql_only_through_the_orm_or_bound_parameters():
    unexplained, seen = [], set()
    for path in _python_files():
        rel = str(path.relative_to(REPO))
        for function, line, what in _sql_uses(path):
            seen.add((rel, function))
            if (rel, function) not in SQL_ALLOW and not rel.startswith(tuple(SQL_MODULES)):
                unexplained.append(f"{rel}:{line} in {function}: {what}")
    assert not unexplained, ("raw SQL outside the ORM; use select()/bound parameters, or add "
                             "it to SQL_ALLOW with the reason it cannot carry input: "
                             + "; ".join(unexplained))
    stale = set(SQL_ALLOW) - seen | {m for m in SQL_MODULES if not (REPO / m).exists()}
    assert not stale, f"SQL_ALLOW / SQL_MODULES name uses that are gone: {sorted(stale)}"


def test_migrations_use_no_interpolated_sql():
    problems = []
    for path in sorted((REPO / "webapp" / "migrations").rglob("*.py")):
        for function, line, what in _sql_uses(path):
            tree_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
            if "f\"" in tree_line or "f'" in tree_line or ".format(" in tree_line \
                    or "%" in tree_line:
                problems.append(f"{path.relative_to(REPO)}:{line} {function}: {what}")
    assert not problems, problems


def test_the_scanner_sees_interpolated_sql(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from sqlalchemy import text\n"
                      "def f(db, name):\n"
                      "    db.execute(text(f\"SELECT * FROM t WHERE n = '{name}'\"))\n"
                      "    db.execute('DELETE FROM t WHERE n = %s' % name)\n"
                      "    cur.executescript(name)\n", encoding="utf-8")
    whats = sorted(w for _, _, w in _sql_uses(sample))
    assert whats == ["execute(<string>)", "executescript()", "text()"]


def test_search_input_is_data_not_sql(world, role_clients):
    """Classic injection strings in every filter are just text (no 500, no extra rows)."""
    client = role_clients["clerk_a"].client
    visible = client.get("/api/v1/documents").json["total"]
    probes = ["' OR '1'='1", "1) OR (1=1", "%' OR 1=1 --", "\\'; DROP TABLE documents; --",
              "\" OR \"\"=\"", "*:*", "title:*", "OR", "NOT 甲", "甲 OR 乙", "(((", "%%%", "_"]
    for probe in probes:
        for url, params in (("/api/v1/documents", {"q": probe}),
                            ("/api/v1/search", {"q": probe}),
                            ("/api/v1/agencies", {"q": probe}),
                            ("/api/v1/advisors", {"q": probe}),
                            ("/documents/", {"q": probe}), ("/search/", {"q": probe})):
            resp = client.get(url, query_string=params)
            body = resp.get_data(as_text=True)
            assert resp.status_code < 500, (url, probe)
            for secret in world.secrets:
                assert secret not in body, (url, probe, secret)
            if url == "/api/v1/documents":
                assert resp.json["total"] <= visible, (probe, resp.json["total"])


def test_like_wildcards_in_filters_are_literal(world, role_clients):
    client = role_clients["admin"].client
    for url in ("/api/v1/documents", "/api/v1/agencies", "/api/v1/advisors",
                "/api/v1/engagements"):
        for probe in ("%", "_", "%%", "\\"):
            assert client.get(url, query_string={"q": probe}).json["total"] == 0, (url, probe)


def test_a_search_for_percent_or_underscore_finds_them(app, make_user, make_agency, token_for):
    headers = token_for(make_user("admin", username="like1"))
    make_agency("P_1", "增长50%的甲局")
    make_agency("PX1", "增长50的乙局")
    client = app.test_client()
    for q, codes in (("50%", ["P_1"]), ("P_", ["P_1"]), ("50", ["PX1", "P_1"])):
        found = client.get("/api/v1/agencies", query_string={"q": q}, headers=headers).json
        assert sorted(a["code"] for a in found["items"]) == codes, q
    agency_id = client.get("/api/v1/agencies", query_string={"q": "P_"},
                           headers=headers).json["items"][0]["id"]
    for title in ("股权转让50%_意见", "股权转让500意见"):
        resp = client.post("/api/v1/documents", headers=headers, data={
            "agency_id": str(agency_id), "doc_type": "legal_opinion", "title": title,
            "file": (io.BytesIO(docx_bytes(title)), "意见.docx")},
            content_type="multipart/form-data")
        assert resp.status_code == 201, resp.json
    found = client.get("/api/v1/documents", query_string={"q": "50%_"}, headers=headers).json
    assert [d["title"] for d in found["items"]] == ["股权转让50%_意见"]
