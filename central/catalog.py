"""An office's names for its codes (services and their targets, counters, groups, clerks,
characterization questions), as it travels with every batch. Pure.

The centre turns it back into the office's ``Labels``, so the centre's export rows and
indicator labels are the office's own, and the share within target uses the office's targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.config import OfficeConfig
from server.errors import Invalid
from server.queue.characterization import Characterization, Option, Question
from server.queue.stats_tables import Labels


def catalog_of(config: OfficeConfig, clerks: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """What the office sends: its configuration's names, never a citizen's data."""
    return {
        "name": config.name,
        "timezone": config.timezone,
        "services": [{"code": s.code, "name": s.name, "target_wait_min": s.target_wait_min}
                     for s in config.services],
        "counters": [{"number": c.number, "name": c.name} for c in config.counters],
        "groups": [{"code": g.code, "name": g.name} for g in config.groups],
        "clerks": [{"username": u, "name": n} for u, n in sorted(clerks)],
        "characterization": config.characterization.to_dict(),
    }


def _list(catalog: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = catalog.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"El catálogo de la oficina no es válido: «{key}» debe ser una lista.")
    return value


def validate_catalog(catalog: Any) -> dict[str, Any]:
    """The catalog as stored, or Invalid naming what is wrong."""
    if not isinstance(catalog, dict):
        raise Invalid("Falta el catálogo de la oficina («catalog»: nombres de servicios, "
                      "ventanillas y grupos).")
    for entry in _list(catalog, "services"):
        if not isinstance(entry.get("code"), str) or not isinstance(entry.get("name"), str):
            raise Invalid("El catálogo de la oficina no es válido: cada servicio necesita "
                          "«code» y «name».")
        target = entry.get("target_wait_min")
        if not isinstance(target, int) or isinstance(target, bool) or target <= 0:
            raise Invalid(f"El catálogo de la oficina no es válido: la meta del servicio "
                          f"{entry['code']!r} debe ser un número entero de minutos.")
    for key, fields in (("counters", ("number", "name")), ("groups", ("code", "name")),
                        ("clerks", ("username", "name"))):
        for entry in _list(catalog, key):
            kinds = [int if f == "number" else str for f in fields]
            if any(not isinstance(entry.get(f), k) or isinstance(entry.get(f), bool)
                   for f, k in zip(fields, kinds, strict=True)):
                raise Invalid(f"El catálogo de la oficina no es válido: en «{key}» cada "
                              f"elemento necesita {' y '.join(fields)}.")
    for key in ("name", "timezone"):
        if not isinstance(catalog.get(key, ""), str):
            raise Invalid(f"El catálogo de la oficina no es válido: «{key}» debe ser texto.")
    try:
        ZoneInfo(catalog.get("timezone") or "America/Bogota")
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("El catálogo de la oficina no es válido: zona horaria desconocida."
                      ) from None
    try:
        _characterization(catalog.get("characterization") or {})
    except (AttributeError, KeyError, TypeError):
        raise Invalid("El catálogo de la oficina no es válido: «characterization».") from None
    return catalog


def _characterization(data: dict[str, Any]) -> Characterization:
    return Characterization(
        bool(data.get("enabled", False)),
        tuple(Question(str(q["code"]), str(q["text"]),
                       tuple(Option(str(o["code"]), str(o["label"])) for o in q["options"]))
              for q in data.get("questions", [])))


def labels_of(catalog: dict[str, Any]) -> Labels:
    """The office's ``Labels`` rebuilt from its catalog."""
    services = catalog.get("services", [])
    groups = catalog.get("groups", [])
    return Labels(
        services={s["code"]: s["name"] for s in services},
        service_order=tuple(s["code"] for s in services),
        targets_min={s["code"]: s["target_wait_min"] for s in services},
        counters={int(c["number"]): c["name"] for c in catalog.get("counters", [])},
        groups={g["code"]: g["name"] for g in groups},
        group_order=tuple(g["code"] for g in groups),
        users={c["username"]: c["name"] for c in catalog.get("clerks", [])},
        characterization=_characterization(catalog.get("characterization") or {}),
    )


def targets_s(catalog: dict[str, Any]) -> dict[str, float]:
    """Each service's target wait in seconds (as the office's statistics use them)."""
    return {s["code"]: s["target_wait_min"] * 60.0 for s in catalog.get("services", [])}
