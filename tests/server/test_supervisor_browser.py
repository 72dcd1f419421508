"""The supervisor dashboard, monthly report and counter tablet in real headless Chromium,
against a real server with several weeks of generated history."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server.config import load_config
from server.queue.hours import MONTHS_ES
from server.services.demo_history import fill_demo_history
from server.storage.bulk import HISTORY_COLUMNS, insert_history
from tests.conftest import (
    DEMO_CONFIG,
    PASSWORD,
    LiveServer,
    password_hash,
    prepare_database,
    serious_violations,
)

pytestmark = pytest.mark.browser

CLERKS = {1: "María Gómez", 2: "Carlos Pérez", 3: "Luisa Martínez", 4: "Jorge Ramírez",
          5: "Sandra López", 6: "Andrés Torres"}
HISTORY_CHARTS = ["chart-wait-hour", "chart-volume-hour", "chart-service", "chart-trend",
                  "chart-satisfaction", "chart-outcomes"]
REPORT_CHARTS = ["r-wait-hour", "r-volume-hour", "r-service", "r-trend", "r-satisfaction"]


def add_clerks(db: Path) -> None:
    """The demo's counter users (ventanilla1…6, as the history names them), password
    PASSWORD, with real-looking names for the screenshots."""
    from server.storage import Store

    store = Store.open(db)
    try:
        def add(tx: Any) -> None:
            for n, name in CLERKS.items():
                tx.insert_user(f"ventanilla{n}", name, "clerk", password_hash(), time.time())

        store.run_sync(add)
    finally:
        store.close()


def add_waiting_ticket(db: Path, service: str, minutes_ago: float) -> None:
    """A ticket issued earlier today and still waiting (to see a line over its target)."""
    cfg = load_config(DEMO_CONFIG)
    issued = time.time() - minutes_ago * 60
    local = datetime.fromtimestamp(issued, cfg.tz)
    values = {c: None for c in HISTORY_COLUMNS}
    values.update(id=f"old-{service}", number=f"{service}-900", letter=service, seq=900,
                  day=local.date().isoformat(), service=service, status="waiting",
                  issued_at=issued, queued_at=issued, call_count=0, transfers=0,
                  kiosk="quiosco-prueba", hour=local.hour, weekday=local.weekday())
    insert_history(db, [(tuple(values[c] for c in HISTORY_COLUMNS), [])])


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("office")
    server = LiveServer(db=tmp / "turnero.db")
    server.tokens = prepare_database(server.db)
    add_clerks(server.db)
    fill_demo_history(server.db, load_config(DEMO_CONFIG), 45)
    server.start()
    yield server
    server.stop()


def new_page(browser: Any, **options: Any) -> tuple[Any, Page, list[str]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-CO",
                                  timezone_id="America/Bogota", **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and
            "status of 401" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def sign_in(page: Page, server: LiveServer, path: str, user: str = "super") -> None:
    page.goto(server.base_url + path)
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.get_by_label("Usuario").fill(user)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()


def chart_state(page: Page, canvas_id: str) -> dict[str, Any]:
    """Size, painted pixels and data points of the Chart.js chart on a canvas."""
    state: dict[str, Any] = page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            const chart = Chart.getChart(canvas);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                                canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
            const points = chart ? chart.data.datasets.reduce((n, d) =>
                n + d.data.filter((v) => v !== null && v !== undefined).length, 0) : 0;
            return {width: canvas.width, height: canvas.height, painted, points,
                    type: chart ? chart.config.type : null};
        }""", canvas_id)
    return state


def assert_drawn(page: Page, canvas_ids: list[str]) -> None:
    for canvas_id in canvas_ids:
        s = chart_state(page, canvas_id)
        assert s["width"] > 200 and s["height"] > 150, (canvas_id, s)
        assert s["points"] > 0, (canvas_id, s)
        assert s["painted"] > 0.02 * s["width"] * s["height"], (canvas_id, s)


