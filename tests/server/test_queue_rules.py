"""The queue rules, unit by unit: policy, transitions, hours, numbering."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from server.errors import Conflict
from server.queue import lifecycle
from server.queue.hours import (
    OpeningHours,
    Period,
    describe_moment,
    is_open,
    next_opening,
)
from server.queue.model import Outcome, PolicyMode, PriorityPolicy, Status
from server.queue.no_show import NoShowRule
from server.queue.no_show import refusal as no_show_refusal
from server.queue.numbering import format_number, local_day
from server.queue.policy import (
    RULE_MAX_WAIT,
    RULE_OLDEST_GENERAL,
    RULE_PREFERENTIAL_FIRST,
    RULE_RATIO_GENERAL_TURN,
    choose_next,
    rank_in_line,
)
from tests.server.factories import COUNTER_AB, ticket

BOGOTA = ZoneInfo("America/Bogota")
STRICT = PriorityPolicy()


# ----------------------------------------------------------------------------- policy


def test_strict_calls_preferential_before_older_general() -> None:
    old_general = ticket("A", None, queued_at=0)
    young_pref = ticket("A", "AM", queued_at=100)
    choice = choose_next([old_general, young_pref], COUNTER_AB, STRICT, now=200)
    assert choice is not None
    assert choice.ticket is young_pref
    assert choice.rule == RULE_PREFERENTIAL_FIRST
    assert young_pref.number in choice.reason


def test_oldest_first_inside_a_class() -> None:
    a, b, c = ticket("A", queued_at=30), ticket("B", queued_at=10), ticket("A", queued_at=20)
    choice = choose_next([a, b, c], COUNTER_AB, STRICT, now=100)
    assert choice is not None and choice.ticket is b and choice.rule == RULE_OLDEST_GENERAL


def test_only_services_of_the_counter_are_eligible() -> None:
    other = ticket("C", "AM", queued_at=0)
    mine = ticket("B", None, queued_at=50)
    choice = choose_next([other, mine], COUNTER_AB, STRICT, now=100)
    assert choice is not None and choice.ticket is mine


def test_nobody_waiting_gives_none() -> None:
    called = ticket("A", status=Status.CALLED)
    assert choose_next([called], COUNTER_AB, STRICT, now=0) is None


def test_ratio_lets_a_general_through_after_n_preferential_in_a_row() -> None:
    policy = PriorityPolicy(PolicyMode.RATIO, preferential_in_row=2)
    general = ticket("A", None, queued_at=0)
    pref = ticket("A", "GES", queued_at=10)
    first = choose_next([general, pref], COUNTER_AB, policy, now=20, preferential_streak=1)
    assert first is not None and first.ticket is pref
    second = choose_next([general, pref], COUNTER_AB, policy, now=20, preferential_streak=2)
    assert second is not None and second.ticket is general
    assert second.rule == RULE_RATIO_GENERAL_TURN


def test_ratio_keeps_calling_preferential_when_no_general_waits() -> None:
    policy = PriorityPolicy(PolicyMode.RATIO, preferential_in_row=1)
    pref = ticket("A", "GES", queued_at=10)
    choice = choose_next([pref], COUNTER_AB, policy, now=20, preferential_streak=5)
    assert choice is not None and choice.ticket is pref


def test_hard_cap_puts_an_overdue_general_ticket_first() -> None:
    policy = PriorityPolicy(max_wait_min=30)
    overdue = ticket("A", None, queued_at=0)
    pref = ticket("A", "AM", queued_at=1000)
    choice = choose_next([overdue, pref], COUNTER_AB, policy, now=31 * 60)
    assert choice is not None and choice.ticket is overdue and choice.rule == RULE_MAX_WAIT
    assert "31 min" in choice.reason
    not_yet = choose_next([overdue, pref], COUNTER_AB, policy, now=29 * 60)
    assert not_yet is not None and not_yet.ticket is pref


def test_rank_in_line_counts_preferential_then_older_of_same_service() -> None:
    g1, g2 = ticket("A", queued_at=0), ticket("A", queued_at=10)
    p1 = ticket("A", "AM", queued_at=20)
    other_service = ticket("B", "AM", queued_at=0)
    line = [g1, g2, p1, other_service]
    assert rank_in_line(p1, line) == 0
    assert rank_in_line(g1, line) == 1
    assert rank_in_line(g2, line) == 2


# ----------------------------------------------------------------------------- lifecycle


def test_full_cycle_records_each_moment() -> None:
    t = ticket("A")
    t = lifecycle.call(t, counter=3, clerk="ana", now=10)
    assert (t.status, t.counter, t.call_count, t.first_called_at) == (Status.CALLED, 3, 1, 10)
    t = lifecycle.recall(t, now=20)
    assert (t.call_count, t.called_at, t.first_called_at) == (2, 20, 10)
    t = lifecycle.start(t, now=30)
    t = lifecycle.finish(t, now=90)
    assert (t.status, t.outcome, t.started_at, t.finished_at) == (
        Status.DONE, Outcome.SERVED, 30, 90)


def test_finish_without_start_counts_attention_from_the_call() -> None:
    t = lifecycle.call(ticket("A"), 1, "ana", now=10)
    done = lifecycle.finish(t, now=70)
    assert done.started_at == 10


def test_transfer_keeps_the_place_in_line_and_number() -> None:
    t = lifecycle.call(ticket("A", queued_at=5), 1, "ana", now=10)
    moved = lifecycle.transfer(t, "B")
    assert (moved.status, moved.service, moved.queued_at, moved.number) == (
        Status.WAITING, "B", 5, t.number)
    assert moved.transfers == 1 and moved.counter is None


def test_transfer_keeps_who_called_it_first_and_where() -> None:
    t = lifecycle.start(lifecycle.call(ticket("A"), 1, "ana", now=10), now=20)
    moved = lifecycle.transfer(t, "B")
    assert (moved.first_service, moved.first_counter, moved.first_clerk) == ("A", 1, "ana")
    again = lifecycle.transfer(lifecycle.call(moved, 5, "luis", now=30), "C")
    assert (again.first_service, again.first_counter, again.first_clerk) == ("A", 1, "ana")
    assert again.first_called_at == 10


def test_transfer_to_same_service_is_refused() -> None:
    with pytest.raises(Conflict):
        lifecycle.transfer(ticket("A"), "A")


def test_no_show_then_reactivate_returns_to_original_place() -> None:
    t = lifecycle.call(ticket("A", queued_at=5), 1, "ana", now=10)
    gone = lifecycle.no_show(t, now=20)
    assert gone.status == Status.NO_SHOW and gone.outcome == Outcome.NO_SHOW
    back = lifecycle.reactivate(gone)
    assert back.status == Status.WAITING and back.queued_at == 5 and back.outcome is None


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (lambda t: lifecycle.recall(t, 1), Status.WAITING),
        (lambda t: lifecycle.start(t, 1), Status.WAITING),
        (lambda t: lifecycle.finish(t, 1), Status.WAITING),
        (lambda t: lifecycle.no_show(t, 1), Status.SERVING),
        (lambda t: lifecycle.reactivate(t), Status.DONE),
        (lambda t: lifecycle.cancel(t, 1), Status.DONE),
        (lambda t: lifecycle.call(t, 1, "x", 1), Status.CALLED),
    ],
)
def test_invalid_transitions_are_refused_in_plain_spanish(action, status) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict, match="No se puede"):
        action(ticket("A", status=status))


def test_a_ticket_returned_to_the_line_keeps_its_place_and_its_calls() -> None:
    t = ticket("A")
    serving = lifecycle.start(lifecycle.call(t, 1, "ana", now=t.queued_at + 60), t.queued_at + 90)
    back = lifecycle.return_to_line(serving)
    assert back.status == Status.WAITING and back.counter is None and back.started_at is None
    assert back.queued_at == t.queued_at and back.call_count == 1 and back.outcome is None
    with pytest.raises(Conflict, match="devolver a la fila"):
        lifecycle.return_to_line(back)


def test_the_grace_rule_counts_calls_and_seconds_from_the_first_call() -> None:
    rule = NoShowRule(min_calls_before_no_show=2, no_show_after_s=90)
    called = lifecycle.call(ticket("A"), 1, "ana", now=1000)
    assert "llámelo 1 vez más" in (no_show_refusal(called, rule, 2000) or "")
    recalled = lifecycle.recall(called, 1030)
    assert "espere 30 s más" in (no_show_refusal(recalled, rule, 1060) or "")
    assert no_show_refusal(recalled, rule, 1090) is None
    assert no_show_refusal(called, NoShowRule(), 1000) is None  # the default: off
    assert lifecycle.no_show(recalled, 1090).outcome == Outcome.NO_SHOW


# ----------------------------------------------------------------------------- hours

WEEKDAYS = {d: (Period(time(8), time(11, 30)), Period(time(14), time(17, 30))) for d in range(5)}
HOURS = OpeningHours(WEEKDAYS, frozenset({date(2026, 12, 8)}))


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BOGOTA)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(2026, 11, 30, 8, 0), True),      # Monday opening minute
        (at(2026, 11, 30, 11, 30), False),   # lunch starts
        (at(2026, 11, 30, 13, 59), False),
        (at(2026, 11, 30, 14, 0), True),
        (at(2026, 11, 30, 17, 29), True),
        (at(2026, 11, 28, 10, 0), False),    # Saturday
        (at(2026, 12, 8, 10, 0), False),     # holiday
    ],
)
def test_is_open(moment: datetime, open_: bool) -> None:
    assert is_open(HOURS, moment) is open_


def test_next_opening_after_lunch_weekend_and_holiday() -> None:
    assert next_opening(HOURS, at(2026, 11, 30, 12, 0)) == at(2026, 11, 30, 14, 0)
    assert next_opening(HOURS, at(2026, 11, 28, 10, 0)) == at(2026, 11, 30, 8, 0)
    assert next_opening(HOURS, at(2026, 12, 7, 18, 0)) == at(2026, 12, 9, 8, 0)
    assert next_opening(OpeningHours(), at(2026, 12, 7, 18, 0)) is None


def test_closed_message_in_plain_spanish() -> None:
    now = at(2026, 11, 28, 10, 0)
    assert describe_moment(at(2026, 11, 28, 14, 0), now) == "hoy a las 14:00"
    assert describe_moment(at(2026, 11, 29, 8, 0), now) == "mañana a las 8:00"
    assert describe_moment(at(2026, 11, 30, 8, 0), now) == "el lunes 30 de noviembre a las 8:00"


# ----------------------------------------------------------------------------- numbering


def test_numbers_have_three_digits_and_never_wrap() -> None:
    assert format_number("A", 1) == "A-001"
    assert format_number("A", 999) == "A-999"
    assert format_number("A", 1000) == "A-1000"


def test_local_day_follows_office_time_not_utc() -> None:
    # 2026-12-01 03:00 UTC is still 2026-11-30 in Bogotá (UTC-5).
    ts = datetime(2026, 12, 1, 3, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    assert local_day(ts, BOGOTA) == "2026-11-30"
