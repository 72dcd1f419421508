"""Every file docs/deploy.md tells a technician to install is in deploy/ and parses with the
tool that will read it: systemd units with ``systemd-analyze verify``, desktop entries with
``desktop-file-validate``, shell scripts with ``shellcheck``, the Caddyfile with ``caddy
validate``. For files without an offline checker here (udev rules: this Debian's udevadm has no
``verify``; journald, timesyncd and LightDM drop-ins) the test parses them strictly itself."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import build_parser
from tests.conftest import CHROMIUM_ARGS, ROOT, need

DEPLOY = ROOT / "deploy"
GUIDE = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
INSTALLED_BIN = "/opt/turnero/bin/"
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name)
    need(path is not None, name)
    assert path is not None
    return path


def test_the_guide_and_the_deploy_folder_name_the_same_files() -> None:
    in_folder = {p.name for p in DEPLOY.iterdir() if p.is_file()}
    named = set(re.findall(r"(?<![\w/])deploy/([\w.-]+\w)", GUIDE))
    assert named - in_folder == set(), "docs/deploy.md names files that are not in deploy/"
    assert in_folder - named == set(), "files in deploy/ that docs/deploy.md never mentions"


@pytest.mark.parametrize("unit", sorted(DEPLOY.glob("*.service")), ids=lambda p: p.name)
def test_systemd_units_verify_cleanly(unit: Path, tmp_path: Path) -> None:
    """``systemd-analyze verify`` checks the keys and that the command exists, so the copy
    points /opt/turnero/bin at this test's own installed ``turnero``; any message fails."""
    analyze = tool("systemd-analyze")
    text = unit.read_text(encoding="utf-8")
    for command in re.findall(r"^Exec\w*=[-@:+!]*(\S+)", text, re.M):
        if command.startswith("/opt/turnero/"):
            assert command.startswith(INSTALLED_BIN), (
                f"{unit.name}: {command}: docs/deploy.md installs Turnero with "
                f"`python3 -m venv /opt/turnero`, so its commands are in {INSTALLED_BIN}")
    copy = tmp_path / unit.name
    copy.write_text(text.replace(INSTALLED_BIN, f"{VENV_BIN}/"),
                    encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and (result.stdout + result.stderr).strip() == "", (
        result.stdout + result.stderr)


def env_file(path: Path, include_commented: bool = False) -> dict[str, str]:
    """A systemd EnvironmentFile / shell-style ``KEY=value`` file, strictly."""
    values = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if include_commented and re.match(r"#[A-Z_]+=", line):
            line = line[1:]
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        assert m, f"{path.name}:{number}: not KEY=value: {raw!r}"
        values[m[1]] = m[2]
    return values


def test_the_service_environment_is_understood_by_turnero_serve() -> None:
    env = env_file(DEPLOY / "turnero.env", include_commented=True)
    unit = (DEPLOY / "turnero.service").read_text(encoding="utf-8")
    command = re.search(r"^ExecStart=\S+ (.*)$", unit, re.M)
    assert command and command[1] == "serve $TURNERO_SERVE_ARGS"
    args = build_parser().parse_args(["serve", *shlex.split(env["TURNERO_SERVE_ARGS"])])
    assert args.host == "0.0.0.0" and args.public_url
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "server").rglob("*.py"))
    for key in set(env) - {"TURNERO_SERVE_ARGS"}:
        assert f'"{key}"' in sources, f"turnero.env sets {key}, which turnero never reads"


