"""deploy/turnero-kiosk for real: it reads the kiosk token (and SSL_CERT_FILE, for HTTPS)
from its file, hands them to ``turnero kiosk`` in the environment (never on the command line,
where ``ps`` shows the token), full screen, and starts the kiosk again whenever it stops.
``turnero`` is a recording wrapper here (the kiosk app itself is tested under a real Kivy
window in tests/kiosk)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.deploy.launchers import recording_program, run_until_restarted

SCRIPT = ROOT / "deploy" / "turnero-kiosk"


def test_the_kiosk_gets_its_token_in_the_environment_and_is_restarted(tmp_path: Path) -> None:
    token = "token-secreto-del-quiosco"
    env_file = tmp_path / "kiosk.env"
    env_file.write_text(f"TURNERO_KIOSK_TOKEN={token}\nSSL_CERT_FILE=/etc/turnero/tls/x.crt\n",
                        encoding="utf-8")
    runs, program = tmp_path / "runs", tmp_path / "turnero"
    recording_program(program, runs, f'printf "%s %s" "$TURNERO_KIOSK_TOKEN" "$SSL_CERT_FILE" '
                                     f"> {runs}/token.$n; exit 1")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TURNERO_KIOSK_ENV": str(env_file),
           "TURNERO_BIN": str(program)}
    run_until_restarted(SCRIPT, env, runs)
    args = (runs / "args.0").read_text(encoding="utf-8").splitlines()
    assert args == ["kiosk", "--config", "/etc/turnero/kiosk.toml", "--fullscreen"]
    assert (runs / "token.0").read_text(encoding="utf-8") == f"{token} /etc/turnero/tls/x.crt"
    assert (runs / "args.1").read_text(encoding="utf-8").splitlines() == args
