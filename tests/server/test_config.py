"""The office TOML: the demo is valid, and every mistake names its key and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from server.config import DEMO_CONFIG, ConfigError, config_from_dict, load_config, parse_config
from server.queue.no_show import NoShowRule
from tests.conftest import ROOT, subprocess_env

DEMO_TEXT = DEMO_CONFIG.read_text(encoding="utf-8")


def test_demo_office_is_realistic() -> None:
    cfg = load_config(DEMO_CONFIG)
    assert cfg.timezone == "America/Bogota"
    assert len(cfg.services) >= 5 and len(cfg.counters) == 6
    assert any("PQRSD" in s.name for s in cfg.services)
    group_names = " ".join(g.name.lower() for g in cfg.groups)
    for expected in ("persona mayor", "gestante", "discapacidad", "talla baja", "víctima",
                     "huérfana", "étnico", "niños"):
        assert expected in group_names
    # a service shared by several counters, a counter serving several services
    assert sum("A" in c.services for c in cfg.counters) >= 2
    assert any(len(c.services) > 1 for c in cfg.counters)


def test_config_round_trips_through_the_database_shape() -> None:
    cfg = load_config(DEMO_CONFIG)
    assert config_from_dict(cfg.to_dict()) == cfg


def test_the_no_show_grace_rule_is_off_unless_the_office_sets_it() -> None:
    assert load_config(DEMO_CONFIG).no_show == NoShowRule(1, 0)
    text = DEMO_TEXT.replace("min_calls_before_no_show = 1", "min_calls_before_no_show = 2")
    text = text.replace("no_show_after_s = 0", "no_show_after_s = 120")
    assert parse_config(text).no_show == NoShowRule(2, 120)
    lean = "\n".join(line for line in DEMO_TEXT.splitlines() if "no_show" not in line)
    assert parse_config(lean).no_show == NoShowRule(1, 0)


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.mark.parametrize(
    ("old", "new", "key", "needle"),
    [
        ('target_wait_min = 10', 'target_wait_min = "diez"', "services[1].target_wait_min",
         'target_wait_min = "diez"'),
        ('mode = "strict"', 'mode = "lottery"', "priority.mode", 'mode = "lottery"'),
        ('monday    = ["08:00-11:30", "14:00-17:30"]', 'monday = ["08:00-25:30"]',
         "hours.monday", 'monday = ["08:00-25:30"]'),
        ('services = ["E"]\n\n[[groups]]', 'services = ["E", "Q"]\n\n[[groups]]',
         "counters[5].services", 'services = ["E", "Q"]'),
        ('timezone = "America/Bogota"', 'timezone = "Marte/Olympus"', "office.timezone",
         "Marte/Olympus"),
        ("min_calls_before_no_show = 1", "min_calls_before_no_show = 0",
         "priority.min_calls_before_no_show", "min_calls_before_no_show = 0"),
        ("no_show_after_s = 0", "no_show_after_s = -5", "priority.no_show_after_s",
         "no_show_after_s = -5"),
        ("no_show_after_s = 0", 'no_show_after_s = "un rato"', "priority.no_show_after_s",
         "no_show_after_s ="),
    ],
)
def test_errors_name_the_key_and_the_line(old: str, new: str, key: str, needle: str) -> None:
    assert old in DEMO_TEXT
    text = DEMO_TEXT.replace(old, new, 1)
    with pytest.raises(ConfigError) as err:
        parse_config(text, source="oficina.toml")
    problems = err.value.problems
    assert any(p.startswith(f"oficina.toml:{line_of(text, needle)}: {key}:") for p in problems), \
        problems


def test_all_problems_are_reported_at_once() -> None:
    text = DEMO_TEXT.replace('code = "A"', 'code = "a1"').replace("number = 6", "number = 1")
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    assert len(err.value.problems) >= 2


def test_broken_toml_syntax_is_reported_with_position() -> None:
    with pytest.raises(ConfigError, match="TOML inválido"):
        parse_config("[office\nname = 'x'")


def test_check_config_command(tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "server", "check-config", str(DEMO_CONFIG)],
                        capture_output=True, text=True, env=subprocess_env(), cwd=ROOT)
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    bad = tmp_path / "mala.toml"
    bad.write_text(DEMO_TEXT.replace('mode = "strict"', 'mode = "x"'), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "server", "check-config", str(bad)],
                         capture_output=True, text=True, env=subprocess_env(), cwd=ROOT)
    assert out.returncode == 2
    assert f"mala.toml:{line_of(bad.read_text(), 'mode = ')}: priority.mode" in out.stderr