@pytest.mark.parametrize("entry", sorted(DEPLOY.glob("*.desktop")), ids=lambda p: p.name)
def test_autostart_entries_validate_and_start_the_scripts(entry: Path) -> None:
    result = subprocess.run([tool("desktop-file-validate"), str(entry)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(entry, encoding="utf-8")
    script = Path(parser["Desktop Entry"]["Exec"]).name
    assert (DEPLOY / script).is_file() and f"/usr/local/bin/{script}" in GUIDE


SCRIPTS = sorted(p for p in DEPLOY.iterdir() if p.read_bytes().startswith(b"#!/bin/sh"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_pass_shellcheck(script: Path) -> None:
    assert script.stat().st_mode & 0o111, f"{script.name} is not executable"
    result = subprocess.run([tool("shellcheck"), "--shell=sh", str(script)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_the_board_starts_chromium_with_the_flags_the_board_tests_use() -> None:
    """The browser tests of the board run with autoplay allowed; the TV must too."""
    script = (DEPLOY / "turnero-board").read_text(encoding="utf-8")
    autoplay = next(a for a in CHROMIUM_ARGS if a.startswith("--autoplay-policy"))
    assert autoplay in script and "--kiosk" in script
    assert "xset -dpms" in script and "xset s off" in script


def test_the_caddyfile_validates(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME":
           str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([tool("caddy"), "validate", "--adapter", "caddyfile", "--config",
                             str(DEPLOY / "Caddyfile")], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


UDEV_MATCH = {"ACTION", "KERNEL", "KERNELS", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "DRIVERS",
              "ATTR", "ATTRS", "ENV", "TAG", "TAGS"}
UDEV_ASSIGN = {"MODE", "GROUP", "OWNER", "SYMLINK", "TAG", "ENV", "RUN"}
UDEV_PAIR = re.compile(r'([A-Z]+)(\{[A-Za-z_]+\})?(==|!=|\+=|:=|=)"([^"]*)"')


def test_udev_rules_parse_strictly() -> None:
    """Every rule line (and the commented example) is ``KEY{attr}OP"value"`` pairs separated
    by ", ", with at least one match and one assignment, known keys, octal modes and the
    groups the guide adds the users to."""
    rules = [(n, line.lstrip("#")) for rules_file in DEPLOY.glob("*.rules")
             for n, line in enumerate(rules_file.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip() and (not line.startswith("#") or re.match(r"#[A-Z]+[{=!]", line))]
    assert rules
    for number, line in rules:
        pairs = line.split(", ")
        parsed = [UDEV_PAIR.fullmatch(p) for p in pairs]
        assert all(parsed), f"line {number}: cannot parse {line!r}"
        matches = [m for m in parsed if m and m[3] in ("==", "!=")]
        assigns = [m for m in parsed if m and m[3] not in ("==", "!=")]
        assert matches and assigns, f"line {number}: a rule needs a match and an assignment"
        assert all(m[1] in UDEV_MATCH for m in matches), f"line {number}: unknown match key"
        assert all(m[1] in UDEV_ASSIGN for m in assigns), f"line {number}: unknown assignment"
        for m in assigns:
            if m[1] == "MODE":
                assert re.fullmatch(r"0[0-7]{3}", m[4])
            if m[1] == "GROUP":
                assert m[4] in ("lp", "dialout") and f"usermod -aG {m[4]}" in GUIDE
        for m in matches:
            if m[2] == "{idVendor}":
                assert re.fullmatch(r"[0-9a-f]{4}", m[4])


def ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(path.read_text(encoding="utf-8"), source=path.name)
    return parser


SIZE = r"\d+[KMGT]?"
TIMESPAN = r"\d+(s|min|h|day|week|month|year)"
HOST = r"[A-Za-z0-9.-]+"


def test_journald_timesyncd_and_lightdm_drop_ins_parse() -> None:
    journal = ini(DEPLOY / "journald-turnero.conf")
    assert journal.sections() == ["Journal"]
    rules = {"Storage": r"volatile|persistent|auto|none", "SystemMaxUse": SIZE,
             "MaxRetentionSec": TIMESPAN}
    assert set(journal["Journal"]) <= set(rules)
    for key, value in journal["Journal"].items():
        assert re.fullmatch(rules[key], value), f"journald {key}={value}"

    wait = ini(DEPLOY / "time-wait-sync-turnero.conf")
    assert wait.sections() == ["Service"] and set(wait["Service"]) == {"TimeoutStartSec"}
    assert re.fullmatch(TIMESPAN, wait["Service"]["TimeoutStartSec"])

    time_conf = ini(DEPLOY / "timesyncd-turnero.conf")
    assert time_conf.sections() == ["Time"] and set(time_conf["Time"]) <= {"NTP", "FallbackNTP"}
    for value in time_conf["Time"].values():
        assert all(re.fullmatch(HOST, h) for h in value.split())

    seat = ini(DEPLOY / "lightdm-autologin.conf")
    assert seat.sections() == ["Seat:*"]
    assert set(seat["Seat:*"]) == {"autologin-user", "autologin-user-timeout", "xserver-command"}
    assert re.fullmatch(r"[a-z][a-z0-9-]*", seat["Seat:*"]["autologin-user"])
    assert "-dpms" in seat["Seat:*"]["xserver-command"].split()
