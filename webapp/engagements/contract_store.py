"""Contract template versions in the database and the blob store, per kind.

A :class:`~webapp.models.ContractTemplate` row holds its kind (``standard``,
``individual``, ``special``, ``supplement``), the manifest (JSON) and the SHA-256
of the .docx, which lives in the blob store like every other file; versions are
numbered per kind. The ``contract_templates`` library checks and renders; this
module only stores, finds and loads versions. ``init`` (and every start) imports
the shipped versions a database lacks (:func:`ensure_shipped_templates`): a
deployment on the shipped standard v1 gets v2 as its active standard version,
and v1 stays for regenerating the contracts made with it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO

from flask import Flask
from sqlalchemy import func, select, update

import contract_templates
from contract_templates import Manifest, Problem, get_kind, parse_manifest
from contract_templates.kinds import DEFAULT_KIND

from ..audit import services as audit
from ..documents.intake import blob_store, incoming
from ..errors import DomainError
from ..extensions import db
from ..messages import error_text
from ..models import ContractTemplate, User

_LOADED: dict[str, tuple[bytes, Manifest]] = {}


@dataclass(frozen=True)
class LoadedTemplate:
    """A stored version ready to render: its row id and number, .docx bytes and manifest."""

    id: int
    version: int
    docx: bytes
    manifest: Manifest


def active_template(kind: str = DEFAULT_KIND) -> ContractTemplate:
    """The version new contracts of ``kind`` use: its newest active one."""
    row = db.session.execute(select(ContractTemplate).where(
        ContractTemplate.kind == kind, ContractTemplate.active.is_(True))
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


def versions(kind: str | None = None) -> list[ContractTemplate]:
    """Every stored version (of ``kind``, or of all kinds), newest first."""
    stmt = select(ContractTemplate).order_by(ContractTemplate.kind,
                                             ContractTemplate.version.desc())
    if kind is not None:
        stmt = stmt.where(ContractTemplate.kind == kind)
    return list(db.session.execute(stmt).scalars())


def next_version_number(kind: str = DEFAULT_KIND) -> int:
    """The number the next accepted version of ``kind`` gets."""
    current = db.session.execute(select(func.max(ContractTemplate.version)).where(
        ContractTemplate.kind == kind)).scalar_one()
    return (current or 0) + 1


def webapp_problems(manifest: Manifest) -> list[Problem]:
    """What the webapp itself needs from a manifest: the fields of its kind that it fills
    or reads back."""
    problems = []
    for name, kind in get_kind(manifest.kind).required_fields.items():
        spec = manifest.field(name)
        if spec is None or spec.type != kind:
            problems.append(Problem("template_required_field",
                                    error_text("template_required_field", name=name, type=kind),
                                    subject=name))
    return problems


def check_upload(docx_bytes: bytes, manifest_data: bytes | str, clauses=None
                 ) -> tuple[Manifest | None, list[Problem]]:
    """Check an uploaded version; the manifest gets the next version name of its kind.

    Returns the manifest (``None`` when it does not parse) and every problem: the
    library's file, block, clause (``clauses``: the clause library) and sample
    checks plus :func:`webapp_problems`.
    """
    try:
        manifest = parse_manifest(manifest_data)
    except contract_templates.ManifestError as exc:
        return None, [Problem(exc.code, exc.message)]
    number = next_version_number(manifest.kind)
    manifest = manifest.model_copy(update={"version": f"v{number}"})
    _, problems = contract_templates.check_upload(docx_bytes, manifest, clauses)
    return manifest, problems + webapp_problems(manifest)


def blocking(problems: list[Problem]) -> bool:
    """True when any problem is an error (warnings do not block acceptance)."""
    return any(p.severity == "error" for p in problems)


def store_version(docx_bytes: bytes, manifest: Manifest, *, actor: User | None = None,
                  notes: str | None = None, actor_name: str | None = None,
                  active: bool = True) -> ContractTemplate:
    """Store a checked version and (unless ``active`` is false) make it the active one of
    its kind (flush only).

    The blob goes into the store through the unit of work (``intake.incoming``), which
    removes it again if the unit of work rolls back and nothing else references it.
    """
    number = int(manifest.version.lstrip("v"))
    digest = incoming().put_bytes(docx_bytes)
    if active:
        db.session.execute(update(ContractTemplate).where(ContractTemplate.kind == manifest.kind)
                           .values(active=False))
    row = ContractTemplate(kind=manifest.kind, version=number, name=manifest.title,
                           sha256=digest, manifest=manifest.to_dict(), active=active,
                           notes=notes, uploaded_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    audit.record("contract_template_accepted", object_type="contract_template",
                 object_id=row.id, actor=actor, actor_name=actor_name,
                 detail={"kind": manifest.kind, "version": manifest.version, "sha256": digest,
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
    """The .docx of every shipped template version of every kind by SHA-256."""
    return {version.sha256: version.docx_bytes
            for kind in contract_templates.kind_codes() for version in _shipped(kind)}


def _shipped(kind: str) -> list[contract_templates.TemplateVersion]:
    root = contract_templates.get_kind(kind).directory
    return [contract_templates.load_version(root / name)
            for name in contract_templates.list_versions(root)]


def _import_shipped(kind: str) -> list[str]:
    """Store the shipped versions of ``kind`` newer than the newest one stored.

    The newest imported becomes active when the active version is a shipped one (or
    there is none); an admin's own active upload stays active.
    """
    rows = versions(kind)
    shipped = _shipped(kind)
    stored = {row.sha256 for row in rows}
    known = [i for i, version in enumerate(shipped) if version.sha256 in stored]
    todo = shipped[known[-1] + 1:] if known else shipped
    active = [row for row in rows if row.active]
    take_over = not active or active[0].sha256 in {v.sha256 for v in shipped}
    notes = []
    for index, version in enumerate(todo):
        number = next_version_number(kind)
        manifest = version.manifest.model_copy(update={"version": f"v{number}"})
        last = index == len(todo) - 1
        store_version(version.docx_bytes, manifest, actor_name="system",
                      notes=f"随系统发布的{manifest.title}（{version.version}）",
                      active=take_over and last)
        db.session.flush()
        notes.append(f"已导入{contract_templates.get_kind(kind).label}合同模板第 {number} 版"
                     f"（{manifest.title}）。")
    return notes


def ensure_shipped_templates() -> list[str]:
    """Restore missing blobs of stored shipped versions and import the shipped versions of
    every kind that the database lacks (see :func:`_import_shipped`)."""
    missing = [f"{row.kind} {row.version}" for row in versions()
               if not restore_shipped(row.sha256)]
    notes = [f"合同模板 {n} 版的文件在文件库中缺失，请从备份恢复。" for n in missing]
    for kind in contract_templates.kind_codes():
        notes += _import_shipped(kind)
    return notes


def init_hook(app: Flask) -> list[str]:
    """``govcounsel init`` step (in the app context and its own unit of work): make sure
    every kind has its shipped templates, and the clause library the clauses they offer."""
    from . import clause_library

    return ensure_shipped_templates() + clause_library.ensure_seeded()
