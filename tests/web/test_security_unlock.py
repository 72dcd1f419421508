"""The admin page's "Desbloquear" lifts the sign-in delays someone else's wrong passwords put
on a user (real server, real Chromium, the attacker bound to another loopback address)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.conftest import PASSWORD, LiveServer
from tests.web.test_admin import admin_page, go


def test_admin_unlocks_a_user_after_wrong_passwords(live_server: LiveServer,
                                                    browser: Browser) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10,
                      transport=httpx.HTTPTransport(local_address="127.0.0.2")) as elsewhere:
        def attempt(password: str) -> int:
            r = elsewhere.post("/api/v1/auth/login", json={
                "username": "clerk4", "password": password, "counter": 4})
            elsewhere.cookies.clear()
            return r.status_code

        assert [attempt("equivocada") for _ in range(6)][-1] == 429
        assert attempt(PASSWORD) == 429
        page = admin_page(browser, live_server)
        go(page, "Usuarios")
        page.get_by_role("button", name="Desbloquear el ingreso de clerk4").click()
        expect(page.get_by_role("status")).to_have_text(
            "clerk4 puede volver a ingresar sin esperas.")
        assert attempt(PASSWORD) == 200
        page.context.close()
