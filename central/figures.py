"""The centre's indicators: pre-grouped rows (office, month, service, group) turned into the
office statistics' own ``Counts``, ``Distribution`` and ``Indicators`` — the same pure code
and the same arithmetic (exact percentiles over every duration, linear interpolation), so an
office's figures are identical at the office and at the centre for the same range. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from server.errors import Invalid
from server.queue.indicators import (
    GENERAL,
    PREFERENTIAL,
    SATISFACTION_SCALE,
    Counts,
    Distribution,
    Indicators,
    Summary,
)
from server.queue.stats_tables import DEFINITIONS, GENERAL_GROUP_LABEL

DIMENSIONS = ("office", "service", "group", "month", "day", "office_service")
DIMENSION_NAMES = {"office": "Oficina", "service": "Servicio", "group": "Grupo preferencial",
                   "month": "Mes", "day": "Día", "office_service": "Oficina y servicio"}
MONTH_NAMES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
               "septiembre", "octubre", "noviembre", "diciembre")


def parse_by(value: str | None) -> str:
    by = value or "office"
    if by not in DIMENSIONS:
        raise Invalid(f"Agrupación «{by}» desconocida; use una de: {', '.join(DIMENSIONS)}.")
    return by


#: Counters of a group: the nine ``Counts.FIELDS`` then the five ratings.
_WIDTH = len(Counts.FIELDS) + len(SATISFACTION_SCALE)


@dataclass
class _Group:
    """Counters as a flat list in ``Counts.from_values`` order (added element-wise: cheaper
    than ``Counts.add`` for the thousands of parts of a year), and sorted durations."""

    counts: list[int]
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def indicators(self) -> Indicators:
        return Indicators(Counts.from_values(self.counts), Distribution.of_sorted(self.waits),
                          Distribution.of_sorted(self.services))


def _merge(groups: Iterable[_Group]) -> _Group:
    """Counters added, durations sorted (the parts are sorted: timsort merges their runs).
    A single part is already that: it is returned as it is."""
    groups = list(groups)
    if len(groups) == 1:
        return groups[0]
    out = _Group([sum(column) for column in zip(*(g.counts for g in groups), strict=True)]
                 if groups else [0] * _WIDTH)
    for g in groups:
        out.waits.extend(g.waits)
        out.services.extend(g.services)
    out.waits.sort()
    out.services.sort()
    return out


def assemble(rows: Iterable[tuple[Any, Any, Sequence[int], Sequence[float], Sequence[float]]],
             split_keys: bool = False) -> tuple[Summary, dict[Hashable, dict[str, Indicators]]]:
    """Indicators per key, per class (preferential/general), in total and per key and class,
    from groups of (key, preferential, counters, sorted waits, sorted service durations);
    several groups may share a (key, preferential). Each level is merged from the one below
    (key and class → key, key and class → class → total), so every sort only merges sorted
    runs. With ``split_keys`` each key's indicators per class come too (else empty)."""
    parts: dict[tuple[Hashable, str], list[_Group]] = {}
    for key, pref, counts, waits, services in rows:
        parts.setdefault((key, PREFERENTIAL if pref else GENERAL), []).append(
            _Group([int(v or 0) for v in counts], waits if isinstance(waits, list) else
                   list(waits), services if isinstance(services, list) else list(services)))
    key_class = {kc: _merge(gs) for kc, gs in parts.items()}
    keys: dict[Hashable, list[_Group]] = {}
    by_class: dict[str, list[_Group]] = {PREFERENTIAL: [], GENERAL: []}
    for (key, name), g in key_class.items():
        keys.setdefault(key, []).append(g)
        by_class[name].append(g)
    classes = {name: _merge(gs) for name, gs in by_class.items()}
    summary = Summary({k: _merge(gs).indicators() for k, gs in keys.items()},
                      {name: g.indicators() for name, g in classes.items()},
                      _merge(classes.values()).indicators())
    split: dict[Hashable, dict[str, Indicators]] = {}
    for (key, name), g in key_class.items() if split_keys else ():
        split.setdefault(key, {PREFERENTIAL: Indicators(), GENERAL: Indicators()})[name] = \
            g.indicators()
    return summary, split


Figures = dict[str, Any]


