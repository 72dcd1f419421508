"""A clerk's sign-in that runs out by itself closes the counter as a sign-out does, with no
browser request needed: the ticket in hand (called or in attention) returns to the line in its
place, never left "serving" at a counter nobody holds. A real server with a 7-second session
(``--session-hours 0.002``), a real board socket that sees the counters close."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from tests.conftest import ROOT, LiveServer, subprocess_env
from tests.server.test_calls_api import next_at, status_of

#: 7.2 seconds: long enough to call and start a ticket, short enough to wait for.
SESSION_HOURS = 0.002


def closed_counters(server: LiveServer, numbers: set[int], timeout: float) -> list[dict[str, Any]]:
    """The board's live messages until every counter in ``numbers`` reported closed."""
    seen: list[dict[str, Any]] = []
    left = set(numbers)
    deadline = time.monotonic() + timeout
    with connect(f"{server.ws_url}/api/v1/events?token={server.display_token}") as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
        while left:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"counters {sorted(left)} never closed: {seen}"
            m = json.loads(ws.recv(timeout=remaining))
            seen.append(m)
            counter = m.get("counter") or {}
            if m["type"] == "counter.changed" and counter.get("state") == "closed":
                left.discard(counter["number"])
    return seen


def test_an_expired_clerk_session_closes_its_counter_and_returns_the_ticket(
        make_server: Any) -> None:
    server: LiveServer = make_server(extra_args=["--session-hours", str(SESSION_HOURS)])
    first, second, third = server.issue("A"), server.issue("A"), server.issue("A")
    clerk1, clerk2 = server.login("clerk1", counter=1), server.login("clerk2", counter=2)
    with server.client(clerk1) as c1, server.client(clerk2) as c2:
        assert next_at(c1).json()["id"] == first["id"]
        assert c1.post(f"/api/v1/tickets/{first['id']}/start").status_code == 200  # serving
        assert next_at(c2, 2).json()["id"] == second["id"]  # called, not started
        signed_in_at = time.time()
        # Nobody signs out; the browsers stay silent. The server closes both by itself.
        seen = closed_counters(server, {1, 2}, timeout=30)
        assert time.time() - signed_in_at < SESSION_HOURS * 3600 + 10
        assert c1.get("/api/v1/auth/me").status_code == 401
        assert c2.post("/api/v1/counters/2/next").status_code == 401
    # the board is told (by number: devices never see ticket ids)
    returned = [m["ticket"]["number"] for m in seen if m["type"] == "ticket.returned"]
    assert sorted(returned) == ["A-001", "A-002"]
    with server.client(server.login("super")) as s:
        for ticket in (first, second):
            view = s.get(f"/api/v1/tickets/{ticket['id']}").json()
            assert view["status"] == "waiting" and view["counter"] is None
        for number in (1, 2):
            assert s.get(f"/api/v1/counters/{number}").json()["state"] == "closed"
        # Its place is kept: the next call takes it before the tickets issued after it.
        assert next_at(s, 2).json()["id"] == first["id"]
        history = s.get(f"/api/v1/tickets/{first['id']}/history").json()
        assert status_of(s, third["id"]) == "waiting"
    assert [h["type"] for h in history] == ["ticket.issued", "ticket.called", "ticket.started",
                                            "ticket.returned", "ticket.called"]
    assert "venció" in json.dumps(history, ensure_ascii=False)
    # A new sign-in works as usual and its counter stays open while the session lasts.
    with server.client(server.login("clerk1", counter=1)) as c1:
        assert c1.get("/api/v1/counters/1").json()["state"] == "open"
    assert "vencieron" in server.log()


@pytest.mark.parametrize("value", ["0", "-1", "doce", "200"])
def test_a_bad_session_length_is_refused_in_spanish_before_starting(value: str,
                                                                    tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--db", str(tmp_path / "t.db"),
         "--session-hours", value], capture_output=True, text=True, timeout=60,
        env=subprocess_env(), cwd=ROOT)
    assert done.returncode == 2
    assert "indique las horas que dura una sesión, más de 0 y hasta 168" in done.stderr
    assert not (tmp_path / "t.db").exists()
