"""Running a start-up script of deploy/ for real, with its program replaced by a recording
stand-in (the edge of the machine: a browser, a kiosk screen)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def recording_program(path: Path, runs: Path, then: str) -> None:
    """An executable at ``path`` that writes its arguments to ``runs/args.N`` (N = how many
    times it ran before) and then runs the shell line ``then`` ($n is N)."""
    runs.mkdir(exist_ok=True)
    path.write_text("#!/bin/sh\n"
                    f'n=$(ls {runs} | grep -c args); printf "%s\\n" "$@" > {runs}/args.$n\n'
                    f"{then}\n", encoding="utf-8")
    path.chmod(0o755)


def run_until_restarted(script: Path, env: dict[str, str], runs: Path,
                        timeout: float = 90) -> None:
    """Run ``script`` until it has started its program a second time (so the first run has
    ended and the script started it again), then stop it and everything it started."""
    launcher = subprocess.Popen(["sh", str(script)], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while not (runs / "args.1").exists():
            assert launcher.poll() is None, f"{script.name} stopped"
            assert time.monotonic() < deadline, f"{script.name} did not start it again"
            time.sleep(0.1)
    finally:
        os.killpg(launcher.pid, signal.SIGTERM)
        launcher.wait(timeout=15)
