"""Exact indicators over the hand-made history (tests/server/stats_history.py), through the
real server: every figure below is worked out by hand from that table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.server import stats_history as h


@pytest.fixture(scope="module")
def stats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from h.run_stats_server(tmp_path_factory)

def summary(server: LiveServer, **params: Any) -> dict[str, Any]:
    with server.client(server.tokens["super"]) as c:
        r = c.get("/api/v1/stats/summary", params={"from": h.DAY1, "to": h.DAY2, **params})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def rows_by_key(data: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    return {r["key"]: r for r in data["rows"]}


def test_totals_waits_service_times_target_and_satisfaction(stats_server: LiveServer) -> None:
    t = summary(stats_server)["total"]
    assert (t["issued"], t["served"], t["no_show"], t["transferred"], t["not_attended"],
            t["cancelled"], t["in_progress"]) == (10, 7, 1, 1, 1, 1, 0)
    # waits of the 8 called tickets, sorted: 1 2 3 5 10 20 30 40 (sum 111)
    # median: position 7·0.5 = 3.5 → 5 + 0.5·(10 − 5) = 7.5; p90: 6.3 → 30 + 0.3·10 = 33
    assert t["wait_min"] == {"count": 8, "mean": 13.88, "median": 7.5, "p90": 33.0,
                             "max": 40.0}
    # service times of the 7 served: 2 4 6 8 10 14 20 (sum 64); p90: 5.4 → 14 + 0.4·6 = 16.4
    assert t["service_min"] == {"count": 7, "mean": 9.14, "median": 8.0, "p90": 16.4,
                                "max": 20.0}
    # within target: #1 (5≤15) #3 (2≤10) #4 (10≤10) #7 (3≤15) #8 (1≤10) of 8 called
    assert t["within_target"] == {"count": 5, "of": 8, "share": 0.625}
    # ratings 5 3 4 5 2 → 19 / 5; 5 answers over 7 served
    assert t["satisfaction"] == {"answers": 5, "average": 3.8,
                                 "distribution": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 2},
                                 "response_rate": 0.7143}


def test_preferential_against_general(stats_server: LiveServer) -> None:
    classes = summary(stats_server)["classes"]
    p, g = classes["preferential"], classes["general"]
    assert (p["issued"], p["served"], g["issued"], g["served"]) == (3, 3, 7, 4)
    # preferential waits 1 2 30: p90 at 1.8 → 2 + 0.8·28 = 24.4
    assert p["wait_min"] == {"count": 3, "mean": 11.0, "median": 2.0, "p90": 24.4,
                             "max": 30.0}
    # general waits 3 5 10 20 40: p90 at 3.6 → 20 + 0.6·20 = 32
    assert g["wait_min"] == {"count": 5, "mean": 15.6, "median": 10.0, "p90": 32.0,
                             "max": 40.0}
    assert p["within_target"] == {"count": 2, "of": 3, "share": 0.6667}
    assert g["within_target"] == {"count": 3, "of": 5, "share": 0.6}
    # preferential service 2 4 14: p90 at 1.8 → 4 + 0.8·10 = 12
    assert p["service_min"] == {"count": 3, "mean": 6.67, "median": 4.0, "p90": 12.0,
                                "max": 14.0}
    assert p["satisfaction"]["average"] == 3.0 and g["satisfaction"]["average"] == 4.33


def test_by_service(stats_server: LiveServer) -> None:
    data = summary(stats_server, by="service")
    assert [r["key"] for r in data["rows"]] == ["A", "B", "C", "E"]  # office order, D empty
    rows = rows_by_key(data)
    a, b, c, e = rows["A"], rows["B"], rows["C"], rows["E"]
    assert a["label"] == "Radicación de PQRSD" and a["target_wait_min"] == 15
    assert (a["issued"], a["served"], a["not_attended"]) == (4, 3, 1)
    assert a["wait_min"] == {"count": 3, "mean": 9.33, "median": 5.0, "p90": 17.0,
                             "max": 20.0}
    assert a["within_target"] == {"count": 2, "of": 3, "share": 0.6667}
    assert (b["issued"], b["served"], b["no_show"]) == (3, 2, 1)
    assert b["wait_min"]["mean"] == 4.33 and b["within_target"]["share"] == 1.0
    assert (c["issued"], c["served"], c["cancelled"], c["transferred"]) == (2, 1, 1, 1)
    assert c["within_target"] == {"count": 0, "of": 1, "share": 0.0}
    assert e["wait_min"]["max"] == 40.0 and e["service_min"]["mean"] == 20.0


def test_by_hour_day_weekday(stats_server: LiveServer) -> None:
    hours = rows_by_key(summary(stats_server, by="hour"))
    assert {k: r["issued"] for k, r in hours.items()} == {8: 5, 9: 2, 14: 2, 15: 1}
    assert hours[8]["label"] == "08:00"
    # 08 h waits 1 2 3 5 20: p90 at 3.6 → 5 + 0.6·15 = 14
    assert hours[8]["wait_min"] == {"count": 5, "mean": 6.2, "median": 3.0, "p90": 14.0,
                                    "max": 20.0}
    assert hours[9]["wait_min"] == {"count": 2, "mean": 20.0, "median": 20.0, "p90": 28.0,
                                    "max": 30.0}
    assert hours[14]["wait_min"]["count"] == 0 and hours[14]["wait_min"]["mean"] is None
    days = rows_by_key(summary(stats_server, by="day"))
    assert {k: (r["issued"], r["served"]) for k, r in days.items()} == {
        h.DAY1: (6, 4), h.DAY2: (4, 3)}
    weekdays = rows_by_key(summary(stats_server, by="weekday"))
    assert {r["label"]: r["issued"] for r in weekdays.values()} == {"Lunes": 6, "Martes": 4}


def test_by_counter_clerk_group(stats_server: LiveServer) -> None:
    counters = rows_by_key(summary(stats_server, by="counter"))
    assert {k: r["issued"] for k, r in counters.items()} == {1: 3, 2: 3, 3: 1, 6: 1,
                                                             None: 2}
    assert counters[None]["label"] == "Sin ventanilla"
    assert counters[1]["label"] == "Ventanilla 1"
    clerks = rows_by_key(summary(stats_server, by="clerk"))
    assert {k: r["served"] for k, r in clerks.items()} == {
        "clerk1": 3, "clerk2": 2, "clerk3": 1, "clerk4": 1, None: 0}
    assert clerks["clerk1"]["label"] == "Clerk1"  # the user's display name
    assert clerks["clerk1"]["service_min"]["mean"] == 8.0  # 10 8 6
    groups = rows_by_key(summary(stats_server, by="group"))
    assert {k: r["issued"] for k, r in groups.items()} == {None: 7, "AM": 2, "GES": 1}
    assert groups["AM"]["label"] == "Adulto mayor"


def test_filters(stats_server: LiveServer) -> None:
    assert summary(stats_server, service="A")["total"]["issued"] == 4
    assert summary(stats_server, counter="2")["total"]["issued"] == 3
    assert summary(stats_server, clerk="clerk1")["total"]["wait_min"]["mean"] == 9.33
    assert summary(stats_server, group="AM")["total"]["issued"] == 2
    assert summary(stats_server, group="preferential")["total"]["issued"] == 3
    assert summary(stats_server, group="general")["total"]["issued"] == 7
    one_day = summary(stats_server, **{"from": h.DAY2, "to": h.DAY2})
    assert one_day["total"]["issued"] == 4


def test_characterization_filter_and_breakdown(stats_server: LiveServer) -> None:
    older = summary(stats_server, char="age_band:60+")["total"]
    assert (older["issued"], older["served"]) == (2, 2)
    assert older["wait_min"]["mean"] == 3.5  # tickets 1 (5) and 3 (2)
    both = summary(stats_server, char=["age_band:60+", "sex:mujer"])["total"]
    assert both["issued"] == 0
    bands = summary(stats_server, by="char:age_band")
    assert bands["by_name"] == "¿En qué rango de edad está?"
    assert [(r["label"], r["issued"]) for r in bands["rows"]] == [
        ("18 a 28 años", 1), ("60 años o más", 2), ("Sin respuesta", 7)]


@pytest.mark.parametrize(("params", "fragment"), [
    ({"from": "2026-13-01", "to": "2026-12-31"}, "no existe"),
    ({"from": "01/03/2026", "to": "2026-03-31"}, "use AAAA-MM-DD"),
    ({"from": "2026-03-31", "to": "2026-03-01"}, "posterior"),
    ({"to": "2026-03-01"}, "Falta «from»"),
    ({"from": "2026-03-01", "to": "2026-03-31", "by": "color"}, "Agrupación"),
    ({"from": "2026-03-01", "to": "2026-03-31", "counter": "dos"}, "Ventanilla"),
    ({"from": "2026-03-01", "to": "2026-03-31", "char": "edad"}, "caracterización"),
])
def test_bad_requests_get_plain_spanish_422(stats_server: LiveServer, params: dict[str, Any],
                                            fragment: str) -> None:
    with stats_server.client(stats_server.tokens["super"]) as c:
        r = c.get("/api/v1/stats/summary", params=params)
    assert r.status_code == 422
    assert fragment in r.json()["detail"]
