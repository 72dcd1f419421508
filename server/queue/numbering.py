"""Ticket numbers: service letter + at least three digits, restarting each local day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def format_number(letter: str, seq: int) -> str:
    """A-001 … A-999, then A-1000: never wraps, so a number is never repeated within a day."""
    return f"{letter}-{seq:03d}"


def local_day(ts: float, tz: ZoneInfo) -> str:
    """The office's calendar day for a moment: numbering and closing follow local time."""
    return datetime.fromtimestamp(ts, tz).date().isoformat()
