"""Pure rules behind the supervisor's "Ahora" alerts and the audit view's sentences."""

from __future__ import annotations

from server.queue.alerts import NO_OPEN_COUNTER, OVER_TARGET, LineNow, queue_alerts
from server.queue.history_text import describe
from server.queue.model import Counter, Service

SERVICES = [Service("A", "Radicación", target_wait_min=15), Service("C", "Pagos")]
COUNTERS = [Counter(1, "Ventanilla 1", ("A",)), Counter(2, "Ventanilla 2", ("A", "C")),
            Counter(3, "Ventanilla 3", ("C",))]


def test_a_line_with_nobody_to_call_it_is_an_alert() -> None:
    lines = {"A": LineNow(3, 4.0), "C": LineNow(0, 0)}
    alerts = queue_alerts(SERVICES, COUNTERS, {1: "paused", 2: "closed", 3: "open"}, lines)
    assert alerts == [{"kind": NO_OPEN_COUNTER, "service": "A", "message":
                       "Radicación: 3 personas esperan y no hay ninguna ventanilla abierta "
                       "que atienda este servicio."}]
    # A shared counter open for the service is enough; an empty line is never an alert.
    assert queue_alerts(SERVICES, COUNTERS, {2: "open"}, lines) == []


def test_a_wait_past_the_target_is_an_alert_after_the_blocked_lines() -> None:
    lines = {"A": LineNow(1, 22.4), "C": LineNow(2, 1.0)}
    alerts = queue_alerts(SERVICES, COUNTERS, {1: "open"}, lines)
    assert [a["kind"] for a in alerts] == [NO_OPEN_COUNTER, OVER_TARGET]
    assert alerts[1]["message"] == "Radicación: un turno lleva 22 min esperando (meta: 15 min)."


def test_each_moment_of_a_ticket_reads_as_plain_spanish() -> None:
    names = {"ana": "Ana Ruiz (ana)"}

    def name(code: str) -> str:
        return {"A": "A · Radicación", "C": "C · Pagos"}[code]

    assert describe("ticket.issued", None, "quiosco-1", "kiosk", {"service": "A", "group": "AM"},
                    names, name) == \
        "Emitido por el quiosco «quiosco-1» para A · Radicación, preferencial (AM)."
    assert describe("ticket.issued", 2, "ana", "clerk",
                    {"service": "A", "group": None, "issued_at_counter": 2}, names, name) == \
        "Emitido por Ana Ruiz (ana) en la ventanilla 2 para A · Radicación."
    assert describe("ticket.called", 2, "ana", "clerk",
                    {"rule": "preferential_first", "reason": "Preferencial antes que general."},
                    names, name) == \
        "Llamado en la ventanilla 2 por Ana Ruiz (ana). Por qué: Preferencial antes que general."
    assert describe("ticket.transferred", 2, "ana", "clerk",
                    {"from_service": "A", "to_service": "C"}, names, name) == \
        "Pasado de A · Radicación a C · Pagos por Ana Ruiz (ana), conservando su lugar en la fila."
    assert describe("ticket.not_attended", None, "system", "system", {"why": "cierre del día"},
                    names, name) == "No se atendió: cierre del día (el sistema)."
