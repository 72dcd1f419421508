"""Kiosk settings (TOML + command line) and the `turnero kiosk` command, without a display."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.settings import KEYS, TOKEN_ENV, KioskSettings, SettingsError, from_toml, resolve
from tests.conftest import ROOT, subprocess_env

EXAMPLE = ROOT / "kiosk" / "kiosk.example.toml"


def test_example_file_documents_every_key_and_is_valid() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert sorted(data) == sorted(KEYS), "kiosk.example.toml must show every setting"
    for key in KEYS:  # and each has a comment right above it
        lines = text.splitlines()
        at = next(i for i, ln in enumerate(lines) if re.match(rf"^{key}\s*=", ln))
        assert lines[at - 1].startswith("#"), f"{key} has no explanation"
    settings = resolve(EXAMPLE, {}, env={})
    assert settings.printer == "usb:04b8:0e15" and settings.fullscreen is True


def test_command_line_wins_over_file_and_env_token(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[kiosk]\nserver = "http://10.0.0.1:8000"\ntoken = "del-archivo"\n'
                 'printer = "dummy"\npaper = 58\nidle_timeout_s = 20\n', encoding="utf-8")
    s = resolve(f, {"printer": "file:/tmp/x", "token": None, "size": None}, env={})
    assert (s.server, s.token, s.printer, s.paper, s.idle_timeout_s) == (
        "http://10.0.0.1:8000", "del-archivo", "file:/tmp/x", "58", 20.0)
    s = resolve(f, {"token": None}, env={TOKEN_ENV: "del-entorno"})
    assert s.token == "del-entorno"
    s = resolve(f, {"token": "de-la-opcion"}, env={TOKEN_ENV: "del-entorno"})
    assert s.token == "de-la-opcion"


def test_every_problem_is_named(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('server = "192.168.1.10"\ncolor = "rojo"\nspeak = "sí"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as e:
        from_toml(f)
    assert any("color" in p for p in e.value.problems)
    assert any("speak" in p for p in e.value.problems)
    with pytest.raises(SettingsError) as e:
        KioskSettings(server="192.168.1.10", token="", size="grande", paper="70").check()
    text = "\n".join(e.value.problems)
    for key in ("server", "token", "printer", "size", "paper"):
        assert f"{key}:" in text


def _turnero(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in subprocess_env(**env).items() if k not in ("DISPLAY",
                                                                         "SDL_VIDEODRIVER")}
    return subprocess.run([sys.executable, "-m", "server", *args], capture_output=True,
                          text=True, env=clean, cwd=ROOT, timeout=60)


def test_help_works_without_a_display_and_without_loading_kivy() -> None:
    r = _turnero("--help")
    assert r.returncode == 0 and "kiosk" in r.stdout
    r = _turnero("kiosk", "--help")
    assert r.returncode == 0
    for option in ("--server", "--token", "--printer", "--fullscreen", "--lang", "--size",
                   "--config", "--speak"):
        assert option in r.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, server.cli as c; c.build_parser(); "
         "print('kivy' in sys.modules)"], capture_output=True, text=True, cwd=ROOT,
        env=subprocess_env(), timeout=60)
    assert probe.stdout.strip() == "False"


def test_bad_settings_exit_2_with_plain_messages_before_any_window(tmp_path: Path) -> None:
    r = _turnero("kiosk", "--server", "nada", "--printer", "dummy", TURNERO_KIOSK_TOKEN="")
    assert r.returncode == 2
    assert "server:" in r.stderr and "token:" in r.stderr
    r = _turnero("kiosk", "--server", "http://127.0.0.1:9", "--token", "t",
                 "--printer", "lpt:1", KIVY_HOME=str(tmp_path))
    assert r.returncode == 2 and "Impresora mal indicada" in r.stderr
    assert os.listdir(tmp_path) == []  # Kivy was never started
