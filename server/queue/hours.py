"""Opening hours: when the kiosk may issue tickets, and when the office opens next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
)


@dataclass(frozen=True)
class Period:
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class OpeningHours:
    #: weekday (0 = Monday) → periods of that day, sorted, not overlapping
    weekly: dict[int, tuple[Period, ...]] = field(default_factory=dict)
    closed_dates: frozenset[date] = frozenset()

    def periods_on(self, day: date) -> tuple[Period, ...]:
        if day in self.closed_dates:
            return ()
        return self.weekly.get(day.weekday(), ())


def is_open(hours: OpeningHours, local: datetime) -> bool:
    t = local.time()
    return any(p.start <= t < p.end for p in hours.periods_on(local.date()))


def next_opening(hours: OpeningHours, local: datetime) -> datetime | None:
    """The next moment the office opens after ``local`` (None if it never opens)."""
    for offset in range(370):
        day = local.date() + timedelta(days=offset)
        for p in hours.periods_on(day):
            start = datetime.combine(day, p.start, tzinfo=local.tzinfo)
            if start > local:
                return start
    return None


def describe_moment(moment: datetime, now: datetime) -> str:
    """'hoy a las 14:00', 'mañana a las 8:00', 'el lunes 1 de diciembre a las 8:00'."""
    clock = f"{moment.hour}:{moment.minute:02d}"
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"hoy a las {clock}"
    if days == 1:
        return f"mañana a las {clock}"
    return (
        f"el {WEEKDAYS_ES[moment.weekday()]} {moment.day} de {MONTHS_ES[moment.month - 1]} "
        f"a las {clock}"
    )
