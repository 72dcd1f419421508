"""What a statistics request asks for (range, dimension, filters), parsed and checked with
plain-Spanish messages. Pure: the API and the CLI both build a ``StatsQuery`` here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from server.errors import Invalid
from server.queue.labels import WEEKDAY_NAMES

DIMENSIONS = ("service", "counter", "clerk", "group", "hour", "day", "weekday")
#: A characterization question as a dimension: ``char:<question code>``.
CHAR_PREFIX = "char:"
#: Group filter values besides a group code.
GROUP_GENERAL = "general"
GROUP_PREFERENTIAL = "preferential"

DIMENSION_NAMES = {
    "service": "Servicio", "counter": "Ventanilla", "clerk": "Funcionario",
    "group": "Grupo preferencial", "hour": "Hora del día", "day": "Día",
    "weekday": "Día de la semana",
}

_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_COUNTER_RE = re.compile(r"^[0-9]{1,4}$")
#: Days a statistics request may name: a range past these would overflow the local-time
#: arithmetic (9999-12-31 has no next day) and names no day Turnero can have recorded.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
_CODE_RE = re.compile(r"^[A-Za-z0-9_+.\-]{1,32}$")


@dataclass(frozen=True)
class Filters:
    """Which tickets count. ``group`` is a group code, "general" or "preferential";
    ``characterization`` is a tuple of (question, answer) pairs that must all match."""

    service: str | None = None
    counter: int | None = None
    clerk: str | None = None
    group: str | None = None
    characterization: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"service": self.service, "counter": self.counter, "clerk": self.clerk,
                "group": self.group,
                "characterization": {q: a for q, a in self.characterization}}


@dataclass(frozen=True)
class StatsQuery:
    """Tickets issued on local days ``start``..``end`` (inclusive) matching ``filters``,
    grouped by ``by``."""

    start: date
    end: date
    by: str = "service"
    filters: Filters = field(default_factory=Filters)

    @property
    def char_question(self) -> str | None:
        return self.by[len(CHAR_PREFIX):] if self.by.startswith(CHAR_PREFIX) else None


def parse_day(value: str | None, name: str) -> date:
    if not value:
        raise Invalid(f"Falta la fecha «{name}» (use AAAA-MM-DD).")
    if not _DATE_RE.match(value):
        raise Invalid(f"La fecha «{name}» no es válida (use AAAA-MM-DD).")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"La fecha «{name}» no existe en el calendario.") from None
    _check_window(day, name)
    return day


def _check_window(day: date, name: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"La fecha «{name}» está fuera del rango admitido "
                      f"({FIRST_DAY.isoformat()} a {LAST_DAY.isoformat()}).")


def parse_range(start: str | None, end: str | None) -> tuple[date, date]:
    a, b = parse_day(start, "from"), parse_day(end, "to")
    if a > b:
        raise Invalid(f"La fecha inicial ({a}) es posterior a la final ({b}).")
    return a, b


def parse_month(value: str | None) -> tuple[date, date]:
    """'2026-11' → (2026-11-01, 2026-11-30)."""
    m = _MONTH_RE.match(value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise Invalid("Mes no válido (use AAAA-MM, p. ej. 2026-11).")
    if not FIRST_DAY.year <= int(m.group(1)) <= LAST_DAY.year:
        raise Invalid(f"Mes fuera del rango admitido ({FIRST_DAY.year} a {LAST_DAY.year}).")
    first = date(int(m.group(1)), int(m.group(2)), 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def parse_by(value: str | None) -> str:
    by = value or "service"
    if by in DIMENSIONS:
        return by
    if by.startswith(CHAR_PREFIX) and _CODE_RE.match(by[len(CHAR_PREFIX):]):
        return by
    raise Invalid(f"Agrupación desconocida; use una de: {', '.join(DIMENSIONS)} "
                  "o char:<pregunta>.")


def parse_filters(service: str | None = None, counter: str | int | None = None,
                  clerk: str | None = None, group: str | None = None,
                  characterization: Sequence[str] = ()) -> Filters:
    """Empty strings mean "no filter" (what an HTML form sends for "Todos")."""
    if service and not re.match(r"^[A-Z]$", service):
        raise Invalid("Servicio no válido (una letra mayúscula).")
    number: int | None = None
    if counter not in (None, ""):
        if not _COUNTER_RE.match(str(counter)):
            raise Invalid("Ventanilla no válida (un número de hasta 4 cifras).")
        number = int(str(counter))
    if clerk and len(clerk) > 64:
        raise Invalid("El usuario del funcionario es demasiado largo.")
    if group and not _CODE_RE.match(group):
        raise Invalid("Grupo no válido (un código de letras y números).")
    pairs: list[tuple[str, str]] = []
    for item in characterization:
        if not item:
            continue
        question, sep, answer = item.partition(":")
        if not sep or not _CODE_RE.match(question) or not _CODE_RE.match(answer):
            raise Invalid("Filtro de caracterización no válido; use pregunta:respuesta.")
        pairs.append((question, answer))
    return Filters(service or None, number, clerk or None, group or None, tuple(pairs))


def weekday_name(index: int) -> str:
    names = list(WEEKDAY_NAMES.values())
    return names[index] if 0 <= index < 7 else str(index)
