"""系统设置 → 文书字段: the custom metadata fields admins add per document type.

A new field appears at once in the upload and edit forms, the document list's filters
and export, ``GET/POST /api/v1/documents`` and its OpenAPI description, the audit
trail and (text marked 参与全文检索) the indexed text — see ``webapp.documents.registry``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import policy, transaction
from ..documents import custom
from ..errors import ValidationFailed
from ..forms import Form, Input
from ..messages import LABELS, notice
from ..validation import parse
from .views import bp

NAMES = LABELS["document_field"]
INPUTS = (
    Input("name", NAMES["name"], required=True, attrs={"maxlength": "32"}),
    Input("label", NAMES["label"], required=True, attrs={"maxlength": "64"}),
    Input("kind", NAMES["kind"], "select", lambda: LABELS["field_kind"].items(), required=True),
    Input("doc_types", NAMES["doc_types"], "multiselect", lambda: LABELS["doc_type"].items()),
    Input("choices", NAMES["choices"], "textarea"),
    Input("required", NAMES["required"], "checkbox"),
    Input("filterable", NAMES["filterable"], "checkbox"),
    Input("searchable", NAMES["searchable"], "checkbox"),
    Input("exported", NAMES["exported"], "checkbox"),
)


@bp.route("/fields", methods=["GET", "POST"])
@login_required
def fields():
    """The custom document fields and the form to add one."""
    policy.require(current_user, "settings.manage")
    form = Form(INPUTS, defaults={"filterable": True, "exported": True})
    status = 200
    if form.submitted:
        try:
            row = custom.create(parse(custom.CustomFieldIn, form.data))
        except ValidationFailed as exc:
            transaction.fail()
            form.show_errors(exc.fields)
            status = 422
        else:
            flash(notice("document_field_created", label=row.label), "success")
            return redirect(url_for(".fields"), 303)
    return render_template("admin_settings/fields.html", form=form, rows=custom.all_rows()), status


@bp.route("/fields/<int:field_id>/<any(deactivate,reactivate):op>", methods=["POST"])
@login_required
def field_state(field_id: int, op: str):
    """Deactivate (values kept) or reactivate a custom field."""
    policy.require(current_user, "settings.manage")
    row = custom.set_active(field_id, op == "reactivate")
    flash(notice(f"document_field_{op}d", label=row.label), "success")
    return redirect(url_for(".fields"), 303)
