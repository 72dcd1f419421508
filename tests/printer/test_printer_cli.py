"""``python -m printer`` as a technician runs it: a real subprocess, real files."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from printer import cli

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "printer", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_test_ticket_to_a_file_has_the_encoded_accents(tmp_path: Path) -> None:
    target = tmp_path / "ticket.bin"
    done = run("test", f"file:{target}", "--paper", "58", "--office", "Alcaldía de Tumaco")
    assert done.returncode == 0, done.stderr
    assert f"file:{target}" in done.stdout
    data = target.read_bytes()
    assert data.startswith(b"\x1b@\x1bt\x02")
    for encoded in (
        b"Alcald\xa1a de Tumaco",
        b"Radicaci\xa2n de PQRSD",
        b"ATENCI\xe0N PREFERENCIAL",
        b"Ni\xa4os, ni\xa4as y adolescentes",
        b"\xa8Dudas? \xadPregunte!",
    ):
        assert encoded in data
    assert data.endswith(b"\x1dV\x00")
    assert len(data) <= 600
    assert f"({len(data)} bytes)" in done.stdout


def test_codepage_can_be_chosen_for_a_different_printer(tmp_path: Path) -> None:
    target = tmp_path / "ticket.bin"
    done = run("test", f"file:{target}", "--codepage", "CP858")
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x1b@\x1bt\x13")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["test", "lpt:1"], "tipo 'lpt' desconocido"),
        (["test", "dummy:offline"], "en dummy:offline: La impresora está fuera de línea"),
        (["test", "dummy:paper-end"], "dummy:paper-end: Se acabó el papel"),
        (["test", "usb:dead:beef"], "No se pudo abrir la impresora usb:dead:beef"),
        (["test", "dummy", "--codepage", "UTF-8"], "Página de códigos desconocida"),
        (["status", "dummy:cover-open"], "La tapa de la impresora está abierta"),
    ],
)
def test_failures_exit_2_with_one_plain_line(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_status_of_a_working_printer() -> None:
    done = run("status", "dummy:paper-near-end")
    assert done.returncode == 0
    assert done.stdout.strip() == "dummy:paper-near-end: Queda poco papel: prepare un rollo nuevo."


def test_register_adds_the_printer_command_to_a_parent_cli(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser(prog="turnero")
    cli.register(parser.add_subparsers(dest="command"))
    target = tmp_path / "t.bin"
    args = parser.parse_args(["printer", "test", f"file:{target}", "--paper", "80"])
    assert args.func(args) == 0
    assert b"Radicaci\xa2n" in target.read_bytes()
    assert "Tiquete de prueba enviado" in capsys.readouterr().out


def test_main_returns_the_exit_code(capsys) -> None:
    assert cli.main(["test", "dummy"]) == 0
    assert cli.main(["test", "dummy:offline"]) == 2
    assert "dummy:offline" in capsys.readouterr().err
