"""A sample ticket with every Spanish sign the printer must get right (for tests and set-up)."""

from __future__ import annotations

from datetime import datetime

from printer.layout import BOGOTA
from printer.ticket import PrintableTicket

SAMPLE_OFFICE = "Alcaldía Municipal – Oficina de Atención al Ciudadano"


def sample_ticket(
    office_name: str = SAMPLE_OFFICE,
    *,
    issued_at: datetime | None = None,
    preferential: bool = True,
) -> PrintableTicket:
    """A realistic ticket: accents, ñ, ¿ ¡, a preferential group and a two-line footer."""
    return PrintableTicket(
        office_name=office_name,
        number="A-023",
        service_name="Radicación de PQRSD",
        group_name="Niños, niñas y adolescentes" if preferential else None,
        issued_at=issued_at or datetime.now(BOGOTA),
        ahead=4,
        estimated_wait_min=12,
        status_url="https://turnos.ejemplo.gov.co/t/A-023?k=7f3c9a",
        footer_lines=[
            "Horario: lunes a viernes, 8:00 a 11:30 y 14:00 a 17:30",
            "¿Dudas? ¡Pregunte!",
        ],
    )
