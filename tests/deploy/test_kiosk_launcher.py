"""deploy/turnero-kiosk for real: it reads the kiosk token (and SSL_CERT_FILE, for HTTPS)
from its file, hands them to ``turnero kiosk`` in the environment (never on the command line,
where ``ps`` shows the token), full screen, and starts the kiosk again whenever it stops.
``turnero`` is a recording wrapper here (the kiosk app itself is tested under a real Kivy
window in tests/kiosk)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "deploy" / "turnero-kiosk"


def test_the_kiosk_gets_its_token_in_the_environment_and_is_restarted(tmp_path: Path) -> None:
    token = "token-secreto-del-quiosco"
    env_file = tmp_path / "kiosk.env"
    env_file.write_text(f"TURNERO_KIOSK_TOKEN={token}\nSSL_CERT_FILE=/etc/turnero/tls/x.crt\n",
                        encoding="utf-8")
    runs = tmp_path / "runs"
    runs.mkdir()
    wrapper = tmp_path / "turnero"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'n=$(ls {runs} | grep -c args); printf "%s\\n" "$@" > {runs}/args.$n\n'
        f'printf "%s %s" "$TURNERO_KIOSK_TOKEN" "$SSL_CERT_FILE" > {runs}/token.$n\n'
        "exit 1\n", encoding="utf-8")
    wrapper.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TURNERO_KIOSK_ENV": str(env_file),
           "TURNERO_BIN": str(wrapper)}
    kiosk = subprocess.Popen(["sh", str(SCRIPT)], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (runs / "token.1").exists():
            assert kiosk.poll() is None, "the launcher stopped"
            assert time.monotonic() < deadline, "the kiosk was not started again"
            time.sleep(0.1)
    finally:
        os.killpg(kiosk.pid, signal.SIGTERM)
        kiosk.wait(timeout=15)
    args = (runs / "args.0").read_text(encoding="utf-8").splitlines()
    assert args == ["kiosk", "--config", "/etc/turnero/kiosk.toml", "--fullscreen"]
    assert (runs / "token.0").read_text(encoding="utf-8") == f"{token} /etc/turnero/tls/x.crt"
    assert (runs / "args.1").read_text(encoding="utf-8").splitlines() == args
