"""API: upload, list, show and download documents."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from document_store import MEDIA_TYPES

from .. import transaction
from ..documents import duplicates, idempotency, services
from ..documents.downloads import FileQuery, file_response
from ..documents.present import document_out, list_model, out_model
from ..documents.queries import list_statement
from ..documents.schemas import current, list_query_model, meta_model
from ..documents.storage import open_version
from ..errors import DomainError
from ..listing import paginate
from ..policy import require
from ..validation import parse, parse_query
from . import bp
from .spec import api_route

FILE_MEDIA_TYPES = tuple(dict.fromkeys(MEDIA_TYPES.values()))


def upload_form() -> dict:
    """The multipart body of an upload: the file and the metadata fields of the moment."""
    meta = current(meta_model).model_json_schema()
    choice = duplicates.DuplicateChoice.model_json_schema()["properties"]
    return {"type": "object", "required": ["file", *meta.get("required", [])],
            "properties": {"file": {"type": "string", "format": "binary"},
                           **meta["properties"], **choice}}


@api_route(bp, "/documents", "POST", summary="上传并登记一份文书", multipart=upload_form,
           response=lambda: current(out_model), status=201,
           errors=(400, 401, 403, 409, 413, 415, 422))
def create_document():
    """Upload one file with its metadata; 201 with registration number and SHA-256.

    A file already registered for the agency answers 409 with ``existing`` (its id,
    registration number and title) unless ``allow_duplicate`` and ``duplicate_reason``
    are sent. With an ``Idempotency-Key`` header a repeated request of the same user
    answers as the first did and registers nothing."""
    require(current_user, "document.create")
    key = idempotency.key_from(request.headers.get(idempotency.HEADER))
    if (earlier := idempotency.replay(current_user, key)) is not None:
        return jsonify(document_out(earlier, with_versions=True).model_dump(mode="json")), 201
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("no_file", status=400)
    form = {k: v for k, v in request.form.items() if k != "file"}
    choice = duplicates.choice_from(form)
    meta = parse(current(meta_model), form)
    try:
        doc = services.create_document(current_user, meta, upload.stream, upload.filename,
                                       duplicate=choice)
    except duplicates.DuplicateDocument as exc:
        transaction.fail()
        return jsonify({"error": {"code": exc.code, "message": exc.message,
                                  "existing": duplicates.summary(exc.existing)}}), 409
    idempotency.remember(current_user, key, doc)
    return jsonify(document_out(doc, with_versions=True).model_dump(mode="json")), 201


@api_route(bp, "/documents", summary="文书列表（按权限、筛选、分页）",
           query=lambda: current(list_query_model), response=lambda: current(list_model),
           errors=(401, 422))
def list_documents():
    """Documents the caller may view, filtered (also by custom fields) and paged."""
    q = parse_query(current(list_query_model))
    page = paginate(list_statement(current_user, q), q.page, q.per_page)
    return jsonify(current(list_model)(total=page.total, page=q.page, per_page=q.per_page,
                                       items=[document_out(d) for d in page.items]
                                       ).model_dump(mode="json"))


@api_route(bp, "/documents/<int:doc_id>", summary="文书详情",
           response=lambda: current(out_model),
           errors=(401, 403, 404))
def get_document(doc_id: int):
    """All metadata, registration number, SHA-256, assessment link, versions."""
    doc = services.get_visible(current_user, doc_id)
    services.record_access(current_user, doc, "view")
    return jsonify(document_out(doc, with_versions=True).model_dump(mode="json"))


@api_route(bp, "/documents/<int:doc_id>/file", summary="下载文书原件（当前或指定版本）",
           query=FileQuery, content_type=FILE_MEDIA_TYPES, errors=(401, 403, 404, 422))
def get_document_file(doc_id: int):
    """The original file of the current (or ``?version=N``) version, as an attachment, with
    its real media type (text in its own charset) and a name whose extension matches it."""
    doc = services.get_visible(current_user, doc_id)
    version, stream = open_version(doc, parse_query(FileQuery).version)
    services.record_access(current_user, doc, "download", version.version_no)
    return file_response(version, stream)
