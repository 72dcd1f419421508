"""``turnero setup``: a new office on this machine, in one command the technician can follow.

It creates the data folder and the database (seeded from the office TOML file), adds the first
administrator and prints what to do next. It never touches an existing office: re-running it by
mistake on a server with months of records must be harmless, so it refuses before writing.
When the office file does not exist yet, it writes an example there to edit and stops, because
the file seeds the database only once.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from pathlib import Path

from server.config import DEMO_CONFIG, load_config

DATA_DIR_MODE = 0o750
#: The database holds password and token hashes: not for every account on the machine.
DB_MODE = 0o640


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    from server.cli import _data_options

    p = subparsers.add_parser(
        "setup", help="new office: data folder, database and first administrator",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_options(p)
    p.add_argument("--admin", default="admin", help="first administrator's user name "
                                                   "(default admin)")
    p.add_argument("--display-name", default="Administración")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input instead of a prompt")
    p.add_argument("--public-url", default="http://IP-DEL-SERVIDOR:8000",
                   help="the server's address, only for the printed next steps")
    p.set_defaults(func=cmd_setup)
    return p


def existing_office(db: Path) -> bool:
    """A database file (or its write-ahead log) is already there."""
    return any(Path(f"{db}{suffix}").exists() for suffix in ("", "-wal"))


def cmd_setup(args: argparse.Namespace) -> int:
    try:
        return _setup(args)
    except (OSError, sqlite3.Error) as e:
        print(f"No se pudo preparar la oficina ({e}). Revise que puede escribir en "
              f"{args.db.parent} y {args.config.parent}; con el servicio, ejecute «turnero "
              "setup» como el usuario turnero (sudo -u turnero …).", file=sys.stderr)
        return 2


def _setup(args: argparse.Namespace) -> int:
    from server.auth import check_password_strength
    from server.cli import _open, _read_password

    config: Path = args.config
    db: Path = args.db
    if existing_office(db):
        print(f"Ya hay una oficina en {db}: «turnero setup» no la modifica. Para agregar "
              "usuarios use «turnero user add»; para empezar de cero, mueva antes ese "
              "archivo a otra carpeta (es la historia de la oficina).", file=sys.stderr)
        return 2
    if not config.exists():
        config.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEMO_CONFIG, config)
        print(f"Se creó {config} con una oficina de ejemplo. Edítelo (nombre, servicios, "
              "ventanillas, horario; valídelo con «turnero check-config») y ejecute de nuevo "
              "«turnero setup».", file=sys.stderr)
        return 2
    office = load_config(config)  # readable errors before anything is written
    password = _read_password(args)
    problem = check_password_strength(password)
    if problem:
        print(problem, file=sys.stderr)
        return 2

    db.parent.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    try:
        services = _open(argparse.Namespace(config=config, db=db))
        try:
            services.accounts.create_user_sync(args.admin, password, "admin",
                                               args.display_name)
        finally:
            services.close()
        db.chmod(DB_MODE)
    except BaseException:  # a half-made office would be refused as "existing" next time
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        raise
    print(next_steps(office.name, args.admin, config, db, args.public_url.rstrip("/")))
    return 0


def next_steps(office: str, admin: str, config: Path, db: Path, url: str) -> str:
    where = f"--config {config} --db {db}"
    return "\n".join([
        f"Oficina «{office}» creada en {db}; administrador: {admin}.",
        "Siguientes pasos:",
        "  1. Un token por quiosco y por pantalla (cada uno se muestra una sola vez):",
        f"       turnero token create --role kiosk --name quiosco-entrada {where}",
        f"       turnero token create --role display --name tv-sala {where}",
        "  2. Inicie el servidor como servicio (docs/deploy.md):",
        "       sudo systemctl enable --now turnero",
        f"     o a mano: turnero serve {where} --host 0.0.0.0 --public-url {url}",
        f"  3. Entre a {url}/admin como {admin}: usuarios de las ventanillas, servicios, "
        "horario.",
        f"  4. Pantallas: {url}/display?token=TOKEN-DE-PANTALLA ; quioscos: "
        f"turnero kiosk --server {url} --token TOKEN-DE-QUIOSCO --printer ...",
    ])
