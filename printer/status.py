"""Printer status from the ESC/POS real-time query ``DLE EOT n``.

The kiosk asks before printing so it can tell the citizen (and the staff) "no paper" instead of
printing into the void.  Three queries are used, each answered by one byte:

* ``DLE EOT 1`` printer status: bit 3 = offline.
* ``DLE EOT 2`` offline cause: bit 2 = cover open, bit 5 = stopped by paper end, bit 6 = error.
* ``DLE EOT 4`` roll paper sensor: bits 2–3 = near end, bits 5–6 = paper end.

Every answer byte has bits 1 and 4 set and bits 0 and 7 clear; a byte without that pattern is
not a status answer (noise, an echo, another protocol) and is ignored.

**No answer means unknown, never "paper OK".**  python-escpos' ``paper_status()`` reports 2
("paper adequate") when the printer stays silent; this module does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Paper = Literal["ok", "near_end", "end", "unknown"]

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = 1
OFFLINE_CAUSE = 2
PAPER_SENSOR = 4

#: How long to wait for each answer.  A printer answers in a few milliseconds; a silent one
#: costs a single wait because the remaining queries are skipped.
ANSWER_TIMEOUT_S = 1.0

_FIXED_MASK = 0b1001_0011
_FIXED_BITS = 0b0001_0010


@dataclass(frozen=True)
class PrinterStatus:
    """What is known about the printer; ``None``/``"unknown"`` where it did not say."""

    online: bool | None
    cover_open: bool | None
    paper: Paper
    message: str  # plain Spanish, for staff screens and logs

    @property
    def blocked(self) -> bool:
        """True when the printer is known to be unable to print now."""
        return self.online is False or self.cover_open is True or self.paper == "end"

    @classmethod
    def unknown(cls, message: str) -> PrinterStatus:
        """Status of a printer that cannot be asked (one-way link) or did not answer."""
        return cls(online=None, cover_open=None, paper="unknown", message=message)

    @classmethod
    def unreachable(cls, message: str) -> PrinterStatus:
        """Status of a printer that could not even be opened: known to be unusable."""
        return cls(online=False, cover_open=None, paper="unknown", message=message)


@dataclass(frozen=True)
class OfflineCause:
    """Decoded answer to ``DLE EOT 2``."""

    cover_open: bool
    paper_end_stop: bool
    error: bool


class StatusLink(Protocol):
    """The two-way byte link a status query needs (serial, TCP and USB transports)."""

    def discard_input(self) -> None:
        """Drop bytes that arrived before the query (stale answers)."""

    def write_query(self, data: bytes) -> None:
        """Send a real-time query."""

    def read_byte(self, timeout: float) -> int | None:
        """One answer byte, or ``None`` if nothing arrived within ``timeout`` seconds."""


def is_status_byte(answer: int) -> bool:
    """True if ``answer`` has the fixed bits every ``DLE EOT`` answer carries."""
    return answer & _FIXED_MASK == _FIXED_BITS


def parse_printer_status(answer: int | None) -> bool | None:
    """``DLE EOT 1`` → online (True), offline (False) or unknown (None)."""
    if answer is None or not is_status_byte(answer):
        return None
    return not answer & 0b0000_1000


def parse_offline_cause(answer: int | None) -> OfflineCause | None:
    """``DLE EOT 2`` → cover, paper-end stop and error flags, or None if unknown."""
    if answer is None or not is_status_byte(answer):
        return None
    return OfflineCause(
        cover_open=bool(answer & 0b0000_0100),
        paper_end_stop=bool(answer & 0b0010_0000),
        error=bool(answer & 0b0100_0000),
    )


def parse_paper_sensor(answer: int | None) -> Paper:
    """``DLE EOT 4`` → "ok", "near_end", "end" or "unknown"."""
    if answer is None or not is_status_byte(answer):
        return "unknown"
    if answer & 0b0110_0000:
        return "end"
    if answer & 0b0000_1100:
        return "near_end"
    return "ok"


def status_from_answers(
    printer: int | None, offline_cause: int | None, paper_sensor: int | None
) -> PrinterStatus:
    """Combine the three answers (None where the printer was silent) into one status."""
    online = parse_printer_status(printer)
    cause = parse_offline_cause(offline_cause)
    paper = parse_paper_sensor(paper_sensor)
    if cause is not None and cause.paper_end_stop:
        paper = "end"
    cover_open = cause.cover_open if cause is not None else None
    error = cause is not None and cause.error

    if online is None and cause is None and paper == "unknown":
        message = "La impresora no respondió a la consulta de estado."
    elif cover_open:
        message = "La tapa de la impresora está abierta: ciérrela."
    elif paper == "end":
        message = "Se acabó el papel: cambie el rollo."
    elif error:
        message = "La impresora tiene un error: apáguela y vuelva a encenderla."
    elif online is False:
        message = "La impresora está fuera de línea."
    elif paper == "near_end":
        message = "Queda poco papel: prepare un rollo nuevo."
    elif paper == "unknown":
        message = "Impresora en línea; no informó el estado del papel."
    else:
        message = "Impresora lista."
    return PrinterStatus(online=online, cover_open=cover_open, paper=paper, message=message)


def query_status(link: StatusLink, timeout: float = ANSWER_TIMEOUT_S) -> PrinterStatus:
    """Ask the printer over ``link`` and decode the answers.

    Stops at the first silence: a printer that does not answer ``DLE EOT 1`` will not answer
    the others either, so the whole call costs at most one ``timeout`` when nobody listens.
    """
    link.discard_input()
    answers: dict[int, int] = {}
    for n in (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR):
        link.write_query(DLE_EOT + bytes((n,)))
        answer = link.read_byte(timeout)
        if answer is None:
            break
        answers[n] = answer
    return status_from_answers(
        answers.get(PRINTER_STATUS), answers.get(OFFLINE_CAUSE), answers.get(PAPER_SENSOR)
    )
