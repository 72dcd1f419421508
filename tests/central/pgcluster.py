"""A throwaway PostgreSQL cluster in a temporary folder (Debian's server binaries), run as
the unprivileged ``postgres`` user when the caller is root. Used by the central tests and the
central benchmark; starts in about a second."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _pg_bin() -> Path:
    """TURNERO_PG_BIN, else the newest Debian server version installed (15 on bookworm)."""
    if os.environ.get("TURNERO_PG_BIN"):
        return Path(os.environ["TURNERO_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")



def available() -> bool:
    return (_pg_bin() / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser")
                                              is not None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = [str(_pg_bin() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    @classmethod
    def start(cls, settings: str = "") -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="turnero-pg-"))
        folder.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, _free_port())
        cluster._run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 "
                   f"-c fsync=off -c full_page_writes=off {settings}")
        cluster._run("pg_ctl", "-D", str(cluster.data), "-o", options, "-l",
                     str(folder / "server.log"), "-w", "start")
        return cluster

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
