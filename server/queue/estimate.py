"""Estimated waiting time for a ticket.

Method (documented in docs/estimated-wait.md): minutes = ceil(ahead × mean service time ÷ open
counters), where the mean service time is the mean of the last ``SAMPLE`` attentions finished
today for the service (the service's configured default until there are ``MIN_SAMPLES``), and
open counters are those with a clerk signed in (not paused) that serve the service, at least 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SAMPLE = 20
MIN_SAMPLES = 3


def mean_service_minutes(recent_durations_s: Sequence[float], default_min: float) -> float:
    """Mean of the most recent durations (seconds, newest last), or the default."""
    recent = [d for d in recent_durations_s[-SAMPLE:] if d >= 0]
    if len(recent) < MIN_SAMPLES:
        return default_min
    return sum(recent) / len(recent) / 60.0


def estimate_wait_minutes(ahead: int, mean_service_min: float, open_counters: int) -> int:
    if ahead <= 0:
        return 0
    return math.ceil(ahead * mean_service_min / max(1, open_counters))
