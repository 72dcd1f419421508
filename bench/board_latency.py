"""Call → board-shows latency with a real server and a real headless Chromium board.

A clerk calls (HTTP POST /counters/1/next); the board (Debian's Chromium through Playwright,
connected to the events websocket with the display token) tells when it has put the number on
screen (its ``board:shown`` event; a watcher records ``Date.now()``). Latency runs from just
before the POST is
sent to that moment (browser and bench share the machine's clock). The board runs silent: the
spoken announcements queue after the number is shown and do not change this figure.

It also reads the board's JS heap and DOM node count (after a forced garbage collection)
after a warm-up and again at the end, to show that a board that has shown many calls does not
grow.

    python -m bench.board_latency [--calls 200] [--write docs/bench/display.md]
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path
from typing import Any

import httpx

from bench.serverkit import ROOT, percentile, running_server
from server.harness import CHROMIUM, CHROMIUM_ARGS

WARMUP = 10
#: Installed through the devtools protocol (the page's CSP stays strict): mirrors the board's
#: public events on <html> so the bench can wait with a selector.
WATCHER = """
document.addEventListener("board:connection", (e) => {
  document.documentElement.dataset.connected = String(e.detail.connected);
});
document.addEventListener("board:shown", (e) => {
  document.documentElement.dataset.lastShownAt = String(Date.now());
  document.documentElement.dataset.lastShown = e.detail.number;
});
"""


def board_metrics(cdp: Any) -> dict[str, float]:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return {m["name"]: m["value"] for m in metrics}


def run(calls: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with running_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.add_init_script(WATCHER)
        page.goto(f"{server.base_url}/display?token={server.display_token}&silent=1")
        page.locator("html[data-connected='true']").wait_for(state="attached")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        clerk = server.login("clerk1", counter=1)
        sent_to_shown: list[float] = []
        returned_to_shown: list[float] = []
        before: dict[str, float] = {}
        with httpx.Client(base_url=server.base_url, timeout=10,
                          headers={"Authorization": f"Bearer {clerk}"}) as http:
            for i in range(WARMUP + calls):
                if i == WARMUP:
                    before = board_metrics(cdp)
                number = server.issue("A" if i % 2 else "B")["number"]
                sent = time.time()
                r = http.post("/api/v1/counters/1/next", json={"previous": "served"})
                returned = time.time()
                assert r.status_code == 200, r.text
                page.locator(f"html[data-last-shown='{number}']").wait_for(state="attached")
                shown = int(page.evaluate("document.documentElement.dataset.lastShownAt")) / 1000
                if i >= WARMUP:
                    sent_to_shown.append(shown - sent)
                    returned_to_shown.append(shown - returned)
        after = board_metrics(cdp)
        rows = page.locator(".recent-item").count()
        browser.close()
    return {"calls": calls, "sent": sent_to_shown, "returned": returned_to_shown,
            "before": before, "after": after, "rows": rows}


def report(result: dict[str, Any]) -> str:
    def ms(values: list[float], p: float) -> str:
        return f"{percentile([v * 1000 for v in values], p):.1f} ms"

    b, a = result["before"], result["after"]
    lines = [
        "## Display board: call → board shows",
        "",
        "Command: `/work/venv/bin/python -m bench.board_latency --calls "
        f"{result['calls']} --write docs/bench/display.md`  ",
        f"Machine: {platform.machine()}, 2 cores, Python {platform.python_version()}; server "
        "(uvicorn subprocess, SQLite file) and headless Chromium on the same machine; "
        f"{result['calls']} calls after {WARMUP} warm-up calls, one at a time.",
        "",
        "| measured from | p50 | p99 | max |",
        "|---|---:|---:|---:|",
        f"| clerk's POST sent → number on the board | {ms(result['sent'], 50)} | "
        f"{ms(result['sent'], 99)} | {ms(result['sent'], 100)} |",
        f"| POST response received → number on the board | {ms(result['returned'], 50)} | "
        f"{ms(result['returned'], 99)} | {ms(result['returned'], 100)} |",
        "",
        "A negative second row means the board showed the call before the clerk's own HTTP "
        "response arrived (the event is published right after the commit).",
        "",
        "Board memory after a forced garbage collection (Chromium `Performance.getMetrics`):",
        "",
        "| | after warm-up | after all calls |",
        "|---|---:|---:|",
        f"| JS heap used | {b.get('JSHeapUsedSize', 0) / 1e6:.2f} MB | "
        f"{a.get('JSHeapUsedSize', 0) / 1e6:.2f} MB |",
        f"| DOM nodes | {b.get('Nodes', 0):.0f} | {a.get('Nodes', 0):.0f} |",
        f"| event listeners | {b.get('JSEventListeners', 0):.0f} | "
        f"{a.get('JSEventListeners', 0):.0f} |",
        "",
        f"The list keeps the current call plus {result['rows']} previous ones, whatever the "
        "number of calls.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) here")
    args = parser.parse_args()
    text = report(run(args.calls))
    print(text)
    if args.write:
        target = args.write if args.write.is_absolute() else ROOT / args.write
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
