"""When a called ticket may be closed as "No se presentó".

A citizen walking to the counter must not be marked absent because a clerk pressed a key too
soon. The office may ask for a number of calls and a number of seconds since the first call
before a no-show is accepted (defaults: one call, no wait, i.e. the rule is off). Pure code:
the ticket and the time come in, a refusal in plain Spanish (or None) goes out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Status, Ticket


@dataclass(frozen=True)
class NoShowRule:
    """Office setting (``[priority]`` in the office file, see docs/priority-policy.md)."""

    min_calls_before_no_show: int = 1
    no_show_after_s: int = 0


def allowed_at(ticket: Ticket, rule: NoShowRule) -> float | None:
    """The moment the time part of the rule is met (None: the ticket was never called)."""
    if ticket.first_called_at is None:
        return None
    return ticket.first_called_at + rule.no_show_after_s


def refusal(ticket: Ticket, rule: NoShowRule, now: float) -> str | None:
    """Why ``ticket`` cannot be marked absent yet, or None when it can."""
    if ticket.status != Status.CALLED:
        return None  # the transition itself refuses other states, with its own message
    missing = rule.min_calls_before_no_show - ticket.call_count
    if missing > 0:
        times = "1 vez más" if missing == 1 else f"{missing} veces más"
        return (f"Aún no se puede marcar {ticket.number} como ausente: llámelo {times} "
                f"(la oficina pide {rule.min_calls_before_no_show} llamados).")
    at = allowed_at(ticket, rule)
    if at is not None and now < at:
        wait = int(at - now + 0.999)
        return (f"Aún no se puede marcar {ticket.number} como ausente: espere {wait} s más "
                f"(la oficina pide {rule.no_show_after_s} s desde el primer llamado).")
    return None
