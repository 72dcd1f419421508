"""What goes on a printed ticket, as plain data.

The kiosk builds a :class:`PrintableTicket` from the queue's answer; the layout turns it into
bytes.  No queue logic here: the numbers and texts arrive ready to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PrintableTicket:
    """One ticket, as the citizen will read it."""

    office_name: str
    number: str  # e.g. "A-023"
    service_name: str
    group_name: str | None  # preferential group, e.g. "Adulto mayor"; None for the general queue
    issued_at: datetime  # timezone-aware
    ahead: int  # people before this one
    estimated_wait_min: int | None
    status_url: str  # target of the QR code
    footer_lines: list[str] = field(default_factory=list)
    #: Why there is no estimate, in plain Spanish (no counter open yet, office closed): printed
    #: instead of the wait when ``estimated_wait_min`` is None.
    wait_note: str | None = None

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at debe tener zona horaria")
        if self.ahead < 0:
            raise ValueError("ahead no puede ser negativo")
        if self.estimated_wait_min is not None and self.estimated_wait_min < 0:
            raise ValueError("estimated_wait_min no puede ser negativo")
        if not self.number.strip():
            raise ValueError("number está vacío")
