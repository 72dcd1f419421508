"""Ticket state transitions. Each function checks the transition is allowed and returns the
new ticket; nothing here touches storage."""

from __future__ import annotations

from dataclasses import replace

from server.errors import Conflict

from .model import IN_HAND_STATUSES, Outcome, Status, Ticket

_STATUS_ES = {
    Status.WAITING: "en espera",
    Status.CALLED: "llamado",
    Status.SERVING: "en atención",
    Status.DONE: "atendido",
    Status.NO_SHOW: "ausente (no se presentó)",
    Status.CANCELLED: "cancelado",
    Status.NOT_ATTENDED: "no atendido al cierre",
}


def describe_status(status: Status) -> str:
    return _STATUS_ES[status]


def _require(ticket: Ticket, allowed: set[Status] | frozenset[Status], action: str) -> None:
    if ticket.status not in allowed:
        raise Conflict(
            f"No se puede {action} el turno {ticket.number}: está {describe_status(ticket.status)}."
        )


def call(ticket: Ticket, counter: int, clerk: str | None, now: float) -> Ticket:
    _require(ticket, {Status.WAITING}, "llamar")
    return replace(
        ticket,
        status=Status.CALLED,
        counter=counter,
        clerk=clerk,
        called_at=now,
        first_called_at=ticket.first_called_at if ticket.first_called_at is not None else now,
        call_count=ticket.call_count + 1,
    )


def recall(ticket: Ticket, now: float) -> Ticket:
    _require(ticket, {Status.CALLED}, "volver a llamar")
    return replace(ticket, called_at=now, call_count=ticket.call_count + 1)


def start(ticket: Ticket, now: float) -> Ticket:
    _require(ticket, {Status.CALLED}, "iniciar la atención de")
    return replace(ticket, status=Status.SERVING, started_at=now)


def finish(ticket: Ticket, now: float) -> Ticket:
    """Finishing a ticket that was only called counts attention from the call: the clerk
    served the person but forgot to press 'start'."""
    _require(ticket, IN_HAND_STATUSES, "finalizar")
    started = ticket.started_at if ticket.started_at is not None else ticket.called_at
    return replace(
        ticket, status=Status.DONE, outcome=Outcome.SERVED, started_at=started, finished_at=now
    )


def no_show(ticket: Ticket, now: float) -> Ticket:
    _require(ticket, {Status.CALLED}, "marcar como ausente")
    return replace(ticket, status=Status.NO_SHOW, outcome=Outcome.NO_SHOW, finished_at=now)


def reactivate(ticket: Ticket) -> Ticket:
    """A no-show returns to the line in its original place (it was there first)."""
    _require(ticket, {Status.NO_SHOW}, "reactivar")
    return replace(
        ticket, status=Status.WAITING, outcome=None, finished_at=None, counter=None, clerk=None
    )


def cancel(ticket: Ticket, now: float) -> Ticket:
    _require(ticket, {Status.WAITING, Status.CALLED}, "cancelar")
    return replace(ticket, status=Status.CANCELLED, outcome=Outcome.CANCELLED, finished_at=now)


def transfer(ticket: Ticket, to_service: str) -> Ticket:
    """Back to waiting in another service, keeping the original place in line."""
    _require(ticket, {Status.WAITING, *IN_HAND_STATUSES}, "transferir")
    if to_service == ticket.service:
        raise Conflict(f"El turno {ticket.number} ya es de ese servicio.")
    first = ticket.first_service is None  # the first transfer keeps the first counter's work
    return replace(
        ticket,
        status=Status.WAITING,
        service=to_service,
        counter=None,
        clerk=None,
        started_at=None,
        transfers=ticket.transfers + 1,
        first_service=ticket.service if first else ticket.first_service,
        first_counter=ticket.counter if first else ticket.first_counter,
        first_clerk=ticket.clerk if first else ticket.first_clerk,
    )


def return_to_line(ticket: Ticket) -> Ticket:
    """A ticket in hand goes back to waiting in its original place (its counter closed or was
    freed): the person keeps the place they earned and the calls already made."""
    _require(ticket, IN_HAND_STATUSES, "devolver a la fila")
    return replace(ticket, status=Status.WAITING, counter=None, clerk=None, started_at=None)


def close_at_day_end(ticket: Ticket, now: float) -> Ticket:
    return replace(
        ticket, status=Status.NOT_ATTENDED, outcome=Outcome.NOT_ATTENDED, finished_at=now
    )
