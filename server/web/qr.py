"""The QR code of a ticket's status page as SVG, for a ticket given at a counter (the panel
shows it on screen and prints it); the kiosk's printer draws its own with ESC/POS.
The ``qrcode`` library does the encoding."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> bytes:
    """An SVG image (scalable, no raster library needed) that encodes ``text``."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
