"""What the typed HTTP edge costs per request, in microseconds (in-process, no network).

- strict JSON: the body parsed once more with the strict rules (non-finite numbers, 64-bit
  integers, lone surrogates), against a plain ``json.loads``;
- response model: a ticket view validated by ``TicketIssued`` and written as JSON, against
  ``json.dumps`` of the same dict;
- both beside the ~2 ms of CPU a ticket issue costs the server (docs/benchmarks.md).

    python -m bench.edge_cost [--rounds 20000]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from pydantic import TypeAdapter

from server.api.schemas import TicketIssued
from server.api.strict_json import parse_strict

BODY = json.dumps({"service": "A", "group": "AM", "request_id": "kiosk-1-000123",
                   "characterization": {"edad": "60+", "zona": "urbana"}}).encode()
VIEW = {
    "id": "RqhHES87iopd0yZb", "number": "A-001", "service": "A",
    "service_name": "Radicación de PQRSD", "group": "AM", "group_name": "Adulto mayor",
    "preferential": True, "status": "waiting", "outcome": None,
    "issued_at": "2026-12-01T04:10:29.458-05:00", "queued_at": "2026-12-01T04:10:29.458-05:00",
    "called_at": None, "first_called_at": None, "started_at": None, "finished_at": None,
    "counter": None, "counter_name": None, "clerk": None, "call_count": 0, "transfers": 0,
    "kiosk": "quiosco-entrada", "ahead": 3, "estimated_wait_min": 12,
    "status_url": "http://192.168.1.10:8000/t/RqhHES87iopd0yZb", "replayed": False,
}


def per_call_us(fn: Callable[[], object], rounds: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return (time.perf_counter() - start) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20000)
    rounds = parser.parse_args().rounds
    adapter = TypeAdapter(TicketIssued)
    rows = [
        ("json.loads (issue body)", per_call_us(lambda: json.loads(BODY), rounds)),
        ("strict parse (issue body)", per_call_us(lambda: parse_strict(BODY), rounds)),
        ("json.dumps (ticket view)", per_call_us(lambda: json.dumps(VIEW), rounds)),
        ("TicketIssued validate + dump_json", per_call_us(
            lambda: adapter.dump_json(adapter.validate_python(VIEW)), rounds)),
    ]
    print(f"{'step':<36} {'µs per call':>12}")
    for name, us in rows:
        print(f"{name:<36} {us:>12.1f}")


if __name__ == "__main__":
    main()
