"""Turning indicators and ticket rows into what people read: labels, row order, JSON for the
API and the columns of the spreadsheets. Pure (no SQL, no web)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from server.queue.characterization import Characterization, Question
from server.queue.indicators import GENERAL, PREFERENTIAL, Indicators, Summary
from server.queue.lifecycle import describe_status
from server.queue.model import Status
from server.queue.stats_query import CHAR_PREFIX, DIMENSION_NAMES, StatsQuery, weekday_name
from server.queue.survey import REASONS

OUTCOME_NAMES = {"served": "Atendido", "no_show": "No se presentó", "cancelled": "Cancelado",
                 "not_attended": "No atendido al cierre"}
CLASS_NAMES = {PREFERENTIAL: "Preferencial", GENERAL: "General"}
GENERAL_GROUP_LABEL = "General (sin prioridad)"
NO_VALUE = {"counter": "Sin ventanilla", "clerk": "Sin funcionario", "char": "Sin respuesta"}


@dataclass(frozen=True)
class Labels:
    """Names for codes, taken from the office configuration and the users table. Codes no
    longer configured (a service removed last year) still show, as their code."""

    services: dict[str, str] = field(default_factory=dict)
    service_order: tuple[str, ...] = ()
    targets_min: dict[str, int] = field(default_factory=dict)
    counters: dict[int, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    group_order: tuple[str, ...] = ()
    users: dict[str, str] = field(default_factory=dict)
    characterization: Characterization = field(default_factory=Characterization)

    def dimension_name(self, by: str) -> str:
        if by.startswith(CHAR_PREFIX):
            q = self.characterization.question(by[len(CHAR_PREFIX):])
            return q.text if q else by[len(CHAR_PREFIX):]
        return DIMENSION_NAMES.get(by, by)

    def label(self, by: str, key: Any) -> str:
        if by == "service":
            return self.services.get(key, str(key))
        if by == "counter":
            if key is None:
                return NO_VALUE["counter"]
            return self.counters.get(key, f"Ventanilla {key}")
        if by == "clerk":
            return NO_VALUE["clerk"] if key is None else self.users.get(key, str(key))
        if by == "group":
            return GENERAL_GROUP_LABEL if key is None else self.groups.get(key, str(key))
        if by == "hour":
            return f"{int(key):02d}:00"
        if by == "weekday":
            return weekday_name(int(key))
        if by.startswith(CHAR_PREFIX):
            if key is None:
                return NO_VALUE["char"]
            q = self.characterization.question(by[len(CHAR_PREFIX):])
            return q.label(key) if q else str(key)
        return str(key)

    def sort_key(self, by: str, key: Any) -> tuple[Any, ...]:
        """Configured order where there is one (services, groups, options), else natural."""
        if key is None:
            return (0 if by == "group" else 2, 0, "")
        order: Sequence[Any] = ()
        if by == "service":
            order = self.service_order
        elif by == "group":
            order = self.group_order
        elif by.startswith(CHAR_PREFIX):
            q = self.characterization.question(by[len(CHAR_PREFIX):])
            order = [o.code for o in q.choices] if q else ()
        elif by == "clerk":
            return (1, 0, self.label(by, key).lower())
        if key in order:
            return (1, list(order).index(key), "")
        return (1, len(order), key if isinstance(key, str) else f"{key:08d}")


def summary_json(summary: Summary, query: StatsQuery, labels: Labels) -> dict[str, Any]:
    """The JSON body of GET /api/v1/stats/summary."""
    rows = []
    for key in sorted(summary.rows, key=lambda k: labels.sort_key(query.by, k)):
        row: dict[str, Any] = {"key": key, "label": labels.label(query.by, key)}
        if query.by == "service":
            row["target_wait_min"] = labels.targets_min.get(str(key))
        rows.append({**row, **summary.rows[key].to_dict()})
    return {
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "by": query.by,
        "by_name": labels.dimension_name(query.by),
        "filters": query.filters.to_dict(),
        "total": summary.total.to_dict(),
        "classes": {name: summary.classes[name].to_dict() for name in (PREFERENTIAL, GENERAL)},
        "rows": rows,
        "definitions": DEFINITIONS,
    }


DEFINITIONS = {
    "wait": "Espera: del momento en que se emitió el turno al primer llamado (turnos llamados).",
    "service": "Atención: del inicio al fin de la atención (turnos atendidos).",
    "percentile": "Mediana y percentil 90 por interpolación lineal (igual que PERCENTIL.INC "
                  "en Excel).",
    "within_target": "Dentro de la meta: turnos llamados con espera menor o igual a la meta "
                     "del servicio, sobre los turnos llamados.",
    "transferred": "Transferidos: turnos enviados a otro servicio al menos una vez (también "
                   "cuentan en su resultado final).",
    "satisfaction": "Satisfacción: promedio de las calificaciones de 1 a 5; la tasa de "
                    "respuesta es sobre los turnos atendidos.",
}


# --------------------------------------------------------------------------- spreadsheets

SUMMARY_HEADER = (
    "Dimensión", "Valor", "Turnos emitidos", "Atendidos", "No se presentaron", "Transferidos",
    "No atendidos al cierre", "Cancelados", "En curso",
    "Espera media (min)", "Espera mediana (min)", "Espera p90 (min)", "Espera máxima (min)",
    "Atención media (min)", "Atención mediana (min)", "Atención p90 (min)",
    "Atención máxima (min)", "Llamados dentro de la meta", "Turnos llamados",
    "Dentro de la meta (%)", "Respuestas de satisfacción", "Satisfacción promedio",
    "Calificación 1", "Calificación 2", "Calificación 3", "Calificación 4", "Calificación 5",
)


def summary_record(dimension: str, value: str, ind: Indicators) -> list[Any]:
    d = ind.to_dict()
    w, s, t, sat = d["wait_min"], d["service_min"], d["within_target"], d["satisfaction"]
    share = None if t["share"] is None else round(t["share"] * 100, 2)
    return [
        dimension, value, d["issued"], d["served"], d["no_show"], d["transferred"],
        d["not_attended"], d["cancelled"], d["in_progress"],
        w["mean"], w["median"], w["p90"], w["max"], s["mean"], s["median"], s["p90"], s["max"],
        t["count"], t["of"], share, sat["answers"], sat["average"],
        *(sat["distribution"][str(r)] for r in range(1, 6)),
    ]


def overview_records(summary: Summary) -> list[list[Any]]:
    """All tickets, then preferential vs general."""
    return [summary_record("Total", "Todos los turnos", summary.total),
            *(summary_record("Clase", CLASS_NAMES[name], summary.classes[name])
              for name in (PREFERENTIAL, GENERAL))]


def dimension_records(by: str, summary: Summary, labels: Labels) -> list[list[Any]]:
    name = labels.dimension_name(by)
    return [summary_record(name, labels.label(by, key), summary.rows[key])
            for key in sorted(summary.rows, key=lambda k: labels.sort_key(by, k))]


#: The tickets export's columns: (header, how a workbook writes its cells — their values'
#: type as ``ticket_records`` gives them). Characterization answers come after, as "text".
TICKET_EXPORT_COLUMNS = (
    ("Turno", "text"), ("Fecha", "date"), ("Día de la semana", "text"),
    ("Hora de emisión", "time"), ("Servicio", "text"), ("Grupo preferencial", "text"),
    ("Preferencial", "text"), ("Ventanilla", "text"), ("Funcionario", "text"),
    ("Primer llamado", "time"), ("Inicio de atención", "time"), ("Fin", "time"),
    ("Espera (min)", "number"), ("Atención (min)", "number"), ("Dentro de la meta", "text"),
    ("Resultado", "text"), ("Traslados", "number"), ("Llamados", "number"),
    ("Satisfacción (1-5)", "number"), ("Motivo de la calificación", "text"),
    ("Servicio antes del traslado", "text"), ("Ventanilla antes del traslado", "text"),
    ("Funcionario antes del traslado", "text"),
)
TICKET_HEADER = tuple(header for header, _kind in TICKET_EXPORT_COLUMNS)
TICKET_CELL_KINDS = tuple(kind for _header, kind in TICKET_EXPORT_COLUMNS)


def ticket_cell_kinds(labels: Labels) -> list[str]:
    return [*TICKET_CELL_KINDS, *("text" for _q in _exported_questions(labels))]


#: UTC offsets change only on quarter-hour boundaries: one look per quarter hour is enough.
QUARTER_HOUR_S = 900


def quarter_hour_offset(tz: tzinfo, bucket: int) -> int:
    """The UTC offset (seconds) of quarter hour number ``bucket`` since the epoch."""
    delta = dt.datetime.fromtimestamp(bucket * QUARTER_HOUR_S, tz).utcoffset()
    return int(delta.total_seconds()) if delta else 0


class LocalClock:
    """POSIX seconds → local time of day, fast: the UTC offset is looked up once per quarter
    hour (offsets only change on quarter-hour boundaries), not once per value."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._offsets: dict[int, int] = {}

    def offset(self, ts: float) -> int:
        bucket = int(ts // QUARTER_HOUR_S)
        off = self._offsets.get(bucket)
        if off is None:
            off = self._offsets[bucket] = quarter_hour_offset(self.tz, bucket)
        return off

    def time(self, ts: float | None) -> dt.time | None:
        """The local time of day: a real time value, so a spreadsheet gets a time cell (and
        CSV writes it as "HH:MM:SS")."""
        if ts is None:
            return None
        s = int(ts + self.offset(ts)) % 86400
        return dt.time(s // 3600, s // 60 % 60, s % 60)


def _minutes(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round((b - a) / 60.0, 2)


#: Characters an Excel cell holds: a longer name is cut there in a workbook (as xlsxwriter
#: cuts any text; the CSV keeps it whole), a header in every export.
EXCEL_MAX_TEXT = 32_767


def _exported_questions(labels: Labels) -> tuple[Question, ...]:
    """Characterization columns appear while the office asks the questions."""
    c = labels.characterization
    return c.questions if c.enabled else ()


def ticket_header(labels: Labels) -> list[str]:
    """The tickets export's column headers, each once and each fitting an Excel cell: a
    question whose text repeats another column's gets " (2)", " (3)", … so a reader can tell
    the columns apart (and a workbook row, keyed by header, keeps every answer)."""
    seen: set[str] = set()
    return [distinct_name(text, seen, EXCEL_MAX_TEXT)
            for text in [*TICKET_HEADER, *(q.text for q in _exported_questions(labels))]]


def distinct_name(text: str, used: set[str], limit: int,
                  key: Callable[[str], str] = str) -> str:
    """``text`` cut to ``limit`` characters, or with " (2)", " (3)", … when ``used`` already
    has it (compared by ``key``: Excel's sheet names ignore case); the name is added to
    ``used``. Headers and sheet names of the exports."""
    candidate, n = text[:limit], 2
    while key(candidate) in used:
        suffix = f" ({n})"
        candidate, n = text[:limit - len(suffix)] + suffix, n + 1
    used.add(key(candidate))
    return candidate


def ticket_records(rows: Iterable[Sequence[Any]], labels: Labels, tz: tzinfo,
                   pair_sep: str = "\x1f") -> Iterator[list[Any]]:
    """One spreadsheet row per ticket from rows of the ticket's columns in the order unpacked
    below (the centre's ``EXPORT_SELECT``; characterization as "question=answer" pairs joined
    by ``pair_sep``). The ticket id is left out on purpose: it is the citizen's capability
    for the status page and the survey, and an auditor does not need it."""
    clock = LocalClock(tz)
    questions = _exported_questions(labels)
    for (number, day, weekday, issued, service, group, counter, clerk, called, started,
         finished, status, outcome, transfers, calls, rating, reason, chars, first_service,
         first_counter, first_clerk) in rows:
        wait = _minutes(issued, called)
        target = labels.targets_min.get(service)
        within = None if wait is None or target is None else ("Sí" if wait <= target else "No")
        answers = dict(p.split("=", 1) for p in chars.split(pair_sep)) if chars else {}
        yield [
            number, dt.date.fromisoformat(day), weekday_name(weekday), clock.time(issued),
            labels.services.get(service, service),
            labels.groups.get(group, group) if group else "",
            "Sí" if group else "No",
            labels.counters.get(counter, str(counter)) if counter is not None else "",
            labels.users.get(clerk, clerk) if clerk else "",
            clock.time(called), clock.time(started), clock.time(finished),
            wait, _minutes(started, finished) if outcome == "served" else None, within,
            OUTCOME_NAMES.get(outcome, "") if outcome else
            describe_status(Status(status)).capitalize(),
            transfers, calls, rating, REASONS.get(reason, reason) if reason else "",
            labels.services.get(first_service, first_service) if first_service else "",
            labels.counters.get(first_counter, str(first_counter))
            if first_counter is not None else "",
            labels.users.get(first_clerk, first_clerk) if first_clerk else "",
            *(q.label(answers[q.code]) if q.code in answers else "" for q in questions),
        ]


# --------------------------------------------------------------------------- CSV text in SQL

#: Text starting with one of these is what a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Text that a spreadsheet would run as a formula (a name starting with "=") is quoted."""
    return "'" + text if text.startswith(FORMULA_START) else text


def text_labels(labels: Labels, quoted: bool = True) -> tuple[tuple[str, Any, str], ...]:
    """(kind, code, cell text) of every code a ticket row shows as a name: what
    ``ticket_records`` looks up, for the cells written by SQL (storage.ticket_text). The
    CSV's are ``quoted`` by ``formula_safe``; the XLSX's are not (its strings are never
    formulas)."""
    out: list[tuple[str, Any, str]] = []
    out += [("service", code, name) for code, name in labels.services.items()]
    out += [("counter", number, name) for number, name in labels.counters.items()]
    out += [("group", code, name) for code, name in labels.groups.items()]
    out += [("user", user, name) for user, name in labels.users.items()]
    out += [("reason", code, name) for code, name in REASONS.items()]
    out += [("outcome", code, name) for code, name in OUTCOME_NAMES.items()]
    out += [("status", s.value, describe_status(s).capitalize()) for s in Status]
    out += [("weekday", i, weekday_name(i)) for i in range(7)]
    for q in _exported_questions(labels):
        out += [(f"{CHAR_PREFIX}{q.code}", o.code, o.label) for o in q.choices]
    return tuple((kind, code, formula_safe(name) if quoted else name[:EXCEL_MAX_TEXT])
                 for kind, code, name in out)


def text_questions(labels: Labels) -> tuple[tuple[str, str], ...]:
    """(question code, its kind in ``text_labels``) of each characterization column."""
    return tuple((q.code, f"{CHAR_PREFIX}{q.code}") for q in _exported_questions(labels))


def offset_changes(tz: tzinfo, start: float, end: float
                   ) -> tuple[int, tuple[tuple[float, int], ...]]:
    """The UTC offset at ``start`` and every (instant, new offset) change up to ``end``,
    by the same quarter-hour rule as ``LocalClock`` (the offset at the start of each quarter
    hour holds for all of it); nothing is kept per quarter hour, so five years cost no
    memory."""

    first = int(start // QUARTER_HOUR_S)
    current = first_offset = quarter_hour_offset(tz, first)
    changes: list[tuple[float, int]] = []
    for bucket in range(first + 1, int(end // QUARTER_HOUR_S) + 1):
        off = quarter_hour_offset(tz, bucket)
        if off != current:
            changes.append((float(bucket * QUARTER_HOUR_S), off))
            current = off
    return first_offset, tuple(changes)
