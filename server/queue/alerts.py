"""What the supervisor must see at once on "Ahora": a service with people waiting and no
counter open for it (nobody will call them), and a line whose oldest ticket has waited past
the service's target. Pure code: the line and the counters come in, sentences go out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Counter, Service

NO_OPEN_COUNTER = "no_open_counter"
OVER_TARGET = "over_target"


@dataclass(frozen=True)
class LineNow:
    """One service's line at this moment."""

    waiting: int
    longest_wait_min: float


def queue_alerts(services: Iterable[Service], counters: Iterable[Counter],
                 counter_states: Mapping[int, str], lines: Mapping[str, LineNow]
                 ) -> list[dict[str, str]]:
    """Alerts in the order a supervisor acts on them: nobody serving a line first."""
    counters = list(counters)
    blocked: list[dict[str, str]] = []
    late: list[dict[str, str]] = []
    for s in services:
        line = lines.get(s.code)
        if line is None or line.waiting == 0:
            continue
        serving = [c for c in counters if s.code in c.services]
        open_ = [c for c in serving if counter_states.get(c.number) == "open"]
        people = "1 persona espera" if line.waiting == 1 else f"{line.waiting} personas esperan"
        if not open_:
            blocked.append({"kind": NO_OPEN_COUNTER, "service": s.code,
                            "message": f"{s.name}: {people} y no hay ninguna ventanilla "
                                       "abierta que atienda este servicio."})
        if line.longest_wait_min > s.target_wait_min:
            late.append({"kind": OVER_TARGET, "service": s.code,
                         "message": f"{s.name}: un turno lleva {round(line.longest_wait_min)} "
                                    f"min esperando (meta: {s.target_wait_min} min)."})
    return blocked + late
