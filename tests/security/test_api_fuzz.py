"""Fuzz the JSON API from its own OpenAPI document, as an admin and as a clerk.

Schemathesis reads ``/api/v1/openapi.json`` from the app (WSGI, no server needed)
and generates requests for every operation: valid ones (positive) and ones that
break the schema (negative). Each response must

- never be a server error (5xx);
- have a status code, content type and body the document declares for it;
- for the clerk of agency A, never name anything of another agency: no document,
  engagement or search hit of another agency, no other agency in the agency list
  or the search facets, and none of the distinctive title, text, file name or
  notes of agency B's classified document anywhere in the body.

The admin runs first, so the clerk's run also meets whatever the admin's fuzzing
created in other agencies. Examples are bounded: ``EXAMPLES`` per operation, role
and mode (positive, negative), so every operation is always exercised and the run
takes the same work on every machine. Set ``GOVCOUNSEL_FUZZ_RANDOM=1`` for fresh
random inputs (default: derandomized, so CI failures reproduce) and
``GOVCOUNSEL_FUZZ_EXAMPLES=50`` for a longer run by hand.
"""

from __future__ import annotations

import copy
import json
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import select

from tests.helpers import skip_or_fail
from webapp.api.spec import build_spec

EXAMPLES = int(os.environ.get("GOVCOUNSEL_FUZZ_EXAMPLES", "6"))  # per operation, role, mode
RANDOM = bool(os.environ.get("GOVCOUNSEL_FUZZ_RANDOM"))


def _operations() -> list[tuple[str, str]]:
    spec = build_spec()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


OPERATIONS = _operations()
ROLES = ("admin", "clerk_a")
CASES = [(role, method, path) for role in ROLES for method, path in OPERATIONS]


@pytest.fixture(scope="module")
def schemathesis_module():
    try:
        import schemathesis
    except ImportError as exc:  # pragma: no cover - depends on the environment
        skip_or_fail(f"schemathesis is not installed ({exc}); pip install -e '.[test]'")
    return schemathesis


@pytest.fixture(scope="module")
def raw_spec(sec_app, world):
    """The served spec, once the world (with its custom document field) is seeded."""
    resp = sec_app.test_client().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.json


@pytest.fixture(scope="module")
def api_schema(schemathesis_module, sec_app, world, raw_spec):
    schema = schemathesis_module.openapi.from_dict(copy.deepcopy(raw_spec))
    schema.app = sec_app  # requests go straight to the WSGI app
    schema.location = "/api/v1/openapi.json"
    return schema


def _own_scope(sec_app, world) -> dict[str, set]:
    """What the clerk of agency A may see, read from the database now."""
    from webapp.extensions import db
    from webapp.models import Document

    with sec_app.app_context():
        own_docs = set(db.session.execute(select(Document.id).where(
            Document.agency_id == world.agencies["A"])).scalars())
        db.session.remove()
    return {"docs": own_docs, "agency": {world.agencies["A"]}}


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def clerk_leaks(path: str, status: int, body_text: str, scope: dict[str, set],
                secrets: tuple[str, ...]) -> list[str]:
    """Everything in a response to the clerk of A that belongs to another agency."""
    leaks = [f"text of agency B's classified document: {s}" for s in secrets if s in body_text]
    if status >= 300:
        return leaks
    try:
        body = json.loads(body_text)
    except ValueError:
        return leaks
    own = scope["agency"]
    for d in _walk(body):
        if "agency_id" in d and d["agency_id"] not in own:
            leaks.append(f"object of agency {d['agency_id']}: id={d.get('id')}")
        if "registration_no" in d and "sha256" in d and d.get("id") not in scope["docs"]:
            leaks.append(f"document {d.get('id')} of another agency")
    if path == "/api/v1/agencies" and isinstance(body, dict):
        leaks += [f"agency {a.get('id')}" for a in body.get("items", []) if a.get("id") not in own]
    if path == "/api/v1/search" and isinstance(body, dict):
        for facet in body.get("facets", {}).get("agency", []):
            if int(facet.get("key", 0)) not in own:
                leaks.append(f"search facet of agency {facet.get('key')}")
    return leaks


def _checks(schemathesis_module):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance]


@pytest.mark.parametrize(("role", "method", "path"), CASES,
                         ids=[f"{r} {m} {p}" for r, m, p in CASES])
def test_api_fuzz(role, method, path, api_schema, schemathesis_module, sec_app, world):
    from schemathesis import GenerationMode

    operation = api_schema[path][method]
    headers = world.header(role)
    checks = _checks(schemathesis_module)
    sent = [0]

    def exercise(case) -> None:
        sent[0] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)
        if role.startswith("clerk"):
            scope = _own_scope(sec_app, world)
            text = response.content.decode("utf-8", errors="replace")
            leaks = clerk_leaks(path, response.status_code, text, scope, world.secrets)
            assert not leaks, f"{case.method} {case.formatted_path} leaks {leaks}"

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        run = settings(max_examples=EXAMPLES, deadline=None, database=None,
                       derandomize=not RANDOM, phases=[Phase.explicit, Phase.generate],
                       suppress_health_check=list(HealthCheck), print_blob=True)(
            given(case=operation.as_strategy(generation_mode=mode))(exercise))
        run()
    assert sent[0] > 0, f"no request was sent for {method} {path}"


def test_every_documented_operation_is_fuzzed():
    assert len(OPERATIONS) >= 30
    assert ("POST", "/api/v1/documents") in OPERATIONS
    assert ("GET", "/api/v1/search") in OPERATIONS


# ---------------------------------------------------------------------------
# The description itself: complete, unambiguous
# ---------------------------------------------------------------------------


def _models(model, found: set) -> set:
    import typing

    from pydantic import BaseModel

    def walk(annotation):
        yield annotation
        for arg in typing.get_args(annotation):
            yield from walk(arg)

    if model in found:
        return found
    found.add(model)
    for field in model.model_fields.values():
        for annotation in walk(field.annotation):
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                _models(annotation, found)
    return found


def test_component_names_are_unique():
    """Components are keyed by class name: two models of one name would silently share a
    schema (the statistics ``AdvisorOut`` once replaced the advisor list's)."""
    from collections import defaultdict

    from webapp.api.spec import REGISTRY, resolve

    models: set = set()
    for op in REGISTRY:
        for model in (op.query, op.body, op.response):
            if model is not None:
                _models(resolve(model), models)
    by_name = defaultdict(set)
    for model in models:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes


def test_every_operation_documents_its_refusals():
    problems = []
    for path, ops in build_spec()["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            where = f"{method.upper()} {path}"
            if path != "/api/v1/openapi.json" and "401" not in codes:
                problems.append(f"{where}: no 401 (every call needs a user)")
            if "{" in path and "404" not in codes:
                problems.append(f"{where}: no 404 for an unknown id")
            if method != "get" and "400" not in codes:
                problems.append(f"{where}: no 400 (CSRF refusal of a session-authenticated write)")
            if op["parameters"] and any(p["in"] == "query" for p in op["parameters"]) \
                    and "422" not in codes:
                problems.append(f"{where}: query parameters but no 422")
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    if schema != {"$ref": "#/components/schemas/ErrorResponse"}:
                        problems.append(f"{where} {status}: not the error shape")
    assert not problems, problems


def test_the_spec_is_what_the_app_serves(sec_app, raw_spec):
    with sec_app.app_context():
        assert raw_spec == json.loads(json.dumps(build_spec()))
        assert "case_ref" in raw_spec["components"]["schemas"]["DocumentOut"]["properties"]


# ---------------------------------------------------------------------------
# What the fuzzer once found, pinned down (it may not draw these inputs every run)
# ---------------------------------------------------------------------------

FILE_MEDIA_TYPES = ("application/pdf", "text/plain",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
OFFSET = re.compile(r"T\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


def test_api_datetimes_are_utc_with_an_offset(world, sec_app, raw_spec):
    client = sec_app.test_client()
    doc = client.get(f"/api/v1/documents/{world.doc_a}", headers=world.header("admin")).json
    assert OFFSET.search(doc["created_at"]), doc["created_at"]
    assert OFFSET.search(doc["versions"][0]["uploaded_at"]), doc["versions"][0]
    eng = client.get(f"/api/v1/engagements/{world.eng_a}", headers=world.header("admin")).json
    assert OFFSET.search(eng["created_at"]), eng["created_at"]
    events = client.get("/api/v1/audit/events", headers=world.header("auditor")).json
    assert events["items"] and all(OFFSET.search(e["at"]) for e in events["items"])
    created = raw_spec["components"]["schemas"]["DocumentOut"]["properties"]["created_at"]
    assert created["format"] == "date-time" and "UTC" in created["description"]


def test_the_file_operation_is_described_as_served(raw_spec):
    op = raw_spec["paths"]["/api/v1/documents/{doc_id}/file"]["get"]
    assert set(op["responses"]["200"]["content"]) == set(FILE_MEDIA_TYPES)
    version = {p["name"]: p for p in op["parameters"]}["version"]
    assert version["in"] == "query" and not version["required"]


HUGE = "9" * 20


@pytest.mark.parametrize("url", [f"/api/v1/documents/{HUGE}", f"/api/v1/documents/{HUGE}/file",
                                 f"/api/v1/engagements/{HUGE}", f"/api/v1/assessments/{2**31}",
                                 f"/api/v1/documents?agency_id={HUGE}",
                                 f"/api/v1/documents?agency_id=-{HUGE}",
                                 f"/api/v1/documents/1/file?version={2**31}",
                                 f"/api/v1/engagements?advisor_id={HUGE}",
                                 f"/api/v1/advisors?firm_id={HUGE}"])
def test_ids_beyond_the_database_integer_are_not_found_or_invalid(world, sec_app, url):
    resp = sec_app.test_client().get(url.replace("/1/", f"/{world.doc_a}/"),
                                     headers=world.header("admin"))
    assert resp.status_code in (404, 422), (url, resp.status_code)
    assert resp.json["error"]["code"] in ("not_found", "validation")


@pytest.mark.parametrize("url", [f"/documents/{HUGE}", f"/documents/{2**31}/file",
                                 f"/engagements/{HUGE}", f"/orgs/users/{HUGE}/edit"])
def test_pages_with_ids_beyond_the_database_integer_are_not_found(world, role_clients, url):
    assert role_clients["admin"].client.get(url).status_code == 404, url


def test_a_write_beyond_the_database_integer_is_a_field_error(world, sec_app):
    resp = sec_app.test_client().put(f"/api/v1/advisors/{world.spare_advisor}",
                                     json={"firm_id": 2**31}, headers=world.header("admin"))
    assert resp.status_code == 422 and "firm_id" in resp.json["error"]["fields"]


@pytest.mark.parametrize("body", [
    b'{"code": "SUR1", "name": "\\udb35x", "category": "government_dept"}',
    b'{"code": "SUR2", "\\udc00": 1}'])
def test_lone_surrogates_in_json_are_refused_in_chinese(world, sec_app, body):
    from webapp.extensions import db
    from webapp.models import Agency

    resp = sec_app.test_client().post(
        "/api/v1/agencies", data=body,
        headers={**world.header("admin"), "Content-Type": "application/json"})
    assert resp.status_code == 422, resp.status_code
    error = resp.json["error"]
    assert error["code"] == "validation" and re.search("[\u4e00-\u9fff]", error["message"])
    assert all(re.search("[\u4e00-\u9fff]", m) for m in error["fields"].values())
    with sec_app.app_context():
        assert db.session.execute(select(Agency).where(Agency.code.like("SUR%"))).first() is None


@pytest.mark.parametrize(("method", "url", "kwargs"), [
    ("GET", "/api/v1/documents", {"query_string": {"q": "a\x00b"}}),
    ("GET", "/api/v1/search", {"query_string": {"q": "法律\x00"}}),
    ("GET", "/api/v1/agencies", {"query_string": {"q": "\x00"}}),
    ("POST", "/api/v1/agencies", {"json": {"code": "NUL1", "name": "甲\x00局",
                                           "category": "government_dept"}}),
    ("POST", "/api/v1/engagements", {"json": {"agency_id": 1, "special_fee_terms": "\x00"}}),
])
def test_nul_characters_are_refused_on_every_database(world, sec_app, method, url, kwargs):
    """PostgreSQL text cannot hold NUL (a 500 there once); SQLite could: refused on both."""
    resp = sec_app.test_client().open(url, method=method, headers=world.header("admin"),
                                      **kwargs)
    assert resp.status_code == 422, (url, resp.status_code)
    assert "控制字符" in json.dumps(resp.json["error"], ensure_ascii=False)


def test_nul_characters_in_page_forms_are_field_errors(world, role_clients):
    rc = role_clients["admin"]
    resp = rc.client.get("/documents/", query_string={"q": "甲\x00"})
    assert resp.status_code == 200 and "控制字符" in resp.get_data(as_text=True)
    resp = rc.client.post("/orgs/agencies/new", data={
        "csrf_token": rc.csrf, "code": "NUL2", "name": "乙\x00局", "category": "government_dept"})
    assert resp.status_code == 422 and "is-invalid" in resp.get_data(as_text=True)
    # a form without its own check: the database guard names the column (= the field)
    resp = rc.client.post("/settings/tokens", data={"csrf_token": rc.csrf, "name": "丁\x00"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "is-invalid" in html and "控制字符" in html
    assert "丁" not in rc.client.get("/settings/tokens").get_data(as_text=True)
    anonymous = role_clients["anonymous"]
    resp = anonymous.client.post("/login", data={"csrf_token": anonymous.csrf,
                                                 "username": "sec\x00admin", "password": "x"})
    assert resp.status_code == 400 and "控制字符" in resp.get_data(as_text=True)


def test_a_nul_character_never_reaches_the_database(sec_app):
    """Whatever path skips the field checks, the statement itself is refused (422)."""
    from webapp.errors import ValidationFailed
    from webapp.extensions import db
    from webapp.models import Agency

    with sec_app.app_context():
        db.session.add(Agency(code="NUL3", name="丙\x00局", category="government_dept"))
        with pytest.raises(ValidationFailed) as refused:
            db.session.flush()
        db.session.rollback()
        assert "NUL" in refused.value.message
        with pytest.raises(ValidationFailed):
            db.session.execute(select(Agency).where(Agency.name == "\x00")).all()
        db.session.rollback()
        assert db.session.execute(select(Agency).where(Agency.code == "NUL3")).first() is None
        db.session.remove()
