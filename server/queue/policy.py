"""Which waiting ticket a counter calls next, and why.

The answer carries the rule that fired and a plain-Spanish reason, stored in the audit log so
anyone can ask "why was X called before me?" and get a true answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Counter, PolicyMode, PriorityPolicy, Status, Ticket


@dataclass(frozen=True)
class Choice:
    ticket: Ticket
    rule: str
    reason: str


RULE_MAX_WAIT = "max_wait"
RULE_PREFERENTIAL_FIRST = "preferential_first"
RULE_RATIO_GENERAL_TURN = "ratio_general_turn"
RULE_OLDEST_GENERAL = "oldest_general"
RULE_OLDEST_PREFERENTIAL = "oldest_preferential"
RULE_SPECIFIC = "specific"


def eligible_tickets(waiting: Iterable[Ticket], counter: Counter) -> list[Ticket]:
    """Waiting tickets of the services this counter serves, oldest first."""
    served = set(counter.services)
    return sorted(
        (t for t in waiting if t.status == Status.WAITING and t.service in served),
        key=Ticket.line_key,
    )


def choose_next(
    waiting: Iterable[Ticket],
    counter: Counter,
    policy: PriorityPolicy,
    now: float,
    preferential_streak: int = 0,
    general_waiting: int | None = None,
) -> Choice | None:
    """Pick the next ticket for ``counter``.

    ``preferential_streak`` is how many preferential tickets this counter called in a row
    (only the ratio mode uses it). Every rule looks only at the oldest ticket of each class
    (the oldest overall is one of them), so a caller may pass just those two heads and the
    number of general tickets waiting (``general_waiting``, used in the reason text).
    """
    line = eligible_tickets(waiting, counter)
    if not line:
        return None

    if policy.max_wait_min > 0:
        limit = policy.max_wait_min * 60
        overdue = [t for t in line if now - t.queued_at > limit]
        if overdue:
            t = overdue[0]
            waited = int((now - t.queued_at) // 60)
            return Choice(
                t,
                RULE_MAX_WAIT,
                f"{t.number} lleva {waited} min esperando, más que el máximo de "
                f"{policy.max_wait_min} min: pasa primero.",
            )

    preferential = [t for t in line if t.preferential]
    general = [t for t in line if not t.preferential]

    if preferential and general:
        if policy.mode == PolicyMode.RATIO and preferential_streak >= policy.preferential_in_row:
            t = general[0]
            return Choice(
                t,
                RULE_RATIO_GENERAL_TURN,
                f"Ya se llamaron {preferential_streak} turnos preferenciales seguidos en esta "
                f"ventanilla (máximo {policy.preferential_in_row}): sigue el turno general más "
                f"antiguo, {t.number}.",
            )
        t = preferential[0]
        return Choice(
            t,
            RULE_PREFERENTIAL_FIRST,
            f"{t.number} es de atención preferencial y pasa antes que "
            f"{_general_count(general_waiting, len(general))} en espera; es el preferencial "
            "más antiguo.",
        )
    if preferential:
        t = preferential[0]
        return Choice(
            t, RULE_OLDEST_PREFERENTIAL, f"{t.number} es el turno preferencial más antiguo."
        )
    t = general[0]
    return Choice(t, RULE_OLDEST_GENERAL,
                  f"No hay turnos preferenciales en espera; {t.number} es el más antiguo.")


def _general_count(given: int | None, seen: int) -> str:
    n = given if given is not None else seen
    return "1 turno general" if n == 1 else f"{n} turnos generales"


def line_heads(line: Iterable[Ticket], counter: Counter) -> list[Ticket]:
    """The oldest eligible ticket of each class: all that ``choose_next`` needs."""
    eligible = eligible_tickets(line, counter)
    heads = [next((t for t in eligible if t.preferential), None),
             next((t for t in eligible if not t.preferential), None)]
    return [t for t in heads if t is not None]


def rank_in_line(ticket: Ticket, waiting: Iterable[Ticket]) -> int:
    """How many waiting tickets of the same service would be called before ``ticket`` under
    strict priority (preferential first, then oldest). Used for "people ahead"; under the
    ratio mode it is an upper bound for general tickets."""
    ahead = 0
    key = ticket.line_key()
    for other in waiting:
        if other.id == ticket.id or other.status != Status.WAITING:
            continue
        if other.service != ticket.service:
            continue
        jumps_class = other.preferential and not ticket.preferential
        older_in_class = other.preferential == ticket.preferential and other.line_key() < key
        if jumps_class or older_in_class:
            ahead += 1
    return ahead
