"""Cross-site websocket hijacking: browsers send cookies with a websocket handshake whatever
page opened it (SameSite does not help across ports of one host), so a websocket that
authenticates by cookie must check ``Origin`` against the server's own address.

Non-browser clients (the hardware bridge, tests) send no ``Origin`` and authenticate with a
token, not a cookie; they are not affected.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Close code for a cookie-authenticated websocket opened from another site.
FOREIGN_ORIGIN = 4403


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(origin: str | None, host: str | None, public_url: str) -> bool:
    """True when ``origin`` is this server: the address the request was sent to (``Host``),
    or the configured public address. A missing Origin (not a browser) is allowed; the
    opaque ``null`` origin is not."""
    if origin is None:
        return True
    origin = origin.strip().lower()
    if not origin or origin == "null":
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if host and parts.netloc == host.strip().lower():
        return True
    return origin.rstrip("/") == _origin_of(public_url)
