"""Which peers may tell us the client's real address (``X-Forwarded-For``).

By default nobody: the address a request came from is the TCP peer, so a client cannot pick
the address the sign-in throttle and the live-connection limits count it under. Behind a
reverse proxy, list the proxy (``--trusted-proxy 10.0.0.5`` or ``TURNERO_TRUSTED_PROXIES``);
uvicorn then takes the client address from the header only for requests that come from it.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from collections.abc import Iterable
from typing import Any

ENV_VAR = "TURNERO_TRUSTED_PROXIES"


def add_trusted_proxy_option(parser: argparse.ArgumentParser, example: str = "") -> None:
    """``--trusted-proxy`` (repeatable; default: none, or ``TURNERO_TRUSTED_PROXIES``) for a
    ``serve`` command; ``example`` names the usual proxy in the help."""
    parser.add_argument("--trusted-proxy", action="append", metavar="IP|CIDR",
                        default=[os.environ.get(ENV_VAR, "")],
                        help=f"reverse proxy whose X-Forwarded-For is believed{example} "
                             f"(repeatable; default: none, or {ENV_VAR})")


def parse_trusted_proxies(values: Iterable[str]) -> tuple[str, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``), each checked; comma-separated
    items are split. Raises ValueError with a plain-Spanish message naming the bad one."""
    out: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                out.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(
                    f"Proxy de confianza inválido: {item!r}; use una dirección IP o una red "
                    "(p. ej. 10.0.0.5 o 10.0.0.0/24).") from None
    return tuple(out)


def uvicorn_proxy_options(values: Iterable[str]) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` from the ``--trusted-proxy`` values: read proxy
    headers only from trusted peers. Raises ValueError as ``parse_trusted_proxies``."""
    trusted = parse_trusted_proxies(values)
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(trusted)}
