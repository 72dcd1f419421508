"""The bridge's TOML file (every key is described in docs/hardware.md and
``hardware/examples/``). Every problem is reported, each with the key and its line, like
``turnero check-config``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardware.checksums import ALGORITHMS
from hardware.frames import FrameError, FrameFormat, unescape

TOKEN_ENV = "TURNERO_HARDWARE_TOKEN"
ACTIONS = ("next", "recall", "start", "finish", "no_show", "pause", "resume")
PAUSE_REASONS = ("break", "lunch", "other_task", "other")
#: Every key the file may hold (each one is described in docs/hardware.md; a test checks it).
TOP_KEYS = {"server", "token", "displays", "buttons", "report_every_s", "retry_max_s"}
SERIAL_KEYS = {"name", "port", "baudrate", "bytesize", "parity", "stopbits"}
DISPLAY_KEYS = SERIAL_KEYS | {"counter", "board", "lines", "address", "frame", "checksum",
                              "checksum_skip", "encoding", "idle", "paused", "closed", "blank",
                              "recall_repeats", "blink_ms", "refresh_s"}
BUTTON_KEYS = SERIAL_KEYS | {"keys", "debounce_ms", "ignore", "sequence_timeout_ms"}
PARITIES = {"none": "N", "even": "E", "odd": "O", "mark": "M", "space": "S",
            "N": "N", "E": "E", "O": "O", "M": "M", "S": "S"}


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SerialSettings:
    """How to open one port: a device path or any pyserial URL (``socket://host:4001``)."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1

    def same_line(self, other: SerialSettings) -> bool:
        return (self.baudrate, self.bytesize, self.parity, self.stopbits) == (
            other.baudrate, other.bytesize, other.parity, other.stopbits)


@dataclass(frozen=True)
class DisplayConfig:
    name: str
    serial: SerialSettings
    frame: FrameFormat
    counter: int | None = None
    board: str | None = None
    lines: int = 4
    address: int = 0
    idle: str = "----"
    paused: str = "PAUSA"
    closed: str = "----"
    blank: str = ""
    recall_repeats: int = 2
    blink_ms: int = 400
    refresh_s: float = 0.0


@dataclass(frozen=True)
class KeyAction:
    counter: int
    action: str
    reason: str = "break"


@dataclass(frozen=True)
class ButtonsConfig:
    name: str
    serial: SerialSettings
    keys: dict[bytes, KeyAction]
    debounce_ms: int = 300
    ignore: bytes = b"\r\n"
    sequence_timeout_ms: int = 500


@dataclass(frozen=True)
class BridgeConfig:
    server: str
    token: str
    displays: tuple[DisplayConfig, ...] = ()
    buttons: tuple[ButtonsConfig, ...] = ()
    report_every_s: float = 30.0
    retry_max_s: float = 10.0
    counters: tuple[int, ...] = field(default=())

    @property
    def ports(self) -> dict[str, SerialSettings]:
        """Each display port once (several displays may share an RS-485 bus)."""
        return {d.serial.port: d.serial for d in self.displays}


def load_config(path: Path, env: Mapping[str, str] | None = None) -> BridgeConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([f"{path}: no se puede leer el archivo ({e.strerror})."]) from e
    return parse_config(text, str(path), os.environ if env is None else env)


def parse_config(text: str, source: str = "<config>",
                 env: Mapping[str, str] | None = None) -> BridgeConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError([f"{source}: TOML inválido: {e}"]) from e
    v = _Validator(source, text)
    cfg = v.build(data, env or {})
    if v.problems:
        raise ConfigError(v.problems)
    assert cfg is not None
    return cfg


class _Validator:
    """Collects every problem with the line where the key stands."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.lines = text.splitlines()
        self.problems: list[str] = []

    def _line(self, table: str, index: int | None, key: str | None) -> int:
        start = 0
        if table:
            headers = (f"[[{table}]]", f"[{table}]")
            found = [i for i, ln in enumerate(self.lines)
                     if ln.strip().replace(" ", "").startswith(headers)]
            pick = index or 0
            if pick < len(found):
                start = found[pick]
        if key is None:
            return start + 1
        pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
        for i in range(start, len(self.lines)):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1

    def error(self, where: str, msg: str, table: str = "", index: int | None = None,
              key: str | None = None) -> None:
        self.problems.append(f"{self.source}:{self._line(table, index, key)}: {where}: {msg}")

    def get(self, d: dict[str, Any], key: str, typ: type | tuple[type, ...], default: Any,
            table: str = "", index: int | None = None, required: bool = False,
            where: str | None = None) -> Any:
        label = where or (f"{table}[{index}].{key}" if index is not None else key)
        if key not in d:
            if required:
                self.error(label, "falta este dato (obligatorio)", table, index, None)
            return default
        value = d[key]
        bad_bool = typ in (int, float, (int, float)) and isinstance(value, bool)
        if bad_bool or not isinstance(value, typ):
            names = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
            self.error(label, f"se esperaba {names}, se encontró {value!r}", table, index, key)
            return default
        return value

    def unknown(self, d: dict[str, Any], known: set[str], table: str,
                index: int | None = None) -> None:
        for key in d:
            if key not in known:
                where = f"{table}[{index}].{key}" if index is not None else key
                self.error(where, f"clave desconocida; las válidas son: "
                                  f"{', '.join(sorted(known))}", table, index, key)

    # ----------------------------------------------------------------------------- build
    def build(self, data: dict[str, Any], env: Mapping[str, str]) -> BridgeConfig | None:
        self.unknown(data, TOP_KEYS, "")
        server = self.get(data, "server", str, "http://127.0.0.1:8000")
        if not re.match(r"^https?://[^/\s]+", server):
            self.error("server", f"se esperaba http://host:puerto, se encontró {server!r}",
                       key="server")
        token = self.get(data, "token", str, "") or env.get(TOKEN_ENV, "")
        if not token:
            self.error("token", f"falta el token del dispositivo (o la variable {TOKEN_ENV}); "
                                "créelo con turnero token create --role hardware", key="token")
        report = self.get(data, "report_every_s", (int, float), 30.0)
        retry = self.get(data, "retry_max_s", (int, float), 10.0)
        if report <= 0 or retry <= 0:
            self.error("report_every_s/retry_max_s", "deben ser mayores que cero")
        displays = [self._display(d, i) for i, d in
                    enumerate(self._tables(data, "displays"))]
        buttons = [self._buttons(b, i) for i, b in enumerate(self._tables(data, "buttons"))]
        self._ports_agree([d for d in displays if d], [b for b in buttons if b])
        if not displays and not buttons:
            self.error("displays/buttons", "no hay pantallas ni botoneras: nada que hacer")
        if self.problems:
            return None
        counters = sorted({d.counter for d in displays if d and d.counter is not None}
                          | {k.counter for b in buttons if b for k in b.keys.values()})
        return BridgeConfig(server.rstrip("/"), token, tuple(d for d in displays if d),
                            tuple(b for b in buttons if b), float(report), float(retry),
                            tuple(counters))

    def _tables(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        items = data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            self.error(name, f"se esperaba una lista de tablas [[{name}]]", key=name)
            return []
        return items

    def _serial(self, d: dict[str, Any], table: str, i: int) -> SerialSettings:
        port = self.get(d, "port", str, "", table, i, required=True)
        baud = self.get(d, "baudrate", int, 9600, table, i)
        bytesize = self.get(d, "bytesize", int, 8, table, i)
        parity = self.get(d, "parity", str, "none", table, i)
        stopbits = self.get(d, "stopbits", (int, float), 1, table, i)
        if baud <= 0:
            self.error(f"{table}[{i}].baudrate", "debe ser positivo", table, i, "baudrate")
        if bytesize not in (5, 6, 7, 8):
            self.error(f"{table}[{i}].bytesize", "use 5, 6, 7 u 8", table, i, "bytesize")
        if parity not in PARITIES:
            self.error(f"{table}[{i}].parity", "use none, even, odd, mark o space", table, i,
                       "parity")
        if stopbits not in (1, 1.5, 2):
            self.error(f"{table}[{i}].stopbits", "use 1, 1.5 o 2", table, i, "stopbits")
        return SerialSettings(port, baud, bytesize, PARITIES.get(parity, "N"), stopbits)

    def _display(self, d: dict[str, Any], i: int) -> DisplayConfig | None:
        t = "displays"
        self.unknown(d, DISPLAY_KEYS, t, i)
        before = len(self.problems)
        serial = self._serial(d, t, i)
        counter = self.get(d, "counter", int, None, t, i)
        board = self.get(d, "board", str, None, t, i)
        if (counter is None) == (board is None):
            self.error(f"{t}[{i}]", "indique counter (una ventanilla) o board (una sala), "
                                    "uno de los dos", t, i)
        lines = self.get(d, "lines", int, 4, t, i)
        if not 1 <= lines <= 32:
            self.error(f"{t}[{i}].lines", "entre 1 y 32", t, i, "lines")
        ints = {k: self.get(d, k, int, default, t, i) for k, default in
                (("address", 0), ("checksum_skip", 0), ("recall_repeats", 2), ("blink_ms", 400))}
        for k in ("recall_repeats", "blink_ms", "checksum_skip", "address"):
            if ints[k] < 0:
                self.error(f"{t}[{i}].{k}", "no puede ser negativo", t, i, k)
        refresh = self.get(d, "refresh_s", (int, float), 0.0, t, i)
        texts = {k: unescape(self.get(d, k, str, default, t, i)) for k, default in
                 (("idle", "----"), ("paused", "PAUSA"), ("blank", ""))}
        closed = unescape(self.get(d, "closed", str, texts["idle"], t, i))
        frame = None
        checksum = self.get(d, "checksum", str, "none", t, i)
        if checksum not in ALGORITHMS:
            self.error(f"{t}[{i}].checksum", f"checksum {checksum!r} desconocido; use uno de: "
                       f"{', '.join(ALGORITHMS)}", t, i, "checksum")
        else:
            try:
                frame = FrameFormat(self.get(d, "frame", str, "{text}\r\n", t, i), checksum,
                                    max(0, ints["checksum_skip"]),
                                    self.get(d, "encoding", str, "latin-1", t, i))
            except FrameError as e:
                self.error(f"{t}[{i}].frame", str(e), t, i, "frame")
        if len(self.problems) > before or frame is None:
            return None
        default_name = f"ventanilla-{counter}" if counter is not None else f"sala-{board}"
        return DisplayConfig(
            name=self.get(d, "name", str, default_name, t, i), serial=serial, frame=frame,
            counter=counter, board=board, lines=lines, address=ints["address"],
            idle=texts["idle"], paused=texts["paused"], closed=closed, blank=texts["blank"],
            recall_repeats=ints["recall_repeats"], blink_ms=ints["blink_ms"],
            refresh_s=float(refresh))

    def _buttons(self, b: dict[str, Any], i: int) -> ButtonsConfig | None:
        t = "buttons"
        self.unknown(b, BUTTON_KEYS, t, i)
        before = len(self.problems)
        serial = self._serial(b, t, i)
        debounce = self.get(b, "debounce_ms", int, 300, t, i)
        timeout = self.get(b, "sequence_timeout_ms", int, 500, t, i)
        ignore = unescape(self.get(b, "ignore", str, "\r\n", t, i)).encode("latin-1", "replace")
        if debounce < 0 or timeout <= 0:
            self.error(f"{t}[{i}].debounce_ms", "debounce_ms >= 0 y sequence_timeout_ms > 0",
                       t, i, "debounce_ms")
        raw = self.get(b, "keys", dict, {}, t, i, required=True)
        keys: dict[bytes, KeyAction] = {}
        for code, spec in raw.items():
            data = unescape(code).encode("latin-1", "replace")
            key = self._key(code, spec, data, ignore, i)
            if key is not None:
                keys[data] = key
        for a in keys:
            for other in keys:
                if a != other and other.startswith(a):
                    self.error(f"{t}[{i}].keys", f"el código {a!r} es el comienzo de "
                                                 f"{other!r}: no se podrían distinguir",
                               f"{t}.keys", i, None)
        if len(self.problems) > before:
            return None
        return ButtonsConfig(self.get(b, "name", str, f"botonera-{i + 1}", t, i), serial, keys,
                             debounce, ignore, timeout)

    def _key(self, code: str, spec: Any, data: bytes, ignore: bytes, i: int) -> KeyAction | None:
        """One entry of buttons[i].keys (the code's bytes are ``data``), or None when wrong."""
        t = "buttons"
        where = f"{t}[{i}].keys.{code!r}"
        if not isinstance(spec, dict):
            self.error(where, "se esperaba { counter = N, action = \"next\" }",
                       f"{t}.keys", i, code)
            return None
        extra = set(spec) - {"counter", "action", "reason"}
        if extra:
            self.error(where, f"clave desconocida {sorted(extra)[0]!r}; use counter, "
                              "action, reason", f"{t}.keys", i, code)
        counter, action = spec.get("counter"), spec.get("action")
        reason = spec.get("reason", "break")
        if not isinstance(counter, int) or isinstance(counter, bool):
            self.error(where, f"counter debe ser un número, no {counter!r}",
                       f"{t}.keys", i, code)
            return None
        if action not in ACTIONS:
            self.error(where, f"acción {action!r} desconocida; use: {', '.join(ACTIONS)}",
                       f"{t}.keys", i, code)
            return None
        if reason not in PAUSE_REASONS:
            self.error(where, f"motivo de pausa {reason!r}; use: {', '.join(PAUSE_REASONS)}",
                       f"{t}.keys", i, code)
            return None
        if not data or any(byte in ignore for byte in data):
            self.error(where, "el código está vacío o contiene bytes de 'ignore'",
                       f"{t}.keys", i, code)
            return None
        return KeyAction(counter, action, reason)

    def _ports_agree(self, displays: list[DisplayConfig], buttons: list[ButtonsConfig]) -> None:
        seen: dict[str, SerialSettings] = {}
        names: set[str] = set()
        for i, d in enumerate(displays):
            if d.name in names:
                self.error(f"displays[{i}].name", f"nombre repetido {d.name!r}", "displays", i,
                           "name")
            names.add(d.name)
            first = seen.setdefault(d.serial.port, d.serial)
            if not first.same_line(d.serial):
                self.error(f"displays[{i}].baudrate", f"el puerto {d.serial.port} ya se usa con "
                           "otra velocidad o formato: un bus comparte uno solo", "displays", i,
                           "baudrate")
        for i, b in enumerate(buttons):
            if b.serial.port in seen:
                self.error(f"buttons[{i}].port", f"{b.serial.port} ya es el puerto de una "
                           "pantalla o de otra botonera", "buttons", i, "port")
            seen[b.serial.port] = b.serial
