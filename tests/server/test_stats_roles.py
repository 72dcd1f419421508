"""Statistics are for supervisors and admins: everyone else gets 401 (no credentials) or 403."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer

RANGE = {"from": "2026-01-01", "to": "2026-01-31"}
ENDPOINTS = [
    ("/api/v1/stats/summary", RANGE),
    ("/api/v1/stats/export", {**RANGE, "format": "csv"}),
    ("/api/v1/stats/export", {**RANGE, "format": "xlsx", "kind": "summary"}),
    ("/api/v1/stats/today", {}),
    ("/api/v1/stats/options", {}),
]


def get(server: LiveServer, token: str | None, path: str, params: dict[str, str]
        ) -> httpx.Response:
    with server.client(token) as c:
        return c.get(path, params=params)


def test_roles(shared_server: LiveServer) -> None:
    refused = (shared_server.kiosk_token, shared_server.display_token,
               shared_server.login("clerk1", counter=1))
    allowed = (shared_server.login("super"), shared_server.login("admin"))
    for path, params in ENDPOINTS:
        assert get(shared_server, None, path, params).status_code == 401, path
        assert get(shared_server, "not-a-token", path, params).status_code == 401, path
        for token in refused:
            r = get(shared_server, token, path, params)
            assert r.status_code == 403, (path, r.text)
            assert r.json()["detail"] == "Su rol no permite esta acción."
        for token in allowed:
            assert get(shared_server, token, path, params).status_code == 200, path


def test_pages_are_served_without_data(shared_server: LiveServer) -> None:
    """The HTML shells are public (they hold no data); the API behind them checks roles."""
    for page in ("/supervisor", "/supervisor/report", "/survey"):
        r = httpx.get(shared_server.base_url + page)
        assert r.status_code == 200 and "<script type=\"module\"" in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert "<style" not in r.text and "style=" not in r.text
