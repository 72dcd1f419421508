"""How many live sockets one ticket, and one address, may hold.

``WS /tickets/{id}/live`` needs no sign-in (the id is the citizen's capability), so without a
limit one id could hold thousands of sockets, each costing a re-read per change, and starve
the phones of everyone else. A citizen needs one socket, a few when the page is open in two
tabs or reconnecting. Refusals are answered after the handshake with a close code the page
understands (it falls back to polling, which is cheap):

* 4429 — too many sockets for this ticket (``per_ticket``)
* 4430 — too many sockets from this address (``per_address``)

Counting happens before anything is read from the database, so a refused socket costs only
its handshake.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

TOO_MANY_FOR_TICKET = 4429
TOO_MANY_FROM_ADDRESS = 4430


@dataclass(frozen=True)
class Refusal:
    code: int
    reason: str


@dataclass
class LiveLimits:
    per_ticket: int = 4
    per_address: int = 50
    _tickets: Counter[str] = field(default_factory=Counter)
    _addresses: Counter[str] = field(default_factory=Counter)

    def acquire(self, ticket_id: str, address: str) -> Refusal | None:
        """Take a slot for one socket, or say why not. Every successful acquire must be
        followed by exactly one ``release`` with the same arguments."""
        if self._tickets[ticket_id] >= self.per_ticket:
            return Refusal(TOO_MANY_FOR_TICKET, "demasiadas conexiones para este turno")
        if self._addresses[address] >= self.per_address:
            return Refusal(TOO_MANY_FROM_ADDRESS, "demasiadas conexiones desde esta dirección")
        self._tickets[ticket_id] += 1
        self._addresses[address] += 1
        return None

    def release(self, ticket_id: str, address: str) -> None:
        for counts, key in ((self._tickets, ticket_id), (self._addresses, address)):
            counts[key] -= 1
            if counts[key] <= 0:
                del counts[key]

    def held(self, ticket_id: str) -> int:
        return self._tickets[ticket_id]
