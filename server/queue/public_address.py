"""Where the QR codes point: a pure rule (no network traffic) shared by the console warning
(server/first_start.py) and the office facts the admin page shows.

Why: a technician who runs ``turnero serve --host 0.0.0.0`` for the office LAN and forgets
``--public-url`` prints tickets whose QR code opens 127.0.0.1 — the phone itself.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

#: Hosts that mean "every interface of this machine" (a server meant for the LAN).
ALL_INTERFACES = ("0.0.0.0", "::", "")


def points_to_this_machine(url: str) -> bool:
    """True when ``url`` only works on the server itself (127.0.0.1, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_warning(public_url: str) -> str | None:
    """The sentence staff read (console and admin page) when the QR codes cannot work on a
    phone, or None when they can."""
    if not points_to_this_machine(public_url):
        return None
    return (f"Los códigos QR de los tiquetes apuntan a {public_url}, una dirección que solo "
            "funciona en este computador: el celular de un ciudadano no podrá abrirla. "
            "Inicie el servidor con --public-url y la dirección de la red de la oficina "
            "(por ejemplo --public-url http://192.168.1.10:8000).")
