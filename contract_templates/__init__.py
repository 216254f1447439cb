"""Contract templates: kinds, versioned templates with field manifests, the renderer,
paragraph blocks and optional clauses, sample previews, and redlines.

A plain library (no Flask, no imports of the webapp's other libraries). What the
webapp calls, feature by feature:

Template kinds (:mod:`.kinds`, :mod:`.registry`)::

    list_kinds()                     # [Kind(code, label, party, default_pattern,
                                     #       required_fields, base_fields), …]
    shipped_versions("individual")   # ["v1"]
    latest_shipped("special")        # TemplateVersion(version, docx_bytes, manifest, sha256)
    version.kind                     # = version.manifest.kind

Generating a contract (:mod:`.values`, :mod:`.renderer`)::

    clean, errors = validate_values(version.manifest, form_values)   # errors: Chinese
    docx_bytes = render(version.docx_bytes, version.manifest, form_values,
                        created=engagement.created_at, clauses=chosen_clauses)

Blocks and clauses (:mod:`.blocks`, :mod:`.clauses`): ``{% if field %}``,
``{% if not field %}``, ``{% if field == "value" %}``, ``{% elif … %}``,
``{% else %}``, ``{% endif %}`` and ``{% clause name %}``, each a paragraph of its
own; clauses are :class:`Clause` (name, version, title, text) supplied by the
caller; :func:`check_clause` when the admin saves one.

Uploading a version (:mod:`.registry`, :mod:`.preview`)::

    manifest, problems = check_upload(docx_bytes, manifest_json, clauses=library)
    result = preview(docx_bytes, manifest, clauses=library)   # result.ok / .docx / .problems

Redlines (:mod:`.redline`, :mod:`.redline_html`, :mod:`.redline_docx`)::

    redline = compare(old_docx, new_docx)          # or compare_with_template(…)
    html = to_html(redline, only_changes=True)
    data = tracked_docx(old_docx, new_docx, author=user_name, date=now)

Placeholder syntax: see :mod:`contract_templates.placeholders`; manifest format:
see :mod:`contract_templates.manifest` and :mod:`contract_templates.rules`.
"""

from .clauses import Clause, check_clause, check_clause_for
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
from .kinds import Kind, get_kind, kind_codes, list_kinds
from .manifest import FieldSpec, Manifest, load_manifest, parse_manifest
from .placeholders import check_template, find_placeholders
from .preview import PreviewResult, preview, sample_problems
from .redline import Change, Redline, Segment, compare, compare_with_template
from .redline_docx import tracked_docx
from .redline_html import to_html
from .registry import (
    TemplateVersion,
    accept_upload,
    accept_version,
    check_upload,
    latest_shipped,
    latest_version,
    library_problems,
    list_versions,
    load_version,
    next_version,
    shipped_versions,
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
    "Change", "Clause", "Kind", "PreviewResult", "Redline", "Segment", "check_clause",
    "check_clause_for", "compare", "compare_with_template", "get_kind", "kind_codes",
    "latest_shipped", "library_problems", "list_kinds", "preview", "sample_problems",
    "shipped_versions", "to_html", "tracked_docx",
]
