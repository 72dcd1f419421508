"""Ticket layout: a pure function from (ticket, paper profile) to ESC/POS bytes.

The commands are produced by python-escpos on a ``Dummy`` printer, so the library owns the
ESC/POS details (sizes, QR, cut).  Only two things are written by hand because the library has
no command for them: printing a logo already stored in the printer, and pinning the code page
(the library would otherwise switch pages on its own for characters it cannot find).

Layout, centred, top to bottom::

    [stored logo]
    Office name (wrapped)        ┐
    Su turno es                  │ bold
    A-023                        │ 6× width and height, or the largest that fits
    Service name                 │ double height, wrapped
    [ ATENCIÓN PREFERENCIAL ]    ┘ white on black, + group name, only for preferential turns
    28/11/2026 9:15 a. m.
    Hay 4 personas antes que usted
    Tiempo estimado de espera: 12 min
    [native QR code of status_url]
    Siga su turno desde el celular   (font B)
    footer lines
    cut
"""

from __future__ import annotations

import re
import textwrap
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.magicencode import Encoder, MagicEncode
from escpos.printer import Dummy
from qrcode.exceptions import DataOverflowError

from printer.codepage import fit_to_codepage
from printer.profiles import PaperProfile
from printer.ticket import PrintableTicket

#: Colombia has one time zone and no daylight saving time.
BOGOTA = ZoneInfo("America/Bogota")

QR_CAPTION = "Siga su turno desde el celular"
PREFERENTIAL_MARK = "ATENCIÓN PREFERENCIAL"

_NBSP = "\u00a0"
_FS = b"\x1c"
_GS = b"\x1d"


def render_ticket(ticket: PrintableTicket, profile: PaperProfile, *, tz: tzinfo = BOGOTA) -> bytes:
    """Return the complete print job for ``ticket`` on ``profile`` paper.

    ``tz`` is the zone the date and time are shown in (the office's local time).
    """
    p = _escpos_buffer(profile)
    cols = profile.columns

    def lines(text: str, width: int = cols) -> None:
        for line in wrap(fit_to_codepage(text, profile.codepage), width):
            p.textln(line)

    p.hw("INIT")  # ESC @: forget whatever the previous job left set (sizes, page, alignment)
    p.charcode(profile.codepage)  # ESC t n, right after ESC @ which resets it to page 0
    p.set(align="center")
    if profile.logo_slot is not None or profile.logo_key is not None:
        p._raw(stored_logo_command(profile))
        p.ln()

    p.set(bold=True)  # bold from the office name down to the preferential group
    lines(ticket.office_name)
    p.ln()
    p.textln("Su turno es")
    size = number_size(ticket.number, profile)
    p.set(custom_size=True, width=size, height=size)
    p.textln(fit_to_codepage(ticket.number.strip(), profile.codepage))
    p.set(custom_size=True, width=1, height=2)
    lines(ticket.service_name)
    p.set(custom_size=True, width=1, height=1)
    if ticket.group_name:
        p.set(invert=True)
        p.textln(f" {PREFERENTIAL_MARK} ")
        p.set(invert=False)
        lines(ticket.group_name)
    p.set(bold=False)
    p.ln()

    issued = ticket.issued_at.astimezone(tz)
    p.textln(f"{issued:%d/%m/%Y} {clock_text(issued)}")
    lines(people_ahead_text(ticket.ahead))
    if wait := wait_line(ticket.estimated_wait_min, ticket.wait_note):
        lines(wait)

    if ticket.status_url:
        p.ln()
        p.qr(
            ticket.status_url,
            ec=QR_ECLEVEL_M,
            size=qr_module_size(ticket.status_url, profile),
            native=True,
        )
        p.set(font="b")
        p.textln(QR_CAPTION)
        p.set(font="a")

    if ticket.footer_lines:
        p.ln()
        for footer in ticket.footer_lines:
            lines(footer)
    p.cut()
    data: bytes = p.output
    return data


