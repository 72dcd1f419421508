"""The technician's tools: --check-config, --test-display, --monitor, --list-ports."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, subprocess_env
from tests.hardware.conftest import Pty


def turnero(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", "hardware", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env=subprocess_env(TURNERO_HARDWARE_TOKEN="x"), **kw)  # type: ignore[call-overload]


def test_check_config_accepts_the_examples_and_names_key_and_line(tmp_path: Path) -> None:
    example = ROOT / "hardware" / "examples" / "rs485-addressed-bus.toml"
    ok = turnero("--check-config", str(example))
    assert ok.returncode == 0, ok.stderr
    assert "configuración válida: 3 pantallas, 1 botoneras" in ok.stdout
    bad = tmp_path / "puente.toml"
    bad.write_text('server = "http://x"\n[[displays]]\nport = "/dev/ttyUSB0"\ncounter = 1\n'
                   "checksum = 'crc8'\n", encoding="utf-8")
    out = turnero("--check-config", str(bad))
    assert out.returncode == 2
    assert f"{bad}:5: displays[0].checksum: checksum 'crc8' desconocido" in out.stderr


def test_test_display_sends_the_pattern(tmp_path: Path) -> None:
    pty = Pty(tmp_path / "ttyLED")
    try:
        out = turnero("--test-display", str(pty.path), "--frame", r"\x02{address:02d}{text}\x03"
                      "{checksum}", "--checksum", "xor", "--address", "7", "--interval", "0",
                      "--text", "8888", "--text", "A-023")
        assert out.returncode == 0, out.stderr
        assert pty.read_until(b"A-023\x03", timeout=5) == (
            b"\x02078888\x03" + bytes([_xor(b"\x02078888\x03")]) + b"\x0207A-023\x03")
        assert pty.read_exactly(1) == bytes([_xor(b"\x0207A-023\x03")])
    finally:
        pty.close()


def _xor(data: bytes) -> int:
    value = 0
    for b in data:
        value ^= b
    return value


def test_monitor_prints_what_a_keypad_sends_in_hex_and_text(tmp_path: Path) -> None:
    pty = Pty(tmp_path / "ttyKeys")
    proc = subprocess.Popen([sys.executable, "-m", "server", "hardware", "--monitor",
                             str(pty.path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=subprocess_env())
    try:
        assert proc.stdout is not None
        assert "Escuchando" in proc.stdout.readline()
        pty.write(b"N3\r\n")
        line = proc.stdout.readline()
        assert line.rstrip().endswith("4E 33 0D 0A |N3..|"), line
    finally:
        proc.terminate()
        proc.communicate(timeout=10)  # also closes the pipes
        pty.close()


def test_list_ports_runs_and_a_missing_port_is_a_clear_error(tmp_path: Path) -> None:
    listed = turnero("--list-ports")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip()
    started = time.monotonic()
    missing = turnero("--test-display", str(tmp_path / "nada"), "--interval", "0")
    assert missing.returncode == 1 and str(tmp_path / "nada") in missing.stderr
    assert time.monotonic() - started < 30
