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
    #: Local closures the office adds (e.g. the municipality's own holiday).
    closed_dates: frozenset[date] = frozenset()
    #: Whether the office closes on the national public holidays (``holidays``).
    national_holidays: bool = False
    #: The national public holidays known to the configuration (date → Spanish name).
    holidays: dict[date, str] = field(default_factory=dict, compare=False)

    def periods_on(self, day: date) -> tuple[Period, ...]:
        if day in self.closed_dates or (self.national_holidays and day in self.holidays):
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


def hours_line(hours: OpeningHours) -> str:
    """The opening hours as one printed line, generated so the ticket never contradicts the
    configuration: "Horario: lunes a viernes 8:00-11:30 y 14:00-17:30" ('' if never open).
    Consecutive days with the same periods read as a range; festivos are mentioned when the
    office closes on them."""
    groups: list[tuple[list[int], tuple[Period, ...]]] = []
    for d in range(7):
        periods = hours.weekly.get(d, ())
        if not periods:
            continue
        if groups and groups[-1][1] == periods and groups[-1][0][-1] == d - 1:
            groups[-1][0].append(d)
        else:
            groups.append(([d], periods))
    if not groups:
        return ""

    def days(ds: list[int]) -> str:
        if len(ds) == 1:
            return WEEKDAYS_ES[ds[0]]
        if len(ds) == 2:
            return f"{WEEKDAYS_ES[ds[0]]} y {WEEKDAYS_ES[ds[1]]}"
        return f"{WEEKDAYS_ES[ds[0]]} a {WEEKDAYS_ES[ds[-1]]}"

    def clock(t: time) -> str:
        return f"{t.hour}:{t.minute:02d}"

    def spans(ps: tuple[Period, ...]) -> str:
        texts = [f"{clock(p.start)}-{clock(p.end)}" for p in ps]
        return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " y " + texts[-1]

    line = "Horario: " + "; ".join(f"{days(ds)} {spans(ps)}" for ds, ps in groups)
    return line + (", excepto festivos" if hours.national_holidays else "")


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
