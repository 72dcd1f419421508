"""The README documents what users can type: every CLI command and every config key."""

from __future__ import annotations

import re
import tomllib

from server.cli import build_parser
from server.config import DEMO_CONFIG
from tests.conftest import ROOT

WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        nested = [a for a in command._actions if getattr(a, "choices", None)
                  and a.dest.endswith("_cmd")]
        names = [f"turnero {name} {n}" for a in nested for n in a.choices] or [f"turnero {name}"]
        for full in names:
            assert full in README, f"{full!r} is not documented in README.md"


def test_every_config_key_is_in_the_readme() -> None:
    data = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    documented = re.findall(r"^\| `([^|]+)` \|", README, re.M)
    text = " ".join(documented)
    for table, value in data.items():
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            for key in row:
                if key in WEEKDAYS:
                    key = "monday … sunday"
                assert key in text, f"[{table}] {key} is not in the README configuration table"
