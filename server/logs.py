"""Server logs: one ``key=value`` line per event, secrets redacted, rotated.

Why this shape: a technician reads the logs with ``journalctl -u turnero | grep level=ERROR``
or ``grep 'path=/api/v1/tickets'``; a multi-line traceback or a free-form line defeats that.
Every line is ``time=… level=… logger=… msg="…"`` (logfmt), with a traceback folded into
``exc="…"`` on the same line, and HTTP access lines adding ``client method path status``.

Tokens travel in query strings (``/display?token=…``, ``/api/v1/events?token=…``): uvicorn
puts the full path in its access and websocket lines. The formatter redacts token-like query
parameters, bearer headers and password fields from the finished line, whatever logger wrote it,
so no device token, session token or password reaches a log file or the journal.

Rotation: under systemd the journal rotates (``SystemMaxUse=`` in journald.conf); with
``--log-file`` a size-limited :class:`logging.handlers.RotatingFileHandler` keeps
:data:`LOG_FILE_BACKUPS` old files of :data:`LOG_FILE_MAX_BYTES` each.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

LOG_FILE_MAX_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 5
LEVELS = ("debug", "info", "warning", "error")
REDACTED = "[oculto]"

#: ``token=…`` / ``csrf=…`` / ``password=…`` in a query string or form, a bearer credential,
#: and a JSON ``"password": "…"`` / ``"token": "…"`` pair.
_SECRET_PATTERNS = [
    (re.compile(r"(?i)\b((?:access_)?token|csrf|password)=[^&\s\"']+"),
     rf"\1={REDACTED}"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    (re.compile(r"(?i)(\"(?:token|password|csrf)\"\s*:\s*\")[^\"]*\""), rf"\1{REDACTED}\""),
]


def redact(text: str) -> str:
    """``text`` with every token, bearer credential and password replaced by REDACTED."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _quote(value: str) -> str:
    """A logfmt value: bare when safe, otherwise double-quoted with escapes (one line)."""
    if value and not re.search(r"[\s\"=\\]", value):
        return value
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


class KeyValueFormatter(logging.Formatter):
    """``time=2026-12-01T08:00:00-0500 level=INFO logger=turnero msg="…"``, redacted.

    uvicorn's access records carry ``(client, method, path, http_version, status)`` as args;
    those become their own fields so a line can be filtered by path or status.
    """

    def format(self, record: logging.LogRecord) -> str:
        fields: list[tuple[str, str]] = [
            ("time", time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created))),
            ("level", record.levelname),
            ("logger", record.name),
        ]
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, _version, status = args
            fields += [("client", str(client)), ("method", str(method)), ("path", str(path)),
                       ("status", str(status))]
        else:
            fields.append(("msg", record.getMessage()))
        if record.exc_info:
            fields.append(("exc", self.formatException(record.exc_info)))
        # redacted before quoting, so the patterns see the text as written
        return " ".join(f"{k}={_quote(redact(v))}" for k, v in fields)


def logging_config(log_file: Path | None = None, level: str = "info",
                   access_log: bool = False,
                   max_bytes: int = LOG_FILE_MAX_BYTES) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` for ``uvicorn.run(log_config=…)``.

    Turnero's own loggers log at ``level``; uvicorn's connection chatter (every websocket
    opened and closed) only from ``warning`` unless ``level`` is ``debug``. The access log
    (one line per HTTP request) is off unless asked for: an office server answers thousands
    of requests a day and most offices only need the events.
    """
    if level not in LEVELS:
        raise ValueError(f"nivel de registro desconocido: {level}")
    handler: dict[str, Any]
    if log_file is None:
        handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    else:
        handler = {"class": "logging.handlers.RotatingFileHandler",
                   "filename": str(log_file), "maxBytes": max_bytes,
                   "backupCount": LOG_FILE_BACKUPS, "encoding": "utf-8"}
    handler["formatter"] = "kv"
    upper = level.upper()
    uvicorn_level = "DEBUG" if level == "debug" else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kv": {"()": KeyValueFormatter}},
        "handlers": {"main": handler},
        "root": {"handlers": ["main"], "level": "WARNING"},
        "loggers": {
            name: {"level": upper, "handlers": ["main"], "propagate": False}
            for name in ("turnero", "server", "display", "printer", "hardware")
        } | {
            "uvicorn": {"level": uvicorn_level, "handlers": ["main"], "propagate": False},
            "uvicorn.error": {"level": uvicorn_level},
            "uvicorn.access": {"level": "INFO" if access_log else "WARNING",
                               "handlers": ["main"] if access_log else [],
                               "propagate": False},
        },
    }