@dataclass(frozen=True)
class Finished:
    """A summary's finished indicators: each ``Indicators.to_dict()`` of the rows, of the
    two classes and of the total (and, by office, of each row's classes). This is all the
    answer needs, so a month's summary can be stored once computed and read back as is: the
    JSON text round-trips every integer and float exactly, so a stored summary and a fresh
    one are the same to the last digit."""

    rows: dict[Hashable, Figures]
    classes: dict[str, Figures]
    total: Figures
    row_classes: dict[Hashable, dict[str, Figures]] | None = None

    @classmethod
    def of(cls, summary: Summary, split: Mapping[Hashable, Mapping[str, Indicators]] | None
           = None) -> Finished:
        return cls({k: ind.to_dict() for k, ind in summary.rows.items()},
                   {name: ind.to_dict() for name, ind in summary.classes.items()},
                   summary.total.to_dict(),
                   None if split is None else
                   {k: {n: ind.to_dict() for n, ind in parts.items()}
                    for k, parts in split.items()})

    def to_json(self) -> str:
        """Keys may be None (the general group): rows travel as [key, figures] pairs."""
        return json.dumps({
            "rows": [[k, v] for k, v in self.rows.items()], "classes": self.classes,
            "total": self.total,
            "row_classes": None if self.row_classes is None else
            [[k, v] for k, v in self.row_classes.items()]}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Finished:
        d = json.loads(text)
        return cls({k: v for k, v in d["rows"]}, d["classes"], d["total"],
                   None if d["row_classes"] is None else {k: v for k, v in d["row_classes"]})


def finish(rows: Iterable[tuple[Any, Any, Sequence[int], Sequence[float], Sequence[float]]],
           split_keys: bool = False) -> Finished:
    """``assemble`` and keep the finished figures (each row's classes with ``split_keys``)."""
    summary, split = assemble(rows, split_keys)
    return Finished.of(summary, split if split_keys else None)


@dataclass(frozen=True)
class OfficeNames:
    """Names of every office and of the codes in their catalogs."""

    offices: Mapping[str, str]
    catalogs: Mapping[str, Mapping[str, Any]]

    def _catalog_name(self, office: str | None, key: str, code: Any, field: str = "code"
                      ) -> str | None:
        wanted = [office] if office else sorted(self.catalogs)
        for code_office in wanted:
            for entry in self.catalogs.get(code_office, {}).get(key, []):
                if entry.get(field) == code:
                    return str(entry["name"])
        return None

    def target(self, office: str | None, service: str) -> int | None:
        wanted = [office] if office else sorted(self.catalogs)
        for code_office in wanted:
            for s in self.catalogs.get(code_office, {}).get("services", []):
                if s.get("code") == service:
                    return int(s["target_wait_min"])
        return None

    def label(self, by: str, key: Any, office: str | None = None) -> str:
        if by == "office":
            return self.offices.get(key, key)
        if by == "service":
            return self._catalog_name(office, "services", key) or str(key)
        if by == "group":
            if key is None:
                return GENERAL_GROUP_LABEL
            return self._catalog_name(office, "groups", key) or str(key)
        if by == "month":
            year, month = str(key).split("-")
            return f"{MONTH_NAMES[int(month) - 1].capitalize()} de {year}"
        if by == "office_service":
            code, service = str(key).split("/", 1)
            return (f"{self.offices.get(code, code)} — "
                    f"{self._catalog_name(code, 'services', service) or service}")
        return str(key)


def _sort_key(by: str, key: Any) -> tuple[int, str]:
    return (0, "") if key is None else (1, str(key))


def summary_json(finished: Finished, by: str, start: Any, end: Any, office: str | None,
                 names: OfficeNames) -> dict[str, Any]:
    """The body of GET /api/v1/central/summary: the office summary's shape, with ``office``
    as the filter; by office, each row also has its ``classes`` (preferential/general)."""
    rows = []
    for key in sorted(finished.rows, key=lambda k: _sort_key(by, k)):
        row: dict[str, Any] = {"key": key, "label": names.label(by, key, office)}
        if by == "service":
            row["target_wait_min"] = names.target(office, str(key))
        elif by == "office_service":
            code, service = str(key).split("/", 1)
            row["office"], row["service"] = code, service
            row["target_wait_min"] = names.target(code, service)
        row.update(finished.rows[key])
        if finished.row_classes is not None and key in finished.row_classes:
            row["classes"] = dict(finished.row_classes[key])
        rows.append(row)
    return {
        "from": start.isoformat(), "to": end.isoformat(), "by": by,
        "by_name": DIMENSION_NAMES[by], "filters": {"office": office},
        "total": finished.total,
        "classes": {name: finished.classes[name] for name in (PREFERENTIAL, GENERAL)},
        "rows": rows,
        "definitions": DEFINITIONS,
    }
