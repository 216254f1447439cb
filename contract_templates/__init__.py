"""Contract templates: the standard 聘任合同 template, its field manifest and the renderer.

A plain library (no Flask). Typical use by the webapp::

    from contract_templates import latest_version, render, validate_values

    version = latest_version()                      # standard template, newest version
    clean, errors = validate_values(version.manifest, form_values)
    docx_bytes = render(version.docx_bytes, version.manifest, form_values,
                        created=engagement.created_at)

Placeholder syntax: see :mod:`contract_templates.placeholders`; manifest format:
see :mod:`contract_templates.manifest`.
"""

from .errors import (
    ContractTemplateError,
    InvalidValuesError,
    ManifestError,
    MissingValueError,
    Problem,
    RenderError,
    TemplateFileError,
    TemplateRejected,
    TemplateSyntaxError,
    VersionExistsError,
)
from .formatting import cn_number, format_date, format_money, money_upper
from .manifest import FieldSpec, Manifest, load_manifest, parse_manifest
from .placeholders import check_template, find_placeholders
from .registry import (
    TemplateVersion,
    accept_upload,
    accept_version,
    check_upload,
    latest_version,
    list_versions,
    load_version,
    next_version,
    standard_template_dir,
    store_version,
    version_number,
)
from .renderer import render
from .values import check_values, dump_values, validate_values

__all__ = [
    "ContractTemplateError", "FieldSpec", "InvalidValuesError", "Manifest", "ManifestError",
    "MissingValueError", "Problem", "RenderError", "TemplateFileError", "TemplateRejected",
    "TemplateSyntaxError", "TemplateVersion", "VersionExistsError", "accept_upload",
    "accept_version",
    "check_template", "check_upload", "check_values", "cn_number", "dump_values",
    "find_placeholders", "format_date", "format_money", "latest_version", "list_versions",
    "load_manifest", "load_version", "money_upper", "next_version", "parse_manifest",
    "render", "standard_template_dir", "store_version", "validate_values", "version_number",
]
