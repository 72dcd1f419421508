"""`turnero central …`: run the centre and register its offices and users.

Every subcommand takes ``--database postgresql://…`` (or TURNERO_CENTRAL_DATABASE)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from server.errors import DomainError
from server.security.proxies import add_trusted_proxy_option


def _database(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database", default=os.environ.get("TURNERO_CENTRAL_DATABASE"),
                   help="PostgreSQL connection string, e.g. postgresql://turnero@db/central "
                        "[env TURNERO_CENTRAL_DATABASE]")


def register(sub: Any) -> None:
    central = sub.add_parser("central", help="central reporting server (PostgreSQL)")
    commands = central.add_subparsers(dest="central_cmd", required=True)

    serve = commands.add_parser("serve", help="run the central server")
    _database(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--min-count", type=int, default=10, metavar="N",
                       help="open data: no published cell from fewer than N tickets")
    serve.add_argument("--late-after-hours", type=float, default=24.0, metavar="H",
                       help="an office silent for H hours is shown as late")
    add_trusted_proxy_option(serve, ", e.g. the gobernación's HTTPS proxy")
    serve.set_defaults(func=cmd_serve)

    office = commands.add_parser("office", help="offices").add_subparsers(
        dest="office_cmd", required=True)
    add = office.add_parser("add", help="register an office and print its token once")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    _database(add)
    add.set_defaults(func=cmd_office_add)
    rotate = office.add_parser("rotate-token", help="give an office a new token (printed "
                                                    "once); the old one stops working at once")
    rotate.add_argument("code")
    _database(rotate)
    rotate.set_defaults(func=cmd_office_rotate_token)

    user = commands.add_parser("user", help="users of the centre").add_subparsers(
        dest="user_cmd", required=True)
    uadd = user.add_parser("add", help="add a supervisor or admin (password from a prompt "
                                       "or --password-stdin)")
    uadd.add_argument("name")
    uadd.add_argument("--role", required=True, choices=["supervisor", "admin"])
    uadd.add_argument("--password-stdin", action="store_true")
    _database(uadd)
    uadd.set_defaults(func=cmd_user_add)


def _settings(args: argparse.Namespace) -> Any:
    from central.service import CentralSettings

    if not args.database:
        print("Falta --database postgresql://… (o TURNERO_CENTRAL_DATABASE).", file=sys.stderr)
        raise SystemExit(2)
    return CentralSettings(database=args.database,
                           **{k: getattr(args, k) for k in ("host", "port", "min_count",
                                                            "late_after_hours")
                              if hasattr(args, k)})


def _with_service(args: argparse.Namespace, fn: Any) -> int:
    import psycopg

    from central.service import CentralService
    from central.storage import CentralStore, SchemaTooNew

    settings = _settings(args)
    try:
        store = CentralStore.open(settings.database, max_size=2)
    except (psycopg.OperationalError, SchemaTooNew) as e:
        print(f"Error: no se pudo abrir la base de datos central: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - the pool raises its own timeout error
        print(f"Error: no se pudo conectar a la base de datos central: {e}", file=sys.stderr)
        return 2
    from server.cli import passwords_from_env

    try:
        fn(CentralService(store, settings, passwords_from_env()))
    except DomainError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def cmd_office_add(args: argparse.Namespace) -> int:
    def add(service: Any) -> None:
        token = service.add_office(args.code, args.name, _actor())
        print(f"Oficina {args.code} «{args.name}» registrada. Guarde el token: no se mostrará "
              "de nuevo. Póngalo en [central] token del archivo de la oficina.")
        print(token)

    return _with_service(args, add)


def _actor() -> str:
    """Who ran the command, for the centre's audit: the operating-system user."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def cmd_office_rotate_token(args: argparse.Namespace) -> int:
    def rotate(service: Any) -> None:
        token = service.rotate_office_token(args.code, _actor())
        print(f"Token de la oficina {args.code} renovado: el anterior ya no sirve. Guarde el "
              "nuevo: no se mostrará de nuevo. Póngalo en [central] token del archivo de la "
              "oficina y reinicie su servidor.")
        print(token)

    return _with_service(args, rotate)


def cmd_user_add(args: argparse.Namespace) -> int:
    from server.cli import _read_password  # the office's prompt, or --password-stdin

    password = _read_password(args)

    def add(service: Any) -> None:
        service.add_user(args.name, args.role, password)
        print(f"Usuario {args.name} de la central creado con rol {args.role}.")

    return _with_service(args, add)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central.app import create_app
    from server.security.proxies import uvicorn_proxy_options

    settings = _settings(args)
    try:  # the sign-in throttle counts the client's address: only a listed proxy may tell it
        proxies = uvicorn_proxy_options(args.trusted_proxy)
    except ValueError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    code = _with_service(args, lambda _service: None)  # migrate, or refuse, before serving
    if code:
        return code
    print(f"Turnero central en http://{settings.host}:{settings.port}/central", flush=True)
    from server.cli import passwords_from_env

    uvicorn.run(create_app(settings, passwords_from_env()), host=settings.host, port=settings.port,
                log_level="warning", workers=1, **proxies)
    return 0
