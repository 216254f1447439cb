"""Template versions on disk: load the standard one, accept and store new ones.

A version is a directory ``<root>/<version>/`` holding ``template.docx`` and
``manifest.json``; a stored version is never changed or overwritten (a generated
contract records the version and the template's SHA-256, so they must stay
reproducible). The webapp accepts an upload with :func:`accept_version`, which
checks it with :func:`~contract_templates.placeholders.check_template` first.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .clauses import Clause, as_mapping, check_clause_for
from .errors import Problem, TemplateRejected, VersionExistsError
from .kinds import DEFAULT_KIND, get_kind
from .manifest import Manifest, load_manifest, parse_manifest
from .messages import text
from .placeholders import check_template
from .preview import sample_problems

TEMPLATE_FILE = "template.docx"
MANIFEST_FILE = "manifest.json"
_VERSION = re.compile(r"^v([1-9][0-9]{0,5})$")


@dataclass(frozen=True)
class TemplateVersion:
    """One stored template version: its name, .docx bytes, manifest and fingerprint."""

    version: str
    docx_bytes: bytes
    manifest: Manifest
    sha256: str

    @property
    def template(self) -> str:
        """The template family (``standard``)."""
        return self.manifest.template

    @property
    def kind(self) -> str:
        """The kind of contract (:mod:`contract_templates.kinds`): ``standard``, …"""
        return self.manifest.kind


def standard_template_dir() -> Path:
    """Directory holding the versions of the bureau's standard template (通用样本)."""
    return get_kind(DEFAULT_KIND).directory


def load_version(directory: str | Path) -> TemplateVersion:
    """Read the version stored in ``directory`` (``…/standard/v1``)."""
    directory = Path(directory)
    manifest = load_manifest(directory / MANIFEST_FILE)
    data = (directory / TEMPLATE_FILE).read_bytes()
    return TemplateVersion(manifest.version, data, manifest, hashlib.sha256(data).hexdigest())


def list_versions(root: str | Path) -> list[str]:
    """Names of the versions stored under ``root``, oldest first (``v1``, ``v2``, …)."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir()
             if _VERSION.match(p.name) and (p / TEMPLATE_FILE).is_file()]
    return sorted(found, key=version_number)


def latest_version(root: str | Path | None = None) -> TemplateVersion:
    """The newest version under ``root`` (default: the standard template)."""
    root = Path(root) if root is not None else standard_template_dir()
    versions = list_versions(root)
    if not versions:
        raise FileNotFoundError(f"no template version under {root}")
    return load_version(root / versions[-1])


def next_version(root: str | Path) -> str:
    """The name the next stored version gets (``v1`` when there is none)."""
    versions = list_versions(root)
    return f"v{version_number(versions[-1]) + 1}" if versions else "v1"


def shipped_versions(kind: str) -> list[str]:
    """Names of the versions shipped for ``kind`` (``["v1", "v2"]``), oldest first."""
    return list_versions(get_kind(kind).directory)


def latest_shipped(kind: str = DEFAULT_KIND) -> TemplateVersion:
    """The newest shipped version of ``kind``."""
    return latest_version(get_kind(kind).directory)


def check_upload(docx_bytes: bytes, manifest: Manifest | str | bytes | dict,
                 clauses: Mapping[str, Clause] | Iterable[Clause] | None = None
                 ) -> tuple[Manifest, list[Problem]]:
    """Parse the manifest and check the uploaded template against it: markup, blocks and
    fields (:func:`check_template`), the offered clauses the caller's library holds
    (their placeholders must be this manifest's fields; an offered clause missing from
    a given library is an error), then a rendering with the manifest's sample values
    (:func:`~contract_templates.preview.sample_problems`) when nothing else is wrong."""
    if not isinstance(manifest, Manifest):
        manifest = parse_manifest(manifest)
    problems = check_template(docx_bytes, manifest)
    if clauses is not None:
        problems += library_problems(manifest, as_mapping(clauses))
    if not any(problem.severity == "error" for problem in problems):
        problems += sample_problems(docx_bytes, manifest, clauses)
    return manifest, problems


def library_problems(manifest: Manifest, library: Mapping[str, Clause]) -> list[Problem]:
    """Offered clauses the library lacks, and problems of those it holds."""
    problems: list[Problem] = []
    for slot in manifest.clauses:
        clause = library.get(slot.name)
        if clause is None:
            problems.append(Problem("clause_not_in_library", text(
                "clause_not_in_library", name=slot.name, label=slot.label), slot.name))
        else:
            problems.extend(check_clause_for(clause, manifest))
    return problems


def accept_upload(docx_bytes: bytes, manifest: Manifest | str | bytes | dict,
                  clauses: Mapping[str, Clause] | Iterable[Clause] | None = None
                  ) -> TemplateVersion:
    """Check an uploaded template against its manifest without storing it.

    For callers that keep templates elsewhere (the webapp's blob store and
    database): returns the :class:`TemplateVersion` to store, or raises
    :class:`TemplateRejected` (warnings do not block) or ``ManifestError``.
    """
    parsed, problems = check_upload(docx_bytes, manifest, clauses)
    if any(problem.severity == "error" for problem in problems):
        raise TemplateRejected(problems)
    return TemplateVersion(parsed.version, docx_bytes, parsed,
                           hashlib.sha256(docx_bytes).hexdigest())


def version_number(version: str) -> int:
    """``"v2"`` -> ``2``, for callers that number versions with integers."""
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"not a template version name: {version!r}")
    return int(match.group(1))


def store_version(root: str | Path, docx_bytes: bytes, manifest: Manifest) -> TemplateVersion:
    """Write a checked version atomically under ``root/<manifest.version>``.

    The files are written to a temporary directory, flushed to disk and then
    renamed into place; an existing version is never replaced.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    target = root / manifest.version
    if target.exists():
        raise VersionExistsError(manifest.version)
    staging = Path(tempfile.mkdtemp(prefix=f".{manifest.version}-", dir=root))
    try:
        _write_synced(staging / TEMPLATE_FILE, docx_bytes)
        _write_synced(staging / MANIFEST_FILE, manifest.to_json().encode("utf-8"))
        try:
            staging.rename(target)
        except OSError as exc:
            raise VersionExistsError(manifest.version) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _fsync_dir(root)
    return load_version(target)


def accept_version(root: str | Path, docx_bytes: bytes,
                   manifest: Manifest | str | bytes | dict,
                   clauses: Mapping[str, Clause] | Iterable[Clause] | None = None
                   ) -> TemplateVersion:
    """Check an uploaded template version and store it, or raise :class:`TemplateRejected`.

    Warnings (an optional field the template does not print) do not block; any
    error does.
    """
    checked = accept_upload(docx_bytes, manifest, clauses)
    return store_version(root, checked.docx_bytes, checked.manifest)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
