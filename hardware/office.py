"""What the bridge knows of the office, from the events websocket: each counter's state and
ticket in hand, and the recent calls. Pure: snapshot and events in, answers out; no network,
no serial port.

The snapshot on every (re)connect replaces everything, so after a server restart or a network
drop each display is redrawn from the server's truth, never from what the bridge remembered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IN_HAND = ("called", "serving")
RECENT_LIMIT = 32


@dataclass
class CounterNow:
    number: int
    state: str = "closed"
    ticket: dict[str, Any] | None = None

    @property
    def called_not_started(self) -> bool:
        return self.ticket is not None and self.ticket.get("status") == "called"


@dataclass(frozen=True)
class Call:
    seq: int
    number: str
    ticket_id: str
    service: str
    counter: int


@dataclass(frozen=True)
class BoardFilter:
    """Which calls a waiting-room board lists (empty = all), as GET /api/v1/office says."""

    services: frozenset[str] = frozenset()
    counters: frozenset[int] = frozenset()

    def matches(self, call: Call) -> bool:
        return ((not self.services or call.service in self.services)
                and (not self.counters or call.counter in self.counters))


@dataclass(frozen=True)
class Change:
    """What an event changed: the counters whose display may differ, those recalled (blink),
    and whether the list of calls moved (boards)."""

    counters: frozenset[int] = frozenset()
    recalled: frozenset[int] = frozenset()
    calls: bool = False


@dataclass
class OfficeView:
    counters: dict[int, CounterNow] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    seq: int = 0

    def counter(self, number: int) -> CounterNow:
        return self.counters.setdefault(number, CounterNow(number))

    def apply_snapshot(self, snapshot: dict[str, Any]) -> None:
        self.seq = int(snapshot.get("seq") or 0)
        self.counters = {}
        for c in (snapshot.get("queue") or {}).get("counters", []):
            self._set_counter(c)
        self.calls = []
        recent = sorted(snapshot.get("recent_calls") or [], key=lambda c: int(c.get("seq", 0)))
        for c in recent:
            self._push(c)

    def apply_event(self, event: dict[str, Any]) -> Change:
        seq = int(event.get("seq") or 0)
        if seq and seq <= self.seq:
            return Change()  # already reflected (a replay after a reconnect)
        self.seq = max(self.seq, seq)
        touched: set[int] = set()
        counter = event.get("counter")
        ticket = event.get("ticket")
        if isinstance(ticket, dict):
            touched |= self.apply_ticket(ticket)
        if isinstance(counter, dict) and "number" in counter:
            touched.add(self._set_counter(counter))
        calls = False
        recalled: set[int] = set()
        if event.get("type") in ("ticket.called", "ticket.recalled") and isinstance(ticket, dict):
            calls = self._push(event)
            if event["type"] == "ticket.recalled" and ticket.get("counter") is not None:
                recalled.add(int(ticket["counter"]))
        return Change(frozenset(touched), frozenset(recalled), calls)

    def apply_ticket(self, ticket: dict[str, Any]) -> set[int]:
        """A ticket's new state (an event, or the answer to the bridge's own action)."""
        touched = set()
        for c in self.counters.values():
            held = c.ticket
            if held and held.get("id") == ticket.get("id") and (
                    ticket.get("status") not in IN_HAND or ticket.get("counter") != c.number):
                c.ticket = None
                touched.add(c.number)
        if ticket.get("status") in IN_HAND and ticket.get("counter") is not None:
            c = self.counter(int(ticket["counter"]))
            c.ticket = ticket
            touched.add(c.number)
        return touched

    def _set_counter(self, view: dict[str, Any]) -> int:
        c = self.counter(int(view["number"]))
        c.state = str(view.get("state") or "closed")
        ticket = view.get("ticket")
        c.ticket = ticket if isinstance(ticket, dict) else None
        return c.number

    def _push(self, call: dict[str, Any]) -> bool:
        ticket = call.get("ticket") or {}
        counter = call.get("counter")
        number = counter.get("number") if isinstance(counter, dict) else counter
        if number is None:
            number = ticket.get("counter")
        if not ticket.get("id") or number is None:
            return False
        entry = Call(int(call.get("seq") or 0), str(ticket.get("number", "")), ticket["id"],
                     str(ticket.get("service", "")), int(number))
        self.calls = [entry, *(c for c in self.calls if c.ticket_id != entry.ticket_id)]
        del self.calls[RECENT_LIMIT:]
        return True

    def board(self, board: BoardFilter, lines: int) -> list[Call]:
        """The last ``lines`` calls of a board, newest first (a recall moves a ticket up)."""
        return [c for c in self.calls if board.matches(c)][:lines]
