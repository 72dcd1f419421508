"""The real kiosk window (Kivy, offscreen OpenGL) touched through the whole flow against a real
server: tickets recorded, bytes printed, faults handled, and a screenshot of every screen at
the three screen sizes saved in the artifacts folder.

Each run is a subprocess (tests/kiosk/driver.py): Kivy has one global window per process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image

from display.spanish_numbers import spoken_ticket
from kiosk.flow import Catalog
from kiosk.printing import printable
from kiosk.qr import qr_modules
from kiosk.settings import KioskSettings
from kiosk.theme import MIN_TOUCH_CM, cm_to_px
from printer import paper_profile, render_ticket
from tests.conftest import LiveServer, free_port
from tests.kiosk.conftest import (
    ACCESS,
    SIZES,
    distinct_colours,
    history,
    waiting,
)
from tests.kiosk.test_service import deactivate_service

pytestmark = [pytest.mark.kivy, pytest.mark.usefixtures("needs_gl")]

ALL_SIZES = list(SIZES)


def take_ticket(service: str, group: str, shot: str | None = None, first: bool = True
                ) -> list[dict[str, Any]]:
    """Steps from the welcome screen to a printed ticket (screenshots when ``first``)."""
    steps: list[dict[str, Any]] = [{"wait": "welcome", "timeout": 30}]
    if first:
        steps.append({"shot": "welcome"})
    steps += [{"touch": "@screen" if first else "Tomar turno"}, {"wait": "services"}]
    if first:
        steps.append({"shot": "services"})
    steps += [{"touch": service}, {"wait": "groups"}]
    if first:
        steps.append({"shot": "groups"})
    steps += [{"touch": group}, {"wait": "ticket", "printed": True}]
    if shot:
        steps.append({"shot": shot})
    return steps


def server_ticket(server: LiveServer, ticket_id: str) -> dict[str, Any]:
    r = httpx.get(f"{server.base_url}/api/v1/tickets/{ticket_id}", timeout=10)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def office_catalog(server: LiveServer) -> Catalog:
    with server.client(server.kiosk_token) as c:
        return Catalog.from_api(c.get("/api/v1/office").json(), [], [])


def check_screens(result: dict[str, Any], size: str) -> None:
    """Screenshots are real pictures, and every button is at least 2 cm at the set dpi."""
    two_cm = cm_to_px(MIN_TOUCH_CM, SIZES[size])
    assert result["dpi"] == pytest.approx(SIZES[size])
    assert result["window"] == [int(v) for v in size.split("x")]
    for name, path in result["shots"].items():
        assert Path(path).exists()
        assert distinct_colours(Path(path)) > 20, f"{name} looks blank"
        for button in result["buttons"][name]:
            _x, _y, w, h = button["rect"]
            assert w >= two_cm and h >= two_cm, f"{name}: {button['title']!r} is {w}x{h}px"


def texts(result: dict[str, Any], shot: str) -> str:
    return "\n".join(t["text"] for t in result["texts"][shot])


def assert_qr_on_screen(result: dict[str, Any], shot: str, url: str) -> None:
    """The QR code drawn on screen has exactly the modules of the ticket's status URL."""
    qr = result["qr"][shot]
    assert qr["data"] == url
    modules = qr_modules(url)
    side = len(modules)
    x, y, w, h = qr["rect"]
    iw, ih = qr["norm_image_size"]
    left, bottom = x + (w - iw) / 2, y + (h - ih) / 2
    with Image.open(result["shots"][shot]) as im:
        gray = im.convert("L")
        height = gray.height
        for r in range(side):
            for c in range(side):
                px = left + (c + 0.5) * iw / side
                py = height - (bottom + ih - (r + 0.5) * ih / side)
                dark = gray.getpixel((int(px), int(py))) < 128
                assert dark == modules[r][c], f"module ({r},{c}) differs"


