"""Helpers for the staff pages' browser tests: sign in through the real form, run axe-core."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, LiveServer, axe_source, serious_violations  # noqa: F401

DESKTOP = {"width": 1280, "height": 720}


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


def status(server: LiveServer, ticket_id: str) -> str:
    """A ticket's status as its public page reads it."""
    r = httpx.get(f"{server.base_url}/api/v1/tickets/{ticket_id}", timeout=10)
    value: str = r.json()["status"]
    return value
