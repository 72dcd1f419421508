"""deploy/turnero-board for real: it reads the board's address, starts Chromium with it and the
kiosk flags, starts it again when it exits, and refuses in one line without an address.

The TV is the edge of the machine: ``chromium`` on the script's PATH is a two-line wrapper that
records its arguments and runs Debian's real Chromium headless on them (``--dump-dom``), so
the board page really loads through the token link."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.conftest import CHROMIUM, ROOT, need

SCRIPT = ROOT / "deploy" / "turnero-board"


def test_without_an_address_the_board_says_what_is_missing(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["sh", str(SCRIPT)], capture_output=True, text=True, timeout=30,
                            env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "Falta TURNERO_BOARD_URL en /etc/turnero/board.env"


def test_the_board_opens_the_display_page_in_chromium_and_restarts_it(
        live_server: Any, tmp_path: Path) -> None:
    need(Path(CHROMIUM).exists(), "Chromium")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    runs = tmp_path / "runs"
    runs.mkdir()
    wrapper = bin_dir / "chromium"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'n=$(ls {runs} | grep -c args); printf "%s\\n" "$@" > {runs}/args.$n\n'
        f'exec {CHROMIUM} --headless --no-sandbox --disable-gpu --dump-dom "$@" '
        f"> {runs}/dom.$n 2>/dev/null\n", encoding="utf-8")
    wrapper.chmod(0o755)
    url = f"{live_server.base_url}/display?token={live_server.display_token}"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path),
           "TURNERO_BOARD_URL": url}
    board = subprocess.Popen(["sh", str(SCRIPT)], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not (runs / "dom.1").exists() or not (runs / "dom.0").stat().st_size:
            assert board.poll() is None, "the launcher stopped"
            assert time.monotonic() < deadline, "Chromium was not started twice"
            time.sleep(0.2)
    finally:
        os.killpg(board.pid, signal.SIGTERM)
        board.wait(timeout=15)
    args = (runs / "args.0").read_text(encoding="utf-8").splitlines()
    assert args[-1] == url
    assert {"--kiosk", "--autoplay-policy=no-user-gesture-required", "--noerrdialogs"} <= set(
        args)
    assert f"--user-data-dir={tmp_path}/turnero-board-perfil" in args
    dom = (runs / "dom.0").read_text(encoding="utf-8")
    assert 'id="now-title"' in dom and "Pantalla sin autorizar" not in dom
