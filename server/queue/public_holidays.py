"""Colombia's public holidays ("festivos", the movable ones under the Emiliani law included),
from the ``holidays`` package: an office closes on them without anyone typing the dates.

Computed when a configuration is built, for the years around the current one (a server runs
for months, not for years, between restarts).
"""

from __future__ import annotations

from datetime import date

import holidays

#: Years before and after the current one that get their holidays.
YEARS_BEFORE, YEARS_AFTER = 1, 2


def colombian_holidays(years: range | None = None) -> dict[date, str]:
    """Date → Spanish name ("Día de los Reyes Magos (observado)")."""
    if years is None:
        this = date.today().year
        years = range(this - YEARS_BEFORE, this + YEARS_AFTER + 1)
    calendar = holidays.Colombia(years=list(years), language="es")
    return dict(sorted(calendar.items()))
