"""Small builders for pure-rule tests (plain values, no database)."""

from __future__ import annotations

import itertools

from server.auth import Principal, Role
from server.queue.model import Counter, Status, Ticket

#: A kiosk issuing tickets through the services directly (no HTTP).
KIOSK = Principal(Role.KIOSK, "k", "k", 1)

_ids = itertools.count(1)


def ticket(service: str = "A", group: str | None = None, queued_at: float = 0.0,
           status: Status = Status.WAITING, seq: int | None = None) -> Ticket:
    n = next(_ids)
    seq = seq if seq is not None else n
    return Ticket(id=f"t{n}", number=f"{service}-{seq:03d}", letter=service, seq=seq,
                  day="2026-11-30", service=service, group=group, status=status,
                  issued_at=queued_at, queued_at=queued_at)


COUNTER_AB = Counter(1, "Ventanilla 1", ("A", "B"))
