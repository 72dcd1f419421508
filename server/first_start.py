"""First start on a real machine: where the QR codes point, and one demo server per folder.

Why: a technician who runs ``turnero serve --host 0.0.0.0`` (or the demo) for the office LAN and
forgets ``--public-url`` prints tickets whose QR code opens 127.0.0.1 — the phone itself — and
nobody notices until a citizen tries it. Pure stdlib; no network traffic.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from server.queue.public_address import ALL_INTERFACES, qr_warning


def serve_warning(host: str, public_url: str | None, base_url: str) -> str | None:
    """The console warning for a server that listens on the LAN without ``--public-url``."""
    if public_url or host not in ALL_INTERFACES:
        return None
    return "Atención: " + (qr_warning(base_url) or "")


def wipe_demo_folder(folder: Path, keep: set[str]) -> None:
    """Everything in the demo folder but the files named in ``keep`` (the lock this process
    holds on its database)."""
    for entry in folder.iterdir():
        if entry.name in keep:
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
