"""系统设置 rules: new template versions (check → confirm), numbering, the user's API tokens.

A template upload is checked first; a rejected one is dropped at once (nothing
is stored). One that passes waits, under a random id in the data dir's ``tmp``
folder, until the admin accepts it (blob + row + audit in one transaction) or
cancels it.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from contract_templates import Manifest, Problem, list_kinds

from ..audit import services as audit
from ..auth.services import issue_token, revoke_token
from ..engagements import clause_library, contract_store
from ..engagements.params import plain_text_error
from ..engagements.parties import pattern_setting, sequence_name
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import ApiToken, ContractTemplate, Counter, User
from ..numbering import format_number

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024
PENDING_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass
class CheckResult:
    """The outcome of checking an upload: the manifest (if it parsed) and its problems."""

    manifest: Manifest | None
    problems: list[Problem]

    @property
    def accepted(self) -> bool:
        return self.manifest is not None and not contract_store.blocking(self.problems)


def _read(stream, limit: int, field: str) -> bytes:
    data = stream.read(limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise ValidationFailed({field: error_text("file_too_large", limit=limit // 1024 // 1024
                                                  or 1)})
    return data


def read_upload(docx_stream, manifest_stream, manifest_text: str | None) -> tuple[bytes, bytes]:
    """The uploaded .docx and manifest bytes (file or pasted text), size-limited."""
    docx = _read(docx_stream, MAX_TEMPLATE_BYTES, "template")
    manifest = _read(manifest_stream, MAX_MANIFEST_BYTES, "manifest")
    if not manifest and manifest_text and manifest_text.strip():
        manifest = manifest_text.strip().encode("utf-8")
    errors = {}
    if not docx:
        errors["template"] = error_text("template_upload_missing")
    if not manifest:
        errors["manifest"] = error_text("manifest_upload_missing")
    if errors:
        raise ValidationFailed(errors)
    return docx, manifest


def check(docx: bytes, manifest: bytes) -> CheckResult:
    """Run the placeholder, block and clause checks (against the clause library) and the
    webapp's own needs on an upload."""
    parsed, problems = contract_store.check_upload(docx, manifest, clause_library.latest())
    return CheckResult(parsed, problems)


def _pending_dir() -> Path:
    folder = Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(pending_id: str) -> tuple[Path, Path]:
    if not PENDING_ID.match(pending_id or ""):
        raise DomainError("template_pending_expired", status=409)
    folder = _pending_dir()
    return folder / f"template-{pending_id}.docx", folder / f"template-{pending_id}.json"


def keep_pending(docx: bytes, manifest: bytes) -> str:
    """Keep a checked upload until it is accepted or cancelled; returns its id."""
    pending_id = secrets.token_urlsafe(18)
    docx_path, manifest_path = _paths(pending_id)
    docx_path.write_bytes(docx)
    manifest_path.write_bytes(manifest)
    return pending_id


def load_pending(pending_id: str) -> tuple[bytes, bytes]:
    """The kept upload (409 when it is gone)."""
    docx_path, manifest_path = _paths(pending_id)
    if not (docx_path.exists() and manifest_path.exists()):
        raise DomainError("template_pending_expired", status=409)
    return docx_path.read_bytes(), manifest_path.read_bytes()


def drop_pending(pending_id: str | None) -> None:
    """Delete a kept upload (no error when it is already gone)."""
    if not pending_id:
        return
    try:
        paths = _paths(pending_id)
    except DomainError:
        return
    for path in paths:
        path.unlink(missing_ok=True)


def accept(user: User, pending_id: str, notes: str | None) -> ContractTemplate:
    """Re-check the kept upload and store it as the new active version (flush only)."""
    docx, manifest_bytes = load_pending(pending_id)
    result = check(docx, manifest_bytes)
    if not result.accepted:
        raise DomainError("template_rejected_again", status=422)
    if notes and (problem := plain_text_error(notes, multiline=True, max_length=500)):
        raise ValidationFailed({"notes": problem})
    row = contract_store.store_version(docx, result.manifest, actor=user, notes=notes)
    drop_pending(pending_id)
    return row


def activate_version(user: User, template_id: int) -> ContractTemplate:
    """Make an older (or newer) stored version the one new contracts use (flush only)."""
    row = db.session.get(ContractTemplate, template_id)
    if row is None:
        raise NotFound()
    for other in contract_store.versions(row.kind):
        other.active = other.id == row.id
    audit.record("contract_template_activated", object_type="contract_template",
                 object_id=row.id, actor=user, detail={"kind": row.kind, "version": row.version})
    return row


def manifest_json(row: ContractTemplate) -> str:
    """A stored manifest as readable JSON."""
    return json.dumps(row.manifest, ensure_ascii=False, indent=2)


def numbering(year: int | None = None) -> list[dict[str, str]]:
    """Each numbering pattern, the last number taken this year and the next one."""
    year = year or date.today().year
    cfg = current_app.config
    rows = []
    kinds = [(sequence_name(k.code), pattern_setting(k.code), f"{k.label}合同编号")
             for k in list_kinds()]
    for name, setting, text in (("registration", "GOVCOUNSEL_REGISTRATION_PATTERN", "文书登记号"),
                                *kinds):
        value = db.session.get(Counter, (name, year))
        taken = value.value if value else 0
        pattern = cfg[setting]
        rows.append({"text": text, "setting": setting, "pattern": pattern,
                     "taken": str(taken),
                     "last": format_number(pattern, year, taken) if taken else "",
                     "next": format_number(pattern, year, taken + 1)})
    return rows


def tokens_of(user: User) -> list[ApiToken]:
    """The user's API tokens, newest first."""
    return list(db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc())).scalars())


def create_token(user: User, name: str | None) -> str:
    """A new token for ``user`` (flush only); the caller shows it once."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": error_text("required")})
    problem = plain_text_error(name, max_length=64)
    if problem:
        raise ValidationFailed({"name": problem})
    return issue_token(user, name)


def revoke_own_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (someone else's is a 404)."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound()
    if row.revoked_at is None:
        revoke_token(row.id, user)
    return row
