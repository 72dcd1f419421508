"""First start on a real machine: where the QR codes point, and one demo server per folder.

Why: a technician who runs ``turnero serve --host 0.0.0.0`` (or the demo) for the office LAN and
forgets ``--public-url`` prints tickets whose QR code opens 127.0.0.1 — the phone itself — and
nobody notices until a citizen tries it. And a second ``turnero demo`` typed while the first
still runs used to delete the live database under it. Pure stdlib; no network traffic.
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import shutil
import sys
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

#: Hosts that mean "every interface of this machine" (a server meant for the LAN).
ALL_INTERFACES = ("0.0.0.0", "::", "")
#: The lock file a running demo holds in its folder (released when the process ends).
DEMO_LOCK = ".turnero-demo.lock"


def points_to_this_machine(url: str) -> bool:
    """True when ``url`` only works on the server itself (127.0.0.1, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_warning(public_url: str) -> str | None:
    """The sentence staff read (console and admin page) when the QR codes cannot work on a
    phone, or None when they can."""
    if not points_to_this_machine(public_url):
        return None
    return (f"Los códigos QR de los tiquetes apuntan a {public_url}, una dirección que solo "
            "funciona en este computador: el celular de un ciudadano no podrá abrirla. "
            "Inicie el servidor con --public-url y la dirección de la red de la oficina "
            "(por ejemplo --public-url http://192.168.1.10:8000).")


def serve_warning(host: str, public_url: str | None, base_url: str) -> str | None:
    """The console warning for a server that listens on the LAN without ``--public-url``."""
    if public_url or host not in ALL_INTERFACES:
        return None
    return "Atención: " + (qr_warning(base_url) or "")


class DemoAlreadyRunning(Exception):
    """Another ``turnero demo`` serves this folder: wiping it would pull the database from
    under a live server."""


class DemoLock:
    """Held by the process that prepares and serves a demo folder, for its whole life.

    An advisory ``flock`` on a file in the folder: the kernel releases it when the process
    ends, even on a crash, so a stale lock never blocks the next demo. (When ``turnero serve``
    takes its own single-instance lock on a database file, this class can become that one.)"""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DEMO_LOCK
        self._fd: int | None = None

    def acquire(self) -> DemoLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DemoAlreadyRunning(
                f"Ya hay una demo de Turnero en marcha con la carpeta {self.path.parent}: "
                "ciérrela primero (Ctrl+C en su ventana) o use otra carpeta con --dir. "
                "No se borró nada.") from None
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DemoLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


def wipe_demo_folder(folder: Path) -> None:
    """Everything in the demo folder but the lock this process holds."""
    for entry in folder.iterdir():
        if entry.name == DEMO_LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def own_command(argv0: str | None = None, cwd: Path | None = None) -> str:
    """How to type ``turnero`` in the shell that started this one, so a printed command works
    as printed: ``turnero`` when it is on PATH, else the script's path (``.venv/bin/turnero``
    after ``make demo``), else ``python -m server``."""
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    on_path = shutil.which("turnero")
    if script.name == "turnero" and script.exists():
        if on_path and Path(on_path).resolve() == script.resolve():
            return "turnero"
        here = (cwd or Path.cwd()).resolve()
        try:
            return str(script.resolve().relative_to(here))
        except ValueError:
            return str(script.resolve())
    if on_path:
        return "turnero"
    return f"{sys.executable} -m server"
