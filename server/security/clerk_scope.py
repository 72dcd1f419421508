"""What a clerk may read: the work of their own counter, today.

A clerk needs the line their counter serves (to call, recall, reactivate a no-show) and the
tickets they touched (to answer "why was I called?"). They do not need other days, nor other
counters' citizens. So, for the role ``clerk`` (supervisors and admins see everything):

* listing tickets (``GET /tickets``): today only, and only the services of the counter they
  signed in to (asking for another counter or another day is refused);
* a ticket's history (``GET /tickets/{id}/history``): a ticket of today that is of a service
  their counter serves, or was called or served at their counter, or that they transferred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NOT_TODAY = "En la ventanilla solo se consultan los turnos de hoy."
OTHER_COUNTER = "Solo puede consultar los turnos de su ventanilla ({mine})."
NOT_YOURS = ("El turno {number} no es de su ventanilla; pida al supervisor su historial "
             "si lo necesita.")


@dataclass(frozen=True)
class Touch:
    """One recorded moment of a ticket, as far as the rule cares."""

    kind: str
    actor: str | None
    counter: int | None


def listing_refusal(day: str, today: str, asked_counter: int | None, own_counter: int | None
                    ) -> str | None:
    """Why a clerk may not list these tickets, or None when they may."""
    if own_counter is None:
        return OTHER_COUNTER.format(mine="ninguna")
    if day != today:
        return NOT_TODAY
    if asked_counter is not None and asked_counter != own_counter:
        return OTHER_COUNTER.format(mine=own_counter)
    return None


def may_read_history(*, ticket_day: str, ticket_service: str, today: str, clerk: str,
                     own_counter: int | None, counter_services: Iterable[str],
                     touches: Iterable[Touch]) -> bool:
    if ticket_day != today or own_counter is None:
        return False
    if ticket_service in set(counter_services):
        return True
    for t in touches:
        if t.counter == own_counter:
            return True
        if t.kind == "ticket.transferred" and (t.actor or "").lower() == clerk.lower():
            return True
    return False
