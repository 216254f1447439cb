"""Errors of the contract template package: each carries a stable ``code``.

The webapp maps ``code`` to an HTTP status and shows ``message`` (Chinese) to
the user; nothing here knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .messages import text

TEMPLATE_CORRUPT = "template_corrupt"
TEMPLATE_ENCRYPTED = "template_encrypted"
TEMPLATE_NOT_DOCX = "template_not_docx"
TEMPLATE_TOO_LARGE = "template_too_large"
PLACEHOLDER_UNKNOWN = "placeholder_unknown"
FIELD_UNUSED = "field_unused"
SYNTAX_ERROR = "syntax_error"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template: ``code``, Chinese ``message`` and where it is.

    ``severity`` is ``"error"`` (the template must not be used) or ``"warning"``
    (an optional manifest field that the template never prints).
    """

    code: str
    message: str
    subject: str | None = None
    where: str | None = None
    severity: str = "error"


class ContractTemplateError(Exception):
    """Base class: a refusal with a stable ``code`` and a Chinese ``message``."""

    code = "contract_template_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(message)


class TemplateFileError(ContractTemplateError):
    """The template is not a usable .docx (corrupt, encrypted, another format, too large)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(text(code, **params), code=code)

    def as_problem(self) -> Problem:
        """The same refusal as a :class:`Problem` for :func:`check_template`."""
        return Problem(self.code, self.message)


class ManifestError(ContractTemplateError):
    """A field manifest that does not describe fields correctly."""

    code = "manifest_invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(text("manifest_invalid", detail=detail))


class TemplateSyntaxError(ContractTemplateError):
    """The template holds markup the renderer does not understand or cannot fill."""

    code = SYNTAX_ERROR

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in self.problems))


class MissingValueError(ContractTemplateError):
    """Values needed by the template are missing; ``fields`` lists their names."""

    code = "missing_value"

    def __init__(self, fields: Iterable[str], labels: Mapping[str, str]) -> None:
        self.fields = list(fields)
        names = "、".join(labels.get(name, name) for name in self.fields)
        super().__init__(text("missing_value", labels=names))


class InvalidValuesError(ContractTemplateError):
    """Values failed validation; ``errors`` maps field paths to Chinese messages."""

    code = "invalid_values"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(text("invalid_values", summary="；".join(self.errors.values())))


class RenderError(ContractTemplateError):
    """Rendering produced something unsafe to hand out (e.g. leftover markup)."""

    code = "render_failed"


class TemplateRejected(ContractTemplateError):
    """An uploaded template version failed :func:`check_template`."""

    code = "template_rejected"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        summary = "；".join(p.message for p in self.problems if p.severity == "error")
        super().__init__(text("template_rejected", summary=summary))


class VersionExistsError(ContractTemplateError):
    """A template version with this name is already stored."""

    code = "version_exists"

    def __init__(self, version: str) -> None:
        super().__init__(text("version_exists", version=version))
