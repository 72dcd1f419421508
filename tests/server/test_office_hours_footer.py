"""The printed hours come from the configured hours, and the office closes on Colombia's
public holidays (movable festivos included) plus its own dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from server.config import DEMO_CONFIG, load_config
from server.queue.hours import OpeningHours, Period, hours_line
from server.queue.public_holidays import colombian_holidays

WORKDAY = (Period(time(8), time(11, 30)), Period(time(14), time(17, 30)))


def test_hours_line_groups_consecutive_days_with_the_same_periods() -> None:
    hours = OpeningHours({d: WORKDAY for d in range(5)} | {5: (Period(time(8), time(12)),)})
    assert hours_line(hours) == \
        "Horario: lunes a viernes 8:00-11:30 y 14:00-17:30; sábado 8:00-12:00"
    assert hours_line(OpeningHours()) == ""
    closed_on_festivos = replace(hours, national_holidays=True)
    assert hours_line(closed_on_festivos).endswith(", excepto festivos")


def test_footer_never_contradicts_the_hours() -> None:
    cfg = load_config(DEMO_CONFIG)
    stale = replace(cfg, ticket_footer=("Horario: lunes a sábado 7:00-19:00", "Gracias"),
                    hours=replace(cfg.hours, weekly={0: WORKDAY}, national_holidays=False))
    assert stale.printed_footer() == ["Horario: lunes 8:00-11:30 y 14:00-17:30", "Gracias"]


def test_colombian_movable_holidays_close_the_office() -> None:
    festivos = colombian_holidays(range(2026, 2027))
    assert date(2026, 1, 12) in festivos  # Reyes Magos, moved to Monday (Emiliani law)
    assert "Reyes" in festivos[date(2026, 1, 12)]
    assert date(2026, 4, 3) in festivos  # Viernes Santo (Easter-based)
    hours = OpeningHours({d: WORKDAY for d in range(5)}, frozenset({date(2026, 1, 13)}),
                         True, festivos)
    assert hours.periods_on(date(2026, 1, 12)) == ()  # national holiday
    assert hours.periods_on(date(2026, 1, 13)) == ()  # the office's own closure
    assert hours.periods_on(date(2026, 1, 14)) == WORKDAY
    without = replace(hours, national_holidays=False)
    assert without.periods_on(date(2026, 1, 12)) == WORKDAY


def test_the_demo_office_closes_on_festivos() -> None:
    cfg = load_config(DEMO_CONFIG)
    assert cfg.hours.national_holidays
    this_year = date.today().year
    assert any(d.year == this_year for d in cfg.hours.holidays)
    monday_festivo = next(d for d in cfg.hours.holidays if d.weekday() == 0)
    assert cfg.hours.periods_on(monday_festivo) == ()
