"""The wait a citizen is told follows the counters actually open for the service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from server.config import DEMO_CONFIG, load_config
from server.queue.hours import OpeningHours, Period
from tests.server.appclient import App, running_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with running_app(tmp_path) as a:  # clerk1 is signed in at counter 1 (services A and B)
        yield a


def issue(app: App, service: str) -> dict:
    r = app.client.post("/api/v1/tickets", json={"service": service},
                        headers=app.headers("kiosk"))
    assert r.status_code == 201, r.text
    return r.json()


def test_no_open_counter_gives_no_number_and_says_so(app: App) -> None:
    t = issue(app, "E")  # only counter 6 serves passports, and nobody is there
    assert t["estimated_wait_min"] is None
    assert t["counters_open"] == 0
    assert t["wait_note"] == "Aún no hay ventanillas abiertas para este servicio."
    public = app.client.get(f"/api/v1/tickets/{t['id']}").json()
    assert public["estimated_wait_min"] is None and public["counters_open"] == 0
    assert public["wait_note"] == t["wait_note"]


def test_a_counter_opening_for_the_service_brings_the_estimate(app: App) -> None:
    t = issue(app, "E")
    token = app.login("clerk2", counter=6)
    assert token
    after = app.client.get(f"/api/v1/tickets/{t['id']}").json()
    assert after["counters_open"] == 1
    assert after["estimated_wait_min"] == 0 and after["wait_note"] is None


def test_a_shared_counter_counts_the_other_service_queued_before(app: App) -> None:
    # Counter 1 (the only one open) serves A (8 min by default) and B (4 min).
    issue(app, "A")
    issue(app, "A")
    b = issue(app, "B")
    assert b["counters_open"] == 1
    assert b["estimated_wait_min"] == 16  # both A tickets, queued first, go before it


def test_outside_opening_hours_the_ticket_says_when_the_office_opens(tmp_path: Path) -> None:
    cfg = load_config(DEMO_CONFIG)
    start = datetime.now(cfg.tz) + timedelta(hours=3)  # open half an hour, later: closed now
    period = Period(time(start.hour), time(start.hour, 30))
    closed_now = replace(cfg, hours=OpeningHours({d: (period,) for d in range(7)}))
    with running_app(tmp_path, open_all_hours=True, seed=closed_now) as app:
        t = issue(app, "E")  # issued while the server ran open around the clock
        tokens = app.tokens
    with running_app(tmp_path, open_all_hours=False, seed=closed_now, tokens=tokens) as app:
        later = app.client.get(f"/api/v1/tickets/{t['id']}").json()
    assert later["estimated_wait_min"] is None and later["counters_open"] == 0
    assert later["wait_note"].startswith("Aún no hay ventanillas abiertas para este servicio. "
                                         "La oficina está cerrada. Abre ")
    assert f"a las {start.hour}:00" in later["wait_note"]


def test_a_ticket_behind_a_long_line_gets_what_simulating_it_all_would_give(
        app: App) -> None:
    from server.services.waits import HORIZON

    tickets = [issue(app, "B") for _ in range(HORIZON + 5)]
    last = tickets[-1]  # beyond the front an issue simulates: extrapolated from its pace
    assert last["ahead"] == HORIZON + 4
    # one counter (1) serves B, 4 min each: simulating all 204 ahead gives 204 × 4
    assert last["estimated_wait_min"] == (HORIZON + 4) * 4
    assert tickets[10]["estimated_wait_min"] == 10 * 4
