"""The kiosk's state machine, without Kivy: every rule a citizen relies on, with a fake clock."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk import texts as tx
from kiosk.flow import (
    Aids,
    Catalog,
    Fault,
    GroupOption,
    KioskFlow,
    Office,
    PrintState,
    Screen,
    ServiceOption,
    Timing,
)

TIMING = Timing(idle_s=30, ticket_s=10, fallback_s=60, error_s=8, refresh_s=60, retry_s=3,
                retry_max_s=15, print_timeout_s=20)

OFFICE_JSON = {"name": "Alcaldía de Prueba", "timezone": "America/Bogota",
               "ticket_footer": ["Gracias"],
               "opening": {"open": True, "next_opening": None, "message": None}}
SERVICES_JSON = [
    {"code": "A", "name": "Radicación", "description": "PQRSD", "active": True},
    {"code": "B", "name": "Pagos", "description": "", "active": True},
    {"code": "Z", "name": "Retirado", "description": "", "active": False},
]
GROUPS_JSON = [{"code": "AM", "name": "Adulto mayor", "enabled": True},
               {"code": "X", "name": "Deshabilitado", "enabled": False}]


def catalog(open_: bool = True, groups: bool = True, services: list[dict[str, Any]] | None = None,
            message: str | None = None) -> Catalog:
    office = {**OFFICE_JSON, "opening": {"open": open_, "message": message}}
    return Catalog.from_api(office, SERVICES_JSON if services is None else services,
                            GROUPS_JSON if groups else [])


def ticket(number: str = "A-001", ahead: int = 2) -> dict[str, Any]:
    return {"id": f"id-{number}", "number": number, "service": "A", "service_name": "Radicación",
            "group": None, "group_name": None, "ahead": ahead, "estimated_wait_min": 8,
            "status_url": f"http://x/t/id-{number}"}


@pytest.fixture
def flow() -> KioskFlow:
    f = KioskFlow(TIMING, now=0)
    assert f.refresh_due(0)
    f.refresh_started(0)
    f.catalog_loaded(catalog(), now=0.1)
    return f


def at_groups(flow: KioskFlow, now: float = 1) -> KioskFlow:
    flow.start(now)
    assert flow.choose_service("A", now) is None
    assert flow.screen == Screen.GROUPS
    return flow


def at_ticket(flow: KioskFlow, now: float = 2) -> KioskFlow:
    """A general ticket A-001 just issued and printing."""
    at_groups(flow, now)
    request = flow.choose_group(None, now)
    assert request is not None
    flow.issued(request, ticket(), now)
    return flow


# ------------------------------------------------------------------------ catalog
def test_catalog_keeps_only_active_services_and_enabled_groups() -> None:
    c = catalog()
    assert [s.code for s in c.services] == ["A", "B"]
    assert c.services[0] == ServiceOption("A", "Radicación", "PQRSD")
    assert c.groups == (GroupOption("AM", "Adulto mayor"),)
    assert c.office == Office("Alcaldía de Prueba", True, None, ("Gracias",), "America/Bogota")


def test_starts_connecting_and_shows_welcome_when_the_catalog_arrives() -> None:
    f = KioskFlow(TIMING, now=0)
    assert f.screen == Screen.OFFLINE and f.message == tx.ES["connecting"]
    f.refresh_started(0)
    assert not f.refresh_due(0)  # one refresh at a time
    f.catalog_loaded(catalog(), 0.2)
    assert f.screen == Screen.WELCOME
    assert f.office_name == "Alcaldía de Prueba"
    assert not f.refresh_due(59) and f.refresh_due(60.2)


# ------------------------------------------------------------------------ happy paths
def test_general_ticket_path(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group(None, 2)
    assert request is not None and (request.service, request.group) == ("A", None)
    assert flow.busy and not flow.can_go_back
    flow.issued(request, ticket(), 2.1)
    assert flow.screen == Screen.TICKET and flow.print_state == PrintState.PRINTING
    assert not flow.busy
    flow.printed("id-A-001", PrintState.PRINTED, "Impresora lista.", 3)
    assert flow.print_state == PrintState.PRINTED


def test_preferential_ticket_carries_the_group(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group("AM", 2)
    assert request is not None and (request.service, request.group) == ("A", "AM")


def test_unknown_or_disabled_group_is_ignored(flow: KioskFlow) -> None:
    at_groups(flow)
    assert flow.choose_group("X", 2) is None
    assert not flow.busy


def test_without_enabled_groups_the_question_is_skipped(flow: KioskFlow) -> None:
    flow.catalog_loaded(catalog(groups=False), 0.5)
    flow.start(1)
    request = flow.choose_service("B", 1.5)
    assert request is not None and (request.service, request.group) == ("B", None)


# ------------------------------------------------------------------------ one touch, one ticket
def test_a_second_touch_while_issuing_issues_nothing(flow: KioskFlow) -> None:
    at_groups(flow)
    first = flow.choose_group(None, 2)
    assert first is not None
    assert flow.choose_group(None, 2.01) is None
    assert flow.choose_group("AM", 2.02) is None
    flow.back(2.03)
    assert flow.screen == Screen.GROUPS  # no going back while the ticket is being issued
    flow.tick(1000)
    assert flow.screen == Screen.GROUPS  # nor an idle timeout
    flow.issued(first, ticket(), 2.5)
    assert flow.choose_group(None, 2.6) is None  # the ticket screen shows; nothing else issues


def test_stale_reply_is_a_programming_error(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group(None, 2)
    assert request is not None
    flow.issued(request, ticket(), 3)
    with pytest.raises(ValueError):
        flow.issued(request, ticket("A-002"), 4)


# ------------------------------------------------------------------------ back and timeouts
def test_back_walks_back_one_step(flow: KioskFlow) -> None:
    at_groups(flow)
    flow.back(2)
    assert flow.screen == Screen.SERVICES
    flow.back(3)
    assert flow.screen == Screen.WELCOME


def test_idle_person_returns_to_welcome(flow: KioskFlow) -> None:
    flow.start(1)
    flow.tick(30.9)
    assert flow.screen == Screen.SERVICES
    flow.touched(20)  # a touch anywhere keeps the screen
    flow.tick(49.9)
    assert flow.screen == Screen.SERVICES
    flow.tick(50)
    assert flow.screen == Screen.WELCOME


def test_reading_aids_last_one_visit(flow: KioskFlow) -> None:
    """"Letra grande" and "Alto contraste" stay on from screen to screen and are off again
    for the next person, whether the citizen finished or walked away."""
    flow.toggle_high_contrast(0.5)  # on the welcome screen, before starting
    flow.refresh_started(0.6)
    flow.catalog_loaded(catalog(), 0.7)  # a poll on the welcome screen keeps the choice
    at_groups(flow)
    flow.toggle_large_text(1.5)
    assert flow.aids == Aids(large_text=True, high_contrast=True)
    request = flow.choose_group(None, 2)
    assert request is not None
    flow.issued(request, ticket(), 2)
    assert flow.aids == Aids(large_text=True, high_contrast=True)
    flow.printed("id-A-001", PrintState.PRINTED, "", 3)
    flow.finish(4)
    assert flow.screen == Screen.WELCOME and flow.aids == Aids()
    flow.start(5)
    flow.toggle_high_contrast(6)
    flow.toggle_high_contrast(7)
    assert flow.aids == Aids()  # a second touch turns it off
    flow.toggle_large_text(8)
    flow.tick(38)  # walked away
    assert flow.screen == Screen.WELCOME and flow.aids == Aids()


def test_returning_to_welcome_refreshes_the_catalog(flow: KioskFlow) -> None:
    flow.start(1)
    flow.back(2)
    assert flow.refresh_due(2)


def test_ticket_screen_stays_while_printing_then_times_out(flow: KioskFlow) -> None:
    at_ticket(flow)
    flow.finish(3)
    assert flow.screen == Screen.TICKET  # a touch does not hide a ticket still printing
    flow.printed("id-A-001", PrintState.UNKNOWN, "", 4)
    flow.tick(13.9)
    assert flow.screen == Screen.TICKET
    flow.tick(14)
    assert flow.screen == Screen.WELCOME


def test_touch_after_printing_returns_to_welcome(flow: KioskFlow) -> None:
    at_ticket(flow)
    flow.printed("id-A-001", PrintState.PRINTED, "", 3)
    flow.finish(4)
    assert flow.screen == Screen.WELCOME


def test_failed_print_keeps_the_ticket_longer_for_a_photo(flow: KioskFlow) -> None:
    at_ticket(flow)
    flow.printed("id-A-001", PrintState.FAILED, "Sin papel", 3)
    flow.tick(62.9)
    assert flow.screen == Screen.TICKET and flow.print_message == "Sin papel"
    flow.tick(63)
    assert flow.screen == Screen.WELCOME


def test_hung_printer_counts_as_failed_on_screen(flow: KioskFlow) -> None:
    at_ticket(flow)
    flow.tick(22)
    assert flow.screen == Screen.TICKET and flow.print_state == PrintState.FAILED


def test_late_print_verdict_for_an_old_ticket_changes_nothing(flow: KioskFlow) -> None:
    at_ticket(flow)
    flow.printed("someone-else", PrintState.FAILED, "", 3)
    assert flow.print_state == PrintState.PRINTING


# ------------------------------------------------------------------------ closed office
def test_closed_office_says_when_it_opens_and_issues_nothing() -> None:
    f = KioskFlow(TIMING, now=0)
    msg = "La oficina está cerrada. Abre mañana a las 8:00."
    f.catalog_loaded(catalog(open_=False, message=msg), 0)
    assert f.screen == Screen.CLOSED and f.message == msg
    f.start(1)
    assert f.screen == Screen.CLOSED
    assert f.choose_service("A", 1) is None
    f.catalog_loaded(catalog(open_=True), 61)
    assert f.screen == Screen.WELCOME


def test_409_closed_while_choosing_shows_the_server_message(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group(None, 2)
    assert request is not None
    msg = "La oficina está cerrada. Abre hoy a las 14:00."
    flow.issue_failed(request, Fault.CLOSED, msg, 2.1)
    assert flow.screen == Screen.CLOSED and flow.message == msg
    assert flow.refresh_due(2.1)  # confirm with the server at once
    flow.start(3)
    assert flow.screen == Screen.CLOSED


def test_office_closing_while_choosing_ends_the_choice(flow: KioskFlow) -> None:
    flow.start(1)
    flow.catalog_loaded(catalog(open_=False), 2)
    assert flow.screen == Screen.CLOSED


# ------------------------------------------------------------------------ server faults
def test_server_unreachable_at_touch_time_shows_offline_and_retries(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group(None, 2)
    assert request is not None
    flow.issue_failed(request, Fault.UNREACHABLE, "timeout", 7)
    assert flow.screen == Screen.OFFLINE and flow.message == tx.ES["offline"]
    assert flow.refresh_due(7)
    flow.refresh_started(7)
    flow.catalog_failed(Fault.UNREACHABLE, "refused", 7.1)
    assert flow.screen == Screen.OFFLINE
    assert not flow.refresh_due(10) and flow.refresh_due(10.1)  # retry after retry_s
    flow.refresh_started(10.1)
    flow.catalog_failed(Fault.UNREACHABLE, "refused", 10.2)
    assert flow.refresh_due(16.2) and not flow.refresh_due(16.1)  # then backs off
    flow.refresh_started(16.2)
    flow.catalog_loaded(catalog(), 16.3)
    assert flow.screen == Screen.WELCOME  # recovered by itself


def test_backoff_is_capped() -> None:
    f = KioskFlow(TIMING, now=0)
    now = 0.0
    for _ in range(10):
        f.refresh_started(now)
        f.catalog_failed(Fault.UNREACHABLE, "", now)
        while not f.refresh_due(now):
            now += 0.5
    f.refresh_started(now)
    f.catalog_failed(Fault.UNREACHABLE, "", now)
    assert f.refresh_due(now + TIMING.retry_max_s)
    assert not f.refresh_due(now + TIMING.retry_max_s - 0.1)


def test_poll_failing_while_a_person_chooses_does_not_interrupt(flow: KioskFlow) -> None:
    flow.start(1)
    flow.catalog_failed(Fault.UNREACHABLE, "", 2)
    assert flow.screen == Screen.SERVICES
    flow.back(3)
    assert flow.screen == Screen.OFFLINE  # home, but honestly: no connection


def test_refused_issue_shows_the_reason_then_returns(flow: KioskFlow) -> None:
    at_groups(flow)
    request = flow.choose_group(None, 2)
    assert request is not None
    msg = "El servicio «Radicación» no está disponible en este momento."
    flow.issue_failed(request, Fault.REFUSED, msg, 2)
    assert flow.screen == Screen.ERROR and flow.message == msg and flow.can_go_back
    assert flow.refresh_due(2)
    flow.tick(10)
    assert flow.screen == Screen.WELCOME


def test_unauthorized_kiosk_stays_on_the_error_until_fixed() -> None:
    f = KioskFlow(TIMING, now=0)
    f.refresh_started(0)
    f.catalog_failed(Fault.UNAUTHORIZED, "Token inválido", 0)
    assert f.screen == Screen.ERROR and f.message == tx.ES["unauthorized"]
    assert f.error_title == tx.ES["unauthorized_title"] and f.error_hint == ""
    said = f.prompt().lower()
    assert "intente" not in said and said.count("personal") == 1
    assert not f.can_go_back
    f.back(1)
    f.tick(1000)
    assert f.screen == Screen.ERROR
    f.refresh_started(1000)
    f.catalog_loaded(catalog(), 1000)
    assert f.screen == Screen.WELCOME


def test_catalog_change_while_on_groups_drops_a_withdrawn_service(flow: KioskFlow) -> None:
    at_groups(flow)
    flow.catalog_loaded(catalog(services=[SERVICES_JSON[1]]), 3)
    assert flow.screen == Screen.SERVICES
    assert [s.code for s in flow.services] == ["B"]


def test_no_active_services_is_said_plainly() -> None:
    f = KioskFlow(TIMING, now=0)
    f.catalog_loaded(catalog(services=[]), 0)
    f.start(1)
    assert f.screen == Screen.ERROR and f.message == tx.ES["no_services"]


# ------------------------------------------------------------------------ what is said aloud
def test_prompts_read_the_screen(flow: KioskFlow) -> None:
    assert "Toque la pantalla para tomar su turno" in flow.prompt()
    flow.start(1)
    assert "Radicación" in flow.prompt() and "Pagos" in flow.prompt()
    flow.choose_service("A", 2)
    assert "preferencial" in flow.prompt() and "Adulto mayor" in flow.prompt()
    request = flow.choose_group(None, 3)
    assert request is not None
    key = flow.announcement_key()
    flow.issued(request, ticket("A-007", ahead=3), 3)
    assert flow.announcement_key() != key
    assert flow.prompt() == "Su turno es A siete. Hay 3 personas antes que usted."
    key = flow.announcement_key()
    flow.printed("id-A-007", PrintState.FAILED, "", 4)
    assert flow.announcement_key() != key  # the failure is announced too
    assert "No pudimos imprimir" in flow.prompt()


def test_plain_spanish_helpers() -> None:
    assert tx.people_ahead(0) == "No hay personas antes que usted"
    assert tx.people_ahead(1) == "Hay 1 persona antes que usted"
    assert tx.people_ahead(12) == "Hay 12 personas antes que usted"
    assert tx.estimated_wait(None) == ""
    note = "Aún no hay ventanillas abiertas para este servicio."
    assert tx.estimated_wait(None, note) == note  # the server's reason, shown as given
    assert tx.estimated_wait(3, note) == "Tiempo estimado de espera: 3\u00a0min"
    assert tx.estimated_wait(0) == "Tiempo estimado de espera: menos de 1 min"
    assert tx.estimated_wait(25) == "Tiempo estimado de espera: 25\u00a0min"
    assert tx.estimated_wait(60) == "Tiempo estimado de espera: 1\u00a0h"
    assert tx.estimated_wait(135) == "Tiempo estimado de espera: 2\u00a0h 15\u00a0min"
    assert tx.spoken_number("A-007") == "A siete"
    assert tx.spoken_number("AM-120") == "AM-120"  # not a ticket number: read as written
    assert tx.spoken_number("raro") == "raro"


def test_the_kiosk_learns_within_seconds_that_the_office_closed() -> None:
    """With the default timing, a citizen looking at the services is sent to the closed screen
    within seconds of the closing, before choosing (a short poll)."""
    f = KioskFlow(Timing(), now=0)
    f.refresh_started(0)
    f.catalog_loaded(catalog(), 0)
    f.start(1)
    assert f.screen == Screen.SERVICES
    # the office closes at t=1: the next poll is due within 5 s
    assert f.refresh_due(5) and not f.refresh_due(4)
    f.refresh_started(5)
    f.catalog_loaded(catalog(open_=False), 5)
    assert f.screen == Screen.CLOSED
