"""deploy/turnero-board for real: it reads the board's address, starts Chromium with it and the
kiosk flags, starts it again when it exits, and refuses in one line without an address.

The TV is the edge of the machine: ``chromium`` on the script's PATH is a two-line wrapper that
records its arguments and runs Debian's real Chromium headless on them (``--dump-dom``), so
the board page really loads through the token link."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import CHROMIUM, ROOT, need
from tests.deploy.launchers import recording_program, run_until_restarted

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
    bin_dir, runs = tmp_path / "bin", tmp_path / "runs"
    bin_dir.mkdir()
    recording_program(bin_dir / "chromium", runs,
                      f'exec {CHROMIUM} --headless --no-sandbox --disable-gpu --dump-dom "$@" '
                      f"> {runs}/dom.$n 2>/dev/null")
    url = f"{live_server.base_url}/display?token={live_server.display_token}"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path),
           "TURNERO_BOARD_URL": url}
    run_until_restarted(SCRIPT, env, runs)
    args = (runs / "args.0").read_text(encoding="utf-8").splitlines()
    assert args[-1] == url
    assert {"--kiosk", "--autoplay-policy=no-user-gesture-required", "--noerrdialogs"} <= set(
        args)
    assert f"--user-data-dir={tmp_path}/turnero-board-perfil" in args
    dom = (runs / "dom.0").read_text(encoding="utf-8")
    assert 'id="now-title"' in dom and "Pantalla sin autorizar" not in dom
