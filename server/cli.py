"""`turnero`: run the server or the demo, and set up an office from scripts.

Every subcommand that touches data takes --config and --db (or TURNERO_CONFIG / TURNERO_DB).
Other parts add their own subcommands through ``register(subparsers)`` (see EXTENSIONS).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import secrets
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from server.config import DEMO_CONFIG, ConfigError, load_config
from server.queue.model import QueueError

DEFAULT_DB = Path("turnero-data") / "turnero.db"
DEMO_DIR = Path("turnero-demo")
DEMO_MARKER = ".turnero-demo"

#: Modules that add subcommands: each has ``register(subparsers)``.
EXTENSIONS: list[str] = ["printer.cli", "kiosk.cli", "server.stats.cli"]


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path,
                   default=Path(os.environ.get("TURNERO_CONFIG", DEMO_CONFIG)),
                   help="office TOML file (seeds a new database) [env TURNERO_CONFIG]")
    p.add_argument("--db", type=Path, default=Path(os.environ.get("TURNERO_DB", DEFAULT_DB)),
                   help="SQLite database file [env TURNERO_DB]")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="turnero", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    _data_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open-all-hours", action="store_true",
                       help="ignore opening hours (demos, tests)")
    serve.add_argument("--public-url", help="address printed in QR codes (default: host:port)")
    serve.add_argument("--trusted-proxy", action="append", metavar="IP|CIDR",
                       default=[os.environ.get("TURNERO_TRUSTED_PROXIES", "")],
                       help="reverse proxy whose X-Forwarded-For is believed (repeatable; "
                            "default: none, or TURNERO_TRUSTED_PROXIES)")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="demo office with users, tokens and sample tickets")
    demo.add_argument("--dir", type=Path, default=DEMO_DIR,
                      help=f"data folder, recreated each run (default {DEMO_DIR})")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
    demo.add_argument("--history-days", type=int, default=0, metavar="N",
                      help="also fill the N past days with generated tickets (for the "
                           "statistics charts; ~1 s per 20 days)")
    demo.set_defaults(func=cmd_demo)

    check = sub.add_parser("check-config", help="validate an office TOML file")
    check.add_argument("path", type=Path)
    check.set_defaults(func=cmd_check_config)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_cmd",
                                                                      required=True)
    add = user.add_parser("add", help="add a user (password from a prompt or --password-stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["clerk", "supervisor", "admin"])
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true")
    _data_options(add)
    add.set_defaults(func=cmd_user_add)

    token = sub.add_parser("token", help="manage device tokens").add_subparsers(
        dest="token_cmd", required=True)
    create = token.add_parser("create", help="create a kiosk/display token (printed once)")
    create.add_argument("--role", required=True, choices=["kiosk", "display"])
    create.add_argument("--name", required=True)
    _data_options(create)
    create.set_defaults(func=cmd_token_create)

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigError as e:
        print("Configuración inválida:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except QueueError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return code


# --------------------------------------------------------------------------- commands


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Store, engine and accounts for a data command (seeds the config into a new db)."""
    from server.accounts import Accounts
    from server.engine import Engine, EngineSettings
    from server.storage import SchemaTooNew, Store

    seed = load_config(args.config)
    try:
        store = Store.open(args.db)
    except SchemaTooNew as e:
        print(f"Error: {e}", file=sys.stderr)
        raise SystemExit(2) from e
    engine = Engine.load(store, seed, EngineSettings())
    return store, engine, Accounts(store, engine)


def cmd_serve(args: argparse.Namespace) -> int:
    from server.security.proxies import parse_trusted_proxies
    from server.storage import SchemaTooNew

    load_config(args.config)  # fail early with readable messages
    try:
        trusted = parse_trusted_proxies(args.trusted_proxy)
    except ValueError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    try:
        _run_server(args.db, args.config, args.host, args.port, args.open_all_hours,
                    args.public_url, trusted)
    except SchemaTooNew as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return 0


def _run_server(db: Path, config: Path, host: str, port: int, open_all_hours: bool,
                public_url: str | None, trusted_proxies: tuple[str, ...] = ()) -> None:
    import uvicorn

    from server.app import Settings, create_app
    from server.security.proxies import uvicorn_proxy_options
    from server.storage import Store

    Store.open(db).close()  # migrate, or refuse a newer schema, before the server starts

    settings = Settings(db_path=db, config_path=config, host=host, port=port,
                        open_all_hours=open_all_hours, public_url=public_url)
    app = create_app(settings)
    print(f"Turnero en {settings.base_url}  (base de datos: {db})", flush=True)
    # One process, one writer: never more than one worker. The sans-I/O websocket protocol
    # fans events out fastest (docs/benchmarks.md).
    uvicorn.run(app, host=host, port=port, log_level="warning", workers=1,
                ws=os.environ.get("TURNERO_WS_PROTOCOL", "websockets-sansio"),
                ws_per_message_deflate=os.environ.get("TURNERO_WS_DEFLATE") == "1",
                **uvicorn_proxy_options(trusted_proxies))  # type: ignore[arg-type]


