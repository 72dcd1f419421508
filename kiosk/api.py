"""The kiosk's side of the Turnero API (blocking httpx; the app calls it from worker threads).

Every failure becomes a :class:`ServerError` whose :class:`~kiosk.flow.Fault` tells the flow
what to show: unreachable (retry), closed (say when it opens), refused, unauthorized.
"""

from __future__ import annotations

from typing import Any

import httpx

from kiosk.flow import Catalog, Fault

API = "/api/v1"


class ServerError(Exception):
    def __init__(self, fault: Fault, message: str, next_opening: str | None = None) -> None:
        super().__init__(message)
        self.fault = fault
        self.message = message
        self.next_opening = next_opening


class KioskApi:
    """One kiosk's connection to the server, authenticated with its device token."""

    def __init__(self, base_url: str, token: str, timeout: float = 5.0,
                 name: str = "quiosco") -> None:
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + API,
            headers={"Authorization": f"Bearer {token}", "User-Agent": f"turnero-kiosk ({name})"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
        )

    def close(self) -> None:
        self._client.close()

    def catalog(self) -> Catalog:
        """Office (with opening state), active services and enabled groups."""
        return Catalog.from_api(self._get("/office"), self._get("/services"),
                                self._get("/groups"))

    def issue(self, service: str, group: str | None,
              request_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"service": service, "group": group}
        if request_id:
            body["request_id"] = request_id
        data: dict[str, Any] = self._call("POST", "/tickets", body)
        return data

    def report_print(self, ticket_id: str, ok: bool, message: str) -> None:
        self._call("POST", f"/tickets/{ticket_id}/print-status",
                   {"ok": ok, "message": message[:200]})

    def _get(self, path: str) -> Any:
        return self._call("GET", path, None)

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        try:
            r = self._client.request(method, path, json=body)
        except httpx.TransportError as e:
            raise ServerError(Fault.UNREACHABLE, f"Sin conexión con el servidor ({e!r})") from e
        if r.status_code < 300:
            return r.json() if r.content else None
        try:
            payload = r.json()
        except ValueError:
            payload = {}
        detail = payload.get("detail") if isinstance(payload, dict) else None
        message = detail if isinstance(detail, str) else f"Error {r.status_code} del servidor"
        if r.status_code in (401, 403):
            raise ServerError(Fault.UNAUTHORIZED, message)
        if r.status_code == 409 and isinstance(payload, dict) and "next_opening" in payload:
            raise ServerError(Fault.CLOSED, message, payload.get("next_opening"))
        if r.status_code >= 500:
            raise ServerError(Fault.UNREACHABLE, message)
        raise ServerError(Fault.REFUSED, message)
