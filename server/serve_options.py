"""``turnero serve`` options for running in an office: HTTPS on the LAN, the logs, and how
long a staff sign-in lasts.

HTTPS: with a certificate and its key, uvicorn serves TLS itself (``ssl_certfile`` /
``ssl_keyfile``), so staff passwords and session tokens never cross the office Wi-Fi in clear
text; the session and board cookies are then marked ``Secure`` (they follow the request's
scheme). Offices that prefer a reverse proxy use the files in ``deploy/`` instead.

Each option can come from the environment (``/etc/turnero/turnero.env`` under systemd), so
the service file never changes when a certificate is added.
"""

from __future__ import annotations

import argparse
import os
import ssl
from pathlib import Path
from typing import Any

from server.auth import SESSION_HOURS
from server.errors import ConfigError
from server.logs import LEVELS, logging_config

TLS_CERT_ENV = "TURNERO_TLS_CERT"
TLS_KEY_ENV = "TURNERO_TLS_KEY"
LOG_FILE_ENV = "TURNERO_LOG_FILE"
LOG_LEVEL_ENV = "TURNERO_LOG_LEVEL"
SESSION_HOURS_ENV = "TURNERO_SESSION_HOURS"
#: Longest staff sign-in allowed (a week): a session is a key left in a browser.
MAX_SESSION_HOURS = 168.0


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def add_serve_options(p: argparse.ArgumentParser) -> None:
    """The HTTPS and logging options of ``turnero serve``."""
    p.add_argument("--tls-cert", type=Path, default=_env_path(TLS_CERT_ENV),
                   help=f"PEM certificate: serve HTTPS [env {TLS_CERT_ENV}]")
    p.add_argument("--tls-key", type=Path, default=_env_path(TLS_KEY_ENV),
                   help=f"PEM private key of --tls-cert [env {TLS_KEY_ENV}]")
    p.add_argument("--log-file", type=Path, default=_env_path(LOG_FILE_ENV),
                   help="write the log to this file, rotated by size (default: standard "
                        f"error, for journald) [env {LOG_FILE_ENV}]")
    p.add_argument("--log-level", choices=LEVELS,
                   default=os.environ.get(LOG_LEVEL_ENV, "info"),
                   help=f"default info [env {LOG_LEVEL_ENV}]")
    p.add_argument("--access-log", action="store_true",
                   help="also one line per HTTP request (tokens in addresses are hidden)")
    p.add_argument("--session-hours", type=session_hours, metavar="H",
                   default=os.environ.get(SESSION_HOURS_ENV, str(SESSION_HOURS)),
                   help=f"how long a staff sign-in lasts; when it runs out the clerk's "
                        f"counter closes and its ticket in hand returns to the line "
                        f"(default {SESSION_HOURS}) [env {SESSION_HOURS_ENV}]")


def session_hours(value: str) -> float:
    """``--session-hours``: hours, more than 0 and at most a week (fractions allowed)."""
    try:
        hours = float(value)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise argparse.ArgumentTypeError(
            f"«{value}» no sirve: indique las horas que dura una sesión, más de 0 y hasta "
            f"{MAX_SESSION_HOURS:g}.")
    return hours


def tls_options(cert: Path | None, key: Path | None) -> dict[str, Any]:
    """uvicorn's TLS keywords, after checking the pair loads: a wrong path or a key that does
    not match the certificate is refused before the server starts, in plain Spanish."""
    if cert is None and key is None:
        return {}
    if cert is None or key is None:
        raise ConfigError(["HTTPS necesita el certificado y la llave: use --tls-cert y "
                           "--tls-key juntos."])
    problems = [f"{what} {path}: no existe o no se puede leer."
                for what, path in (("Certificado", cert), ("Llave", key))
                if not os.access(path, os.R_OK) or not path.is_file()]
    if not problems:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
        except (ssl.SSLError, ValueError) as e:
            problems.append(f"El certificado {cert} y la llave {key} no sirven juntos "
                            f"(¿formato PEM, llave correcta, sin clave de paso?): {e}")
    if problems:
        raise ConfigError(problems)
    return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}


def uvicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """Extra ``uvicorn.run`` keywords from the options above (TLS, logging)."""
    if args.log_level not in LEVELS:  # from the environment, which argparse does not check
        raise ConfigError([f"{LOG_LEVEL_ENV}={args.log_level!r}: use uno de "
                           f"{', '.join(LEVELS)}."])
    log_file: Path | None = args.log_file
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            with log_file.open("a", encoding="utf-8"):
                pass
        except OSError as e:
            raise ConfigError([f"No se puede escribir el registro en {log_file}: "
                               f"{e.strerror}."]) from e
    return {
        **tls_options(args.tls_cert, args.tls_key),
        "log_config": logging_config(log_file, args.log_level, args.access_log),
        "log_level": None,
        "access_log": args.access_log,
    }


def public_url(args: argparse.Namespace, options: dict[str, Any]) -> str | None:
    """The address for QR codes: ``--public-url``, or ``https://host:port`` when serving TLS
    without one (the server's own default is plain http)."""
    if args.public_url or "ssl_certfile" not in options:
        return args.public_url
    host = args.host if args.host not in ("0.0.0.0", "::") else "127.0.0.1"
    return f"https://{host}:{args.port}"
