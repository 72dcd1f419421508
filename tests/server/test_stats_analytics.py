"""A long range is computed in the analytics process (its own interpreter, so the server's
event loop never waits for it) and gives exactly the hand-checked figures of the short one."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.services.analytics import MIN_DAYS
from tests.conftest import LiveServer
from tests.server import stats_history as h


@pytest.fixture(scope="module")
def stats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from h.run_stats_server(tmp_path_factory)


def summary(server: LiveServer, start: str, end: str, by: str) -> dict[str, Any]:
    with server.client(server.tokens["super"]) as c:
        r = c.get("/api/v1/stats/summary", params={"from": start, "to": end, "by": by})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


@pytest.mark.parametrize("by", ["service", "clerk", "char:age_band"])
def test_a_year_gives_the_figures_of_its_two_days(stats_server: LiveServer, by: str) -> None:
    days = summary(stats_server, h.DAY1, h.DAY2, by)
    year = summary(stats_server, "2026-01-01", "2026-12-31", by)
    assert MIN_DAYS <= 365  # the year goes to the analytics process
    assert year["total"] == days["total"]
    assert year["total"]["issued"] == 10 and year["total"]["wait_min"]["median"] == 7.5
    assert year["rows"] == days["rows"]


def analytics_workers(server: LiveServer) -> list[int]:
    """The pids of the server's analytics worker processes (spawned children running
    ``spawn_main``; the resource tracker is another child, left alone)."""
    assert server.process is not None
    pids: list[int] = []
    for task in Path(f"/proc/{server.process.pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
            for child in (task / "children").read_text().split():
                with contextlib.suppress(FileNotFoundError):  # a child that exited meanwhile
                    if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                        pids.append(int(child))
    return pids


def test_a_killed_analytics_process_does_not_break_the_next_long_report(
        stats_server: LiveServer) -> None:
    """The system may kill the analytics process (out of memory over a large year, an
    operator); the next long report used to fail until the server was restarted."""
    first = summary(stats_server, "2026-01-01", "2026-12-31", "service")
    [worker] = analytics_workers(stats_server)
    os.kill(worker, signal.SIGKILL)
    assert summary(stats_server, "2026-01-01", "2026-12-31", "service") == first
    [replacement] = analytics_workers(stats_server)
    assert replacement != worker


@pytest.mark.parametrize("sep", [None, "semicolon"])
def test_a_year_of_tickets_as_csv_is_the_file_of_its_two_days(stats_server: LiveServer,
                                                              sep: str | None) -> None:
    """A long range's tickets CSV is written in the analytics process and then sent (streamed
    from the server process, a year's rows held its interpreter lock against the kiosks):
    byte for byte the CSV the two days stream."""
    csv = {"format": "csv", "kind": "tickets", **({"sep": sep} if sep else {})}
    days = h.export(stats_server, **csv)
    year = h.export(stats_server, **{"from": "2026-01-01", "to": "2026-12-31"}, **csv)
    assert year.content == days.content
    assert year.content.startswith(b"\xef\xbb\xbf") and year.content.count(b"\r\n") == 11
    assert year.headers["content-type"] == days.headers["content-type"]
    assert 'filename="turnos_2026-01-01_2026-12-31.csv"' in year.headers["content-disposition"]
    # the year's file was finished before it was sent (its length known), the days streamed
    assert year.headers["content-length"] == str(len(year.content))
    assert "content-length" not in days.headers
    # the file left the server's temporary folder once sent
    assert list(Path(stats_server.env["TMPDIR"]).iterdir()) == []
