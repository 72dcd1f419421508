"""Open data (Ley 1712 de 2014): monthly aggregates per office and service, never a row per
ticket, with a small-count rule so nobody can be singled out. Pure.

Rule: a cell is published only when it is built from at least ``min_count`` tickets (the
counts from the tickets issued, the waiting figures from the tickets called, satisfaction
from the answers); otherwise it is left empty. A row with fewer than ``min_count`` tickets
issued shows no figure at all and says "reservado: sí".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from central.figures import Figures, OfficeNames

COLUMNS = ("mes", "oficina_codigo", "oficina", "servicio_codigo", "servicio",
           "turnos_emitidos", "turnos_atendidos", "no_se_presentaron", "turnos_llamados",
           "espera_mediana_min", "espera_p90_min", "dentro_de_la_meta_pct",
           "respuestas_satisfaccion", "satisfaccion_promedio", "reservado")
HEADER_ES = ("Mes", "Código de la oficina", "Oficina", "Código del servicio", "Servicio",
             "Turnos emitidos", "Turnos atendidos", "No se presentaron", "Turnos llamados",
             "Espera mediana (min)", "Espera p90 (min)", "Dentro de la meta (%)",
             "Respuestas de satisfacción", "Satisfacción promedio (1-5)", "Reservado")


def monthly_rows(figures: Mapping[str, Figures], names: OfficeNames, min_count: int
                 ) -> list[dict[str, Any]]:
    """One dict per (month, office, service) — the keys of ``figures`` are
    "YYYY-MM/office/service", the values finished indicators — with COLUMNS as keys, oldest
    month first."""
    out: list[dict[str, Any]] = []
    for key in sorted(figures, key=str):
        month, office, service = str(key).split("/", 2)
        d = figures[key]
        issued, called = d["issued"], d["within_target"]["of"]
        answers = d["satisfaction"]["answers"]
        enough, enough_called = issued >= min_count, called >= min_count
        share = d["within_target"]["share"]
        out.append({
            "mes": month, "oficina_codigo": office,
            "oficina": names.offices.get(office, office),
            "servicio_codigo": service,
            "servicio": names.label("service", service, office),
            "turnos_emitidos": issued if enough else None,
            "turnos_atendidos": d["served"] if enough else None,
            "no_se_presentaron": d["no_show"] if enough else None,
            "turnos_llamados": called if enough else None,
            "espera_mediana_min": d["wait_min"]["median"] if enough_called else None,
            "espera_p90_min": d["wait_min"]["p90"] if enough_called else None,
            "dentro_de_la_meta_pct": None if share is None or not enough_called
            else round(share * 100, 2),
            "respuestas_satisfaccion": answers if answers >= min_count else None,
            "satisfaccion_promedio": d["satisfaction"]["average"]
            if answers >= min_count else None,
            "reservado": "" if enough else "sí",
        })
    return out
