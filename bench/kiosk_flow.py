"""How fast does the kiosk answer a touch?

Starts a real server (demo office) and a real kiosk window (Kivy, offscreen OpenGL, the test
driver in tests/kiosk/driver.py) printing to a file, takes ROUNDS tickets by touch, and prints:

- start-up: app start → first frame of the welcome screen (first catalog from the server);
- touch → first frame of the next screen (welcome → services → groups: no network);
- last touch → first frame of the ticket (POST /api/v1/tickets included);
- ticket on screen → print verdict (render + write to the file + status).

    /work/venv/bin/python bench/kiosk_flow.py [--sizes 1080x1920,800x480] [--rounds 20]
                                              [--write docs/bench/kiosk.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.harness import LiveServer, prepare_database, subprocess_env  # noqa: E402


def steps(rounds: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(rounds):
        out += [{"wait": "welcome", "timeout": 60}, {"touch": "Tomar turno"},
                {"wait": "services"}, {"touch": "Radicación de PQRSD"}, {"wait": "groups"},
                {"touch": "No" if i % 2 else "Adulto mayor"},
                {"wait": "ticket", "printed": True}, {"touch": "Listo"}]
    return out


def intervals(timeline: list[list[object]]) -> dict[str, list[float]]:
    """Milliseconds from each touch to the first frame showing the screen it leads to, and
    from the ticket on the glass to the print verdict."""
    found: dict[str, list[float]] = {"navigation": [], "ticket": [], "print": [], "startup": []}
    start = float(timeline[0][0])  # type: ignore[arg-type]
    touch_at: float | None = None
    ticket_at: float | None = None
    for at, kind, what in timeline:
        t = float(at)  # type: ignore[arg-type]
        if kind == "shown" and what == "welcome" and not found["startup"]:
            found["startup"].append((t - start) * 1000)
        if kind == "touch":
            touch_at = t
        elif kind == "shown" and touch_at is not None:
            if what in ("services", "groups"):
                found["navigation"].append((t - touch_at) * 1000)
            elif what == "ticket":
                found["ticket"].append((t - touch_at) * 1000)
                ticket_at = t
            touch_at = None
        elif kind == "print" and what not in ("", "printing") and ticket_at is not None:
            found["print"].append((t - ticket_at) * 1000)
            ticket_at = None
    return found


def summary(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(values):.0f} ms (p95 {p95:.0f} ms, n={len(values)})"


def run_once(size: str, rounds: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = LiveServer(db=folder / "turnero.db")
        server.tokens = prepare_database(server.db)
        server.start()
        try:
            spec_path = folder / "spec.json"
            spec_path.write_text(json.dumps({
                "settings": {"server": server.base_url, "token": server.kiosk_token,
                             "printer": f"file:{folder / 'printer.bin'}", "size": size,
                             "dpi": 96.0},
                "steps": steps(rounds), "shots": str(folder), "prefix": "bench"}))
            env = subprocess_env(SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1",
                                 KIVY_NO_CONSOLELOG="1", KIVY_HOME=str(folder / "kivy"))
            env.pop("DISPLAY", None)
            subprocess.run([sys.executable, "-m", "tests.kiosk.driver", str(spec_path)],
                           env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=600)
            result = json.loads(spec_path.with_suffix(".result.json").read_text())
        finally:
            server.stop()
    return intervals(result["timeline"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1080x1920,800x480",
                        help="comma-separated window sizes")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--write", type=Path, help="also write the results as Markdown here")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    found = {size: run_once(size, args.rounds) for size in sizes}
    cores = os.cpu_count()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    rows = [
        ("start-up: app start → welcome screen drawn, with the office's catalog", "startup"),
        ("touch → next screen drawn (no network)", "navigation"),
        ("last touch → ticket drawn (POST /api/v1/tickets)", "ticket"),
        ("ticket drawn → print verdict (render, write, status)", "print"),
    ]
    lines = [
        "## Kiosk: time to answer a touch",
        "",
        f"Command: `/work/venv/bin/python bench/kiosk_flow.py --sizes {args.sizes} "
        f"--rounds {args.rounds}`  ",
        f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"Kivy 2.3.1 with offscreen OpenGL (Mesa llvmpipe: software rendering on the CPU); "
        f"server and kiosk on the same machine; printer `file:`; load average after the run "
        f"{load}.",
        "",
        "| what | " + " | ".join(f"{size}: median (p95)" for size in sizes) + " |",
        "|---|" + "---|" * len(sizes),
        *(f"| {label} | " + " | ".join(summary(found[size][key]) for size in sizes) + " |"
          for label, key in rows),
        "",
        "Each figure ends at the first frame flipped to the glass after the change "
        "(`Window.on_flip`). The server call and the printing run in worker threads, so the "
        "window keeps drawing meanwhile.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