def clock_text(moment: datetime) -> str:
    """ "3:05 p. m.": the 12-hour clock with "a. m."/"p. m." as Colombians write it; the one
    clock format of the ticket, the kiosk, the board and the phone page (the browser pages
    write the same with Intl es-CO, hour "numeric", hour12: server/web/static/common/format.js).
    """
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'a. m.' if moment.hour < 12 else 'p. m.'}"


def people_ahead_text(ahead: int) -> str:
    """Plain-language count of the people in front, with the right singular/plural."""
    if ahead <= 0:
        return "No hay personas antes que usted"
    if ahead == 1:
        return "Hay 1 persona antes que usted"
    return f"Hay {ahead} personas antes que usted"


def wait_text(minutes: int) -> str:
    """Estimated wait, never "0 min" (which reads like "right now, at the counter")."""
    if minutes < 1:
        return "Tiempo estimado de espera: menos de 1 min"
    if minutes < 60:
        return f"Tiempo estimado de espera: {minutes}{_NBSP}min"
    hours, rest = divmod(minutes, 60)
    spoken = f"{hours}{_NBSP}h" + (f" {rest}{_NBSP}min" if rest else "")
    return f"Tiempo estimado de espera: {spoken}"


def wait_line(minutes: int | None, note: str | None) -> str:
    """The wait as the citizen reads it on paper and on the kiosk screen: the estimate, or
    the server's reason for having none ("Aún no hay ventanillas abiertas…"); '' when the
    server gave neither (saying nothing beats a made-up number)."""
    if minutes is not None:
        return wait_text(minutes)
    return note or ""


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` characters, only at spaces.

    A single word longer than the line is kept whole on its own line (the printer then wraps it)
    rather than being cut at an arbitrary letter.  A no-break space (U+00A0) glues two words
    together ("12\u00a0min") and comes out as a plain space.
    """
    flat = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()
    lines = textwrap.wrap(flat, width, break_long_words=False, break_on_hyphens=False)
    return [line.replace(_NBSP, " ") for line in lines] or [""]


def number_size(number: str, profile: PaperProfile) -> int:
    """Character magnification for the turn number: the profile's size, or less if it must fit."""
    return max(1, min(profile.max_number_size, profile.columns // max(1, len(number.strip()))))


def qr_module_size(url: str, profile: PaperProfile) -> int:
    """Largest QR module (dots) that keeps the code, with its quiet zone, inside the paper.

    The printer builds the QR itself; the ``qrcode`` package only works out the symbol version
    (its size) for this URL at error-correction level M, in byte mode as the printer encodes it.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url, optimize=0)
    try:
        version: int = code.best_fit()
    except (DataOverflowError, ValueError):  # qrcode raises either, depending on length
        return 1  # too long for any QR; the printer will skip it, the ticket still prints
    modules = 17 + 4 * version + 8  # symbol plus a 4-module quiet zone on each side
    return max(1, min(profile.qr_max_module, profile.dots // modules))


def stored_logo_command(profile: PaperProfile) -> bytes:
    """Command that prints the logo kept in the printer's non-volatile memory.

    ``FS p n 0`` prints NV bit image *n* (stored once with the vendor's utility);
    ``GS ( L pL pH 48 69 kc1 kc2 1 1`` prints NV graphics with key code *kc1 kc2* at 1×1.
    """
    if profile.logo_slot is not None:
        return _FS + b"p" + bytes((profile.logo_slot, 0))
    if profile.logo_key is not None:
        return _GS + b"(L\x06\x00\x30\x45" + profile.logo_key.encode("ascii") + b"\x01\x01"
    return b""


def _escpos_buffer(profile: PaperProfile) -> Dummy:
    """A python-escpos ``Dummy`` whose only code page is the profile's, under the profile's number.

    Restricting the encoder to one page means the library never emits a second ``ESC t`` in the
    middle of a ticket (it would, for a character missing from the current page).
    """
    p = Dummy()
    encoder = Encoder({profile.codepage.upper(): str(profile.escpos_codepage_number)})
    p.magic = MagicEncode(p, encoder=encoder)
    return p
