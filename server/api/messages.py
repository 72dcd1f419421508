"""Plain-Spanish sentences for what the HTTP layer itself refuses: validation errors (422),
unknown addresses (404), wrong methods (405), bodies too large (413).

Pure functions of pydantic's error records. A sentence names the field and says what is
expected; it never repeats what was sent (a 10 MB value, or a password, must not come back
in the answer), so ``input`` is never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

#: At most this many sentences in one answer (the rest are counted).
MAX_SENTENCES = 5
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,39}$")
_WHERE = {"body": "", "query": "", "path": "", "header": "la cabecera ", "cookie": "la cookie "}

_TEXT_ISH = {"string_type", "string_sub_type", "str_type"}
_INTEGER = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_NUMBER = {"float_type", "float_parsing", "decimal_type", "decimal_parsing"}
_BOOLEAN = {"bool_type", "bool_parsing"}
_OBJECT = {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}
_LIST = {"list_type", "tuple_type", "set_type", "iterable_type"}


def field_name(loc: Sequence[Any]) -> str:
    """('body', 'characterization', 'edad') → 'characterization.edad'. Parts that are not
    plain names (a key the caller made up) are not repeated."""
    parts = list(loc)
    prefix = ""
    if parts and parts[0] in _WHERE:
        prefix = _WHERE[str(parts[0])]
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _SAFE_NAME.match(part):
            out += f".{part}" if out else part
        else:
            out += ".…" if out else "…"
    return prefix + (out or "cuerpo de la solicitud")


def _choices(expected: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" → "a, b, c"."""
    text = str(expected).replace("'", "")
    return re.sub(r",? or ", ", ", text)


#: The sentence of each pydantic error type; ``{name}`` is the field, the other fields come
#: from the error's ``ctx`` (``None`` when pydantic did not give them).
_SENTENCES: dict[str, str] = {
    "missing": "Falta {name}.",
    "json_invalid": "El cuerpo de la solicitud no es JSON válido.",
    **dict.fromkeys(_TEXT_ISH, "{name} debe ser un texto."),
    "string_too_short": "{name} debe tener al menos {min_length} caracteres.",
    "string_too_long": "{name} admite como máximo {max_length} caracteres.",
    "string_pattern_mismatch": "{name} tiene caracteres no permitidos.",
    **dict.fromkeys(_INTEGER, "{name} debe ser un número entero."),
    **dict.fromkeys(_NUMBER, "{name} debe ser un número."),
    "finite_number": "{name} debe ser un número finito.",
    **dict.fromkeys(_BOOLEAN, "{name} debe ser verdadero o falso (true o false)."),
    "greater_than_equal": "{name} debe ser mayor o igual a {ge}.",
    "greater_than": "{name} debe ser mayor que {gt}.",
    "less_than_equal": "{name} debe ser menor o igual a {le}.",
    "less_than": "{name} debe ser menor que {lt}.",
    **dict.fromkeys(_OBJECT, "{name} debe ser un objeto JSON."),
    **dict.fromkeys(_LIST, "{name} debe ser una lista."),
    "too_long": "{name} tiene demasiados elementos (máximo {max_length}).",
    "too_short": "{name} tiene muy pocos elementos (mínimo {min_length}).",
    "extra_forbidden": "{name} no es un campo admitido.",
}


class _Context(dict[str, Any]):
    """An error's ``ctx`` for ``str.format_map``: a value pydantic left out reads ``None``."""

    def __missing__(self, key: str) -> None:
        return None


def sentence(error: Mapping[str, Any]) -> str:
    """One readable sentence for one pydantic error record."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    loc = error.get("loc") or ()
    name = f"«{field_name(loc)}»"
    if kind == "string_too_short" and ctx.get("min_length", 1) == 1:
        return f"{name} no puede estar vacío."
    if kind in ("enum", "literal_error"):
        return f"{name} debe ser uno de: {_choices(ctx.get('expected', ''))}."
    template = _SENTENCES.get(kind)
    if template is None:
        template = "{name} no es una fecha u hora válida." \
            if kind.startswith(("date", "datetime", "time")) else "{name} no es válido."
    return template.format_map(_Context(ctx, name=name))


def validation_detail(errors: Iterable[Mapping[str, Any]]) -> tuple[str, list[str]]:
    """The ``detail`` sentence(s) and the field names of a validation failure."""
    records = list(errors)
    sentences: list[str] = []
    fields: list[str] = []
    for e in records:
        text = sentence(e)
        if text not in sentences:
            sentences.append(text)
        name = field_name(e.get("loc") or ())
        if name not in fields:
            fields.append(name)
    shown = sentences[:MAX_SENTENCES]
    if len(sentences) > MAX_SENTENCES:
        shown.append(f"Y {len(sentences) - MAX_SENTENCES} problema(s) más.")
    return "Datos no válidos. " + " ".join(shown), fields


#: What the framework says in English, said in Spanish.
HTTP_TEXT = {
    400: "Solicitud no válida.",
    401: "Inicie sesión o use un token válido.",
    403: "No tiene permiso para esta acción.",
    404: "No encontramos esa dirección.",
    405: "Esa dirección no admite este método.",
    406: "No podemos responder en el formato pedido.",
    413: "La solicitud es demasiado grande.",
    415: "Tipo de contenido no admitido; envíe JSON.",
    422: "Datos no válidos.",
    429: "Demasiadas solicitudes; espere un momento.",
    500: "Error interno del servidor. Intente de nuevo.",
    503: "Servicio no disponible por ahora. Intente de nuevo.",
}


#: Details the framework writes in English besides the standard reason phrases.
_FRAMEWORK_DETAILS = {"Not authenticated", "There was an error parsing the body",
                      "Content Too Large"}


def http_detail(status: int, detail: Any) -> str:
    """Keep our own (Spanish) details; replace the framework's English ones."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    if isinstance(detail, str) and detail and detail != phrase \
            and detail not in _FRAMEWORK_DETAILS:
        return detail
    return HTTP_TEXT.get(status, f"La solicitud no se pudo atender (código {status}).")


def method_not_allowed(method: str, allowed: Sequence[str]) -> str:
    return (f"Esta dirección no admite {method}; use {', '.join(allowed)}."
            if allowed else HTTP_TEXT[405])


def too_large(limit_bytes: int) -> str:
    size = f"{limit_bytes // 1024} KB" if limit_bytes >= 1024 else f"{limit_bytes} bytes"
    return f"La solicitud es demasiado grande: el máximo es {size}."
