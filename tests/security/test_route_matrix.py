"""The authorisation matrix, generated from the route table: every rule × method × role.

Each URL rule of ``app.url_map`` is requested by every role (anonymous, admin,
the clerk of the owning agency, a clerk of another agency, the advisor, the
auditor) with every method it declares; state-changing methods carry the CSRF
token of the session (form field on pages, ``X-CSRFToken`` header under /api/).
Path values come from seeded objects (``world.py``): a document of agency A, a
classified document of agency B, an engagement of A, an assessment record of A,
and sacrificial objects for routes that deactivate or revoke something.

``EXPECTATIONS`` maps every endpoint to its rule. A route without an entry fails
("new route without a policy"), so a new route cannot ship without a decision.

What is asserted for each request:

- nobody ever gets a 500;
- anonymous never gets a 200 on a non-public route: pages answer 302 to
  ``/login``, the API answers 401 with a JSON error;
- a denied role gets 403 or 404 (never 200, never a redirect that hides the
  refusal, never 500); under /api/ the refusal is the JSON error shape;
- an allowed role never gets 401, 403, 404 (unless the rule says the object may
  legitimately be absent), 500, nor a redirect to the login page;
- a body served to a clerk of agency A or the advisor never contains the title,
  text, file name or notes of agency B's classified document;
- every response carries the security headers (CSP without inline script, frame
  denial, nosniff, referrer policy); every HTML page is ``no-store`` and has no
  inline script, event handler, ``javascript:`` URL or inline style.

Requests run in a fixed order on one seeded app: every GET first, then writes by
anonymous, then writes by denied roles, then writes by allowed roles (a refused
write must change nothing, so it runs before any allowed one), logout last.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.security.checks import inline_script_problems, security_header_problems
from tests.security.routes import (
    WRITE_METHODS,
    PathArgs,
    Target,
    build_path,
    methods,
    missing_samples,
    path_variants,
    route_table,
)
from tests.security.world import ROLE_NAMES, ROLES, Role, World

PHASES = {"read": 0, "anonymous": 1, "denied": 2, "allowed": 3, "logout": 4}

# ---------------------------------------------------------------------------
# Rules: who may do it
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """A named rule: ``allows(role, target)``; ``absent_ok`` lets allowed roles get 404."""

    name: str
    allows: Callable[[Role, Target], bool]
    absent_ok: bool = False
    ends_at_login: bool = False  # an allowed request may answer with the login page


def _roles(*names: str) -> Callable[[Role, Target], bool]:
    return lambda role, target: role.role in names


def _own_agency(role: Role, target: Target) -> bool:
    return role.role == "clerk" and target.agency is not None and role.agency == target.agency


def _doc_view(role: Role, target: Target) -> bool:
    if role.role in ("admin", "auditor") or _own_agency(role, target):
        return True
    return role.role == "advisor" and target.advisor_linked and not target.classified


def _eng_view(role: Role, target: Target) -> bool:
    if role.role in ("admin", "auditor") or _own_agency(role, target):
        return True
    return role.role == "advisor" and target.advisor_linked


PUBLIC = Policy("public", lambda role, target: True)
ANY_USER = Policy("any signed-in user", lambda role, target: role.role is not None)
SIGN_OUT = Policy("any signed-in user (ends at the login page)",
                  lambda role, target: role.role is not None, ends_at_login=True)
ADMIN = Policy("admin only", _roles("admin"))
READERS = Policy("admin + auditor", _roles("admin", "auditor"))
UPLOADERS = Policy("admin, clerk, advisor (not auditor)", _roles("admin", "clerk", "advisor"))
CONTRACTORS = Policy("admin + clerk", _roles("admin", "clerk"))
DOC_VIEW = Policy("document view: admin, auditor, own agency, advisor of an unclassified doc",
                  _doc_view)
# The advisor may change only documents they uploaded; the seeded ones were uploaded
# by the clerks, so for these targets "change" is admin + own agency.
DOC_CHANGE = Policy("document change: admin + own agency",
                    lambda role, target: role.role == "admin" or _own_agency(role, target))
ENG_VIEW = Policy("engagement view: admin, auditor, own agency, its advisor", _eng_view)
ENG_MANAGE = Policy("engagement manage: admin + own agency",
                    lambda role, target: role.role == "admin" or _own_agency(role, target))
RECORD_VIEW = Policy("assessment record (scores unpublished): admin, auditor, own agency",
                     lambda role, target: role.role in ("admin", "auditor")
                     or _own_agency(role, target))
OWN_TOKEN = Policy("own API token only", lambda role, target: role.name == target.owner)
CONTRACT_PDF = Policy("engagement view (404 without LibreOffice)", _eng_view, absent_ok=True)
SECOND_STEP = Policy("public (the login page again without a pending two-step login)",
                     lambda role, target: True, ends_at_login=True)
PAGE_PREVIEW = Policy("document view (404 for a page the file does not have)", _doc_view,
                      absent_ok=True)
ADMIN_ABSENT_OK = Policy("admin only (404 when there is nothing to compare)", _roles("admin"),
                         absent_ok=True)


def _matter_advise(role: Role, target: Target) -> bool:
    if target.classified:  # a classified matter's steps are recorded by its own agency
        return _own_agency(role, target)
    return role.role == "advisor" and target.advisor_linked


# A matter is seen like a document (classified: admin, auditor, own agency only).
MATTER_VIEW = Policy("matter view: admin, auditor, own agency, its advisor if unclassified",
                     _doc_view)
MATTER_FILE = Policy("matter view (the sampled document is not the matter's: 404)",
                     _doc_view, absent_ok=True)
MATTER_ADVISE = Policy("matter advise: its advisor; own agency's clerk if classified",
                       _matter_advise)
MATTER_MANAGE = Policy("matter manage: admin + own agency",
                       lambda role, target: role.role == "admin" or _own_agency(role, target))
OWN_NOTE = Policy("any signed-in user (another user's notification is 404)",
                  lambda role, target: role.role is not None, absent_ok=True)

# Every endpoint of the app and its rule. A route whose endpoint is missing here
# fails the matrix: decide its policy and add it.
EXPECTATIONS: dict[str, Policy] = {
    # public
    "static": PUBLIC,
    "favicon": PUBLIC,
    "auth.login": PUBLIC,
    "health.healthz": PUBLIC,
    "api.openapi": PUBLIC,
    # accounts and dashboard
    "auth.logout": SIGN_OUT,
    "dashboard.index": ANY_USER,
    "admin_settings.tokens": ANY_USER,
    "admin_settings.token_revoke": OWN_TOKEN,
    # 账户安全 (issue #15): every signed-in user, their own account only
    "auth.second_step": SECOND_STEP,
    "account.index": ANY_USER,
    "account.password": ANY_USER,
    "account.logins": ANY_USER,
    "account.two_factor": ANY_USER,
    "account.two_factor_disable": ANY_USER,
    # documents
    "documents.index": ANY_USER,
    "documents.upload": UPLOADERS,
    "documents.detail": DOC_VIEW,
    "documents.download": DOC_VIEW,
    "documents.page_image": PAGE_PREVIEW,
    "documents.registration_form": DOC_VIEW,  # the 备案登记表: the page's rules
    "documents.registration_forms": ANY_USER,  # the list's scope, as documents.index
    "documents.edit": DOC_CHANGE,
    "documents.new_version": DOC_CHANGE,
    "documents.delete": ADMIN,
    "search.index": ANY_USER,
    # engagements
    "engagements.index": ANY_USER,
    "engagements.watch": ANY_USER,
    "engagements.new": CONTRACTORS,
    "engagements.detail": ENG_VIEW,
    "engagements.contract_docx": ENG_VIEW,
    "engagements.contract_pdf": CONTRACT_PDF,
    "engagements.verify": ENG_VIEW,
    "engagements.edit": ENG_MANAGE,
    "engagements.sign": ENG_MANAGE,
    "engagements.activate": ENG_MANAGE,
    "engagements.terminate": ENG_MANAGE,
    "engagements.renew": ENG_MANAGE,
    "engagements.file": ADMIN,
    # contract kinds, supplementary agreements, redlines, clause library (#16)
    "engagements.supplement_new": ENG_MANAGE,
    "engagements.supplement_sign": ENG_MANAGE,
    "engagements.supplement_file": ADMIN,
    "engagements.supplement_docx": ENG_VIEW,
    "engagements.redline": ENG_VIEW,
    "engagements.document_redline": DOC_VIEW,
    "admin_settings.template_preview": ADMIN,
    "admin_settings.pending_preview": ADMIN,
    "admin_settings.template_redline": ADMIN_ABSENT_OK,
    "admin_settings.clauses": ADMIN,
    "api.create_supplement": ENG_MANAGE,
    "api.list_supplements": ENG_VIEW,
    "api.engagement_terms": ENG_VIEW,
    "api.get_supplement": ENG_VIEW,
    "api.get_supplement_docx": ENG_VIEW,
    "api.sign_supplement": ENG_MANAGE,
    "api.file_supplement": ADMIN,
    # assessments and statistics
    "assessments.index": ANY_USER,
    "assessments.annual": ANY_USER,
    "assessments.criteria": ANY_USER,
    "assessments.new_criteria": ADMIN,
    "assessments.open_period": ADMIN,
    "assessments.finalise_period": ADMIN,
    "assessments.publish": ADMIN,
    "assessments.record": RECORD_VIEW,
    "assessments.save_scores": ADMIN,
    "assessments.finalise": ADMIN,
    "assessments.amend": ADMIN,
    "statistics.index": READERS,
    "audit.index": READERS,
    # organisation registers
    "orgs.agencies": ANY_USER,
    "orgs.firms": ANY_USER,
    "orgs.advisors": ANY_USER,
    "orgs.pool": ANY_USER,
    "orgs.pool_entry": ANY_USER,
    "orgs.users": ADMIN,
    "orgs.user_new": ADMIN,
    "orgs.user_edit": ADMIN,
    "orgs.user_password": ADMIN,
    "orgs.user_unlock": ADMIN,
    "orgs.user_2fa_reset": ADMIN,
    "orgs.edit_record": ADMIN,
    "orgs.set_active": ADMIN,
    "orgs.import_upload": ADMIN,
    "orgs.import_preview": ADMIN,
    "orgs.import_confirm": ADMIN,
    "orgs.import_cancel": ADMIN,
    "orgs.pool_admit": ADMIN,
    "orgs.pool_edit": ADMIN,
    "orgs.pool_status": ADMIN,
    "orgs.pool_review": ADMIN,
    # system settings
    "admin_settings.index": ADMIN,
    "admin_settings.template_check": ADMIN,
    "admin_settings.template_accept": ADMIN,
    "admin_settings.template_cancel": ADMIN,
    "admin_settings.template_activate": ADMIN,
    "admin_settings.template_download": ADMIN,
    "admin_settings.template_manifest": ADMIN,
    "admin_settings.fields": ADMIN,
    "admin_settings.field_state": ADMIN,
    # legal matters, notifications, calendar feed (#13)
    "matters.index": ANY_USER,
    "matters.new": CONTRACTORS,
    "matters.detail": MATTER_VIEW,
    "matters.document_file": MATTER_FILE,
    "matters.accept": MATTER_ADVISE,
    "matters.return": MATTER_ADVISE,
    "matters.answer": MATTER_ADVISE,
    "matters.resubmit": MATTER_MANAGE,
    "matters.adopt": MATTER_MANAGE,
    "matters.close": MATTER_MANAGE,
    "matters.withdraw": MATTER_MANAGE,
    "matters.calendar_days": ADMIN,
    "matters.calendar_delete": ADMIN,
    "notifications.index": ANY_USER,
    "notifications.read": OWN_NOTE,
    "notifications.read_all": ANY_USER,
    "notifications.calendar_issue": ANY_USER,
    "notifications.calendar_revoke": ANY_USER,
    "notifications.address": ANY_USER,
    "calendar_feed.ics": PUBLIC,
    "evaluations.index": Policy("admin, clerk, auditor", _roles("admin", "clerk", "auditor")),
    "evaluations.submit": CONTRACTORS,
    "evaluations.form": ADMIN,
    "evaluations.review": READERS,
    "evaluations.decide": ADMIN,
    "api.list_matters": ANY_USER,
    "api.list_notifications": ANY_USER,
    "api.read_notification": OWN_NOTE,
    "api.read_all_notifications": ANY_USER,
    "api.create_matter": CONTRACTORS,
    "api.get_matter": MATTER_VIEW,
    "api.accept_matter": MATTER_ADVISE,
    "api.return_matter": MATTER_ADVISE,
    "api.answer_matter": MATTER_ADVISE,
    "api.resubmit_matter": MATTER_MANAGE,
    "api.adopt_matter": MATTER_MANAGE,
    "api.close_matter": MATTER_MANAGE,
    "api.withdraw_matter": MATTER_MANAGE,
    # API: reads
    "api.agencies": ANY_USER,
    "api.advisors": ANY_USER,
    "api.list_documents": ANY_USER,
    "api.get_document": DOC_VIEW,
    "api.get_document_file": DOC_VIEW,
    "api.search": ANY_USER,
    "api.engagement_template": ANY_USER,
    "api.list_engagements": ANY_USER,
    "api.get_engagement": ENG_VIEW,
    "api.get_engagement_docx": ENG_VIEW,
    "api.assessments_ranking": ANY_USER,
    "api.assessment_record": RECORD_VIEW,
    "api.audit_events": READERS,
    "api.statistics_year": READERS,
    # API: writes
    "api.create_document": UPLOADERS,
    "api.create_engagement": CONTRACTORS,
    "api.sign_engagement": ENG_MANAGE,
    "api.activate_engagement": ENG_MANAGE,
    "api.terminate_engagement": ENG_MANAGE,
    "api.renew_engagement": ENG_MANAGE,
    "api.file_engagement": ADMIN,
    "api.assessment_scores": ADMIN,
    "api.assessment_finalise": ADMIN,
    "api.assessment_amend": ADMIN,
    "api.assessment_publish": ADMIN,
    "api.create_agency": ADMIN,
    "api.update_agency": ADMIN,
    "api.deactivate_agencies": ADMIN,
    "api.reactivate_agencies": ADMIN,
    "api.create_firm": ADMIN,
    "api.update_firm": ADMIN,
    "api.deactivate_firms": ADMIN,
    "api.reactivate_firms": ADMIN,
    "api.create_advisor": ADMIN,
    "api.update_advisor": ADMIN,
    "api.deactivate_advisors": ADMIN,
    "api.reactivate_advisors": ADMIN,
}

@dataclass(frozen=True)
class Case:
    """One request of the matrix (all plain data: built at collection time)."""

    endpoint: str
    rule: str
    method: str
    path_args: PathArgs
    target: Target
    role: str
    policy: Policy | None
    phase: int

    @property
    def id(self) -> str:
        args = ",".join(v for _, v in self.path_args)
        return f"{self.method} {self.rule}[{args}] as {self.role}"


def _phase(method: str, role: Role, policy: Policy | None, target: Target, endpoint: str) -> int:
    if method not in WRITE_METHODS:
        return PHASES["read"]
    if endpoint == "auth.logout":
        return PHASES["logout"]
    if role.role is None:
        return PHASES["anonymous"]
    if policy is None or not policy.allows(role, target):
        return PHASES["denied"]
    return PHASES["allowed"]


def build_cases() -> list[Case]:
    """Every (rule, method, sample, role) of the route table, in run order."""
    cases = []
    for rule in route_table():
        policy = EXPECTATIONS.get(rule.endpoint)
        for method in methods(rule):
            for (args, target), role_name in itertools.product(path_variants(rule), ROLE_NAMES):
                role = ROLES[role_name]
                cases.append(Case(rule.endpoint, rule.rule, method, args, target, role_name,
                                  policy, _phase(method, role, policy, target, rule.endpoint)))
    cases.sort(key=lambda c: c.phase)  # stable: route order within a phase
    return cases


CASES = build_cases()


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------


def test_every_route_has_a_policy():
    missing = sorted({f"{r.endpoint} ({' '.join(methods(r))} {r.rule})" for r in route_table()
                      if r.endpoint not in EXPECTATIONS})
    assert not missing, ("new route without a policy — add it to EXPECTATIONS in "
                         "tests/security/test_route_matrix.py: " + "; ".join(missing))


def test_every_route_has_sample_values():
    problems = [f"{r.rule}: no sample value for {missing_samples(r)}" for r in route_table()
                if missing_samples(r)]
    assert not problems, "add them to SAMPLES in tests/security/routes.py: " + "; ".join(problems)


def test_expectations_name_only_existing_endpoints():
    stale = sorted(set(EXPECTATIONS) - {r.endpoint for r in route_table()})
    assert not stale, f"EXPECTATIONS names endpoints that no longer exist: {stale}"


def test_the_matrix_covers_every_role_and_method():
    assert len(CASES) > 500
    assert {c.role for c in CASES} == set(ROLE_NAMES)
    assert {"GET", "POST", "PUT"} <= {c.method for c in CASES}


def _request(rc, case: Case, path: str):
    is_api = path.startswith("/api/")
    if case.method not in WRITE_METHODS:
        return rc.client.open(path, method=case.method)
    if is_api:
        headers = {"X-CSRFToken": rc.csrf}
        if case.endpoint in ("api.create_document", "api.sign_engagement"):
            return rc.client.open(path, method=case.method, headers=headers,
                                  data={"csrf_token": rc.csrf},
                                  content_type="multipart/form-data")
        return rc.client.open(path, method=case.method, headers=headers, json={})
    return rc.client.open(path, method=case.method, data={"csrf_token": rc.csrf})


def _is_login_redirect(resp) -> bool:
    return resp.status_code in (301, 302, 303) and \
        urlsplit(resp.headers.get("Location", "")).path == "/login"


def _json_error(resp) -> bool:
    body = resp.get_json(silent=True)
    return isinstance(body, dict) and isinstance(body.get("error"), dict) \
        and "code" in body["error"] and "message" in body["error"]


SEES_NOTHING_OF_B = {"clerk_a", "advisor"}  # may never see agency B's classified document


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_route_matrix(case: Case, world: World, role_clients):
    assert case.policy is not None, (
        f"new route without a policy: {case.endpoint} ({case.method} {case.rule}) — add it to "
        "EXPECTATIONS in tests/security/test_route_matrix.py")
    role = ROLES[case.role]
    rc = role_clients[case.role]
    path = build_path(case.rule, case.path_args, world)
    resp = _request(rc, case, path)
    status = resp.status_code
    where = f"{case.method} {path} as {case.role} [{case.policy.name}] -> {status}"
    assert status < 500, f"server error: {where}\n{resp.get_data(as_text=True)[:300]}"
    is_api = path.startswith("/api/")
    body = resp.get_data(as_text=True) if resp.mimetype and (
        resp.mimetype.startswith("text/") or resp.mimetype.endswith("json")) else ""
    resp.close()  # a streamed file (send_file) is closed as a WSGI server would
    header_problems = security_header_problems(resp.headers)
    assert not header_problems, f"{where}: {header_problems}"
    if resp.mimetype == "text/html":
        assert "no-store" in resp.headers.get("Cache-Control", ""), f"{where}: HTML cacheable"
        script_problems = inline_script_problems(body)
        assert not script_problems, f"{where}: {script_problems[:3]}"
    if case.role in SEES_NOTHING_OF_B:
        leaked = [s for s in world.secrets if s in body]
        assert not leaked, f"{where}: body contains agency B's classified {leaked}"
    allowed = case.policy.allows(role, case.target)
    if role.role is None and not allowed:
        if is_api:
            assert status == 401 and _json_error(resp), f"anonymous not refused: {where}"
        else:
            assert _is_login_redirect(resp), f"anonymous not sent to login: {where}"
        return
    if not allowed:
        assert status in (403, 404), f"denied role not refused: {where}"
        if is_api:
            assert _json_error(resp), f"API refusal is not the JSON error shape: {where}"
        return
    refused = {401, 403} | (set() if case.policy.absent_ok else {404})
    assert status not in refused, f"allowed role refused: {where}\n{body[:300]}"
    if not case.policy.ends_at_login:
        assert not _is_login_redirect(resp), f"allowed role sent to login: {where}"
