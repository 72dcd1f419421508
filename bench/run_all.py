"""Run the quick benchmarks one after another and print their figures (`make bench`).

The statistics benchmark needs a generated five-year history (~550 MB, several minutes):
run it on its own, as docs/bench/stats.md says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK = [
    ["-m", "bench.http_load", "--duration", "5"],
    ["-m", "bench.event_latency", "--calls", "30"],
    ["bench/printer_bytes.py"],
    ["bench/panel_actions.py", "--rounds", "50"],
    ["-m", "bench.hardware_latency", "--calls", "30"],
    ["bench/estimate_accuracy.py"],
]


def main() -> int:
    failed = 0
    for args in QUICK:
        print(f"\n$ python {' '.join(args)}", flush=True)
        failed += subprocess.run([sys.executable, *args], cwd=ROOT).returncode != 0
    print("\nStatistics at scale: see docs/bench/stats.md (bench/generate_history.py, "
          "bench/stats_bench.py).")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
