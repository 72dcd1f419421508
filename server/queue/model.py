"""Values of the queue domain: services, counters, groups, tickets."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The refusals of the rules live in server.errors (importable from here for older callers).
from server.errors import Conflict, Invalid, NotFound, OfficeClosed, QueueError  # noqa: F401


class Status(StrEnum):
    """Where a ticket is in the service cycle."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    NOT_ATTENDED = "not_attended"


class Outcome(StrEnum):
    """How a ticket's attention ended (a transfer is not an end: the ticket waits again)."""

    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    NOT_ATTENDED = "not_attended"


ACTIVE_STATUSES = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})
IN_HAND_STATUSES = frozenset({Status.CALLED, Status.SERVING})


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str = ""
    target_wait_min: int = 15
    active: bool = True
    #: Minutes one attention takes before there is history to learn from (used for estimates).
    default_service_min: float = 5.0


@dataclass(frozen=True)
class Counter:
    number: int
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    enabled: bool = True


class PolicyMode(StrEnum):
    STRICT = "strict"
    RATIO = "ratio"


@dataclass(frozen=True)
class PriorityPolicy:
    """How the next ticket is chosen at a counter (see docs/priority-policy.md).

    - strict: every waiting preferential ticket goes before any general one (the default, as
      Colombian rules intend).
    - ratio: at most ``preferential_in_row`` preferential calls in a row at a counter while a
      general ticket waits for it.
    - ``max_wait_min`` > 0 adds a hard cap on top of either mode: a ticket that has waited
      longer than that goes first, oldest first.
    """

    mode: PolicyMode = PolicyMode.STRICT
    preferential_in_row: int = 3
    max_wait_min: int = 0


@dataclass(frozen=True)
class Ticket:
    """One turn. Times are POSIX seconds; ``queued_at`` is the place in line and survives
    transfers and reactivations, so a citizen never loses the place they earned."""

    id: str
    number: str
    letter: str
    seq: int
    day: str
    service: str
    group: str | None
    status: Status
    issued_at: float
    queued_at: float
    outcome: Outcome | None = None
    first_called_at: float | None = None
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    counter: int | None = None
    clerk: str | None = None
    call_count: int = 0
    transfers: int = 0
    kiosk: str | None = None
    #: Before the first transfer: the service, and the counter and clerk that had called it
    #: (the first counter's work stays on the record after the ticket moves on).
    first_service: str | None = None
    first_counter: int | None = None
    first_clerk: str | None = None

    @property
    def preferential(self) -> bool:
        return self.group is not None

    def line_key(self) -> tuple[float, float, str]:
        """Sort key for 'oldest first': the original place in line, then the number."""
        return (self.queued_at, self.issued_at, self.number)
