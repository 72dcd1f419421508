"""Kiosk settings: one TOML file (``kiosk.toml``) and/or command-line options.

Command-line options win over the file, the file wins over the defaults. Every key is
documented in ``kiosk/kiosk.example.toml``; :data:`KEYS` is the list a test checks against
that file, so an undocumented key cannot slip in.

Pure: no Kivy, no network. Errors are :class:`SettingsError` with plain Spanish lines that
name the key, so the technician installing the kiosk can fix them without reading code.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

#: Screen sizes the layout is designed for (any other WxH works too; these are tested).
KNOWN_SIZES = ("1080x1920", "1920x1080", "800x480")
LANGUAGES = ("es",)
PAPERS = ("58", "80")
TOKEN_ENV = "TURNERO_KIOSK_TOKEN"

_SIZE_RE = re.compile(r"^(\d{3,4})x(\d{3,4})$")


class SettingsError(Exception):
    """Invalid kiosk settings; ``problems`` has one plain-Spanish line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class KioskSettings:
    """Everything a kiosk needs to run. Times are seconds."""

    server: str = ""
    token: str = ""
    #: Required: a kiosk without a configured printer must not claim tickets were printed.
    printer: str = ""
    paper: str = "80"
    fullscreen: bool = False
    lang: str = "es"
    size: str = "1080x1920"
    speak: bool = False
    voice: str = "es"
    #: Screen density in dots per inch; 0 = what the system reports. Sets the physical size of
    #: touch targets (at least 2 cm) and text.
    dpi: float = 0
    idle_timeout_s: float = 30
    ticket_timeout_s: float = 10
    #: How long the ticket stays on screen when it could not be printed (time for a photo).
    fallback_timeout_s: float = 60
    error_timeout_s: float = 8
    refresh_s: float = 60
    retry_s: float = 3
    request_timeout_s: float = 5
    #: Name sent to the server in the User-Agent (its logs); the token identifies the kiosk.
    name: str = "quiosco"

    @property
    def window_size(self) -> tuple[int, int]:
        m = _SIZE_RE.match(self.size)
        assert m, self.size  # validated in check()
        return int(m.group(1)), int(m.group(2))

    def check(self) -> KioskSettings:
        """Return self, or raise SettingsError listing every problem."""
        problems: list[str] = []
        if not re.match(r"^https?://[^\s/]+", self.server):
            problems.append("server: indique la dirección del servidor, p. ej. "
                            "http://192.168.1.10:8000")
        if not self.token.strip():
            problems.append(f"token: falta el token del quiosco (créelo con `turnero token "
                            f"create --role kiosk --name quiosco-1`; también puede ir en la "
                            f"variable {TOKEN_ENV})")
        if not self.printer.strip():
            problems.append("printer: falta la impresora (usb:VID:PID, serial:/dev/ttyUSB0, "
                            "tcp:HOST:9100, file:RUTA o dummy)")
        if self.paper not in PAPERS:
            problems.append(f"paper: ancho de papel {self.paper!r}; use 58 u 80")
        if self.lang not in LANGUAGES:
            problems.append(f"lang: idioma {self.lang!r} no disponible; use {', '.join(LANGUAGES)}")
        if not _SIZE_RE.match(self.size):
            problems.append(f"size: tamaño {self.size!r} inválido; use ANCHOxALTO, p. ej. "
                            + ", ".join(KNOWN_SIZES))
        if self.dpi < 0 or self.dpi > 1000:
            problems.append(f"dpi: {self.dpi} fuera de rango (0 = automático, o 60–600)")
        problems.extend(f"{name}: debe ser un número de segundos mayor que cero"
                        for name in ("idle_timeout_s", "ticket_timeout_s", "fallback_timeout_s",
                                     "error_timeout_s", "refresh_s", "retry_s",
                                     "request_timeout_s")
                        if getattr(self, name) <= 0)
        if problems:
            raise SettingsError(problems)
        return self


KEYS: tuple[str, ...] = tuple(f.name for f in fields(KioskSettings))
_TYPES: dict[str, type] = {f.name: type(getattr(KioskSettings(), f.name)) for f in
                           fields(KioskSettings)}


def from_toml(path: Path) -> dict[str, Any]:
    """The keys of a kiosk TOML file, type-checked (not yet merged with defaults)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SettingsError([f"{path}: no se puede leer ({e.strerror})"]) from e
    except tomllib.TOMLDecodeError as e:
        raise SettingsError([f"{path}: TOML inválido: {e}"]) from e
    data = data.get("kiosk", data)  # accept a [kiosk] table or top-level keys
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _TYPES:
            problems.append(f"{path}: clave desconocida {key!r}; las válidas son: "
                            + ", ".join(KEYS))
            continue
        expected = _TYPES[key]
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is str and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # paper = 80
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            problems.append(f"{path}: {key}: se esperaba {expected.__name__}, "
                            f"se encontró {value!r}")
            continue
        values[key] = value
    if problems:
        raise SettingsError(problems)
    return values


def resolve(file: Path | None, overrides: dict[str, Any],
            env: dict[str, str] | None = None) -> KioskSettings:
    """Defaults ← TOML file ← environment token ← command-line overrides (None = not given)."""
    env = dict(os.environ) if env is None else env
    settings = KioskSettings()
    if file is not None:
        settings = replace(settings, **from_toml(file))
    if env.get(TOKEN_ENV) and overrides.get("token") is None:
        settings = replace(settings, token=env[TOKEN_ENV])
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - set(KEYS)
    if unknown:
        raise SettingsError([f"opción desconocida: {', '.join(sorted(unknown))}"])
    return replace(settings, **given).check()
