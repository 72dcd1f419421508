"""The bridge's side of the Turnero API: HTTP for actions and status, the events websocket for
what happens. Like the kiosk, it knows the server only by its HTTP contract.

The token travels in the Authorization header (never in a URL, which could end up in a log).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import websockets

API = "/api/v1"


class ApiRefused(Exception):
    """The server answered with an error: ``status`` and its plain-Spanish ``detail``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


class ServerUnreachable(Exception):
    pass


class BridgeApi:
    def __init__(self, base_url: str, token: str, name: str = "puente",
                 timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}",
                         "User-Agent": f"turnero-hardware ({name})"}
        self._client = httpx.AsyncClient(
            base_url=self.base_url + API, headers=self._headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)))

    async def close(self) -> None:
        await self._client.aclose()

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The JSON answer (None for 204). Raises ApiRefused or ServerUnreachable."""
        try:
            r = await self._client.request(method, path, json=body)
        except httpx.TransportError as e:
            raise ServerUnreachable(f"sin conexión con el servidor ({type(e).__name__})") from e
        if r.status_code < 300:
            return r.json() if r.content else None
        try:
            detail = r.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        raise ApiRefused(r.status_code, detail if isinstance(detail, str)
                         else f"error {r.status_code} del servidor")

    async def office(self) -> dict[str, Any]:
        data: dict[str, Any] = await self.call("GET", "/office")
        return data

    async def events(self) -> AsyncIterator[dict[str, Any]]:
        """Messages of WS /api/v1/events: the snapshot first, then events and heartbeats.
        Ends (raises) when the connection drops; the caller reconnects."""
        url = self.base_url.replace("http", "ws", 1) + API + "/events"
        try:
            async with websockets.connect(url, additional_headers=self._headers,
                                          open_timeout=5, ping_interval=10,
                                          ping_timeout=10) as ws:
                async for text in ws:
                    message = json.loads(text)
                    if isinstance(message, dict):
                        yield message
        except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as e:
            code = getattr(getattr(e, "rcvd", None), "code", None)
            if code in (4401, 4403):
                raise ApiRefused(401, "el servidor rechazó el token del puente "
                                      "(revocado o de otro rol)") from e
            raise ServerUnreachable(f"sin conexión con el servidor ({type(e).__name__})") from e
        raise ServerUnreachable("el servidor cerró la conexión de eventos")
