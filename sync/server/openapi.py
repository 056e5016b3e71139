"""The OpenAPI document, exact by construction: read off what each route depends on.

FastAPI documents what it parses itself; the bodies this server reads on its own (to check the
token first, bound the size and time, unzip) and the refusals its dependencies raise would be
missing. They are derived here from the dependencies, so a route cannot forget one:

- a ``BodyReader`` reads a JSON body: required, its model; 400, 408, 409 (protocol), 413;
- a ``RawBody`` reads bytes (a piece of a file): required, ``application/octet-stream``;
  408, 413;
- an ``Authenticator`` asks for the bearer token: the ``bearer`` security scheme; 401;
- a path parameter with a pattern or bounds: 400 when it does not meet them;
- every ``/v1`` route uses the database: 503 when it is too busy (repeat after Retry-After).

Refusals particular to a route (404, 422, 429…) are declared on the route itself.
"""

import json
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from sync.protocol import ErrorBody
from sync.server.http_auth import Authenticator
from sync.server.http_io import BodyReader, RawBody

BEARER = "bearer"
_ERROR_REF = {"$ref": f"#/components/schemas/{ErrorBody.__name__}"}


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document (built once, then kept on the app)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {})
        models = components.setdefault("schemas", {})
        _add_model(models, ErrorBody)
        components["securitySchemes"] = {
            BEARER: {
                "type": "http",
                "scheme": "bearer",
                "description": "El token que entrega POST /v1/login.",
            }
        }
        for route in app.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                for method in route.methods or ():
                    operation = schema["paths"][route.path_format][method.lower()]
                    _complete(operation, route, models)
        _drop_unused(models, schema)
        app.openapi_schema = schema
    return app.openapi_schema


def _complete(operation: dict[str, Any], route: APIRoute, models: dict[str, Any]) -> None:
    """Add the body, the security and the refusals that ``route``'s dependencies imply."""
    refusals: set[int] = set()
    for dependency in _dependencies(route.dependant):
        call = dependency.call
        if isinstance(call, BodyReader):
            _add_model(models, call.model)
            operation["requestBody"] = _body(
                "application/json", {"$ref": f"#/components/schemas/{call.model.__name__}"}
            )
            refusals |= {400, 408, 409, 413}
        elif isinstance(call, RawBody):
            binary = {"type": "string", "format": "binary", "maxLength": call.limit}
            operation["requestBody"] = _body("application/octet-stream", binary)
            refusals |= {408, 413}
        elif isinstance(call, Authenticator):
            operation["security"] = [{BEARER: []}]
            refusals.add(401)
    if route.dependant.path_params:
        refusals.add(400)
    if route.path_format.startswith("/v1/"):
        refusals.add(503)
    responses = operation.setdefault("responses", {})
    if not _declares(route, 422):  # FastAPI's own: this server answers those with 400
        responses.pop("422", None)
    for status in sorted(refusals):
        responses.setdefault(str(status), _refusal(status))


def _drop_unused(models: dict[str, Any], schema: dict[str, Any]) -> None:
    """Drop FastAPI's validation-error models once no route refers to them."""
    for name in ("HTTPValidationError", "ValidationError"):
        held = models.pop(name, None)
        if held is not None and f"#/components/schemas/{name}" in json.dumps(schema):
            models[name] = held


def _dependencies(dependant: Dependant) -> list[Dependant]:
    """Every dependency of a route, nested ones included."""
    found: list[Dependant] = []
    pending = list(dependant.dependencies)
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.dependencies)
    return found


def _declares(route: APIRoute, status: int) -> bool:
    return status in route.responses or str(status) in route.responses


def _add_model(models: dict[str, Any], model: type[BaseModel]) -> None:
    document = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in document.pop("$defs", {}).items():
        models.setdefault(name, definition)
    models.setdefault(model.__name__, document)


def _body(media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {media_type: {"schema": schema}}}


def _refusal(status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {"application/json": {"schema": _ERROR_REF}},
    }
