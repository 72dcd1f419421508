"""Pure statistics rules: percentiles, distributions, query parsing, survey rules,
characterization validation, spreadsheet cells, the history generator."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.config import DEMO_CONFIG, ConfigError, load_config, parse_config
from server.errors import Conflict, Invalid
from server.queue import survey
from server.queue.indicators import Counts, Distribution, percentile, summarize
from server.queue.model import Status
from server.queue.stats_query import parse_by, parse_filters, parse_month, parse_range
from server.queue.stats_tables import LocalClock
from server.services.demo_history import HistoryPlan, generate
from server.services.export import csv_chunks
from server.storage.bulk import HISTORY_COLUMNS


def test_percentile_is_linear_interpolation_like_excel_percentile_inc() -> None:
    xs = [1, 2, 3, 5, 10, 20, 30, 40]
    assert percentile(xs, 0.5) == 7.5  # (5 + 10) / 2
    assert percentile(xs, 0.9) == pytest.approx(33.0)  # 30 + 0.3 · 10
    assert percentile(xs, 0.0) == 1 and percentile(xs, 1.0) == 40
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError):
        percentile(xs, 1.5)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50),
       st.floats(min_value=0, max_value=1))
def test_percentile_stays_between_neighbours(values: list[float], p: float) -> None:
    xs = sorted(values)
    q = percentile(xs, p)
    assert q is not None and xs[0] - 1e-6 <= q <= xs[-1] + 1e-6
    assert percentile(xs, 0.5) == pytest.approx(statistics.median(values))


def test_distribution_in_minutes_sorts_its_input() -> None:
    d = Distribution.of([600, 60, 300])
    assert d.in_minutes() == {"count": 3, "mean": 5.33, "median": 5.0, "p90": 9.0,
                              "max": 10.0}
    assert Distribution.of([]).in_minutes() == {"count": 0, "mean": None, "median": None,
                                                "p90": None, "max": None}


def test_summarize_adds_groups_into_classes_and_total() -> None:
    counts = [("A", False, [3, 2, 1, 0, 0, 0, 0, 3, 2, 0, 0, 0, 1, 1]),
              ("A", True, [1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]),
              ("B", False, [2, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0])]
    waits = [("A", False, 60.0), ("A", False, 120.0), ("A", False, 180.0), ("A", True, 30.0),
             ("B", False, 1200.0)]
    s = summarize(counts, waits, [("A", False, 300.0)])
    assert s.total.counts.issued == 6 and s.total.counts.within_target == 3
    assert s.classes["preferential"].counts.issued == 1
    assert s.rows["A"].wait.count == 4 and s.rows["B"].wait.max == 1200.0
    assert s.total.to_dict()["satisfaction"] == {
        "answers": 4, "average": 3.75,  # (1 + 4 + 5 + 5) / 4
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2}, "response_rate": 1.0}
    assert Counts().satisfaction()["average"] is None


def test_query_parsing() -> None:
    assert parse_range("2026-02-01", "2026-02-28") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_month("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_month("2024-02")[1] == date(2024, 2, 29)
    assert parse_month("2026-12")[1] == date(2026, 12, 31)
    for bad in ("2026-13", "26-01", None):
        with pytest.raises(Invalid):
            parse_month(bad)
    assert parse_by(None) == "service" and parse_by("char:age_band") == "char:age_band"
    f = parse_filters("A", "3", "", "preferential", ["age_band:60+", ""])
    assert (f.service, f.counter, f.clerk, f.group) == ("A", 3, None, "preferential")
    assert f.characterization == (("age_band", "60+"),)
    with pytest.raises(Invalid):
        parse_filters(service="a")
    with pytest.raises(Invalid):
        parse_by("char:'; DROP TABLE tickets")


def ticket(status: Status = Status.DONE, finished: float | None = 1000.0,
           rating: int | None = None) -> survey.SurveyTicket:
    return survey.SurveyTicket("id", "A-001", status, finished, rating, 1)


def test_survey_rules() -> None:
    assert survey.state(ticket(), 1000 + 60) == survey.OPEN
    assert survey.state(ticket(Status.SERVING, None), 1000) == survey.NOT_READY
    assert survey.state(ticket(Status.NO_SHOW), 1000) == survey.NOT_READY
    assert survey.state(ticket(rating=3), 1000) == survey.ANSWERED
    assert survey.state(ticket(), 1000 + survey.ANSWER_WINDOW_S + 1) == survey.CLOSED
    assert survey.check_answer(ticket(), 1001, 5, "otro") == (5, "otro")
    for rating in (0, 6, "5", True, None):
        with pytest.raises(Invalid):
            survey.check_answer(ticket(), 1001, rating, None)
    with pytest.raises(Conflict):
        survey.check_answer(ticket(rating=4), 1001, 5, None)
    assert survey.tablet_candidate(ticket(), 1000 + 60) is not None
    assert survey.tablet_candidate(ticket(), 1000 + survey.TABLET_WINDOW_S + 1) is None
    assert survey.tablet_candidate(ticket(rating=2), 1010) is None
    assert survey.tablet_candidate(None, 1010) is None


def test_characterization_config_errors_name_the_line() -> None:
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace(
        "[characterization]\nenabled = false", "[characterization]\nenabled = true")
    cfg = parse_config(text)
    assert cfg.characterization.validate({"age_band": "60+", "sex": None}) == {"age_band": "60+"}
    assert cfg.characterization.validate({}) == {}
    with pytest.raises(Invalid):
        cfg.characterization.validate({"age_band": "sesenta"})
    broken = text.replace('{ code = "rrom", label = "Rrom (gitano)" },',
                          '{ code = "rrom" },').replace('code = "sex"', 'code = "Sexo!"')
    with pytest.raises(ConfigError) as err:
        parse_config(broken, "office.toml")
    lines = broken.splitlines()
    by_line = {p.split(":")[1]: p for p in err.value.problems}
    sex_line = next(i for i, ln in enumerate(lines, 1) if 'code = "Sexo!"' in ln)
    assert "minúsculas" in by_line[str(sex_line)]
    assert any("questions[2].options" in p and "inválida" in p for p in err.value.problems)
    with pytest.raises(ConfigError, match="sin preguntas"):
        parse_config(text.split("[[characterization.questions]]")[0])


def test_demo_config_keeps_characterization_off_and_round_trips() -> None:
    cfg = load_config(DEMO_CONFIG)
    assert cfg.characterization.enabled is False and len(cfg.characterization.questions) == 3
    from server.config import config_from_dict

    assert config_from_dict(cfg.to_dict()) == cfg


def test_csv_has_bom_spanish_decimals_and_no_formulas() -> None:
    data = b"".join(csv_chunks(["Nombre", "Espera"], [["=HYPERLINK(1)", 12.5], ["Ana", 3],
                                                       ["Ñoño", None]], spanish_excel=True))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Nombre", "Espera"], ["'=HYPERLINK(1)", "12,5"], ["Ana", "3"],
                    ["Ñoño", ""]]
    plain = b"".join(csv_chunks(["x"], [[1.25]])).decode("utf-8-sig")
    assert plain == "x\r\n1.25\r\n"


def test_local_clock_follows_the_zone() -> None:
    bogota = LocalClock(ZoneInfo("America/Bogota"))
    assert bogota.time(1772456400.0) == time(8)  # 2026-03-02 13:00 UTC
    madrid = LocalClock(ZoneInfo("Europe/Madrid"))  # DST: +1 in winter, +2 in summer
    assert madrid.time(1772456400.0) == time(14)
    assert madrid.time(1782910800.0) == time(15)  # 2026-07-01 13:00 UTC
    assert bogota.time(None) is None


def test_history_generator_is_realistic_and_deterministic() -> None:
    cfg = load_config(DEMO_CONFIG)
    plan = HistoryPlan(date(2026, 3, 2), date(2026, 3, 15), tickets_per_day=400, seed=7,
                       characterization=True)
    items = list(generate(cfg, plan))
    assert items[:50] == list(generate(cfg, plan))[:50]
    rows = [dict(zip(HISTORY_COLUMNS, row, strict=True)) for row, _ in items]
    days = {r["day"] for r in rows}
    assert len(days) == 10, "two weeks: only the ten working days"
    n = len(rows)
    share = lambda pred: sum(1 for r in rows if pred(r)) / n  # noqa: E731
    assert 0.13 < share(lambda r: r["group_code"] is not None) < 0.21
    assert 0.03 < share(lambda r: r["outcome"] == "no_show") < 0.07
    assert 0.01 < share(lambda r: r["transfers"] > 0) < 0.05
    hours = [r["hour"] for r in rows]
    assert hours.count(8) > 1.5 * hours.count(10), "the line at the door at opening"
    assert all(r["first_called_at"] is None or r["first_called_at"] >= r["issued_at"]
               for r in rows)
    assert all(r["finished_at"] >= r["started_at"] for r in rows if r["started_at"])
    assert any(chars for _, chars in items)