def cmd_check_config(args: argparse.Namespace) -> int:
    cfg = load_config(args.path)
    print(f"OK: {cfg.name}: {len(cfg.services)} servicios, {len(cfg.counters)} ventanillas, "
          f"{sum(g.enabled for g in cfg.groups)} grupos preferenciales.")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Contraseña: ")
    if first != getpass.getpass("Repita la contraseña: "):
        print("Las contraseñas no coinciden.", file=sys.stderr)
        raise SystemExit(2)
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    store, _engine, accounts = _open(args)
    try:
        user = accounts.create_user_sync(args.name, password, args.role, args.display_name)
    finally:
        store.close()
    print(f"Usuario {user['username']} creado con rol {user['role']}.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    store, _engine, accounts = _open(args)
    try:
        token, info = accounts.create_device_token_sync(args.role, args.name)
    finally:
        store.close()
    print(f"Token de {info['role']} «{info['name']}» creado. Guárdelo: no se mostrará de nuevo.")
    print(token)
    return 0


DEMO_USERS = [
    ("admin", "admin", "Administración"),
    ("supervisora", "supervisor", "Supervisora Demo"),
    *[(f"ventanilla{n}", "clerk", f"Funcionario {n}") for n in range(1, 7)],
]
DEMO_TICKETS = [("A", None), ("A", "AM"), ("B", None), ("C", None), ("A", None),
                ("D", "GES"), ("B", None), ("E", None), ("C", "DIS"), ("A", None)]


def cmd_demo(args: argparse.Namespace) -> int:
    """A fresh demo office: open around the clock, with users, tokens and a few tickets."""
    folder: Path = args.dir
    if folder.exists():
        if not (folder / DEMO_MARKER).exists():
            print(f"{folder} existe y no es una carpeta de demo; use --dir con otra carpeta.",
                  file=sys.stderr)
            return 2
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / DEMO_MARKER).write_text(
        "Carpeta de demo de Turnero: se borra en cada `turnero demo`.\n")
    ns = argparse.Namespace(config=DEMO_CONFIG, db=folder / "turnero.db")
    store, engine, accounts = _open(ns)
    lines = []
    try:
        for name, role, display in DEMO_USERS:
            password = secrets.token_urlsafe(9)
            accounts.create_user_sync(name, password, role, display)
            lines.append(f"  {role:<11} {name:<13} contraseña: {password}")
        kiosk, _ = accounts.create_device_token_sync("kiosk", "quiosco-demo")
        display, _ = accounts.create_device_token_sync("display", "pantalla-demo")
        _issue_demo_tickets(engine)
    finally:
        store.close()
    if args.history_days > 0:
        from server.stats.demo_history import fill_demo_history

        count = fill_demo_history(folder / "turnero.db", engine.config, args.history_days)
        print(f"Historia de demo: {count} turnos de los últimos {args.history_days} días.")
    base = f"http://{args.host}:{args.port}"
    summary = "\n".join([
        "Demo de Turnero lista (abierta las 24 horas).",
        "Usuarios (se muestran solo esta vez):", *lines,
        f"Token de quiosco:  {kiosk}",
        f"Token de pantalla: {display}",
        "Abra:",
        f"  Ventanillas:  {base}/panel",
        f"  Pantalla:     {base}/display?token={display}",
        f"  Supervisión:  {base}/supervisor",
        f"  Administración: {base}/admin",
        f"  API:          {base}/docs",
        f"  Quiosco:      turnero kiosk --server {base} --token {kiosk} --printer dummy",
    ])
    print(summary, flush=True)
    (folder / "LEAME-demo.txt").write_text(summary + "\n", encoding="utf-8")
    if args.no_serve:
        return 0
    _run_server(folder / "turnero.db", DEMO_CONFIG, args.host, args.port, True, None)
    return 0


def _issue_demo_tickets(engine) -> None:  # type: ignore[no-untyped-def]
    """A few waiting tickets, so the panel and the board show something at once."""
    import asyncio
    from dataclasses import replace

    from server.auth import Principal, Role

    engine.settings = replace(engine.settings, open_all_hours=True)
    kiosk = Principal(Role.KIOSK, "quiosco-demo", "quiosco-demo", 0)

    async def issue_all() -> None:
        for service, group in DEMO_TICKETS:
            await engine.issue_ticket(service, group, kiosk)

    asyncio.run(issue_all())


if __name__ == "__main__":
    raise SystemExit(main())
