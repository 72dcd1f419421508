"""The year "Historial" page in Chromium and the year exports, as a supervisor gets them.

A generated year (``server.services.demo_history``, the same as ``bench.stats_stall``) served
by a real server; with ``--baseline REF`` also by Turnero at git REF (``git archive``, its own
database prepared by its own code, the same tickets), the two measured alternately:

- the Historial page (real headless Chromium): the year's range typed into the form, from
  "Consultar" until the charts and tables are drawn (four summaries: by hour, day, service
  and the chosen dimension). The first run is apart: it builds the day rollups once.
- the tickets of the year as CSV and XLSX downloaded over HTTP (to the last byte), and of the
  last month for comparison, with the server's peak RSS after each (flat memory: the year's
  peak is about the month's).

    python -m bench.stats_pages [--per-day 1000] [--runs 3] [--baseline main] [--skip-xlsx]
                                [--xlsx-only]

Targets (issue 14): page < 1.5 s, year XLSX < 15 s, CSV < 3 s, memory flat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.compare import PREPARE, baseline_tree
from server.config import DEMO_CONFIG, load_config
from server.harness import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, LiveServer
from server.services.demo_history import HistoryPlan, generate
from server.storage.bulk import insert_history


@dataclass
class Side:
    name: str
    server: LiveServer
    token: str = ""
    page_first: float = 0.0
    pages: list[float] = field(default_factory=list)
    exports: dict[str, tuple[float, float, int]] = field(default_factory=dict)


def prepared(tree: Path, db: Path) -> dict[str, str]:
    """Users and tokens made by the tree's own code (so its own migrations create the file)."""
    out = subprocess.run([sys.executable, "-c", PREPARE, str(db)], cwd=tree, check=True,
                         capture_output=True, env=dict(os.environ, PYTHONPATH=str(tree)),
                         text=True).stdout
    tokens: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    return tokens


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def historial(page: Any, side: Side, first: date, last: date) -> float:
    """Type the range into the Historial form, send it, wait until it is drawn."""
    page.fill("#f-from", first.isoformat())
    page.fill("#f-to", last.isoformat())
    t0 = time.perf_counter()
    page.locator("#filters button[type=submit]").click()
    page.locator("#history-results[aria-busy='false']").wait_for(state="attached",
                                                                  timeout=180_000)
    took = time.perf_counter() - t0
    error = page.locator("#history-error").text_content()
    assert not error, f"{side.name}: {error}"
    return took


def open_historial(browser: Any, side: Side) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 720},
                               locale="es-CO").new_page()
    page.goto(side.server.base_url + "/supervisor")
    page.get_by_label("Usuario").fill("super")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.locator("#tab-history").click()
    page.locator("#detail tbody").wait_for(state="attached", timeout=180_000)
    page.locator("#history-results[aria-busy='false']").wait_for(state="attached",
                                                                  timeout=180_000)
    return page


def download(side: Side, fmt: str, first: date, last: date) -> tuple[float, float, int]:
    """(seconds to the last byte, server peak RSS MiB after, bytes)."""
    size = 0
    t0 = time.perf_counter()
    with httpx.stream("GET", f"{side.server.base_url}/api/v1/stats/export",
                      params={"from": first.isoformat(), "to": last.isoformat(),
                              "format": fmt, "kind": "tickets"},
                      headers={"Authorization": f"Bearer {side.token}"}, timeout=600) as r:
        assert r.status_code == 200, r.read()
        for chunk in r.iter_bytes():
            size += len(chunk)
    took = time.perf_counter() - t0
    assert side.server.process is not None
    return took, peak_rss_mib(side.server.process.pid), size


def measure_pages(sides: list[Side], runs: int, first: date, last: date) -> None:
    """The year's Historial in Chromium: once (building rollups), then ``runs`` times."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    headless=True)
        pages = [open_historial(browser, s) for s in sides]
        for side, page in zip(sides, pages, strict=True):
            side.page_first = historial(page, side, first, last)
        for _ in range(runs):
            for side, page in zip(sides, pages, strict=True):
                side.pages.append(historial(page, side, first, last))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="git ref to measure beside this tree")
    parser.add_argument("--skip-xlsx", action="store_true")
    parser.add_argument("--xlsx-only", action="store_true",
                        help="only the XLSX exports (no Historial page, no CSV)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        last = date.today() - timedelta(days=1)
        first = last - timedelta(days=364)
        month = date(last.year, last.month, 1)
        trees = [("this code", ROOT)]
        if args.baseline:
            trees.append((f"Turnero@{args.baseline}", baseline_tree(args.baseline, tmp)))
        cfg = load_config(DEMO_CONFIG)
        sides = []
        for i, (name, tree) in enumerate(trees):
            db = tmp / f"history{i}.db"
            tokens = prepared(tree, db)
            count = insert_history(db, generate(cfg, HistoryPlan(
                first, last, args.per_day, 2026, characterization=True)))
            server = LiveServer(db=db, root=tree, tokens=tokens)
            server.start(timeout=60)
            side = Side(name, server)
            side.token = server.login("super")
            sides.append(side)
        print(f"# a year of history ({count:,} tickets, {first} to {last}); "
              + ("XLSX exports only" if args.xlsx_only else
                 f"{args.runs} page runs per server after the first, alternating"), flush=True)
        try:
            if not args.xlsx_only:
                measure_pages(sides, args.runs, first, last)
            formats = (["xlsx"] if args.xlsx_only else
                       ["csv"] if args.skip_xlsx else ["csv", "xlsx"])
            for fmt in formats:
                for label, start in (("month", month), ("year", first)):
                    for side in sides:
                        side.exports[f"{fmt} {label}"] = download(side, fmt, start, last)
                        t, rss, size = side.exports[f"{fmt} {label}"]
                        print(f"{side.name}: {fmt} {label} {t:.2f} s, {size / 2**20:.1f} MiB, "
                              f"server peak RSS {rss:.0f} MiB", flush=True)
        finally:
            for side in sides:
                side.server.stop()
    print("\n| measure | " + " | ".join(s.name for s in sides) + " | target |")
    print("|---|" + "---:|" * len(sides) + "---|")
    if not args.xlsx_only:
        print("| Historial, year: first run (builds the rollups) | "
              + " | ".join(f"{s.page_first:.2f} s" for s in sides) + " | |")
        print("| Historial, year: best of the next runs | "
              + " | ".join(f"{min(s.pages):.2f} s" for s in sides) + " | < 1.5 s |")
    targets = {"csv year": "< 3 s", "xlsx year": "< 15 s"}
    for key in sides[0].exports:
        print(f"| tickets {key} (server peak RSS after) | "
              + " | ".join(f"{s.exports[key][0]:.2f} s ({s.exports[key][1]:.0f} MiB)"
                           for s in sides) + f" | {targets.get(key, '')} |")


if __name__ == "__main__":
    main()
