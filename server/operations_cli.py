"""`turnero backup`, `turnero restore`, `turnero doctor`: the technician's commands.

``backup`` works while the server runs (SQLite's online backup API, one read snapshot);
``restore`` refuses while a server holds the database (the instance lock) and asks first;
``doctor`` prints the health report plus configuration and permission checks.
"""

from __future__ import annotations

import argparse
import glob
import os
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from server.backup import BackupFailed, make_backup
from server.instance_lock import InstanceLock, holder_pid


def register(sub: Any) -> None:
    from server.cli import _data_options

    backup = sub.add_parser("backup", help="verified copy of the database (server may run)")
    backup.add_argument("dest", type=Path, help="file to create, or a folder (dated file)")
    _data_options(backup)
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("src", type=Path, help="backup file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _data_options(restore)
    restore.set_defaults(func=cmd_restore)

    doctor = sub.add_parser("doctor", help="health, configuration and permission checks")
    _data_options(doctor)
    doctor.add_argument("--url", help="ask this running server (e.g. http://127.0.0.1:8000)")
    doctor.add_argument("--printer", action="append", default=[], metavar="SPEC",
                        help="also check this printer (serial:/dev/…, file:/dev/…, usb:VID:PID)")
    doctor.set_defaults(func=cmd_doctor)


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        report = make_backup(args.db, args.dest)
    except BackupFailed as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    print(report.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from server.storage import MIGRATIONS
    from server.storage.backup import check_copy, copy_database, replace_database

    src: Path = args.src
    db: Path = args.db
    if not src.is_file():
        print(f"Error: no existe la copia {src}.", file=sys.stderr)
        return 2
    check = check_copy(src)
    if not check.ok or check.tickets < 0:
        print(f"Error: {src} no es una copia válida ({check.integrity}); no se cambió nada.",
              file=sys.stderr)
        return 2
    if check.schema_version > len(MIGRATIONS):
        print(f"Error: {src} viene de una versión más nueva de Turnero (esquema "
              f"{check.schema_version}); actualice Turnero antes de restaurarla.",
              file=sys.stderr)
        return 2
    with InstanceLock(db, "Detenga el servidor antes de restaurar una copia."):
        try:
            current = str(check_copy(db).tickets) if db.exists() else "0"
        except sqlite3.DatabaseError:
            current = "base dañada, ?"
        question = (f"Se reemplazará {db} ({current} turnos) por la copia {src} "
                    f"({check.tickets} turnos).")
        if not args.yes:
            if not sys.stdin.isatty():
                print(f"{question}\nConfirme con --yes.", file=sys.stderr)
                return 2
            answer = input(f"{question}\nEscriba «si» para continuar: ").strip().lower()
            if answer not in ("si", "sí"):
                print("Cancelado; no se cambió nada.")
                return 1
        kept = None
        if db.exists():
            kept = db.with_name(f"{db.name}.antes-de-restaurar-{datetime.now():%Y%m%d-%H%M%S}")
            copy_database(db, kept)
        else:
            db.parent.mkdir(parents=True, exist_ok=True)
        replace_database(src, db)
    print(f"Restaurada {db} desde {src}: {check.tickets} turnos."
          + (f" La base anterior quedó en {kept}." if kept else ""))
    return 0


# --------------------------------------------------------------------------- doctor


def cmd_doctor(args: argparse.Namespace) -> int:
    """Every line is "OK", "AVISO" or "FALLA"; the exit code is 1 when any FALLA."""
    lines: list[tuple[str, str]] = []
    cfg = _check_config(args.config, lines)
    _check_data(args.db, lines)
    pid = holder_pid(args.db) if args.db.parent.exists() else None
    lines.append(("OK", f"Servidor en ejecución sobre esta base (proceso {pid}).") if pid
                 else ("AVISO", "No hay un servidor en ejecución sobre esta base."))
    report = _health(args, cfg)
    if report is not None:
        for name, check in report["checks"].items():
            detail = check.get("message") or _check_detail(name, check)
            lines.append(("OK" if check["ok"] else "FALLA", f"{_LABELS.get(name, name)}: "
                          f"{detail}"))
        for kind, rows in report["devices"].items():
            for row in rows:
                seen = row.get("last_seen_at") or row.get("last_report_at") or "no visto"
                lines.append(("OK" if row.get("ok", True) else "FALLA",
                              f"{_LABELS.get(kind, kind)} «{row['name']}»: {seen}"))
        if (report.get("central") or {}).get("configured"):
            lines.append(_central_line(report["central"]))
    _check_serial(lines)
    for spec in args.printer:
        _check_printer(spec, lines)
    for level, text in lines:
        print(f"{level:<6} {text}")
    return 1 if any(level == "FALLA" for level, _ in lines) else 0


def _central_line(status: dict[str, Any]) -> tuple[str, str]:
    """The sending to the central server, worded as /supervisor shows it; a warning, never
    a failure (the link may be down for days without losing anything)."""
    last = (f"último envío {status['last_success_at']}" if status.get("last_success_at")
            else "todavía sin envíos confirmados")
    pending = status.get("pending")
    waiting = "1 registro en espera" if pending == 1 else f"{pending} registros en espera"
    problem = f" · {status['last_error']}" if status.get("last_error") else ""
    return ("AVISO" if problem else "OK", f"Envío a la central: {last} · {waiting}{problem}")


_LABELS = {"database": "Base de datos", "disk": "Disco", "backup": "Copias de seguridad",
           "printers": "Impresoras", "kiosks": "Quiosco", "boards": "Pantalla",
           "bridges": "Puente de hardware"}


def _check_detail(name: str, check: dict[str, Any]) -> str:
    if name == "database":
        return "acepta escrituras"
    if name == "disk":
        return f"{check['free_bytes'] / 1e9:.1f} GB libres ({check['free_share']:.0%})"
    if name == "backup":
        when = check.get("last_at") or "ninguna"
        plan = f"diaria a las {check['daily_at']}" if check.get("scheduled") else "no programada"
        return f"última copia: {when}; {plan}"
    return "bien"


def _check_config(path: Path, lines: list[tuple[str, str]]) -> Any:
    from server.config import ConfigError, load_config

    try:
        cfg = load_config(path)
    except ConfigError as e:
        lines.extend(("FALLA", f"Configuración: {p}") for p in e.problems)
        return None
    lines.append(("OK", f"Configuración {path}: {cfg.name}, {len(cfg.services)} servicios, "
                        f"{len(cfg.counters)} ventanillas."))
    return cfg


def _check_data(db: Path, lines: list[tuple[str, str]]) -> None:
    folder = db.parent
    if not folder.is_dir():
        lines.append(("FALLA", f"La carpeta de datos {folder} no existe."))
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        lines.append(("FALLA", f"La carpeta de datos {folder} no admite escritura para este "
                               "usuario."))
    else:
        lines.append(("OK", f"Carpeta de datos {folder}: escritura permitida."))
    if not db.exists():
        lines.append(("AVISO", f"{db} no existe todavía (se crea al primer arranque)."))
    elif not os.access(db, os.R_OK | os.W_OK):
        lines.append(("FALLA", f"{db}: sin permiso de lectura y escritura para este usuario."))


def _health(args: argparse.Namespace, cfg: Any) -> dict[str, Any] | None:
    if args.url:
        import httpx

        try:
            r = httpx.get(f"{args.url.rstrip('/')}/api/v1/health", timeout=10)
            data: dict[str, Any] = r.json()
            return data
        except (httpx.HTTPError, ValueError) as e:
            print(f"FALLA  No se pudo consultar {args.url}: {e}")
            return None
    if not args.db.exists() or cfg is None:
        return None
    from server.health import HealthService

    return HealthService(args.db, cfg.tz, schedule=cfg.backup).report(time.time())


def _access_line(device: str, what: str, group: str) -> tuple[str, str]:
    if not os.path.exists(device):
        return "FALLA", f"{what} {device}: no existe (¿conectado?)."
    if not os.access(device, os.R_OK | os.W_OK):
        return "FALLA", (f"{what} {device}: sin permiso; agregue el usuario al grupo "
                         f"«{group}» (y vuelva a iniciar sesión).")
    return "OK", f"{what} {device}: acceso de lectura y escritura."


def _check_serial(lines: list[tuple[str, str]]) -> None:
    from serial.tools import list_ports

    ports = [p.device for p in list_ports.comports()]
    if not ports:
        lines.append(("AVISO", "No se encontraron puertos serie (USB-serie, ttyACM)."))
    lines.extend(_access_line(device, "Puerto serie", "dialout") for device in ports)


def _check_printer(spec: str, lines: list[tuple[str, str]]) -> None:
    kind, _, rest = spec.partition(":")
    if kind in ("serial", "file"):
        lines.append(_access_line(rest.split("@")[0], "Impresora", "dialout" if
                                  kind == "serial" else "lp"))
    elif kind == "usb":
        vendor, _, product = rest.lower().partition(":")
        found = [d for d in glob.glob("/sys/bus/usb/devices/*")
                 if _read(f"{d}/idVendor") == vendor and _read(f"{d}/idProduct") == product]
        if not found:
            lines.append(("FALLA", f"Impresora USB {rest}: no conectada."))
        for d in found:
            node = f"/dev/bus/usb/{int(_read(f'{d}/busnum')):03d}/{int(_read(f'{d}/devnum')):03d}"
            lines.append(_access_line(node, f"Impresora USB {rest}", "lp"))
    else:
        lines.append(("AVISO", f"Impresora {spec}: no se revisa desde aquí."))


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip().lower()
    except OSError:
        return ""
