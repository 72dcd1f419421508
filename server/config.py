"""The office configuration: a TOML file that seeds a new database.

The file is validated as a whole and every error names the key and the line, so a technician
can fix it without reading code. After the first start the configuration lives in the database
(the admin pages edit it there); see README "Configuration".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from display.spanish_numbers import letter_names
from server.errors import ConfigError
from server.queue.characterization import NO_ANSWER, Characterization, Option, Question
from server.queue.hours import WEEKDAYS, OpeningHours, Period, hours_line
from server.queue.model import Counter, Group, PolicyMode, PriorityPolicy, Service
from server.queue.no_show import NoShowRule
from server.queue.public_holidays import colombian_holidays

DEMO_CONFIG = Path(__file__).parent / "demo" / "office.toml"
#: Counter numbers have at most four digits (they are spoken, shown and typed in addresses).
MAX_COUNTER_NUMBER = 9999


@dataclass(frozen=True)
class Board:
    """A display board limited to some services and/or counters (empty = all)."""

    code: str
    name: str
    services: tuple[str, ...] = ()
    counters: tuple[int, ...] = ()


@dataclass(frozen=True)
class BackupSchedule:
    """``[backup]``: a daily copy of the database at ``at`` (office time) into ``folder``
    (relative to the database's folder unless absolute), keeping the newest ``keep``. Read
    from the TOML file at each start, never stored in the database: the folder belongs to the
    machine, not to the office."""

    at: time
    folder: Path
    keep: int = 7


@dataclass(frozen=True)
class CentralLink:
    """Where the office sends its records (``[central]``): the centre's address and this
    office's token there. Read from the file at every start, never stored in the database."""

    url: str
    token: str


@dataclass(frozen=True)
class OfficeConfig:
    name: str
    timezone: str = "America/Bogota"
    hours: OpeningHours = field(default_factory=OpeningHours)
    services: tuple[Service, ...] = ()
    counters: tuple[Counter, ...] = ()
    groups: tuple[Group, ...] = ()
    policy: PriorityPolicy = field(default_factory=PriorityPolicy)
    no_show: NoShowRule = field(default_factory=NoShowRule)
    boards: tuple[Board, ...] = ()
    ticket_footer: tuple[str, ...] = ()
    board_message: str = ""
    characterization: Characterization = field(default_factory=Characterization)
    #: Spoken letter names the office changed ({"V": "ve"}), see ``[speech] letters``.
    spoken_letters: tuple[tuple[str, str], ...] = ()
    backup: BackupSchedule | None = field(default=None, compare=False, repr=False)
    central: CentralLink | None = field(default=None, compare=False, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    def counter(self, number: int) -> Counter | None:
        return next((c for c in self.counters if c.number == number), None)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def board(self, code: str) -> Board | None:
        return next((b for b in self.boards if b.code == code), None)

    def printed_footer(self) -> list[str]:
        """The ticket's footer: the hours line generated from the configured hours, then the
        office's own lines (a hand-written "Horario…" line is left out: it could contradict
        the hours)."""
        line = hours_line(self.hours)
        own = [x for x in self.ticket_footer if not x.strip().lower().startswith("horario")]
        return [line, *own] if line else own

    def to_dict(self) -> dict[str, Any]:
        """The TOML shape, as plain data (stored as JSON in the database)."""
        return {
            "office": {
                "name": self.name,
                "timezone": self.timezone,
                "ticket_footer": list(self.ticket_footer),
                "board_message": self.board_message,
            },
            "hours": {
                **{
                    WEEKDAYS[d]: [str(p) for p in self.hours.weekly.get(d, ())]
                    for d in range(7)
                },
                "closed_dates": sorted(d.isoformat() for d in self.hours.closed_dates),
                "national_holidays": self.hours.national_holidays,
            },
            "priority": {
                "mode": str(self.policy.mode),
                "preferential_in_row": self.policy.preferential_in_row,
                "max_wait_min": self.policy.max_wait_min,
                "min_calls_before_no_show": self.no_show.min_calls_before_no_show,
                "no_show_after_s": self.no_show.no_show_after_s,
            },
            "services": [asdict(s) for s in self.services],
            "counters": [
                {"number": c.number, "name": c.name, "services": list(c.services)}
                for c in self.counters
            ],
            "groups": [asdict(g) for g in self.groups],
            "boards": [
                {
                    "code": b.code,
                    "name": b.name,
                    "services": list(b.services),
                    "counters": list(b.counters),
                }
                for b in self.boards
            ],
            "characterization": self.characterization.to_dict(),
            "speech": {"letters": dict(self.spoken_letters)},
        }


# --------------------------------------------------------------------------- loading


def load_config(path: str | Path) -> OfficeConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([f"{path}: no se puede leer el archivo ({e.strerror})."]) from e
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str = "<config>") -> OfficeConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError([f"{source}: TOML inválido: {e}"]) from e
    return config_from_dict(data, source=source, text=text)


def config_from_dict(data: dict[str, Any], source: str = "<config>",
                     text: str = "") -> OfficeConfig:
    v = _Validator(source, text)
    cfg = v.build(data)
    if v.problems:
        raise ConfigError(v.problems)
    assert cfg is not None
    return cfg


_CODE_RE = re.compile(r"^[A-Z]$")
_GROUP_RE = re.compile(r"^[A-Z0-9_]{1,12}$")
_QUESTION_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_OPTION_RE = re.compile(r"^[A-Za-z0-9+_.\-]{1,24}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_PERIOD_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class _Validator:
    """Collects every problem (not just the first) with the line where the key stands."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.lines = text.splitlines()
        self.problems: list[str] = []

    # -- locating keys in the text, for messages ------------------------------------------
    def _line_of(self, table: str, index: int | None, key: str | None) -> int | None:
        if not self.lines:
            return None
        start = 0
        if index is not None:
            headers = [
                i for i, ln in enumerate(self.lines) if ln.strip().startswith(f"[[{table}]]")
            ]
            if index < len(headers):
                start = headers[index]
        elif table:
            for i, ln in enumerate(self.lines):
                if ln.strip().startswith(f"[{table}]"):
                    start = i
                    break
        if key is None:
            return start + 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, len(self.lines)):
            if i > start and self.lines[i].strip().startswith("["):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1

    def error(self, where: str, msg: str, table: str = "", index: int | None = None,
              key: str | None = None) -> None:
        line = self._line_of(table, index, key)
        at = f"{self.source}:{line}" if line else self.source
        self.problems.append(f"{at}: {where}: {msg}")

    # -- typed getters ----------------------------------------------------------------------
    def get(self, d: dict[str, Any], key: str, typ: type | tuple[type, ...], default: Any,
            where: str, table: str, index: int | None = None, required: bool = False) -> Any:
        if key not in d:
            if required:
                self.error(where, "falta este dato (obligatorio)", table, index, None)
            return default
        value = d[key]
        if typ is int and isinstance(value, bool) or not isinstance(value, typ):
            names = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
            self.error(where, f"se esperaba {names}, se encontró {value!r}", table, index, key)
            return default
        return value

    # -- sections ---------------------------------------------------------------------------
    def build(self, data: dict[str, Any]) -> OfficeConfig | None:
        known = {"office", "hours", "priority", "services", "counters", "groups", "boards",
                 "characterization", "speech", "backup", "central"}
        for k in data:
            if k not in known:
                self.error(k, f"sección desconocida (se admiten: {', '.join(sorted(known))})", k)
        office = data.get("office", {})
        name = self.get(office, "name", str, "", "office.name", "office", required=True)
        tzname = self.get(office, "timezone", str, "America/Bogota", "office.timezone", "office")
        try:
            ZoneInfo(tzname)
        except (ZoneInfoNotFoundError, ValueError):
            self.error("office.timezone", f"zona horaria desconocida: {tzname!r}", "office",
                       None, "timezone")
            tzname = "America/Bogota"
        footer = self.get(office, "ticket_footer", list, [], "office.ticket_footer", "office")
        message = self.get(office, "board_message", str, "", "office.board_message", "office")
        hours = self._hours(data.get("hours", {}))
        policy = self._policy(data.get("priority", {}))
        no_show = self._no_show(data.get("priority", {}))
        services = self._services(data.get("services", []))
        codes = {s.code for s in services}
        counters = self._counters(data.get("counters", []), codes)
        groups = self._groups(data.get("groups", []))
        boards = self._boards(data.get("boards", []), codes, {c.number for c in counters})
        characterization = self._characterization(data.get("characterization", {}))
        spoken_letters = self._spoken_letters(data.get("speech", {}))
        backup = self._backup(data["backup"]) if "backup" in data else None
        central = self._central(data.get("central", {}))
        if not services:
            self.error("services", "defina al menos un servicio ([[services]])", "services")
        if not counters:
            self.error("counters", "defina al menos una ventanilla ([[counters]])", "counters")
        for s in services:
            if s.active and not any(s.code in c.services for c in counters):
                self.error(f"services[{s.code}]", "ninguna ventanilla atiende este servicio",
                           "services")
        return OfficeConfig(
            name=name, timezone=tzname, hours=hours, services=tuple(services),
            counters=tuple(counters), groups=tuple(groups), policy=policy, boards=tuple(boards),
            no_show=no_show,
            ticket_footer=tuple(str(x) for x in footer), board_message=message,
            characterization=characterization, spoken_letters=spoken_letters,
            backup=backup, central=central,
        )

    def _spoken_letters(self, speech: Any) -> tuple[tuple[str, str], ...]:
        """``[speech] letters = { V = "ve" }``: checked so no two letters sound alike."""
        if not isinstance(speech, dict):
            self.error("speech", "debe ser una tabla ([speech])", "speech")
            return ()
        letters = self.get(speech, "letters", dict, {}, "speech.letters", "speech")
        try:
            names = letter_names({str(k): str(v) for k, v in letters.items()})
        except ValueError as e:
            self.error("speech.letters", str(e), "speech", None, "letters")
            return ()
        return tuple((k.strip().upper(), names[k.strip().upper()]) for k in letters)

    def _backup(self, b: Any) -> BackupSchedule | None:
        """``[backup] time = "19:30"``, ``folder = "copias"``, ``keep = 14``."""
        if not isinstance(b, dict):
            self.error("backup", "use [backup]", "backup")
            return None
        for k in b:
            if k not in {"time", "folder", "keep"}:
                self.error(f"backup.{k}", "dato desconocido (use time, folder, keep)", "backup",
                           None, k)
        raw = self.get(b, "time", str, "", "backup.time", "backup", required=True)
        m = _TIME_RE.match(raw)
        at = None
        if raw and not m:
            self.error("backup.time", f"hora {raw!r} inválida; use \"HH:MM\" (24 horas)",
                       "backup", None, "time")
        elif m:
            try:
                at = time(int(m[1]), int(m[2]))
            except ValueError:
                self.error("backup.time", f"hora imposible: {raw!r}", "backup", None, "time")
        folder = self.get(b, "folder", str, "", "backup.folder", "backup", required=True)
        if "folder" in b and not folder.strip():
            self.error("backup.folder", "la carpeta no puede estar vacía", "backup", None,
                       "folder")
        keep = self.get(b, "keep", int, 7, "backup.keep", "backup")
        if keep < 1:
            self.error("backup.keep", "debe ser 1 o más (cuántas copias se guardan)", "backup",
                       None, "keep")
        if at is None or not folder.strip() or keep < 1:
            return None
        return BackupSchedule(at, Path(folder), keep)

    def _central(self, c: Any) -> CentralLink | None:
        """Optional central reporting server: both keys or none."""
        if not isinstance(c, dict):
            self.error("central", "use [central] con url y token", "central")
            return None
        for k in c:
            if k not in {"url", "token"}:
                self.error(f"central.{k}", "dato desconocido (use url, token)", "central", None,
                           k)
        url = self.get(c, "url", str, "", "central.url", "central")
        token = self.get(c, "token", str, "", "central.token", "central")
        if url and not re.match(r"^https?://[^\s/]+", url):
            self.error("central.url", f"{url!r} no es una dirección http:// o https://",
                       "central", None, "url")
            return None
        if bool(url) != bool(token):
            missing = "token" if url else "url"
            self.error(f"central.{missing}", "falta este dato: la central necesita url y token",
                       "central", None, "url" if url else "token")
            return None
        return CentralLink(url.rstrip("/"), token) if url else None

    def _hours(self, h: dict[str, Any]) -> OpeningHours:
        weekly: dict[int, tuple[Period, ...]] = {}
        for k in h:
            if k not in WEEKDAYS and k not in ("closed_dates", "national_holidays"):
                self.error(f"hours.{k}", "día desconocido (use monday … sunday en inglés)",
                           "hours", None, k)
        for d, dayname in enumerate(WEEKDAYS):
            periods = self._day_periods(h, dayname)
            if periods:
                weekly[d] = tuple(periods)
        closed: set[date] = set()
        for item in self.get(h, "closed_dates", list, [], "hours.closed_dates", "hours"):
            try:
                closed.add(item if isinstance(item, date) else date.fromisoformat(str(item)))
            except ValueError:
                self.error("hours.closed_dates", f"fecha inválida {item!r}; use AAAA-MM-DD",
                           "hours", None, "closed_dates")
        national = self.get(h, "national_holidays", bool, True, "hours.national_holidays",
                            "hours")
        return OpeningHours(weekly, frozenset(closed), national,
                            colombian_holidays() if national else {})

    def _day_periods(self, h: dict[str, Any], dayname: str) -> list[Period]:
        """The valid periods of one weekday, sorted; bad or overlapping ones are reported."""
        raw = self.get(h, dayname, list, [], f"hours.{dayname}", "hours")
        periods: list[Period] = []
        for item in raw:
            m = _PERIOD_RE.match(str(item))
            if not m:
                self.error(f"hours.{dayname}", f"franja {item!r} inválida; use \"08:00-11:30\"",
                           "hours", None, dayname)
                continue
            h1, m1, h2, m2 = map(int, m.groups())
            try:
                p = Period(time(h1, m1), time(h2, m2))
            except ValueError:
                self.error(f"hours.{dayname}", f"hora imposible en {item!r}", "hours", None,
                           dayname)
                continue
            if p.end <= p.start:
                self.error(f"hours.{dayname}", f"la franja {item!r} termina antes de empezar",
                           "hours", None, dayname)
                continue
            periods.append(p)
        periods.sort(key=lambda p: p.start)
        for a, b in zip(periods, periods[1:], strict=False):
            if b.start < a.end:
                self.error(f"hours.{dayname}", f"las franjas {a} y {b} se cruzan", "hours",
                           None, dayname)
        return periods

    def _policy(self, p: dict[str, Any]) -> PriorityPolicy:
        mode = self.get(p, "mode", str, "strict", "priority.mode", "priority")
        if mode not in {m.value for m in PolicyMode}:
            self.error("priority.mode", f"modo {mode!r} desconocido; use \"strict\" o \"ratio\"",
                       "priority", None, "mode")
            mode = "strict"
        ratio = self.get(p, "preferential_in_row", int, 3, "priority.preferential_in_row",
                         "priority")
        if ratio < 1:
            self.error("priority.preferential_in_row", "debe ser 1 o más", "priority", None,
                       "preferential_in_row")
            ratio = 1
        cap = self.get(p, "max_wait_min", int, 0, "priority.max_wait_min", "priority")
        if cap < 0:
            self.error("priority.max_wait_min", "no puede ser negativo (0 = sin tope)",
                       "priority", None, "max_wait_min")
            cap = 0
        return PriorityPolicy(PolicyMode(mode), ratio, cap)

    def _no_show(self, p: dict[str, Any]) -> NoShowRule:
        """The grace rule before a called ticket may be marked absent (off by default)."""
        calls = self.get(p, "min_calls_before_no_show", int, 1,
                         "priority.min_calls_before_no_show", "priority")
        if not 1 <= calls <= 10:
            self.error("priority.min_calls_before_no_show", "debe estar entre 1 y 10",
                       "priority", None, "min_calls_before_no_show")
            calls = 1
        after = self.get(p, "no_show_after_s", int, 0, "priority.no_show_after_s", "priority")
        if not 0 <= after <= 1800:
            self.error("priority.no_show_after_s",
                       "debe estar entre 0 y 1800 segundos (0 = sin espera)", "priority", None,
                       "no_show_after_s")
            after = 0
        return NoShowRule(calls, after)

    def _services(self, items: Any) -> list[Service]:
        out: list[Service] = []
        if not isinstance(items, list):
            self.error("services", "use [[services]] (una tabla por servicio)", "services")
            return out
        for i, s in enumerate(items):
            where = f"services[{i}]"
            code = self.get(s, "code", str, "", f"{where}.code", "services", i, required=True)
            if code and not _CODE_RE.match(code):
                self.error(f"{where}.code", f"{code!r} no es una letra mayúscula (A-Z)",
                           "services", i, "code")
            if code and any(o.code == code for o in out):
                self.error(f"{where}.code", f"el código {code!r} está repetido", "services", i,
                           "code")
            name = self.get(s, "name", str, "", f"{where}.name", "services", i, required=True)
            desc = self.get(s, "description", str, "", f"{where}.description", "services", i)
            target = self.get(s, "target_wait_min", int, 15, f"{where}.target_wait_min",
                              "services", i)
            if target <= 0:
                self.error(f"{where}.target_wait_min", "debe ser mayor que 0", "services", i,
                           "target_wait_min")
            active = self.get(s, "active", bool, True, f"{where}.active", "services", i)
            default = self.get(s, "default_service_min", (int, float), 5,
                               f"{where}.default_service_min", "services", i)
            for k in s:
                if k not in {"code", "name", "description", "target_wait_min", "active",
                             "default_service_min"}:
                    self.error(f"{where}.{k}", "dato desconocido", "services", i, k)
            out.append(Service(code, name, desc, target, active, float(default)))
        return out

    def _counters(self, items: Any, codes: set[str]) -> list[Counter]:
        out: list[Counter] = []
        for i, c in enumerate(items if isinstance(items, list) else []):
            where = f"counters[{i}]"
            number = self.get(c, "number", int, 0, f"{where}.number", "counters", i,
                              required=True)
            if not 0 < number <= MAX_COUNTER_NUMBER:
                self.error(f"{where}.number", f"debe ser un número de 1 a {MAX_COUNTER_NUMBER}",
                           "counters", i, "number")
            if any(o.number == number for o in out):
                self.error(f"{where}.number", f"la ventanilla {number} está repetida",
                           "counters", i, "number")
            name = self.get(c, "name", str, f"Ventanilla {number}", f"{where}.name", "counters",
                            i)
            services = self.get(c, "services", list, [], f"{where}.services", "counters", i,
                                required=True)
            for code in services:
                if code not in codes:
                    self.error(f"{where}.services", f"servicio {code!r} no existe", "counters",
                               i, "services")
            if not services and "services" in c:
                self.error(f"{where}.services", "una ventanilla debe atender al menos un servicio",
                           "counters", i, "services")
            out.append(Counter(number, name, tuple(str(x) for x in services)))
        return out

    def _groups(self, items: Any) -> list[Group]:
        out: list[Group] = []
        for i, g in enumerate(items if isinstance(items, list) else []):
            where = f"groups[{i}]"
            code = self.get(g, "code", str, "", f"{where}.code", "groups", i, required=True)
            if code and not _GROUP_RE.match(code):
                self.error(f"{where}.code", f"{code!r}: use mayúsculas, dígitos o _ (máx. 12)",
                           "groups", i, "code")
            if any(o.code == code for o in out):
                self.error(f"{where}.code", f"el grupo {code!r} está repetido", "groups", i,
                           "code")
            name = self.get(g, "name", str, "", f"{where}.name", "groups", i, required=True)
            enabled = self.get(g, "enabled", bool, True, f"{where}.enabled", "groups", i)
            out.append(Group(code, name, enabled))
        return out

    def _boards(self, items: Any, codes: set[str], numbers: set[int]) -> list[Board]:
        out: list[Board] = []
        for i, b in enumerate(items if isinstance(items, list) else []):
            where = f"boards[{i}]"
            code = self.get(b, "code", str, "", f"{where}.code", "boards", i, required=True)
            name = self.get(b, "name", str, code, f"{where}.name", "boards", i)
            services = self.get(b, "services", list, [], f"{where}.services", "boards", i)
            counters = self.get(b, "counters", list, [], f"{where}.counters", "boards", i)
            for s in services:
                if s not in codes:
                    self.error(f"{where}.services", f"servicio {s!r} no existe", "boards", i,
                               "services")
            for n in counters:
                if n not in numbers:
                    self.error(f"{where}.counters", f"ventanilla {n!r} no existe", "boards", i,
                               "counters")
            out.append(Board(code, name, tuple(services), tuple(int(n) for n in counters)))
        return out

    def _characterization(self, c: Any) -> Characterization:
        """Optional kiosk questions: fixed options only (no free text, so no personal data)."""
        if not isinstance(c, dict):
            self.error("characterization", "use [characterization]", "characterization")
            return Characterization()
        for k in c:
            if k not in {"enabled", "questions"}:
                self.error(f"characterization.{k}", "dato desconocido (use enabled, questions)",
                           "characterization", None, k)
        enabled = self.get(c, "enabled", bool, False, "characterization.enabled",
                           "characterization")
        table = "characterization.questions"
        items = c.get("questions", [])
        if not isinstance(items, list):
            self.error(table, "use [[characterization.questions]]", "characterization")
            items = []
        questions: list[Question] = []
        for i, q in enumerate(items):
            questions.append(self._question(q, i, questions))
        if enabled and not questions:
            self.error("characterization.enabled", "activada pero sin preguntas "
                       "([[characterization.questions]])", "characterization", None, "enabled")
        return Characterization(enabled, tuple(questions))

    def _question(self, q: Any, i: int, earlier: list[Question]) -> Question:
        """Question ``i`` of [[characterization.questions]] (problems reported, not raised)."""
        table = "characterization.questions"
        where = f"{table}[{i}]"
        code = self.get(q, "code", str, "", f"{where}.code", table, i, required=True)
        if code and not _QUESTION_RE.match(code):
            self.error(f"{where}.code", f"{code!r}: use minúsculas, dígitos o _ (máx. 32)",
                       table, i, "code")
        if code and any(o.code == code for o in earlier):
            self.error(f"{where}.code", f"la pregunta {code!r} está repetida", table, i,
                       "code")
        text = self.get(q, "text", str, "", f"{where}.text", table, i, required=True)
        for k in q:
            if k not in {"code", "text", "options"}:
                self.error(f"{where}.{k}", "dato desconocido (use code, text, options)",
                           table, i, k)
        raw = self.get(q, "options", list, [], f"{where}.options", table, i, required=True)
        options = self._options(raw, where, i)
        if len(options) < 2 and "options" in q:
            self.error(f"{where}.options", "una pregunta necesita al menos dos opciones",
                       table, i, "options")
        return Question(code, text, tuple(options))

    def _options(self, raw: list[Any], where: str, i: int) -> list[Option]:
        """The valid, distinct options of one question; the others are reported."""
        table = "characterization.questions"
        options: list[Option] = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("code"), str) \
                    or not isinstance(item.get("label"), str):
                self.error(f"{where}.options", f"opción {item!r} inválida; use "
                           '{ code = "...", label = "..." }', table, i, "options")
                continue
            ocode = item["code"]
            if not _OPTION_RE.match(ocode) or ocode == NO_ANSWER:
                self.error(f"{where}.options", f"código de opción {ocode!r} inválido "
                           f"(letras, dígitos, + - _ .; {NO_ANSWER!r} se añade solo)",
                           table, i, "options")
                continue
            if any(o.code == ocode for o in options):
                self.error(f"{where}.options", f"la opción {ocode!r} está repetida", table,
                           i, "options")
                continue
            options.append(Option(ocode, item["label"]))
        return options
