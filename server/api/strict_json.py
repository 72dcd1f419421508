"""Only RFC 8259 JSON reaches the routes.

Python's ``json`` accepts more than JSON: ``NaN`` and ``Infinity``, numbers that overflow to
infinity (``1e400``), integers of any size and lone UTF-16 surrogates (``"\\ud800"``). Any of
them used to end in a 500 further in (the 422 renderer cannot write NaN back, SQLite cannot
store a 70-bit integer or encode a lone surrogate). This ASGI middleware parses every JSON
request body once with strict rules and answers a plain-Spanish 422 before any route runs.

It sits inside the body-size limit, so the body it holds is never larger than that limit.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.errors import error_response

#: SQLite's INTEGER is a signed 64-bit number.
MAX_INT = 2**63 - 1
_MAX_INT_DIGITS = len(str(MAX_INT)) + 1  # sign


class NotStrictJSON(ValueError):
    """The body is not JSON a client may send; the message is plain Spanish."""


def _constant(_name: str) -> Any:
    raise NotStrictJSON("El cuerpo tiene un número no finito (NaN o Infinity), que JSON no "
                        "admite.")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotStrictJSON("El cuerpo tiene un número demasiado grande.")
    return value


def _int(text: str) -> int:
    if len(text) > _MAX_INT_DIGITS or abs(value := int(text)) > MAX_INT:
        raise NotStrictJSON(f"El cuerpo tiene un número entero demasiado grande (el máximo es "
                            f"{MAX_INT}).")
    return value


def _check_text(value: Any) -> None:
    """Every string (keys too) must be valid Unicode: no lone surrogates."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise NotStrictJSON("El cuerpo tiene un texto con caracteres no válidos "
                                        "(un sustituto UTF-16 suelto).") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_strict(body: bytes) -> Any:
    """The parsed body, or NotStrictJSON saying in Spanish what is wrong with it."""
    try:
        value = json.loads(body, parse_constant=_constant, parse_float=_float,
                           parse_int=_int)
    except NotStrictJSON:
        raise
    except UnicodeDecodeError:
        raise NotStrictJSON("El cuerpo no es texto UTF-8 válido.") from None
    except RecursionError:
        raise NotStrictJSON("El cuerpo tiene demasiados niveles anidados.") from None
    except ValueError:
        raise NotStrictJSON("El cuerpo de la solicitud no es JSON válido.") from None
    _check_text(value)
    return value


def is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/")
                                          and kind.endswith("+json"))


class StrictJSON:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_json(Headers(scope=scope).get("content-type", "")):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay(message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                parse_strict(body)
            except NotStrictJSON as e:
                await error_response(422, f"Datos no válidos. {e}")(scope, receive, send)
                return
        await self.app(scope, _replay({"type": "http.request", "body": body,
                                       "more_body": False}, receive), send)


def _replay(first: Message, receive: Receive) -> Receive:
    """A ``receive`` that hands out ``first`` once, then the real one (disconnects)."""
    pending = [first]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed
