"""The QR code of a ticket's status page, as a grid of modules (pure: no Kivy).

Shown on screen when the ticket could not be printed, so the person can scan it or photograph
it. The screen turns the grid into a texture (``kiosk/ui/widgets.py``); tests compare the
pixels of the screenshot with this same grid.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M

#: Quiet zone in modules; the QR specification asks for 4.
BORDER = 4


def qr_modules(data: str, border: int = BORDER) -> list[list[bool]]:
    """Rows top to bottom, True = dark module, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_rgba(data: str, border: int = BORDER) -> tuple[int, bytes]:
    """(side, pixels): one opaque black or white RGBA pixel per module, rows BOTTOM to top
    (OpenGL's order, so the texture needs no flip). RGBA keeps rows 4-byte aligned."""
    rows = qr_modules(data, border)
    dark, light = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"
    return len(rows), b"".join(dark if m else light for row in reversed(rows) for m in row)
