"""Fill a database with years of realistic office history, through the bulk storage path.

    python bench/generate_history.py --db bench-data/history.db --years 5 --per-day 1000

Working days of the demo office only; peaks at opening and after lunch; ~17 % preferential,
~5 % no-shows, transfers, satisfaction answers, characterization answers (see
server/stats/history.py). Deterministic for a seed. Refuses to touch an existing file.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.config import DEMO_CONFIG, load_config  # noqa: E402
from server.services.demo_history import HistoryPlan, generate  # noqa: E402
from server.storage import Store  # noqa: E402
from server.storage.bulk import insert_history  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--config", type=Path, default=DEMO_CONFIG)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--per-day", type=int, default=1000, help="tickets on an average day")
    parser.add_argument("--last-day", type=date.fromisoformat,
                        default=date.today() - timedelta(days=1))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.db.exists():
        print(f"{args.db} ya existe; use otro nombre.", file=sys.stderr)
        return 2
    cfg = load_config(args.config)
    Store.open(args.db).close()  # create and migrate
    first = args.last_day - timedelta(days=round(args.years * 365.25) - 1)
    plan = HistoryPlan(first, args.last_day, args.per_day, args.seed, characterization=True)
    started = time.perf_counter()
    count = insert_history(args.db, generate(cfg, plan))
    took = time.perf_counter() - started
    size = args.db.stat().st_size / 2**20
    print(f"{count} tickets from {first} to {args.last_day} in {took:.1f} s "
          f"({count / took:,.0f}/s); database {size:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
