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

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
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
        raise Invalid(f"La fecha «{name}» no es válida: {value!r} (use AAAA-MM-DD).")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"La fecha «{name}» no existe: {value!r}.") from None


def parse_range(start: str | None, end: str | None) -> tuple[date, date]:
    a, b = parse_day(start, "from"), parse_day(end, "to")
    if a > b:
        raise Invalid(f"La fecha inicial ({a}) es posterior a la final ({b}).")
    return a, b


def parse_month(value: str | None) -> tuple[date, date]:
    """'2026-11' → (2026-11-01, 2026-11-30)."""
    m = _MONTH_RE.match(value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise Invalid(f"Mes no válido: {value!r} (use AAAA-MM, p. ej. 2026-11).")
    first = date(int(m.group(1)), int(m.group(2)), 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def parse_by(value: str | None) -> str:
    by = value or "service"
    if by in DIMENSIONS:
        return by
    if by.startswith(CHAR_PREFIX) and _CODE_RE.match(by[len(CHAR_PREFIX):]):
        return by
    raise Invalid(f"Agrupación «{by}» desconocida; use una de: {', '.join(DIMENSIONS)} "
                  "o char:<pregunta>.")


def parse_filters(service: str | None = None, counter: str | int | None = None,
                  clerk: str | None = None, group: str | None = None,
                  characterization: Sequence[str] = ()) -> Filters:
    """Empty strings mean "no filter" (what an HTML form sends for "Todos")."""
    if service and not re.match(r"^[A-Z]$", service):
        raise Invalid(f"Servicio {service!r} no válido (una letra mayúscula).")
    number: int | None = None
    if counter not in (None, ""):
        try:
            number = int(counter)  # type: ignore[arg-type]
        except ValueError:
            raise Invalid(f"Ventanilla {counter!r} no válida (un número).") from None
    if clerk and len(clerk) > 64:
        raise Invalid("El usuario del funcionario es demasiado largo.")
    if group and not _CODE_RE.match(group):
        raise Invalid(f"Grupo {group!r} no válido.")
    pairs: list[tuple[str, str]] = []
    for item in characterization:
        if not item:
            continue
        question, sep, answer = item.partition(":")
        if not sep or not _CODE_RE.match(question) or not _CODE_RE.match(answer):
            raise Invalid(f"Filtro de caracterización {item!r} no válido; use pregunta:respuesta.")
        pairs.append((question, answer))
    return Filters(service or None, number, clerk or None, group or None, tuple(pairs))


def weekday_name(index: int) -> str:
    names = list(WEEKDAY_NAMES.values())
    return names[index] if 0 <= index < 7 else str(index)
