"""Contract template versions in the database and the blob store.

A :class:`~webapp.models.ContractTemplate` row holds the manifest (JSON) and the
SHA-256 of the .docx, which lives in the blob store like every other file. The
``contract_templates`` library checks and renders; this module only stores,
finds and loads versions. ``init`` imports the shipped standard template when
the database has none (:func:`init_hook`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO

from flask import Flask
from sqlalchemy import func, select, update

import contract_templates
from contract_templates import Manifest, Problem, parse_manifest

from ..audit import services as audit
from ..documents.intake import blob_store, incoming
from ..errors import DomainError
from ..extensions import db
from ..messages import error_text
from ..models import ContractTemplate, User

REQUIRED_FIELDS = {"contract_no": "text", "agency_name": "text", "start_date": "date",
                   "end_date": "date", "annual_fee": "money", "services": "list"}
"""Fields the webapp fills or reads back into the engagement row: every version needs them."""

_LOADED: dict[str, tuple[bytes, Manifest]] = {}


@dataclass(frozen=True)
class LoadedTemplate:
    """A stored version ready to render: its row id and number, .docx bytes and manifest."""

    id: int
    version: int
    docx: bytes
    manifest: Manifest


def active_template() -> ContractTemplate:
    """The version new contracts use: the newest active one."""
    row = db.session.execute(select(ContractTemplate).where(ContractTemplate.active.is_(True))
                             .order_by(ContractTemplate.version.desc())).scalars().first()
    if row is None:
        raise DomainError("template_missing", status=409)
    return row


def load(row: ContractTemplate) -> LoadedTemplate:
    """The .docx bytes and parsed manifest of a stored version (cached by SHA-256)."""
    cached = _LOADED.get(row.sha256)
    if cached is None:
        restore_shipped(row.sha256)
        with blob_store().open(row.sha256) as handle:
            data = handle.read()
        cached = (data, parse_manifest(row.manifest))
        _LOADED[row.sha256] = cached
    return LoadedTemplate(row.id, row.version, cached[0], cached[1])


def versions() -> list[ContractTemplate]:
    """Every stored version, newest first."""
    return list(db.session.execute(select(ContractTemplate)
                                   .order_by(ContractTemplate.version.desc())).scalars())


def next_version_number() -> int:
    """The number the next accepted version gets."""
    current = db.session.execute(select(func.max(ContractTemplate.version))).scalar_one()
    return (current or 0) + 1


def webapp_problems(manifest: Manifest) -> list[Problem]:
    """What the webapp itself needs from a manifest (the fields it fills or reads back)."""
    problems = []
    for name, kind in REQUIRED_FIELDS.items():
        spec = manifest.field(name)
        if spec is None or spec.type != kind:
            problems.append(Problem("template_required_field",
                                    error_text("template_required_field", name=name, type=kind),
                                    subject=name))
    return problems


def check_upload(docx_bytes: bytes, manifest_data: bytes | str) -> tuple[Manifest | None,
                                                                          list[Problem]]:
    """Check an uploaded version; the manifest gets the next version name (``v2``…).

    Returns the manifest (``None`` when it does not parse) and every problem: the
    library's file and placeholder checks plus :func:`webapp_problems`.
    """
    try:
        manifest = parse_manifest(manifest_data)
    except contract_templates.ManifestError as exc:
        return None, [Problem(exc.code, exc.message)]
    manifest = manifest.model_copy(update={"version": f"v{next_version_number()}"})
    _, problems = contract_templates.check_upload(docx_bytes, manifest)
    return manifest, problems + webapp_problems(manifest)


def blocking(problems: list[Problem]) -> bool:
    """True when any problem is an error (warnings do not block acceptance)."""
    return any(p.severity == "error" for p in problems)


def store_version(docx_bytes: bytes, manifest: Manifest, *, actor: User | None = None,
                  notes: str | None = None, actor_name: str | None = None) -> ContractTemplate:
    """Store a checked version and make it the active one (flush only).

    The blob goes into the store through the unit of work (``intake.incoming``), which
    removes it again if the unit of work rolls back and nothing else references it.
    """
    number = int(manifest.version.lstrip("v"))
    digest = incoming().put_bytes(docx_bytes)
    db.session.execute(update(ContractTemplate).values(active=False))
    row = ContractTemplate(version=number, name=manifest.title, sha256=digest,
                           manifest=manifest.to_dict(), active=True, notes=notes,
                           uploaded_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    audit.record("contract_template_accepted", object_type="contract_template",
                 object_id=row.id, actor=actor, actor_name=actor_name,
                 detail={"version": manifest.version, "sha256": digest,
                         "title": manifest.title, "fields": len(manifest.fields)})
    return row


def restore_shipped(sha256: str) -> bool:
    """Put a shipped template back into the blob store if it is missing there (e.g. a
    database restored or copied without its blobs). True when the blob is present."""
    store = blob_store()
    if store.exists(sha256):
        return True
    docx = _shipped_docx().get(sha256)
    if docx is None:
        return False
    store.put(BytesIO(docx))
    return True


@functools.cache
def _shipped_docx() -> dict[str, bytes]:
    """The .docx of every shipped template version by SHA-256 (read once a process)."""
    root = contract_templates.standard_template_dir()
    shipped = (contract_templates.load_version(root / name)
               for name in contract_templates.list_versions(root))
    return {version.sha256: version.docx_bytes for version in shipped}


def ensure_standard_template() -> list[str]:
    """Import the shipped standard template as version 1 when no version is stored;
    restore the blobs of stored shipped versions that the store lacks."""
    rows = versions()
    if rows:
        missing = [row.version for row in rows if not restore_shipped(row.sha256)]
        return [f"合同模板第 {n} 版的文件在文件库中缺失，请从备份恢复。" for n in missing]
    shipped = contract_templates.latest_version()
    manifest = shipped.manifest.model_copy(update={"version": "v1"})
    store_version(shipped.docx_bytes, manifest, actor_name="system",
                  notes="随系统发布的通用样本")
    return [f"已导入聘任合同通用样本（{manifest.version}）。"]


def init_hook(app: Flask) -> list[str]:
    """``govcounsel init`` step (in the app context and its own unit of work): make sure a
    template exists."""
    return ensure_standard_template()
