"""The administration pages in a real headless Chromium against a real server."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import DESKTOP, serious_violations, sign_in

SECTIONS = ["servicios", "oficina", "ventanillas", "grupos", "horario", "prioridad", "pantalla",
            "pantallas", "caracterizacion", "usuarios", "dispositivos", "estado"]


def admin_page(browser: Browser, server: LiveServer, bypass_csp: bool = False) -> Page:
    page: Page = browser.new_context(viewport={"width": 1280, "height": 800},
                                     bypass_csp=bypass_csp).new_page()
    page.on("dialog", lambda d: d.accept())
    sign_in(page, server, "admin", path="/admin")
    expect(page.get_by_role("heading", name="Servicios", exact=True)).to_be_visible()
    return page


def go(page: Page, section: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=section, exact=True).click()


def kiosk_services(server: LiveServer) -> dict[str, dict[str, object]]:
    with server.client(server.kiosk_token) as kiosk:
        return {s["code"]: s for s in kiosk.get("/api/v1/services").json()}


def test_admin_asks_to_sign_in_and_keeps_clerks_out(live_server: LiveServer,
                                                    browser: Browser) -> None:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.base_url + "/admin")
    expect(page.get_by_role("heading", name="Administración")).to_be_visible()
    expect(page.get_by_label("Usuario")).to_be_visible()
    expect(page.get_by_label("Contraseña")).to_be_visible()
    expect(page.get_by_label("Ventanilla", exact=True)).to_have_count(0)
    sign_in(page, live_server, "clerk1", path="/admin")  # a clerk has no business here
    expect(page.get_by_role("alert")).to_contain_text("No tiene permiso")
    sign_in(page, live_server, "clerk1", counter=1)  # signed in at the panel, then /admin
    page.goto(live_server.base_url + "/admin")
    expect(page.get_by_role("heading", name="No tiene permiso")).to_be_visible()
    expect(page.locator("#admin")).to_be_hidden()
    status = page.evaluate("fetch('/api/v1/admin/users').then(r => r.status)")
    assert status == 403
    page.context.close()


def test_admin_edits_a_service_and_the_kiosk_sees_it(live_server: LiveServer, browser: Browser,
                                                     artifacts: Path) -> None:
    page = admin_page(browser, live_server)
    page.screenshot(path=str(artifacts / "admin-services.png"), full_page=True)
    page.get_by_role("button", name="Editar servicio Pasaportes").click()
    form = page.locator("form", has_text="Editar servicio «Pasaportes»")
    form.get_by_label("Nombre").fill("Pasaportes y visas")
    form.get_by_label("Activo (se ofrece en el quiosco)").uncheck()
    form.get_by_role("button", name="Guardar cambios").click()
    expect(page.get_by_role("status")).to_have_text("Servicio «Pasaportes y visas» guardado.")
    expect(page.locator("tr[data-code='E']")).to_contain_text("Inactivo")
    services = kiosk_services(live_server)
    assert services["E"]["name"] == "Pasaportes y visas"
    assert services["E"]["active"] is False

    # A new service, served by counter 6, reaches the kiosk at once.
    add = page.locator("form", has_text="Agregar un servicio")
    add.get_by_label("Código (una letra)").fill("F")
    add.get_by_label("Nombre").fill("Registro de víctimas")
    add.get_by_label("Ventanilla 6").check()
    add.get_by_role("button", name="Agregar servicio").click()
    expect(page.get_by_role("status")).to_have_text("Servicio «Registro de víctimas» agregado.")
    assert kiosk_services(live_server)["F"]["name"] == "Registro de víctimas"

    # The page checks what it can before sending; the server explains the rest.
    add = page.locator("form", has_text="Agregar un servicio")
    add.get_by_label("Código (una letra)").fill("A")
    add.get_by_label("Nombre").fill("Otro")
    add.get_by_role("button", name="Agregar servicio").click()
    expect(add.get_by_text("Ya existe un servicio con la letra A.")).to_be_visible()
    add.get_by_label("Código (una letra)").fill("G")
    add.get_by_role("button", name="Agregar servicio").click()  # active, no counter serves it
    expect(page.get_by_role("alert")).to_contain_text(
        "Servicio «G»: ninguna ventanilla atiende este servicio")
    page.screenshot(path=str(artifacts / "admin-services-error.png"), full_page=True)
    assert "G" not in kiosk_services(live_server)
    page.context.close()


def test_removing_a_service_with_people_waiting_is_refused_clearly(
        live_server: LiveServer, browser: Browser) -> None:
    live_server.issue("D")
    page = admin_page(browser, live_server)
    page.get_by_role("button", name="Eliminar servicio Certificados y constancias").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "No se puede eliminar el servicio «Certificados y constancias»: tiene 1 turno(s)")
    assert "D" in kiosk_services(live_server)
    page.context.close()


def test_admin_edits_counters_groups_hours_priority_and_board_message(
        live_server: LiveServer, browser: Browser, artifacts: Path) -> None:
    page = admin_page(browser, live_server)
    go(page, "Ventanillas")
    page.get_by_role("button", name="Editar Ventanilla 3").click()
    form = page.locator("form", has_text="Editar Ventanilla 3")
    form.get_by_label("Nombre").fill("Caja 3")
    form.get_by_label("D · Certificados y constancias").check()
    form.get_by_role("button", name="Guardar cambios").click()
    expect(page.get_by_role("status")).to_have_text("«Caja 3» guardada.")
    public = httpx.get(f"{live_server.base_url}/api/v1/counters/public", timeout=10).json()
    assert public[2]["name"] == "Caja 3"
    assert [s["code"] for s in public[2]["services"]] == ["C", "D"]
    page.screenshot(path=str(artifacts / "admin-counters.png"), full_page=True)

    go(page, "Grupos preferenciales")
    page.get_by_role("button", name="Deshabilitar Grupo étnico").click()
    expect(page.get_by_role("status")).to_have_text("«Grupo étnico» deshabilitado.")
    page.get_by_role("button", name="Renombrar Persona de talla baja").click()
    page.get_by_label("Nombre").fill("Persona de baja estatura")
    page.get_by_role("button", name="Guardar nombre").click()
    expect(page.locator("tr[data-code='TB']")).to_contain_text("Persona de baja estatura")
    page.get_by_label("Código").fill("LAC")
    page.get_by_label("Nombre").fill("Madre lactante")
    page.get_by_role("button", name="Agregar grupo").click()
    expect(page.locator("tr[data-code='LAC']")).to_contain_text("Habilitado")
    with live_server.client(live_server.kiosk_token) as kiosk:
        groups = {g["code"]: g for g in kiosk.get("/api/v1/groups").json()}
    assert groups["ET"]["enabled"] is False and groups["LAC"]["name"] == "Madre lactante"
    assert groups["TB"]["name"] == "Persona de baja estatura"
    page.screenshot(path=str(artifacts / "admin-groups.png"), full_page=True)

    go(page, "Horario")
    page.get_by_label("Sábado").fill("08:00-12:00")
    page.get_by_label("Domingo").fill("9 a 12")
    page.get_by_role("button", name="Guardar horario").click()
    expect(page.get_by_text("«9 a 12» no es una franja; use 08:00-11:30.")).to_be_visible()
    page.get_by_label("Domingo").fill("")
    page.get_by_label("Días sin atención de la oficina").fill("2026-12-08\n2026-12-31")
    page.get_by_role("button", name="Guardar horario").click()
    expect(page.get_by_role("status")).to_have_text("Horario guardado.")
    page.screenshot(path=str(artifacts / "admin-hours.png"), full_page=True)

    go(page, "Prioridad")
    page.get_by_role("radio", name="Proporción").check()
    page.get_by_label("Preferenciales seguidos (N, modo proporción)").fill("2")
    page.get_by_label("Espera máxima (minutos)").fill("45")
    page.get_by_label("Llamados antes de «No se presentó»").fill("2")
    page.get_by_label("Segundos desde el primer llamado antes de «No se presentó»").fill("2000")
    page.get_by_role("button", name="Guardar prioridad").click()
    expect(page.get_by_text("Debe ser un número entero de 0 a 1800.")).to_be_visible()
    page.get_by_label("Segundos desde el primer llamado antes de «No se presentó»").fill("90")
    page.get_by_role("button", name="Guardar prioridad").click()
    expect(page.get_by_role("status")).to_have_text("Prioridad guardada.")

    go(page, "Mensaje de pantalla")
    page.get_by_label("Mensaje").fill("Hoy la atención termina a las 4 p. m.")
    page.get_by_role("button", name="Guardar mensaje").click()
    expect(page.get_by_role("status")).to_have_text("Mensaje guardado.")

    with live_server.client(live_server.kiosk_token) as kiosk:
        office = kiosk.get("/api/v1/office").json()
    assert office["board_message"] == "Hoy la atención termina a las 4 p. m."
    assert office["hours"]["saturday"] == ["08:00-12:00"]
    assert office["hours"]["closed_dates"] == ["2026-12-08", "2026-12-31"]
    with live_server.client(live_server.login("admin")) as c:
        priority = c.get("/api/v1/admin/config").json()["priority"]
    assert priority == {"mode": "ratio", "preferential_in_row": 2, "max_wait_min": 45,
                        "min_calls_before_no_show": 2, "no_show_after_s": 90}
    page.context.close()


def test_admin_creates_a_user_who_can_then_sign_in(live_server: LiveServer, browser: Browser,
                                                   artifacts: Path) -> None:
    page = admin_page(browser, live_server)
    go(page, "Usuarios")
    page.get_by_label("Usuario nuevo").fill("mlopez")
    page.get_by_label("Nombre completo").fill("María López")
    page.get_by_label("Rol", exact=True).select_option("clerk")
    page.get_by_label("Contraseña inicial").fill("corta")
    page.get_by_role("button", name="Crear usuario").click()
    expect(page.get_by_text("La contraseña debe tener al menos 8 caracteres.")).to_be_visible()
    page.get_by_label("Contraseña inicial").fill("clave-segura-1")
    page.get_by_role("button", name="Crear usuario").click()
    expect(page.get_by_role("status")).to_have_text(
        "Usuario mlopez creado (Funcionario de ventanilla).")
    expect(page.locator("tr[data-user='mlopez']")).to_contain_text("María López")
    page.screenshot(path=str(artifacts / "admin-users.png"), full_page=True)

    clerk = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(clerk, live_server, "mlopez", counter=3, password="clave-segura-1")
    expect(clerk.locator("#clerk-name")).to_have_text("María López")

    page.get_by_role("button", name="Desactivar mlopez").click()
    expect(page.get_by_role("status")).to_have_text("mlopez desactivado.")
    r = httpx.post(f"{live_server.base_url}/api/v1/auth/login",
                   json={"username": "mlopez", "password": "clave-segura-1", "counter": 3},
                   timeout=10)
    assert r.status_code == 401
    # The open panel learns it at once: disabling the user closes its live socket (4401) and
    # the panel, checking its session, asks for a new sign-in without anyone clicking.
    expect(clerk.get_by_text("Su sesión terminó. Ingrese de nuevo.")).to_be_visible()
    expect(clerk.get_by_label("Usuario")).to_be_visible()
    clerk.context.close()
    page.context.close()


def test_admin_creates_and_revokes_a_device_token(live_server: LiveServer, browser: Browser,
                                                  artifacts: Path) -> None:
    page = admin_page(browser, live_server)
    go(page, "Dispositivos")
    page.get_by_label("Nombre del dispositivo").fill("quiosco-entrada")
    page.get_by_label("Tipo").select_option("kiosk")
    page.get_by_role("button", name="Crear token").click()
    expect(page.get_by_text("Cópielo ahora: no se volverá a mostrar.")).to_be_visible()
    token = page.get_by_label("Token de quiosco-entrada").input_value()
    page.screenshot(path=str(artifacts / "admin-tokens.png"), full_page=True)
    with live_server.client(token) as kiosk:
        assert kiosk.get("/api/v1/services").status_code == 200
        page.get_by_role("button", name="Revocar quiosco-entrada").click()
        expect(page.get_by_role("status")).to_have_text("Token de «quiosco-entrada» revocado.")
        expect(page.locator("tr[data-token='quiosco-entrada']")).to_contain_text("Revocado")
        assert kiosk.get("/api/v1/services").status_code == 401
    expect(page.get_by_label("Token de quiosco-entrada")).to_have_count(0)  # shown once only
    page.context.close()


def test_admin_binds_a_survey_tablet_to_its_counter(live_server: LiveServer, browser: Browser
                                                    ) -> None:
    page = admin_page(browser, live_server)
    go(page, "Dispositivos")
    expect(page.get_by_label("Tipo")).to_have_value("kiosk")  # the form is drawn
    expect(page.get_by_label("Ventanilla de la tableta")).to_be_hidden()  # kiosks have none
    page.get_by_label("Nombre del dispositivo").fill("tableta-ventanilla-2")
    page.get_by_label("Tipo").select_option("survey")
    expect(page.get_by_label("Ventanilla de la tableta")).to_be_visible()
    page.get_by_label("Ventanilla de la tableta").select_option("2")
    page.get_by_role("button", name="Crear token").click()
    token = page.get_by_label("Token de tableta-ventanilla-2").input_value()
    with live_server.client(token) as tablet:
        assert tablet.get("/api/v1/counters/2/survey-ticket").status_code == 204
        other = tablet.get("/api/v1/counters/1/survey-ticket")
        assert other.status_code == 403
        assert other.json()["detail"] == "Esta tableta de encuesta es de la ventanilla 2."
    page.context.close()


def test_admin_has_no_serious_accessibility_problems(
        live_server: LiveServer, browser: Browser, axe_source: str) -> None:
    page = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    page.goto(live_server.base_url + "/admin")
    page.get_by_label("Usuario").wait_for()
    assert serious_violations(page, axe_source) == []
    page.close()
    page = admin_page(browser, live_server, bypass_csp=True)
    found = {}
    for section in SECTIONS:
        page.goto(f"{live_server.base_url}/admin#{section}")
        page.reload()
        expect(page.locator("#section h2")).to_be_visible()
        page.wait_for_load_state("networkidle")
        found[section] = serious_violations(page, axe_source)
    assert found == {s: [] for s in SECTIONS}
    page.context.close()


def test_admin_covers_office_boards_questions_and_holidays(
        live_server: LiveServer, browser: Browser, artifacts: Path) -> None:
    page = admin_page(browser, live_server)
    go(page, "Oficina")
    # the hours line is generated from the hours, never typed
    expect(page.locator("#footer-hours")).to_have_text(
        "Horario: lunes a viernes 8:00-11:30 y 14:00-17:30, excepto festivos")
    page.get_by_label("Nombre de la oficina").fill("Alcaldía de Prueba — Atención")
    page.get_by_label("Zona horaria").select_option("America/Lima")
    page.get_by_label("Otras líneas del pie").fill("Horario: 24 horas\nGracias por venir")
    page.get_by_role("button", name="Guardar oficina").click()
    expect(page.get_by_text("El horario se escribe solo desde la sección Horario")).to_be_visible()
    page.get_by_label("Otras líneas del pie").fill("Gracias por venir")
    page.get_by_role("button", name="Guardar oficina").click()
    expect(page.get_by_role("status")).to_have_text("Datos de la oficina guardados.")
    expect(page.locator("#office-name")).to_have_text("Alcaldía de Prueba — Atención")

    go(page, "Horario")
    page.get_by_label("Sábado").fill("08:00-12:00")
    page.get_by_text("Ver los festivos nacionales").click()
    expect(page.locator("#national-holidays")).to_contain_text("Día de los Reyes Magos")
    page.get_by_label("Días sin atención de la oficina").fill("2026-12-24")
    page.get_by_role("button", name="Guardar horario").click()
    expect(page.get_by_role("status")).to_have_text("Horario guardado.")
    page.screenshot(path=str(artifacts / "admin-holidays.png"), full_page=True)

    go(page, "Pantallas")
    page.get_by_label("Código de pantalla").fill("caja")
    page.get_by_label("Nombre de pantalla").fill("Sala de pagos")
    page.get_by_label("C · Pagos e impuestos").check()
    page.get_by_role("button", name="Agregar pantalla").click()
    expect(page.locator("tr[data-code='caja']")).to_contain_text("Pagos e impuestos")

    go(page, "Caracterización")
    page.get_by_label("Código de pregunta").fill("discapacidad")
    page.get_by_label("Pregunta", exact=True).fill("¿Tiene alguna discapacidad?")
    page.get_by_label("Opciones").fill("si: Sí\nno: No")
    page.get_by_role("button", name="Agregar pregunta").click()
    expect(page.locator("tr[data-code='discapacidad']")).to_contain_text("Sí · No")
    page.get_by_label("Hacer las preguntas en el quiosco").check()
    expect(page.get_by_role("status")).to_have_text("Preguntas activadas.")
    page.screenshot(path=str(artifacts / "admin-characterization.png"), full_page=True)

    with live_server.client(live_server.kiosk_token) as kiosk:
        office = kiosk.get("/api/v1/office").json()
    assert office["name"] == "Alcaldía de Prueba — Atención"
    assert office["timezone"] == "America/Lima"
    assert office["ticket_footer"] == [
        "Horario: lunes a viernes 8:00-11:30 y 14:00-17:30; sábado 8:00-12:00, excepto "
        "festivos", "Gracias por venir"]
    assert office["hours"]["national_holidays"] is True
    assert office["hours"]["closed_dates"] == ["2026-12-24"]
    assert {"code": "caja", "name": "Sala de pagos", "services": ["C"], "counters": []} \
        in office["boards"]
    questions = office["characterization"]["questions"]
    assert office["characterization"]["enabled"] is True
    assert any(q["code"] == "discapacidad" for q in questions)
    page.context.close()


def test_each_section_has_its_address_and_back_moves_between_them(
        live_server: LiveServer, browser: Browser) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, live_server, "admin", path="/admin#horario")
    expect(page.locator("#section h2")).to_have_text("Horario")
    go(page, "Pantallas")
    expect(page.locator("#section h2")).to_have_text("Pantallas")
    assert page.url.endswith("/admin#pantallas")
    go(page, "Oficina")
    expect(page.locator("#section h2")).to_have_text("Oficina")
    page.go_back()
    expect(page.locator("#section h2")).to_have_text("Pantallas")
    page.go_back()
    expect(page.locator("#section h2")).to_have_text("Horario")
    page.go_forward()
    expect(page.locator("#section h2")).to_have_text("Pantallas")
    expect(page.get_by_role("navigation").get_by_role("link", name="Pantallas", exact=True)) \
        .to_have_attribute("aria-current", "page")
    page.context.close()