# --------------------------------------------------------------------------- happy paths
@pytest.mark.parametrize("size", ALL_SIZES)
def test_general_and_preferential_ticket(size: str, office_server: LiveServer, kiosk: Any,
                                         tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    steps = [
        *take_ticket("Radicación de PQRSD", "No", shot="ticket"),
        {"record": "general"}, {"touch": "Listo"},
        *take_ticket("Información y orientación", "Persona mayor", shot="ticket-preferential",
                     first=False),
        {"record": "preferential"}, {"touch": "Listo"}, {"wait": "welcome"},
    ]
    run = kiosk(size, steps, server=office_server.base_url, token=office_server.kiosk_token,
                printer=f"file:{out}")
    result = run.finish()

    general, pref = result["tickets"]["general"], result["tickets"]["preferential"]
    recorded = server_ticket(office_server, general["id"])
    assert (recorded["service"], recorded["group"], recorded["preferential"]) == ("A", None, False)
    assert recorded["number"] == general["number"]
    recorded = server_ticket(office_server, pref["id"])
    assert (recorded["service"], recorded["group"], recorded["preferential"]) == ("B", "AM", True)

    # The printer received exactly the two tickets' layouts, in order.
    catalog = office_catalog(office_server)
    tz = ZoneInfo(catalog.office.timezone)
    expected = b"".join(render_ticket(printable(t, catalog.office), paper_profile("80"), tz=tz)
                        for t in (general, pref))
    assert out.read_bytes() == expected
    # A file printer cannot confirm: the kiosk does not claim "printed".
    assert result["prints"]["general"][0] == "unknown"
    assert "Tome su tiquete de la impresora." in texts(result, "ticket")

    shown = texts(result, "ticket")
    assert general["number"] in shown and "Radicación de PQRSD" in shown
    assert "antes que usted" in shown
    assert "Atención preferencial: Persona mayor" in texts(result, "ticket-preferential")
    assert "Toque la pantalla para tomar su turno" in texts(result, "welcome")
    assert "¿Pertenece a un grupo de atención preferencial?" in texts(result, "groups")
    check_screens(result, size)
    assert result["layout"]["kind"] == {"1080x1920": "portrait", "1920x1080": "landscape",
                                        "800x480": "compact"}[size]
    # Laid out for the screen, not scaled: one column of wide buttons in portrait, a grid
    # otherwise (three columns on 800x480, where only two rows of 2 cm fit under the question).
    lefts = {round(b["rect"][0]) for b in result["buttons"]["services"]
             if b["title"] not in ("Volver", *ACCESS)}
    assert len(lefts) == {"1080x1920": 1, "1920x1080": 2, "800x480": 3}[size]
    spoken = " ".join(result["spoken"])
    assert "Toque la pantalla para tomar su turno" in spoken
    assert f"Su turno es {spoken_ticket(general['number'])}." in spoken
    assert result["screens"][-1] == "welcome"


# --------------------------------------------------------------------------- printer faults
@pytest.mark.parametrize(("size", "printer"), [
    ("1080x1920", "dummy:offline"),
    ("1920x1080", "serial:/dev/ttyNO-EXISTE@9600"),
    ("800x480", "dummy:paper-end"),
])
def test_printer_down_ticket_still_issued_with_qr_and_alert(size: str, printer: str,
                                                            office_server: LiveServer,
                                                            kiosk: Any) -> None:
    steps = [*take_ticket("Pagos e impuestos", "Mujer gestante", shot="ticket-failed"),
             {"record": "failed"}]
    result = kiosk(size, steps, server=office_server.base_url, token=office_server.kiosk_token,
                   printer=printer).finish()
    ticket = result["tickets"]["failed"]
    assert server_ticket(office_server, ticket["id"])["status"] == "waiting"
    state, message = result["prints"]["failed"]
    assert state == "failed" and message
    alerts = [h for h in history(office_server, ticket["id"]) if h["type"] == "printer.failed"]
    assert [a["detail"]["message"] for a in alerts] == [message]
    shown = texts(result, "ticket-failed")
    assert ticket["number"] in shown and "No pudimos imprimir su tiquete" in shown
    assert_qr_on_screen(result, "ticket-failed", ticket["status_url"])
    check_screens(result, size)
    assert result["pending_reports"] == 0


# --------------------------------------------------------------------------- server faults
def test_server_down_at_start_and_at_touch_time_kiosk_recovers(live_server: LiveServer,
                                                                kiosk: Any,
                                                                tmp_path: Path) -> None:
    size = "1080x1920"
    live_server.stop()
    steps = [
        {"wait": "offline"}, {"shot": "offline"}, {"checkpoint": "start-server"},
        {"wait": "welcome", "timeout": 30}, {"touch": "@screen"}, {"wait": "services"},
        {"touch": "Radicación de PQRSD"}, {"wait": "groups"},
        {"checkpoint": "stop-server"},
        {"touch": "No"}, {"wait": "offline"}, {"shot": "offline-at-touch"},
        {"checkpoint": "start-again"},
        *take_ticket("Pasaportes", "No", first=False), {"record": "after"},
    ]
    out = tmp_path / "printer.bin"
    run = kiosk(size, steps, server=live_server.base_url, token=live_server.kiosk_token,
                printer=f"file:{out}")
    run.wait_checkpoint("start-server")
    live_server.start()
    run.release("start-server")
    run.wait_checkpoint("stop-server")
    live_server.stop()
    run.release("stop-server")
    run.wait_checkpoint("start-again")
    live_server.start()
    run.release("start-again")
    result = run.finish()

    assert "No hay conexión con el servidor. Estamos reintentando…" in texts(
        result, "offline-at-touch")
    assert result["screens"][:2] == ["offline", "welcome"]
    # Only the ticket taken after recovery exists: the touch while down issued nothing.
    assert waiting(live_server) == {"E": (1, 0)}
    assert server_ticket(live_server, result["tickets"]["after"]["id"])["service"] == "E"
    check_screens(result, size)


@pytest.mark.parametrize("size", ["1920x1080", "800x480"])
def test_no_server_shows_offline_screen(size: str, kiosk: Any) -> None:
    steps = [{"wait": "offline"}, {"shot": "offline"}]
    result = kiosk(size, steps, server=f"http://127.0.0.1:{free_port()}",
                   token="x").finish()
    assert "Conectando" in texts(result, "offline") or "No hay conexión" in texts(
        result, "offline")
    check_screens(result, size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_closed_office_says_when_it_opens_and_issues_nothing(size: str,
                                                             closed_server: LiveServer,
                                                             kiosk: Any) -> None:
    steps = [{"wait": "closed"}, {"touch": "@screen"}, {"wait": "closed"}, {"shot": "closed"}]
    result = kiosk(size, steps, server=closed_server.base_url,
                   token=closed_server.kiosk_token).finish()
    message = office_catalog(closed_server).office.closed_message
    assert message and message.startswith("La oficina está cerrada. Abre ")
    assert message in texts(result, "closed")
    assert set(result["screens"]) == {"offline", "closed"}
    assert waiting(closed_server) == {}
    check_screens(result, size)


@pytest.mark.parametrize("size", ALL_SIZES)
def test_kiosk_with_a_wrong_token_says_so(size: str, office_server: LiveServer,
                                          kiosk: Any) -> None:
    steps = [{"wait": "error"}, {"shot": "error"}]
    result = kiosk(size, steps, server=office_server.base_url, token="token-revocado").finish()
    shown = texts(result, "error")
    assert "no está disponible" in shown and "Cree un token de quiosco" in shown
    assert shown.lower().count("personal") == 1  # said once, to staff
    assert "intente" not in shown.lower()  # nothing a citizen could retry
    check_screens(result, size)


# --------------------------------------------------------------------------- touches
def test_double_touch_issues_one_ticket_and_idle_returns_home(office_server: LiveServer,
                                                              kiosk: Any) -> None:
    before = waiting(office_server).get("D", (0, 0))
    steps = [
        {"wait": "welcome"}, {"touch": "@screen"}, {"wait": "services"},
        {"touch": "Certificados y constancias"}, {"wait": "groups"},
        {"touch": "Volver", "times": 2, "overlapping": True},  # one finger, reported twice
        {"wait": "services"},  # one step back, not two
        {"touch": "Certificados y constancias"}, {"wait": "groups"},
        {"touch": "No", "times": 2},  # two rapid touches on the last button
        {"wait": "ticket", "printed": True}, {"record": "first"}, {"touch": "Listo"},
        {"wait": "welcome"}, {"touch": "Tomar turno"}, {"wait": "services"},
        {"touch": "Certificados y constancias"}, {"wait": "groups"},
        {"touch": "Persona con discapacidad", "times": 3},
        {"wait": "ticket", "printed": True}, {"record": "second"}, {"touch": "Listo"},
        {"wait": "welcome"}, {"touch": "@screen"}, {"wait": "services"},
        {"wait": "welcome", "timeout": 20},  # nobody touches: back to welcome by itself
    ]
    result = kiosk("800x480", steps, server=office_server.base_url,
                   token=office_server.kiosk_token, idle_timeout_s=3).finish()
    general, preferential = waiting(office_server)["D"]
    assert (general - before[0], preferential - before[1]) == (1, 1)
    assert result["tickets"]["first"]["id"] != result["tickets"]["second"]["id"]
    assert result["screens"][-2:] == ["services", "welcome"]
    assert result["screens"][:6] == ["offline", "welcome", "services", "groups", "services",
                                      "groups"]


def test_services_refresh_without_restart(live_server: LiveServer, kiosk: Any) -> None:
    steps = [
        {"wait": "welcome"}, {"wait_services": ["A", "B", "C", "D", "E"]},
        {"checkpoint": "withdraw-passports"},
        {"wait_services": ["A", "B", "C", "D"], "timeout": 60}, {"wait": "welcome"},
        {"touch": "@screen"}, {"wait": "services"}, {"shot": "services-refreshed"},
    ]
    run = kiosk("1920x1080", steps, server=live_server.base_url, token=live_server.kiosk_token,
                refresh_s=1)
    run.wait_checkpoint("withdraw-passports")
    live_server.stop()
    deactivate_service(live_server, "E")
    live_server.start()
    run.release("withdraw-passports")
    result = run.finish()
    shown = texts(result, "services-refreshed")
    assert "Pagos e impuestos" in shown and "Pasaportes" not in shown


def test_a_day_of_idle_kiosk_logs_stays_under_a_megabyte(office_server: LiveServer,
                                                         kiosk: Any) -> None:
    """The idle loop with a compressed clock: polls every 0.1 s instead of every 5 s. The log
    bytes per poll, times a day of polls at the real interval, stay under 1 MB; no HTTP client
    lines, nothing logged twice."""
    polls = 40
    run = kiosk("800x480", [{"wait": "welcome"}, {"idle_polls": polls}],
                server=office_server.base_url, token=office_server.kiosk_token, refresh_s=0.1)
    result = run.finish()
    assert result["idle_polls"] >= polls
    log = run.log.read_text(errors="replace")
    idle = log.split("@@idle-start\n", 1)[1].split("@@idle-end\n", 1)[0]
    per_day = len(idle.encode()) / result["idle_polls"] * (24 * 3600 / KioskSettings().refresh_s)
    print(f"idle kiosk log: {len(idle.encode())} B over {result['idle_polls']} polls "
          f"-> {per_day / 1e6:.3f} MB/day at one poll per {KioskSettings().refresh_s} s")
    assert per_day < 1_000_000
    assert "HTTP Request" not in log and "httpx" not in log
    lines = [line for line in log.splitlines() if line.strip() and not line.startswith("@@")]
    assert len(lines) == len(set(lines)), "a line was logged twice"
    assert any(" INFO kiosk.ui.app: pantalla: welcome" in line for line in lines)
