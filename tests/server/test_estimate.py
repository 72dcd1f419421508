"""The wait forecast, rule by rule: it follows the counters that are open, the real policy,
shared counters and the attention in progress; learned times ignore quick clicks."""

from __future__ import annotations

from dataclasses import replace

from server.queue.estimate import (
    MIN_SAMPLES,
    Attention,
    OpenCounter,
    forecast_waits,
    remaining_s,
    typical_service_s,
    wait_minutes,
)
from server.queue.model import Counter, PolicyMode, PriorityPolicy, Status
from tests.server.factories import COUNTER_AB, ticket

STRICT = PriorityPolicy()
ONLY_A = Counter(2, "Ventanilla 2", ("A",))
ONLY_C = Counter(3, "Ventanilla 3", ("C",))


def test_no_open_counter_for_the_service_means_no_estimate() -> None:
    a = ticket("A", queued_at=0)
    c = ticket("C", queued_at=1)
    waits = forecast_waits([a, c], [OpenCounter(ONLY_A)], {"A": 300, "C": 300}, STRICT, now=10)
    assert waits[c.id] is None
    assert waits[a.id] == 0


def test_one_counter_serves_the_line_one_after_another() -> None:
    line = [ticket("A", queued_at=i) for i in range(4)]
    waits = forecast_waits(line, [OpenCounter(ONLY_A)], {"A": 300}, STRICT, now=10)
    assert [waits[t.id] for t in line] == [0, 300, 600, 900]


def test_two_counters_halve_the_wait() -> None:
    line = [ticket("A", queued_at=i) for i in range(4)]
    counters = [OpenCounter(ONLY_A), OpenCounter(replace(ONLY_A, number=4))]
    waits = forecast_waits(line, counters, {"A": 300}, STRICT, now=10)
    assert sorted(w for w in waits.values() if w is not None) == [0, 0, 300, 300]


def test_the_ticket_in_hand_delays_the_first_call() -> None:
    line = [ticket("A", queued_at=0)]
    waits = forecast_waits(line, [OpenCounter(ONLY_A, free_in_s=200)], {"A": 300}, STRICT, 10)
    assert waits[line[0].id] == 200


def test_a_shared_counter_also_serves_the_other_service() -> None:
    # Counter 1 serves A and B; the B tickets queued first take its time before the A ticket.
    b1, b2 = ticket("B", queued_at=0), ticket("B", queued_at=1)
    a = ticket("A", queued_at=2)
    waits = forecast_waits([b1, b2, a], [OpenCounter(COUNTER_AB)], {"A": 600, "B": 120},
                           STRICT, now=10)
    assert waits[a.id] == 240


def test_preferential_tickets_go_first_under_the_strict_policy() -> None:
    general = ticket("A", queued_at=0)
    pref = [ticket("A", "AM", queued_at=i) for i in (1, 2)]
    waits = forecast_waits([general, *pref], [OpenCounter(ONLY_A)], {"A": 300}, STRICT, 10)
    assert waits[general.id] == 600


def test_the_ratio_policy_lets_a_general_ticket_through() -> None:
    general = ticket("A", queued_at=0)
    pref = [ticket("A", "AM", queued_at=i) for i in (1, 2, 3)]
    ratio = PriorityPolicy(PolicyMode.RATIO, preferential_in_row=1)
    waits = forecast_waits([general, *pref], [OpenCounter(ONLY_A)], {"A": 300}, ratio, 10)
    assert waits[general.id] == 300


def test_tickets_not_waiting_are_ignored() -> None:
    served = ticket("A", queued_at=0, status=Status.DONE)
    waiting = ticket("A", queued_at=1)
    waits = forecast_waits([served, waiting], [OpenCounter(ONLY_A)], {"A": 300}, STRICT, 10)
    assert waits == {waiting.id: 0}


def test_an_attention_past_its_typical_time_still_needs_a_part_of_it() -> None:
    held = replace(ticket("A"), status=Status.SERVING, called_at=0.0)
    assert remaining_s(held, 300, now=100) == 200
    assert remaining_s(held, 300, now=1000) == 100


def test_learned_time_ignores_quick_clicks_and_outliers() -> None:
    normal = [Attention(300 + i, 240 + i) for i in range(20)]
    clicks = [Attention(15, 3)] * 5
    outlier = [Attention(5000, 4900)]
    learned = typical_service_s(normal + clicks + outlier, default_s=60)
    assert 300 <= learned <= 320


def test_learned_time_falls_back_to_the_default_without_history() -> None:
    few = [Attention(300, 240)] * (MIN_SAMPLES - 1)
    assert typical_service_s(few, default_s=480) == 480


def test_no_shows_count_as_time_at_the_counter() -> None:
    history = [Attention(120, None)] * MIN_SAMPLES
    assert typical_service_s(history, default_s=480) == 120


def test_minutes_round_up() -> None:
    assert [wait_minutes(s) for s in (None, 0, 1, 60, 61)] == [None, 0, 1, 1, 2]
