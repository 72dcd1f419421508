"""Property-based tests of the selection rules over random waiting lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.queue.model import Counter, PolicyMode, PriorityPolicy, Status, Ticket
from server.queue.policy import choose_next, eligible_tickets

COUNTER = Counter(1, "V1", ("A", "B"))


@st.composite
def waiting_lines(draw: st.DrawFn) -> list[Ticket]:
    n = draw(st.integers(0, 25))
    tickets = []
    for i in range(n):
        service = draw(st.sampled_from("ABC"))
        tickets.append(Ticket(
            id=f"t{i}", number=f"{service}-{i:03d}", letter=service, seq=i, day="d",
            service=service, group=draw(st.sampled_from([None, None, "AM", "GES"])),
            status=draw(st.sampled_from([Status.WAITING] * 4 + [Status.CALLED, Status.DONE])),
            issued_at=float(draw(st.integers(0, 3600))),
            queued_at=float(draw(st.integers(0, 3600))),
        ))
    return tickets


policies = st.builds(
    PriorityPolicy,
    mode=st.sampled_from(list(PolicyMode)),
    preferential_in_row=st.integers(1, 4),
    max_wait_min=st.sampled_from([0, 0, 10, 30]),
)


@given(waiting_lines(), policies, st.integers(0, 6))
@settings(max_examples=400)
def test_choice_is_always_an_eligible_waiting_ticket(line, policy, streak) -> None:  # type: ignore[no-untyped-def]
    choice = choose_next(line, COUNTER, policy, now=4000, preferential_streak=streak)
    eligible = eligible_tickets(line, COUNTER)
    if not eligible:
        assert choice is None
    else:
        assert choice is not None and choice.ticket in eligible and choice.reason


@given(waiting_lines())
@settings(max_examples=400)
def test_strict_never_calls_general_while_an_eligible_preferential_waits(line) -> None:  # type: ignore[no-untyped-def]
    choice = choose_next(line, COUNTER, PriorityPolicy(), now=4000)
    eligible = eligible_tickets(line, COUNTER)
    if choice and any(t.preferential for t in eligible):
        assert choice.ticket.preferential


@given(waiting_lines(), policies, st.integers(0, 6))
@settings(max_examples=400)
def test_oldest_first_inside_the_chosen_class(line, policy, streak) -> None:  # type: ignore[no-untyped-def]
    now = 4000
    choice = choose_next(line, COUNTER, policy, now=now, preferential_streak=streak)
    if choice is None or choice.rule == "max_wait":
        return
    same_class = [t for t in eligible_tickets(line, COUNTER)
                  if t.preferential == choice.ticket.preferential]
    assert choice.ticket.line_key() == min(t.line_key() for t in same_class)


@given(waiting_lines(), policies, st.integers(0, 6))
@settings(max_examples=400)
def test_hard_cap_calls_the_oldest_overdue_ticket_first(line, policy, streak) -> None:  # type: ignore[no-untyped-def]
    now = 4000
    choice = choose_next(line, COUNTER, policy, now=now, preferential_streak=streak)
    if policy.max_wait_min == 0 or choice is None:
        return
    overdue = [t for t in eligible_tickets(line, COUNTER)
               if now - t.queued_at > policy.max_wait_min * 60]
    if overdue:
        assert choice.rule == "max_wait"
        assert choice.ticket.line_key() == min(t.line_key() for t in overdue)


@given(waiting_lines(), st.integers(1, 4), st.integers(0, 6))
@settings(max_examples=400)
def test_ratio_never_exceeds_n_preferential_in_a_row_while_general_waits(line, n, streak) -> None:  # type: ignore[no-untyped-def]
    policy = PriorityPolicy(PolicyMode.RATIO, preferential_in_row=n)
    choice = choose_next(line, COUNTER, policy, now=4000, preferential_streak=streak)
    eligible = eligible_tickets(line, COUNTER)
    general_waits = any(not t.preferential for t in eligible)
    if choice and general_waits and streak >= n:
        assert not choice.ticket.preferential


@given(waiting_lines(), policies, st.integers(0, 6))
@settings(max_examples=400)
def test_the_heads_of_each_class_are_enough_to_choose(line, policy, streak) -> None:  # type: ignore[no-untyped-def]
    """Storage passes only the oldest ticket of each class; the choice must be the same."""
    from server.queue.policy import line_heads

    full = choose_next(line, COUNTER, policy, now=4000, preferential_streak=streak)
    general = sum(1 for t in eligible_tickets(line, COUNTER) if not t.preferential)
    heads = choose_next(line_heads(line, COUNTER), COUNTER, policy, now=4000,
                        preferential_streak=streak, general_waiting=general)
    assert (full.ticket.id, full.rule, full.reason) == (heads.ticket.id, heads.rule,
                                                         heads.reason) if full else heads is None
