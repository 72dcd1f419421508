"""Summaries read from the daily rollups give exactly the figures computed from every ticket:
over several days including today, after a closed day's tickets change, and on a database
made before the rollups existed (the first release's, with the figures it answered)."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from server import bootstrap
from server.auth import Passwords, Principal, Role
from server.config import DEMO_CONFIG, load_config
from server.queue.stats_query import DIMENSIONS, StatsQuery, parse_filters
from server.queue.stats_tables import summary_json
from server.services.demo_history import HistoryPlan, generate
from server.services.office import OfficeSettings
from server.services.statistics import labels_of, selection_of
from server.services.stats_rollups import summarize_raw
from server.storage import Store
from server.storage.bulk import insert_history
from tests.conftest import ROOT
from tests.server.factories import KIOSK
from tests.server.test_upgrade import differences

SUP = Principal(Role.SUPERVISOR, "s", "s", 2)
CFG = load_config(DEMO_CONFIG)
TODAY = date(2025, 12, 10)  # a Wednesday
BY = [*DIMENSIONS, "char:age_band"]


def at(day: date, hour: int) -> float:
    return datetime.combine(day, time(hour), CFG.tz).timestamp()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[bootstrap.Services, list[float]]]:
    """Nine past days of generated history and a server clock at 10:00 today."""
    db = tmp_path / "turnero.db"
    Store.open(db).close()
    insert_history(db, generate(CFG, HistoryPlan(TODAY - timedelta(days=9),
                                                 TODAY - timedelta(days=1), 80, 7,
                                                 characterization=True)))
    now = [at(TODAY, 10)]
    services = bootstrap.build(db, CFG, OfficeSettings(open_all_hours=True),
                               passwords=Passwords.cheap(), clock=lambda: now[0])
    yield services, now
    services.close()


def from_tickets(services: bootstrap.Services, q: StatsQuery) -> dict[str, Any]:
    """The summary computed from every ticket, as before the rollups."""
    cfg = services.office.config

    def compute(r: Any) -> dict[str, Any]:
        return summary_json(summarize_raw(r, selection_of(cfg, q), q.by), q, labels_of(cfg, r))

    return asyncio.run(services.reads.run(compute))


def fresh_days(services: bootstrap.Services, by: str) -> set[str]:
    targets = selection_of(services.office.config, StatsQuery(TODAY, TODAY)).targets_text()
    return services.reads.run_sync(
        lambda r: r.fresh_rollup_days(by, "2000-01-01", "2099-12-31", targets))


def test_rollups_give_the_figures_of_every_ticket_over_days_with_today(
        office: tuple[bootstrap.Services, list[float]]) -> None:
    services, _now = office

    async def today() -> None:
        for service in "AABC":
            await services.ticketing.issue_ticket(service, None, KIOSK)
        await services.ticketing.issue_ticket("A", "AM", KIOSK)
        await services.desk.call_next(1, SUP)

    asyncio.run(today())
    first, yesterday = TODAY - timedelta(days=9), TODAY - timedelta(days=1)
    for by in BY:
        q = StatsQuery(first - timedelta(days=3), TODAY, by)
        expected = from_tickets(services, q)
        built = asyncio.run(services.statistics.summary(q))  # builds the closed days
        assert fresh_days(services, by) == {(first + timedelta(days=i)).isoformat()
                                            for i in range((yesterday - first).days + 1)}
        again = asyncio.run(services.statistics.summary(q))  # reads them
        assert built == expected and again == expected, by
    assert again["total"]["issued"] > 5 * 9
    # A part of the range, and a filtered query (which reads the tickets), agree too.
    part = StatsQuery(first + timedelta(days=2), TODAY, "service")
    assert asyncio.run(services.statistics.summary(part)) == from_tickets(services, part)
    filtered = StatsQuery(first, TODAY, "counter", parse_filters(service="A"))
    assert asyncio.run(services.statistics.summary(filtered)) == from_tickets(services, filtered)


def test_a_closed_day_that_changes_is_read_again_from_its_tickets(
        office: tuple[bootstrap.Services, list[float]]) -> None:
    services, now = office
    q = StatsQuery(TODAY - timedelta(days=9), TODAY + timedelta(days=1), "service")

    async def left_waiting() -> None:
        for _ in range(3):
            await services.ticketing.issue_ticket("B", None, KIOSK)

    asyncio.run(left_waiting())  # today's line, not closed when the day ends
    now[0] = at(TODAY + timedelta(days=1), 9)
    before = asyncio.run(services.statistics.summary(q))
    assert before == from_tickets(services, q)
    assert TODAY.isoformat() in fresh_days(services, "service")  # now a closed day
    assert before["total"]["in_progress"] >= 3

    assert asyncio.run(services.ticketing.close_stale_days()) == 3
    after = asyncio.run(services.statistics.summary(q))
    assert after == from_tickets(services, q)
    assert after["total"]["in_progress"] == before["total"]["in_progress"] - 3
    assert after["total"]["not_attended"] == before["total"]["not_attended"] + 3
    assert TODAY.isoformat() in fresh_days(services, "service")  # built again


def test_a_database_made_before_the_rollups_keeps_its_figures(tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures"
    recorded = json.loads((fixtures / "release1-stats.json").read_text(encoding="utf-8"))
    db = tmp_path / "turnero.db"
    shutil.copy(fixtures / "release1.db", db)
    services = bootstrap.build(db, CFG, passwords=Passwords.cheap())
    try:
        for query, answered in recorded["summary"].items():
            p = dict(part.split("=") for part in query.split("&"))
            q = StatsQuery(date.fromisoformat(p["from"]), date.fromisoformat(p["to"]),
                           p.get("by", "service"))
            assert set(p) <= {"from", "to", "by"}, query  # no filter: rollups are used
            built = asyncio.run(services.statistics.summary(q))
            assert fresh_days(services, q.by), query  # built at first use
            again = asyncio.run(services.statistics.summary(q))
            assert differences(answered, built) == [] and again == built, query
    finally:
        services.close()


def test_the_recent_closed_days_get_their_rollups_before_anyone_asks(
        office: tuple[bootstrap.Services, list[float]]) -> None:
    services, now = office
    assert fresh_days(services, "hour") == set()
    built = asyncio.run(services.statistics.warm_rollups())  # in the analytics process
    closed = {(TODAY - timedelta(days=i)).isoformat() for i in range(1, 10)}
    assert built >= 9 and fresh_days(services, "hour") == closed
    assert fresh_days(services, "clerk") == closed
    assert asyncio.run(services.statistics.warm_rollups()) == 0  # once a day
    q = StatsQuery(TODAY - timedelta(days=9), TODAY, "hour")
    assert asyncio.run(services.statistics.summary(q)) == from_tickets(services, q)


def test_a_changed_target_is_counted_again_from_the_tickets(
        office: tuple[bootstrap.Services, list[float]]) -> None:
    services, _now = office
    admin = Principal(Role.ADMIN, "a", "a", 3)
    q = StatsQuery(TODAY - timedelta(days=9), TODAY, "counter")
    before = asyncio.run(services.statistics.summary(q))
    assert before == from_tickets(services, q) and fresh_days(services, "counter")
    data = services.admin.config()
    for s in data["services"]:
        s["target_wait_min"] = 1  # every wait over a minute is now past the target
    asyncio.run(services.admin.save_config(data, admin))
    after = asyncio.run(services.statistics.summary(q))
    assert after == from_tickets(services, q)
    assert after["total"]["within_target"]["count"] < before["total"]["within_target"]["count"]
    assert asyncio.run(services.statistics.summary(q)) == after  # rollups built again
