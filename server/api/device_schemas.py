"""Answer models of what devices (kiosk, board) see: tickets by number only, counters without
staff names (server/security/exposure.py builds them; docs/security.md). Each route that
answers both staff and devices declares one of the ``…Answer`` unions below."""

from __future__ import annotations

from pydantic import Field, RootModel

from server.api.schemas import (
    CounterLine,
    CounterState,
    CounterStateName,
    Opening,
    PauseReason,
    QueueOverview,
    Schema,
    ServiceLine,
)
from server.queue.model import Status


class TicketOnBoard(Schema):
    number: str = Field(examples=["A-023"])
    service: str
    service_name: str
    preferential: bool
    status: Status
    counter: int | None
    counter_name: str | None
    call_count: int
    called_at: str | None
    first_called_at: str | None


class CounterForDevices(Schema):
    number: int
    name: str
    services: list[str]
    state: CounterStateName
    pause_reason: PauseReason | None
    since: str | None
    ticket: TicketOnBoard | None = Field(description="The ticket in hand, by number")


class CounterLineForDevices(CounterForDevices):
    waiting: int
    waiting_preferential: int
    longest_wait_min: float


class QueueOverviewForDevices(Schema):
    at: str | None
    day: str
    opening: Opening
    waiting_total: int
    services: list[ServiceLine]
    counters: list[CounterLineForDevices]


class QueueAnswer(RootModel[QueueOverview | QueueOverviewForDevices]):
    """GET /queue: the staff view, or the device view for a kiosk or a board."""


class CountersAnswer(RootModel[list[CounterLine] | list[CounterLineForDevices]]):
    """GET /counters: the staff view, or the device view for a kiosk or a board."""


class CounterAnswer(RootModel[CounterState | CounterForDevices]):
    """GET /counters/{n}: the staff view, or the device view for a kiosk or a board."""
