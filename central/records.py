"""The record that travels from an office to the centre, and the checks the centre makes on
every batch (plain-Spanish refusals naming the record and the field). Pure.

A record is one ticket with all its moments: the columns of the office's ticket export
(``server.stats.tables.TICKET_HEADER`` plus one column per characterization question) in
machine form — raw POSIX times instead of "HH:MM:SS", codes instead of names (the names
travel once per batch in the catalog) — so the centre computes the same figures as the office
with the same code. Its key is (office, ``ticket``) where ``ticket`` is a one-way hash of the
office's ticket id: the id printed in the citizen's QR code is a capability for the status
page and never leaves the office. No personal data is in a record: the kiosk asks none.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from central.catalog import validate_catalog
from central.refusals import Forbidden
from server.errors import Invalid
from server.queue.model import Outcome, Status

MAX_RECORDS = 1000
OFFICE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
_TICKET_RE = re.compile(r"^[0-9a-f]{64}$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_+.\-]{1,32}$")
STATUSES = frozenset(s.value for s in Status)
OUTCOMES = frozenset(o.value for o in Outcome)

#: Field → (what the export column is, kind). Kinds: text, code, int, time, day.
FIELDS: dict[str, tuple[str, str]] = {
    "ticket": ("clave del turno (hash)", "ticket"),
    "number": ("Turno", "text"),
    "day": ("Fecha", "day"),
    "weekday": ("Día de la semana", "weekday"),
    "issued_at": ("Hora de emisión", "time"),
    "service": ("Servicio", "code"),
    "group": ("Grupo preferencial / Preferencial", "code?"),
    "counter": ("Ventanilla", "int?"),
    "clerk": ("Funcionario", "text?"),
    "first_called_at": ("Primer llamado / Espera", "time?"),
    "started_at": ("Inicio de atención", "time?"),
    "finished_at": ("Fin / Atención", "time?"),
    "status": ("Resultado (estado)", "status"),
    "outcome": ("Resultado", "outcome"),
    "transfers": ("Traslados", "int"),
    "calls": ("Llamados", "int"),
    "satisfaction": ("Satisfacción (1-5)", "rating"),
    "satisfaction_reason": ("Motivo de la calificación", "code?"),
    "characterization": ("una columna por pregunta de caracterización", "answers"),
}


def ticket_key(ticket_id: str) -> str:
    """The record's key: a hash of the office's ticket id (stable, not reversible)."""
    return hashlib.sha256(b"turnero-central:" + ticket_id.encode()).hexdigest()


def record_of(row: Sequence[Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """Office side: one storage row (``central_outbox.RECORD_COLUMNS``) → one record."""
    (ticket_id, number, day, weekday, issued, service, group, counter, clerk, called, started,
     finished, status, outcome, transfers, calls, rating, reason) = row
    return {"ticket": ticket_key(ticket_id), "number": number, "day": day, "weekday": weekday,
            "issued_at": issued, "service": service, "group": group, "counter": counter,
            "clerk": clerk, "first_called_at": called, "started_at": started,
            "finished_at": finished, "status": status, "outcome": outcome,
            "transfers": transfers, "calls": calls, "satisfaction": rating,
            "satisfaction_reason": reason, "characterization": dict(answers)}


def _bad(index: int, name: str, why: str) -> Invalid:
    return Invalid(f"Registro {index + 1}: el campo «{name}» {why}.")


def _check(index: int, name: str, kind: str, value: Any) -> Any:
    optional = kind.endswith("?")
    kind = kind.rstrip("?")
    if value is None and (optional or kind in ("outcome", "rating")):
        return None
    if value is None:
        raise _bad(index, name, "es obligatorio")
    if kind == "time":
        return _check_time(index, name, value)
    if kind in ("int", "weekday", "rating"):
        return _check_int(index, name, kind, value)
    if not isinstance(value, str):
        raise _bad(index, name, "debe ser texto")
    return _check_text(index, name, kind, value)


def _check_time(index: int, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not 0 <= value < 1e11:
        raise _bad(index, name, "debe ser una hora POSIX en segundos")
    return float(value)


def _check_int(index: int, name: str, kind: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise _bad(index, name, "debe ser un número entero no negativo")
    if kind == "weekday" and value > 6:
        raise _bad(index, name, "debe estar entre 0 (lunes) y 6 (domingo)")
    if kind == "rating" and not 1 <= value <= 5:
        raise _bad(index, name, "debe estar entre 1 y 5")
    return value


def _check_text(index: int, name: str, kind: str, value: str) -> str:
    if kind == "ticket" and not _TICKET_RE.match(value):
        raise _bad(index, name, "debe ser el hash de 64 caracteres hexadecimales del turno")
    if kind == "day":
        if not _DAY_RE.match(value):
            raise _bad(index, name, "debe ser una fecha AAAA-MM-DD")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _bad(index, name, f"no es una fecha que exista ({value})") from None
    if kind == "code" and not _CODE_RE.match(value):
        raise _bad(index, name, "no es un código válido")
    if kind == "status" and value not in STATUSES:
        raise _bad(index, name, f"no es un estado conocido ({', '.join(sorted(STATUSES))})")
    if kind == "outcome" and value not in OUTCOMES:
        raise _bad(index, name, f"no es un resultado conocido ({', '.join(sorted(OUTCOMES))})")
    if kind == "text" and len(value) > 64:
        raise _bad(index, name, "es demasiado largo (máx. 64 caracteres)")
    return value


def validate_record(index: int, record: Any) -> dict[str, Any]:
    """One record as the centre stores it, or Invalid naming the record and the field."""
    if not isinstance(record, dict):
        raise Invalid(f"Registro {index + 1}: debe ser un objeto JSON.")
    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        raise Invalid(f"Registro {index + 1}: campos desconocidos: {', '.join(unknown)}.")
    out: dict[str, Any] = {}
    for name, (_column, kind) in FIELDS.items():
        if name == "characterization":
            answers = record.get(name) or {}
            if not isinstance(answers, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) and _CODE_RE.match(k)
                    and _CODE_RE.match(v) for k, v in answers.items()):
                raise _bad(index, name, "debe ser un objeto pregunta → respuesta (códigos)")
            out[name] = answers
            continue
        out[name] = _check(index, name, kind, record.get(name))
    return out


def validate_batch(body: Any, office: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(catalog, records) of a batch sent with the token of ``office``. A token for one
    office never writes another office's rows: the batch must name its own office."""
    if not isinstance(body, dict):
        raise Invalid("El lote debe ser un objeto JSON con «office», «catalog» y «records».")
    named = body.get("office")
    if not isinstance(named, str) or not named:
        raise Invalid("Falta «office»: el código de la oficina que envía el lote.")
    if named != office:
        raise Forbidden(f"Este token es de la oficina {office}; no puede escribir registros "
                        f"de la oficina {named}.")
    catalog = validate_catalog(body.get("catalog"))
    records = body.get("records")
    if not isinstance(records, list):
        raise Invalid("Falta «records»: la lista de turnos del lote.")
    if len(records) > MAX_RECORDS:
        raise Invalid(f"El lote tiene {len(records)} registros; el máximo es {MAX_RECORDS}.")
    checked = [validate_record(i, r) for i, r in enumerate(records)]
    seen: set[str] = set()
    for i, r in enumerate(checked):
        if r["ticket"] in seen:
            raise Invalid(f"Registro {i + 1}: el turno está repetido en el mismo lote.")
        seen.add(r["ticket"])
    return catalog, checked
