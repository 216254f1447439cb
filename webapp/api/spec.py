"""API routes that describe themselves: the OpenAPI 3 document is generated from them.

``api_route`` registers a view on the API blueprint together with its query model,
body model and response model (pydantic) — or a function returning one, for models
built from data of the moment (the document fields, which admins extend).
``build_spec`` turns the registry into ``/api/v1/openapi.json``, so the description
cannot drift from the code. Every integer is described with the database's INTEGER
range, which ``parse`` and the URL converter enforce on input.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint
from pydantic import BaseModel

from ..messages import PRODUCT_NAME
from ..validation import MAX_DB_INT, MIN_DB_INT

ERROR_STATUSES = {400: "请求无效", 401: "未登录或令牌无效", 403: "无权限", 404: "不存在",
                  409: "冲突", 413: "文件过大", 415: "文件类型不支持", 422: "字段校验失败"}


class ErrorBody(BaseModel):
    """The body of every error: a code, a Chinese message, and per-field messages."""

    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorResponse(BaseModel):
    """``{"error": {...}}``."""

    error: ErrorBody


ModelRef = type[BaseModel] | Callable[[], type[BaseModel]]


def resolve(ref: Any) -> Any:
    """A model (or multipart schema) given directly or by a function that builds it."""
    if ref is None or isinstance(ref, dict | type):
        return ref
    return ref()


@dataclass
class Operation:
    """One documented endpoint."""

    method: str
    rule: str
    summary: str
    endpoint: str
    query: ModelRef | None = None
    body: ModelRef | None = None
    multipart: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    response: ModelRef | None = None
    content_type: str | tuple[str, ...] = "application/json"
    status: int = 200
    errors: tuple[int, ...] = (400, 401, 403, 404, 422)
    path_params: dict[str, str] = field(default_factory=dict)


REGISTRY: list[Operation] = []


def api_route(bp: Blueprint, rule: str, method: str = "GET", *, summary: str,
              query: ModelRef | None = None, body: ModelRef | None = None,
              multipart: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
              response: ModelRef | None = None,
              content_type: str | tuple[str, ...] = "application/json", status: int = 200,
              errors: tuple[int, ...] = (400, 401, 403, 404, 422)) -> Callable:
    """Register a view on ``bp`` and describe it in the OpenAPI document.

    ``content_type`` may name several media types (a file served with its real type).
    """

    def decorate(view: Callable) -> Callable:
        REGISTRY.append(Operation(method=method, rule=bp.url_prefix + rule, summary=summary,
                                  endpoint=f"{bp.name}.{view.__name__}", query=query,
                                  body=body, multipart=multipart, response=response,
                                  content_type=content_type, status=status, errors=errors))
        return bp.route(rule, methods=[method])(view)

    return decorate


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for converter, name in _PARAM.findall(rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_DB_INT} \
            if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(r"{\2}", rule), params


def _bound_integers(node: Any) -> Any:
    """Give every integer of a schema the database's INTEGER range (in place)."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", MIN_DB_INT)
            node.setdefault("maximum", MAX_DB_INT)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)
    return node


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = _bound_integers(model.model_json_schema(ref_template="#/components/schemas/{model}"))
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_params(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _bound_integers(model.model_json_schema(ref_template="#/components/schemas/{model}"))
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def _operation(op: Operation, components: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    path, params = _openapi_path(op.rule)
    if op.query is not None:
        params += _query_params(resolve(op.query), components)
    error_ref = _schema_ref(ErrorResponse, components)
    responses: dict[str, Any] = {}
    media_types = (op.content_type,) if isinstance(op.content_type, str) else op.content_type
    body = _schema_ref(resolve(op.response), components) if op.response is not None else \
        {"type": "string", "format": "binary"}
    content = {media: {"schema": body} for media in media_types}
    responses[str(op.status)] = {"description": "成功", "content": content}
    for status in op.errors:
        responses[str(status)] = {"description": ERROR_STATUSES.get(status, "错误"),
                                  "content": {"application/json": {"schema": error_ref}}}
    spec: dict[str, Any] = {"summary": op.summary, "operationId": op.endpoint,
                            "parameters": params, "responses": responses}
    if op.body is not None:
        spec["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _schema_ref(resolve(op.body), components)}}}
    if op.multipart is not None:
        spec["requestBody"] = {"required": True, "content": {
            "multipart/form-data": {"schema": _bound_integers(copy.deepcopy(
                resolve(op.multipart)))}}}
    return path, spec


def build_spec() -> dict[str, Any]:
    """The OpenAPI 3.0 document of every registered API route."""
    components: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for op in REGISTRY:
        path, spec = _operation(op, components)
        paths.setdefault(path, {})[op.method.lower()] = spec
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{PRODUCT_NAME} API", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
        "security": [{"bearer": []}, {"session": []}],
    }
