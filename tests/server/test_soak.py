"""The short soak day (bench/soak_day.py) with every fault, as a CI test: a few simulated
hours against a real server with 10 kiosks, 20 clerks, 10 boards and 200 phones; the server is
killed with SIGKILL twice, boards drop and restart, the database's disk (a real tmpfs, root
only) fills up and frees. Everything the clients were told must be in the database, every
board session must see each call exactly once. About a minute."""

from __future__ import annotations

import argparse
import os

from bench import soak_day
from tests.conftest import need


def test_short_day_with_faults_reconciles() -> None:
    need(os.geteuid() == 0, "root (the disk fault mounts a small tmpfs)")
    args = argparse.Namespace(hours=2.0, speed=300.0, faults=True, seed=11)
    text, problems, day = soak_day.run(args)
    print("\n" + text)
    assert problems == []
    faults = " ".join(day.ledger.faults)
    assert faults.count("kill -9") == 2 and "disk full" in faults and "disk freed" in faults
    assert "socket dropped" in faults or "restarted" in faults
    led = day.ledger
    assert len(led.tickets) == len(day.plan) > 150
    assert led.refused["503"] > 0 and led.refused["connection"] > 0  # the faults were felt
    assert len(led.phones) >= min(200, len(led.tickets))
    by_hour: dict[int, int] = {}
    for hour, _pid, kb in led.rss:
        by_hour[int(hour)] = max(by_hour.get(int(hour), 0), kb)
    hours = sorted(by_hour)
    assert by_hour[hours[-1]] <= 1.5 * by_hour[hours[1]], by_hour  # memory stays flat
