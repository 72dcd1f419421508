"""Helpers for the staff pages' browser tests: sign in through the real form, run axe-core."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, LiveServer, need

AXE_DIR = Path(os.environ.get("TURNERO_AXE_DIR", Path.home() / ".cache" / "turnero-axe"))
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into a cache folder (never committed)."""
    if not AXE_JS.exists():
        need(shutil.which("npm") is not None, "npm (to install axe-core)")
        subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "axe-core@4", "--no-audit",
                        "--no-fund", "--silent"], check=False, timeout=300,
                       capture_output=True)
    need(AXE_JS.exists(), "axe-core")
    return AXE_JS.read_text(encoding="utf-8")


def serious_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return serious and critical violations.
    The page's CSP forbids injected scripts, so the context must be made with bypass_csp."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def open_sign_in(page: Page, server: LiveServer, path: str = "/panel") -> None:
    page.goto(server.base_url + path)
    expect(page.get_by_label("Usuario")).to_be_visible()


def sign_in(page: Page, server: LiveServer, user: str, counter: int | None = None,
            password: str = PASSWORD, path: str = "/panel") -> None:
    """Sign in through the form; on the panel, wait until the live link is up."""
    submit_sign_in(page, server, user, counter, password, path)
    if path == "/panel":
        expect(page.locator("#conn")).to_have_text("En línea")


def submit_sign_in(page: Page, server: LiveServer, user: str, counter: int | None = None,
                   password: str = PASSWORD, path: str = "/panel") -> None:
    """Fill in and send the sign-in form, whatever the answer."""
    open_sign_in(page, server, path)
    page.get_by_label("Usuario").fill(user)
    page.get_by_label("Contraseña").fill(password)
    if counter is not None:
        page.get_by_label("Ventanilla", exact=True).select_option(str(counter))
    page.get_by_role("button", name="Ingresar").click()


def in_hand(page: Page) -> Any:
    return page.locator("#ticket-number")


def waiting_row(page: Page, number: str) -> Any:
    return page.locator(f"#waiting li[data-ticket='{number}']")
