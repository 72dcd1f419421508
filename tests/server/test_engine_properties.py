"""Random operation sequences through the real services and a real SQLite file.

A simple model (which ids exist, which are waiting) is kept beside the system; after every step
the database must agree: numbers never repeat within a day and service, no ticket is lost or
duplicated, strict priority holds, and the counter holds at most one ticket.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter as Multiset
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from server import bootstrap
from server.auth import Passwords, Principal, Role
from server.config import DEMO_CONFIG, load_config
from server.errors import Conflict, TicketInHand
from server.queue.model import Status
from server.services.office import OfficeSettings

SUPERVISOR = Principal(Role.SUPERVISOR, "sup", "Sup", 1)
KIOSK = Principal(Role.KIOSK, "k", "k", 2)
SERVICES = ["A", "B", "C", "D", "E"]
COUNTERS = [1, 2, 3, 4, 5, 6]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_764_590_400.0  # 2025-12-01 07:00 Bogotá: a Monday morning

    def __call__(self) -> float:
        return self.now


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.loop = asyncio.new_event_loop()
        self.clock = FakeClock()
        self.services = bootstrap.build(Path(self.tmp.name) / "t.db", load_config(DEMO_CONFIG),
                                        OfficeSettings(open_all_hours=True),
                                        passwords=Passwords.cheap(), clock=self.clock)
        self.store = self.services.store
        self.ticketing, self.desk = self.services.ticketing, self.services.desk
        self.issued: dict[str, str] = {}  # id → number

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self.services.close()
        self.loop.close()
        self.tmp.cleanup()

    def tickets(self):  # type: ignore[no-untyped-def]
        return self.store.run_sync(lambda tx: tx._all("SELECT * FROM tickets"))

    @rule(service=st.sampled_from(SERVICES), group=st.sampled_from([None, None, "AM", "DIS"]),
          dt=st.integers(1, 120))
    def issue(self, service: str, group: str | None, dt: int) -> None:
        self.clock.now += dt
        t = self.run(self.ticketing.issue_ticket(service, group, KIOSK))
        assert t["id"] not in self.issued
        self.issued[t["id"]] = t["number"]

    @rule(counter=st.sampled_from(COUNTERS), dt=st.integers(1, 600),
          previous=st.sampled_from([None, "served", "no_show"]))
    def call_next(self, counter: int, dt: int, previous: str | None) -> None:
        self.clock.now += dt
        before = {r["id"]: r for r in self.tickets()}
        cfg = self.services.office.config.counter(counter)
        assert cfg is not None
        eligible = [r for r in before.values()
                    if r["status"] == "waiting" and r["service"] in cfg.services]
        held = self.store.run_sync(lambda tx: tx.in_hand(counter))
        if held is not None and held.status == Status.CALLED and previous is None:
            # a called ticket is never closed as a side effect: refused, nothing changes
            with pytest.raises(TicketInHand):
                self.run(self.desk.call_next(counter, SUPERVISOR))
            assert {r["id"]: r for r in self.tickets()} == before
            return
        result = self.run(self.desk.call_next(counter, SUPERVISOR, previous=previous))
        if not eligible:
            assert result.ticket is None
            return
        assert result.ticket is not None
        called = before[result.ticket["id"]]
        # strict priority, then oldest first inside the class
        if any(r["group_code"] for r in eligible):
            assert called["group_code"] is not None
        same = [r for r in eligible if bool(r["group_code"]) == bool(called["group_code"])]
        assert called["queued_at"] == min(r["queued_at"] for r in same)

    @rule(counter=st.sampled_from(COUNTERS),
          action=st.sampled_from(["start", "finish", "no_show", "recall", "transfer"]))
    def act_on_hand(self, counter: int, action: str) -> None:
        held = self.store.run_sync(lambda tx: tx.in_hand(counter))
        if held is None:
            return
        try:
            if action == "transfer":
                other = next(s for s in SERVICES if s != held.service)
                self.run(self.ticketing.transfer(held.id, other, SUPERVISOR))
            else:
                self.run(getattr(self.ticketing, action)(held.id, SUPERVISOR))
        except Conflict:
            assert held.status == Status.SERVING and action in ("start", "no_show", "recall")

    @rule()
    def reactivate_a_no_show(self) -> None:
        gone = self.store.run_sync(lambda tx: tx.tickets_with_status(Status.NO_SHOW))
        if gone:
            self.run(self.ticketing.reactivate(gone[0].id, SUPERVISOR))

    @invariant()
    def nothing_lost_or_duplicated(self) -> None:
        rows = self.tickets()
        assert sorted(r["id"] for r in rows) == sorted(self.issued)
        assert {r["id"]: r["number"] for r in rows} == self.issued

    @invariant()
    def numbers_never_repeat_within_day_and_letter(self) -> None:
        keys = Multiset((r["day"], r["letter"], r["seq"]) for r in self.tickets())
        assert all(n == 1 for n in keys.values())
        by_letter: dict[str, list[int]] = {}
        for r in self.tickets():
            by_letter.setdefault(r["letter"], []).append(r["seq"])
        for seqs in by_letter.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))

    @invariant()
    def a_counter_holds_at_most_one_ticket(self) -> None:
        held = Multiset(r["counter"] for r in self.tickets()
                        if r["status"] in ("called", "serving"))
        assert all(n == 1 for n in held.values())

    @invariant()
    def every_change_is_in_the_audit_log(self) -> None:
        issued = self.store.run_sync(
            lambda tx: tx._one("SELECT COUNT(*) FROM audit_log WHERE kind='ticket.issued'")[0])
        assert issued == len(self.issued)


QueueMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestQueueMachine = QueueMachine.TestCase
