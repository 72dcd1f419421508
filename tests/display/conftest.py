"""Helpers for the board and ticket-page tests: open a board in Chromium, run axe-core
(installed by the shared ``axe_source`` fixture)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import LiveServer

BOARD_READY_MS = 15_000


#: Test-side watcher of the board's public DOM events ("board:shown", "board:announced", …):
#: it keeps counts and the announcement log on ``window.boardWatch`` and mirrors them as
#: data-* attributes of <html>, so a test can wait with a selector. Installed as an init
#: script (the devtools protocol, not the page), so the page's strict CSP stays in force.
BOARD_WATCHER = """
(() => {
  const watch = { connected: "false", announcerIdle: "true", shown: "0", announced: "0",
                  announceLog: "" };
  window.boardWatch = watch;
  const put = (key, value) => {
    watch[key] = String(value);
    const name = key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    document.documentElement.setAttribute("data-" + name, String(value));
  };
  const on = (type, handle) => document.addEventListener("board:" + type, (e) => handle(e.detail));
  on("connection", (d) => put("connected", d.connected));
  on("announcer-idle", (d) => put("announcerIdle", d.idle));
  on("shown", (d) => {
    put("shown", Number(watch.shown) + 1);
    put("lastShown", d.number);
    put("lastShownVia", d.via);
    put("lastShownAt", Date.now());
  });
  on("announced", (d) => {
    if (!d.spoken) {
      put("announceFailures", Number(watch.announceFailures || 0) + 1);
      return;
    }
    put("announced", Number(watch.announced) + 1);
    put("lastAnnounced", d.number);
    put("announceLog", (watch.announceLog ? watch.announceLog + " " : "") + d.number);
  });
})();
"""


def open_board(browser: Any, server: LiveServer, query: str = "",
               viewport: tuple[int, int] = (1920, 1080)) -> Any:
    """A board page signed in with the display token, connected to the events websocket."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.add_init_script(BOARD_WATCHER)
    page = context.new_page()
    page.on("console", lambda m: print(f"[board console] {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.goto(f"{server.base_url}/display?token={server.display_token}{query}")
    wait_connected(page)
    return page


def wait_seen(page: Any, attribute: str, value: str, timeout: int = BOARD_READY_MS) -> None:
    """Wait until the watcher saw the board reach a state (a selector on <html>)."""
    page.locator(f"html[data-{attribute}='{value}']").wait_for(state="attached",
                                                                timeout=timeout)


def wait_connected(page: Any, timeout: int = BOARD_READY_MS) -> None:
    wait_seen(page, "connected", "true", timeout)


def seen(page: Any) -> dict[str, str]:
    """What the watcher saw so far: counts, last shown and announced numbers, the log."""
    data: dict[str, str] = page.evaluate("({...window.boardWatch})")
    return data


def call_next(server: LiveServer, token: str, counter: int) -> dict[str, Any]:
    """Call the next ticket; a ticket still in hand there ends as served (the person came)."""
    with server.client(token) as c:
        r = c.post(f"/api/v1/counters/{counter}/next", json={"previous": "served"})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


@pytest.fixture
def axe(axe_source: str) -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)`` → the serious and critical accessibility violations on the page, with
    the page's real CSP in force (axe is evaluated through the devtools protocol instead of
    an injected script tag, so no ``bypass_csp`` context is needed)."""

    def run(page: Any) -> list[dict[str, Any]]:
        # Evaluated through the devtools protocol: the page's strict CSP forbids inline scripts.
        page.evaluate(axe_source + "\n;undefined")
        result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
        violations: list[dict[str, Any]] = json.loads(result)["violations"]
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
            for v in violations if v["impact"] in ("serious", "critical")
        ]

    return run