def test_live_view_follows_the_office(office: LiveServer, browser: Any, artifacts: Path
                                      ) -> None:
    add_waiting_ticket(office.db, "B", minutes_ago=25)  # target 10 min: over it
    context, page, problems = new_page(browser)
    sign_in(page, office, "/supervisor")
    expect(page.get_by_role("tab", name="Ahora")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#live-status")).to_contain_text("En vivo")
    row_b = page.locator("#queues tbody tr", has_text="Información y orientación")
    expect(row_b).to_have_class("over")
    expect(row_b).to_contain_text("Sobre la meta")
    waiting = page.locator("#live-kpis .kpi").first.locator(".kpi-value")
    before = int(waiting.inner_text())
    # the office moves: a kiosk issues, a clerk signs in and calls, a printer fails
    for service, group in [("A", None), ("A", "AM"), ("C", None), ("E", None), ("D", "GES")]:
        office.issue(service, group)
    expect(waiting).to_have_text(str(before + 5))
    clerk = office.login("ventanilla1", counter=1)
    with office.client(clerk) as c:
        assert c.post("/api/v1/counters/1/next").status_code == 200
    card = page.locator("#counters li", has_text="Ventanilla 1")
    expect(card).to_contain_text("María Gómez")
    expect(card).to_contain_text("Atendiendo")
    office.login("ventanilla3", counter=3)
    clerk5 = office.login("ventanilla5", counter=5)
    with office.client(clerk5) as c:
        c.post("/api/v1/counters/5/pause", json={"reason": "lunch"})
    expect(page.locator("#counters li", has_text="Ventanilla 5")).to_contain_text(
        "En pausa (almuerzo)")
    ticket = office.issue("B")
    with office.client(office.kiosk_token) as k:
        k.post(f"/api/v1/tickets/{ticket['id']}/print-status",
               json={"ok": False, "message": "Sin papel"})
    expect(page.locator("#alerts li.alert")).to_contain_text(
        f"No se imprimió el turno {ticket['number']} en quiosco-prueba")
    expect(page.locator("#alerts li.alert")).to_contain_text("Sin papel")
    page.screenshot(path=str(artifacts / "supervisor-live.png"), full_page=True)
    assert problems == [], problems
    context.close()


def test_history_tab_draws_its_charts(office: LiveServer, browser: Any, artifacts: Path
                                      ) -> None:
    context, page, problems = new_page(browser)
    sign_in(page, office, "/supervisor#historial")
    results = page.locator("#history-results")
    expect(results).to_have_attribute("aria-busy", "false")  # the first query is drawn
    assert_drawn(page, HISTORY_CHARTS)
    # issued + served for each working day of the last 30 days (about 21)
    assert chart_state(page, "chart-trend")["points"] >= 2 * 20
    issued = page.locator("#history-kpis .kpi").first.locator(".kpi-value").inner_text()
    assert int(issued.replace(".", "")) > 3000
    expect(page.locator("#detail tbody tr")).to_have_count(5)  # the five services
    # filter: only preferential, detail by group
    page.get_by_label("Atención", exact=True).select_option("preferential")
    page.get_by_label("Detallar por").select_option("group")
    page.get_by_role("button", name="Consultar").click()
    expect(results).to_have_attribute("aria-busy", "false")
    expect(page.locator("#detail-title")).to_have_text("Detalle por grupo preferencial")
    expect(page.locator("#detail tbody tr").first).to_contain_text("Persona mayor")
    href = page.locator("#x-tickets-csv").get_attribute("href")
    assert "group=preferential" in href and "format=csv" in href
    page.get_by_label("CSV para Excel en español").check()
    assert "sep=semicolon" in page.locator("#x-summary-csv").get_attribute("href")
    page.get_by_label("Atención", exact=True).select_option("")
    page.get_by_label("Detallar por").select_option("service")
    page.get_by_role("button", name="Consultar").click()
    expect(results).to_have_attribute("aria-busy", "false")
    expect(page.locator("#detail-title")).to_have_text("Detalle por servicio")
    page.screenshot(path=str(artifacts / "supervisor-history.png"), full_page=True)
    # the download links work with the session cookie
    with page.expect_download() as download:
        page.locator("#x-summary-xlsx").click()
    assert download.value.suggested_filename.startswith("indicadores_")
    assert problems == [], problems
    context.close()


def test_monthly_report_prints_with_charts(office: LiveServer, browser: Any, artifacts: Path
                                           ) -> None:
    month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    context, page, problems = new_page(browser)
    sign_in(page, office, f"/supervisor/report?month={month}")
    month_name = MONTHS_ES[int(month[5:]) - 1]
    expect(page.locator("#report-title")).to_contain_text(f"{month_name} de {month[:4]}")
    expect(page.locator("#report")).to_have_attribute("aria-busy", "false")
    assert_drawn(page, REPORT_CHARTS)
    expect(page.locator("#report-title")).to_contain_text("Informe de atención al ciudadano")
    expect(page.locator("#t-clerk tbody")).to_contain_text("María Gómez")
    expect(page.locator("#definitions li")).to_have_count(6)
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimir o guardar en PDF")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    assert problems == [], problems
    context.close()


def test_clerk_is_told_no_permission(office: LiveServer, browser: Any) -> None:
    context, page, _ = new_page(browser)
    clerk_page_login = {"username": "ventanilla2", "password": PASSWORD, "counter": 2}
    page.goto(office.base_url + "/supervisor")
    page.request.post(office.base_url + "/api/v1/auth/login", data=clerk_page_login)
    page.reload()
    expect(page.get_by_role("heading", name="No tiene permiso")).to_be_visible()
    expect(page.locator("#dashboard")).to_be_hidden()
    page.get_by_role("button", name="Cerrar sesión y entrar con otro usuario").click()
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.get_by_label("Usuario").fill("super")
    page.get_by_label("Contraseña").fill("wrong-password")
    page.get_by_role("button", name="Ingresar").click()
    expect(page.locator("#signin-message")).to_have_text("Usuario o contraseña incorrectos.")
    context.close()


def test_supervisor_page_passes_axe(office: LiveServer, browser: Any, axe_source: str) -> None:
    context, page, _ = new_page(browser, bypass_csp=True)  # axe is injected inline
    sign_in(page, office, "/supervisor")
    expect(page.locator("#counters li").first).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.get_by_role("tab", name="Historial").click()
    page.wait_for_selector("#history-results[aria-busy='false']")
    assert serious_violations(page, axe_source) == []
    page.goto(office.base_url + "/supervisor/report")
    page.wait_for_selector("#report[aria-busy='false']")
    assert serious_violations(page, axe_source) == []
    context.close()
    context, page, _ = new_page(browser, bypass_csp=True)
    page.goto(office.base_url + "/supervisor")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    context.close()


def test_counter_tablet_with_an_unknown_counter_says_so_at_once(office: LiveServer,
                                                                browser: Any) -> None:
    context, page, _ = new_page(browser)
    for query in (f"counter=99&token={office.survey_token}", "counter=98"):
        page.goto(f"{office.base_url}/survey?{query}")
        number = query.split("&")[0].split("=")[1]
        expect(page.locator("#problem")).to_have_text(f"La ventanilla {number} no existe.",
                                                      timeout=2000)
    context.close()


def test_a_tablet_bound_to_another_counter_says_which(office: LiveServer, browser: Any
                                                      ) -> None:
    with office.client(office.login("admin")) as admin:
        made = admin.post("/api/v1/admin/tokens", json={
            "role": "survey", "name": "tableta-ventanilla-2", "counters": [2]})
        assert made.status_code == 201, made.text
    context, page, _ = new_page(browser)
    page.goto(f"{office.base_url}/survey?counter=3&token={made.json()['token']}")
    expect(page.locator("#problem")).to_have_text(
        "Esta tableta de encuesta es de la ventanilla 2. Abra su enlace con esa ventanilla.",
        timeout=5000)
    context.close()


def test_counter_tablet_survey(office: LiveServer, browser: Any, artifacts: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(f"{office.base_url}/survey?counter=4&token={office.survey_token}")
    expect(page.locator("#idle")).to_contain_text("Gracias por su visita")
    assert "token=" not in page.url, "the device token does not stay on screen"
    assert page.evaluate("JSON.stringify(localStorage)") == "{}", "nor in the page's storage"
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["turnero_device"]["httpOnly"]
    assert cookies["turnero_device"]["value"] != office.survey_token, "a session, not the token"
    clerk = office.login("ventanilla4", counter=4)
    office.issue("D")
    with office.client(clerk) as c:  # whichever ticket counter 4 calls next
        ticket = c.post("/api/v1/counters/4/next").json()
        c.post(f"/api/v1/tickets/{ticket['id']}/start")
        c.post(f"/api/v1/tickets/{ticket['id']}/finish")
    expect(page.get_by_text("¿Cómo fue la atención que recibió?")).to_be_visible()
    expect(page.locator("#survey")).to_contain_text(f"Turno {ticket['number']}")
    page.screenshot(path=str(artifacts / "survey-tablet.png"))
    page.get_by_role("button", name="5 de 5: Muy buena").click()
    expect(page.get_by_text("¿Qué le gustó más?")).to_be_visible()
    page.get_by_role("button", name="La amabilidad del funcionario").click()
    expect(page.get_by_text("¡Gracias por su respuesta!")).to_be_visible()
    expect(page.locator("#idle")).to_be_visible(timeout=15000)  # back to waiting
    with office.client(office.login("super")) as s:
        day = s.get("/api/v1/stats/today").json()["day"]
        rows = s.get("/api/v1/stats/summary", params={"from": day, "to": day,
                                                      "by": "counter"}).json()["rows"]
    counter4 = next(r for r in rows if r["key"] == 4)
    assert counter4["satisfaction"]["distribution"]["5"] == 1
    # the same survey for one ticket (what the ticket's status page shows)
    page.goto(f"{office.base_url}/survey?ticket={ticket['id']}")
    expect(page.get_by_text("Ya calificó esta atención")).to_be_visible()
    assert problems == [], problems
    context.close()
