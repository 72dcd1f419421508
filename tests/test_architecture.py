"""The layers of docs/architecture.md import one way only: a module that imports upward fails
here, with the offending import named."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: What each layer may import from Turnero's own packages (prefixes of module names).
ALLOWED = {
    "server/errors.py": (),
    "server/queue/": ("server.errors", "server.queue"),
    "server/security/": ("server.errors", "server.queue", "server.security"),
    # display/ is a library below the server; its pure number reading validates the office
    # file's spoken letter names.
    "server/config.py": ("server.errors", "server.queue", "display.spanish_numbers"),
    "server/storage/": ("server.errors", "server.queue", "server.storage"),
    "server/services/": ("server.errors", "server.queue", "server.config", "server.storage",
                         "server.views", "server.events", "server.auth", "server.security",
                         "server.services"),
}
OWN = ("server", "kiosk", "printer", "display", "hardware", "tests", "bench")


def imports_of(path: Path) -> list[str]:
    """Every module a file imports (at any depth, lazily imported ones included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return [m for m in found if m.split(".")[0] in OWN]


def layer_files() -> list[tuple[str, Path]]:
    out = []
    for layer in ALLOWED:
        target = ROOT / layer
        files = sorted(target.rglob("*.py")) if layer.endswith("/") else [target]
        out += [(layer, f) for f in files]
    return out


@pytest.mark.parametrize(("layer", "path"), layer_files(),
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "")
def test_layers_import_only_downward(layer: str, path: Path) -> None:
    allowed = ALLOWED[layer]
    upward = [m for m in imports_of(path)
              if not any(m == a or m.startswith(a + ".") for a in allowed)]
    assert not upward, f"{path.relative_to(ROOT)} ({layer}) imports upward: {upward}"


def test_benchmarks_do_not_import_the_test_fixtures() -> None:
    """Benchmarks start servers through ``server.harness``, not through the test fixtures."""
    offenders = {str(p.relative_to(ROOT)): m for p in (ROOT / "bench").glob("*.py")
                 for m in imports_of(p) if m == "tests.conftest"}
    assert not offenders, offenders
