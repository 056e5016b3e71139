"""Reading request bodies safely (size, gzip, JSON, protocol, validation) and refusing clearly."""

import asyncio
import json
import re
import zlib
from collections.abc import AsyncIterator, Mapping
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sync.protocol import MAX_BATCH, PROTOCOL_VERSION, ErrorBody

ModelT = TypeVar("ModelT", bound=BaseModel)
# What the fast path leaves to the careful one: NaN and infinities (refused by name) and lone
# surrogates (no database keeps them). Text that merely contains "NaN" only takes the slower
# path.
_SUSPECT = re.compile(rb"NaN|Infinity|\\u[dD][89a-fA-F]")
DRAIN_FACTOR = 4  # an oversized body is read (and dropped) up to this many limits, then cut
SHOWN_ERRORS = 8

_EXPLAINED = {
    "missing": "falta este campo",
    "extra_forbidden": "campo no permitido",
    "string_pattern_mismatch": "formato no válido",
    "string_type": "debe ser texto",
    "string_too_short": "está vacío o es demasiado corto",
    "string_too_long": "es demasiado largo",
    "int_type": "debe ser un número entero",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "bool_type": "debe ser verdadero o falso",
    "bool_parsing": "debe ser verdadero o falso",
    "greater_than_equal": "fuera del rango permitido",
    "less_than_equal": "fuera del rango permitido",
    "uuid_type": "debe ser un identificador UUID",
    "uuid_parsing": "debe ser un identificador UUID",
    "datetime_type": "debe ser una fecha y hora ISO 8601",
    "datetime_parsing": "debe ser una fecha y hora ISO 8601",
    "datetime_from_date_parsing": "debe ser una fecha y hora ISO 8601",
    "enum": "valor no admitido",
    "dict_type": "debe ser un objeto JSON",
    "model_type": "debe ser un objeto JSON",
    "model_attributes_type": "debe ser un objeto JSON",
    "tuple_type": "debe ser una lista",
    "list_type": "debe ser una lista",
    "too_long": "tiene demasiados elementos",
}


