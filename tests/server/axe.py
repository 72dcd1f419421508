"""axe-core (from the npm registry, installed on demand into a cache folder) run inside a
real page: accessibility checks as a user of a screen reader would meet them."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from tests.conftest import need

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "turnero" / "axe"


@cache
def axe_source() -> str:
    script = CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        need(npm is not None, "npm (to install axe-core)")
        subprocess.run([str(npm), "install", "--prefix", str(CACHE), "axe-core@4",
                        "--no-audit", "--no-fund"], check=True, capture_output=True,
                       timeout=300)
    return script.read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """Violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
