"""Render a template version with its manifest's sample values, before it is activated.

The admin uploads a version; :func:`preview` renders it with ``manifest.sample``
(and every offered clause the caller's library holds) and says whether that
worked, so a version that cannot produce a contract is refused at upload::

    result = preview(docx_bytes, manifest, clauses=library)
    if result.ok:
        show(result.docx)            # e.g. converted to PDF for the admin
    else:
        show(result.problems)        # Chinese messages (sample_*, or the template's own)

:func:`sample_problems` is the same check as a list of problems for
:func:`~contract_templates.registry.check_upload`: a missing ``sample`` is a
warning (older manifests have none), a sample that fails is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .clauses import Clause, as_mapping
from .errors import (
    ContractTemplateError,
    InvalidValuesError,
    MissingValueError,
    Problem,
    TemplateSyntaxError,
)
from .manifest import Manifest
from .messages import text
from .renderer import render

PREVIEW_TIME = datetime(2000, 1, 1)
"""Created/modified time stamped into previews, so a preview is reproducible."""


@dataclass(frozen=True)
class PreviewResult:
    """Outcome of a preview: the rendered .docx when ``ok``, else the ``problems``."""

    ok: bool
    docx: bytes | None = None
    problems: list[Problem] = field(default_factory=list)


def offered_clauses(manifest: Manifest,
                    clauses: Mapping[str, Clause] | Iterable[Clause] | None) -> dict[str, Clause]:
    """The caller's clauses that this template offers (the ones a preview shows)."""
    return {name: clause for name, clause in as_mapping(clauses).items()
            if manifest.clause_slot(name) is not None}


def preview(template: bytes, manifest: Manifest,
            clauses: Mapping[str, Clause] | Iterable[Clause] | None = None) -> PreviewResult:
    """Render ``template`` with ``manifest.sample``; report why when that fails."""
    if manifest.sample is None:
        return PreviewResult(False, problems=[Problem("sample_missing", text("sample_missing"))])
    try:
        data = render(template, manifest, manifest.sample, created=PREVIEW_TIME,
                      clauses=offered_clauses(manifest, clauses))
    except InvalidValuesError as exc:
        summary = "；".join(exc.errors.values())
        return PreviewResult(False, problems=[_problem("sample_invalid", summary=summary)])
    except MissingValueError as exc:
        return PreviewResult(False, problems=[_problem("sample_render_failed",
                                                       detail=exc.message)])
    except TemplateSyntaxError as exc:
        return PreviewResult(False, problems=exc.problems)
    except ContractTemplateError as exc:
        return PreviewResult(False, problems=[_problem("sample_render_failed",
                                                       detail=exc.message)])
    return PreviewResult(True, data)


def _problem(code: str, **params: str) -> Problem:
    return Problem(code, text(code, **params), "sample")


def sample_problems(template: bytes, manifest: Manifest,
                    clauses: Mapping[str, Clause] | Iterable[Clause] | None = None
                    ) -> list[Problem]:
    """Problems of the sample rendering: ``[]``; a warning when the manifest has no
    sample; errors when the sample values are invalid or rendering them fails."""
    result = preview(template, manifest, clauses)
    if result.ok:
        return []
    if manifest.sample is None:
        return [Problem(p.code, p.message, p.subject, severity="warning")
                for p in result.problems]
    return result.problems
