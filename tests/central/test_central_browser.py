"""The /central page and the public /datos-abiertos page in Debian's headless Chromium,
against a real central server: sign in, offices side by side, charts drawn with the local
chart library, no console errors, no serious axe-core violation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.central.conftest import CENTRAL_PASSWORD
from tests.central.test_records_api import CATALOG, record
from tests.conftest import PASSWORD, free_port, serious_violations

pytestmark = pytest.mark.browser


def test_central_page_compares_offices_and_passes_axe(
        make_central: Any, browser: Any, axe_source: str, artifacts: Path) -> None:
    centre = make_central(extra_args=["--min-count", "3"])
    tokens = {code: centre.add_office(code, name) for code, name in
              (("ALC-NORTE", "Alcaldía de Norte"), ("ALC-SUR", "Alcaldía de Sur"),
               ("ALC-OESTE", "Alcaldía de Oeste"))}
    centre.add_user("gobernacion")
    this_month = date.today().replace(day=1)
    last_month = this_month - timedelta(days=1)
    for n, code in enumerate(("ALC-NORTE", "ALC-SUR")):
        days = [this_month.isoformat(), last_month.replace(day=10).isoformat()]
        records = [record(i + 100 * n, day=days[i // 2 % 2]) for i in range(24)]
        r = httpx.post(f"{centre.base_url}/api/v1/central/records",
                       json={"office": code, "catalog": CATALOG, "records": records},
                       headers={"Authorization": f"Bearer {tokens[code]}"}, timeout=30)
        assert r.status_code == 200, r.text

    context = browser.new_context(viewport={"width": 1366, "height": 1000}, locale="es-CO",
                                  timezone_id="America/Bogota", bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and
            "status of 401" not in m.text else None)  # the wrong password, on purpose
    try:
        page.goto(f"{centre.base_url}/central")
        expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
        assert serious_violations(page, axe_source) == []
        page.get_by_label("Usuario").fill("gobernacion")
        page.get_by_label("Contraseña").fill("equivocada-123")
        page.get_by_role("button", name="Entrar").click()
        expect(page.get_by_role("alert")).to_contain_text("incorrectos")
        page.get_by_label("Contraseña").fill(CENTRAL_PASSWORD)
        page.get_by_role("button", name="Entrar").click()

        offices = page.locator("#offices tbody tr")
        expect(offices).to_have_count(2)
        expect(offices.first).to_contain_text("Alcaldía de Norte")
        expect(page.locator("#late")).to_contain_text("Alcaldía de Oeste (ALC-OESTE): nunca")
        expect(page.locator("#worst tbody tr").first).to_contain_text("Alcaldía de")
        for canvas in ("offices-chart", "trend-chart"):
            points = page.evaluate("(id) => Chart.getChart(document.getElementById(id))"
                                   ".data.datasets.reduce((n, d) => n + d.data.filter("
                                   "(v) => v != null).length, 0)", canvas)
            assert points > 0, canvas
        trend = page.evaluate("Chart.getChart(document.getElementById('trend-chart'))"
                              ".data.labels")
        assert len(trend) == 2 and trend[-1].endswith(str(this_month.year))
        page.screenshot(path=str(artifacts / "central.png"), full_page=True)
        assert serious_violations(page, axe_source) == []

        page.goto(f"{centre.base_url}/datos-abiertos")
        expect(page.get_by_role("heading", name="Cifras mensuales por oficina y servicio")
               ).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(4)  # last month: 2 offices × 2
        page.screenshot(path=str(artifacts / "datos-abiertos.png"), full_page=True)
        assert serious_violations(page, axe_source) == []
        assert problems == []
    finally:
        context.close()


def test_supervisor_sees_how_sending_to_the_centre_goes(make_server: Any, browser: Any,
                                                        axe_source: str) -> None:
    """The centre is unreachable: the office keeps working, and /supervisor says how many
    records wait and why they do not go."""
    nobody = f"http://127.0.0.1:{free_port()}"
    office = make_server(extra_args=["--central-url", nobody, "--central-token=sin-central"])
    for service in ("A", "B"):
        office.issue(service)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-CO",
                                  bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{office.base_url}/supervisor")
        page.get_by_label("Usuario").fill("super")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        line = page.locator("#central-status")
        expect(line).to_be_visible(timeout=15000)
        expect(line).to_contain_text("todavía sin envíos confirmados · 2 registros en espera")
        expect(line).to_contain_text("Sin conexión con la central")
        assert serious_violations(page, axe_source) == []
    finally:
        context.close()