class ApiError(Exception):
    """A refusal answered as ``ErrorBody`` with its status (and headers, e.g. Retry-After)."""

    def __init__(
        self, status: int, error: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(error=error, message=message)
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        """The JSON response of this refusal."""
        return JSONResponse(self.body.model_dump(), status_code=self.status, headers=self.headers)


def client_address(request: Request) -> str | None:
    """The address a request came from, as the audit trail keeps it (None when unknown)."""
    return request.client.host if request.client else None


def invalid(message: str) -> ApiError:
    """A 400 ``solicitud_invalida``."""
    return ApiError(400, "solicitud_invalida", message)


def too_large(message: str) -> ApiError:
    """A 413 ``demasiado_grande``."""
    return ApiError(413, "demasiado_grande", message)


def validation_message(errors: list[ErrorDetails] | Any) -> str:
    """A Spanish message naming the offending fields (the first few)."""
    parts = []
    for item in list(errors)[:SHOWN_ERRORS]:
        where = ".".join(str(part) for part in item["loc"] if part != "body") or "cuerpo"
        parts.append(f"{where}: {_EXPLAINED.get(item['type'], 'valor no válido')}")
    more = len(errors) - SHOWN_ERRORS
    if more > 0:
        parts.append(f"y {more} error(es) más")
    return (
        "La solicitud no es válida (" + "; ".join(parts) + "). Actualice la aplicación; "
        "si el problema continúa, comuníquese con soporte."
    )


class BodyReader(Generic[ModelT]):
    """A FastAPI dependency: the request body as ``model``, or an ``ApiError`` saying why not."""

    def __init__(self, model: type[ModelT], max_body: int) -> None:
        self.model = model
        self.max_body = max_body

    async def __call__(self, request: Request) -> ModelT:
        """Read, decode and validate the body, in that order.

        A body with nothing suspect in it is validated straight from its bytes; anything
        refused there goes the careful way, which names what is wrong.
        """
        raw = await self._read(request)
        if raw and _SUSPECT.search(raw) is None:
            try:
                parsed = self.model.model_validate_json(raw)
            except ValidationError:
                pass
            else:
                _check_protocol(getattr(parsed, "protocol", PROTOCOL_VERSION))
                return parsed
        data = _parse(raw)
        if not isinstance(data, dict):
            raise invalid("El cuerpo de la solicitud debe ser un objeto JSON.")
        _check_protocol(data.get("protocol", PROTOCOL_VERSION))
        operations = data.get("operations")
        if isinstance(operations, list) and len(operations) > MAX_BATCH:
            raise too_large(
                f"El lote tiene {len(operations)} operaciones; el máximo es {MAX_BATCH}. "
                "Envíe los cambios en lotes más pequeños."
            )
        _refuse_unstorable(data)
        try:  # as JSON again: what is strict (instants as text) is judged as on the fast path
            parsed = self.model.model_validate_json(json.dumps(data))
        except ValidationError as error:
            raise invalid(validation_message(error.errors())) from None
        _check_protocol(getattr(parsed, "protocol", PROTOCOL_VERSION))
        return parsed

    async def _read(self, request: Request) -> bytes:
        """The raw body, gunzipped when so declared, never more than ``max_body`` bytes."""
        declared = request.headers.get("content-length")
        if declared is not None and not declared.isdigit():
            raise invalid("La cabecera Content-Length no es válida.")
        encoding = request.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in {"identity", "gzip", ""}:
            raise invalid(f"Codificación no admitida: «{encoding}». Use gzip o ninguna.")
        raw = bytearray()
        oversized = False
        async for chunk in arriving(request):
            if oversized:
                if len(raw) + len(chunk) > DRAIN_FACTOR * self.max_body:
                    break
                continue
            raw += chunk
            oversized = len(raw) > self.max_body
        if oversized:
            raise _too_large_body(self.max_body)
        return _gunzip(bytes(raw), self.max_body) if encoding == "gzip" else bytes(raw)


def _too_large_body(limit: int) -> ApiError:
    return too_large(
        f"La solicitud supera el tamaño máximo ({limit // 1_000_000} MB). "
        "Envíe los cambios en lotes más pequeños."
    )


def _gunzip(raw: bytes, limit: int) -> bytes:
    """Decompress without ever holding more than ``limit`` bytes (no gzip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        plain = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise invalid("El cuerpo declarado como gzip no se pudo descomprimir.") from None
    if len(plain) > limit:
        raise _too_large_body(limit)
    if not inflater.eof or inflater.unused_data:
        raise invalid("El cuerpo gzip está incompleto o tiene datos sobrantes.")
    return plain


def _parse(raw: bytes) -> Any:
    if not raw:
        raise invalid("La solicitud no tiene cuerpo: envíe un objeto JSON.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise invalid(
            "El cuerpo de la solicitud no es JSON válido (UTF-8, sin NaN ni Infinity)."
        ) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _check_protocol(version: Any) -> None:
    """An integer other than ours is another protocol (wrong types are left to validation)."""
    if isinstance(version, int) and not isinstance(version, bool) and version != PROTOCOL_VERSION:
        raise ApiError(
            409,
            "protocolo",
            f"La aplicación usa la versión {version} del protocolo de sincronización y el "
            f"servidor la versión {PROTOCOL_VERSION}: actualice la aplicación para sincronizar.",
        )


def _refuse_unstorable(data: Any) -> None:
    """Refuse text no database can keep: lone surrogates (RFC 8259 leaves them undefined).

    NUL characters are refused where they are read: by the schema (names people type) or,
    in an operation's fields, by the guard, which refuses that operation alone.
    """
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise invalid("El texto enviado tiene caracteres Unicode no válidos.") from None


class RawBody:
    """A FastAPI dependency: the request body as bytes (a piece of a file), at most ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    async def __call__(self, request: Request) -> bytes:
        """Read the body, refusing more than the limit without reading it all."""
        raw = bytearray()
        async for chunk in arriving(request):
            raw += chunk
            if len(raw) > self.limit:
                raise _too_large_body(self.limit)
        return bytes(raw)


IDLE_SECONDS = 30.0  # a body that sends nothing for this long is given up
BODY_SECONDS = 300.0  # and one that takes longer than this as a whole (a slow rural link: 8 MB)


async def arriving(request: Request) -> AsyncIterator[bytes]:
    """The body's pieces as they arrive; a body that stalls or never ends is refused (408).

    A connection held open by a body that trickles forever would take a worker from everyone.
    """
    pieces = request.stream().__aiter__()
    try:
        async with asyncio.timeout(BODY_SECONDS):
            while True:
                try:
                    piece = await asyncio.wait_for(anext(pieces), IDLE_SECONDS)
                except StopAsyncIteration:
                    return
                yield piece
    except TimeoutError:
        raise ApiError(
            408,
            "solicitud_lenta",
            "La solicitud tardó demasiado en llegar y se descartó; no se guardó nada. Se "
            "enviará de nuevo en la próxima sincronización.",
            {"Connection": "close"},  # the rest of that body must not be read as a request
        ) from None
