"""Request bodies have a size limit (64 KB by default, ``turnero serve --max-body-kb``),
enforced by a real uvicorn server while the body arrives: a declared Content-Length past it
is refused before the body is read, a chunked body the moment it passes the limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from tests.conftest import LiveServer

LIMIT = 64 * 1024


def body_routes(server: LiveServer) -> list[tuple[str, str]]:
    openapi = httpx.get(f"{server.base_url}/api/v1/openapi.json", timeout=10).json()
    return [(method, path.replace("{ticket_id}", "x").replace("{number}", "1")
             .replace("{user_id}", "1"))
            for path, ops in openapi["paths"].items() for method, op in ops.items()
            if "requestBody" in op]


def padded(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    head = b'{"username": "ana", "password": "clave", "pad": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'


def assert_413(r: httpx.Response, limit_text: str = "64 KB") -> None:
    assert r.status_code == 413, (r.request.url, r.status_code, r.text[:200])
    assert limit_text in r.json()["detail"] and "demasiado grande" in r.json()["detail"]


def test_every_body_route_refuses_a_body_past_the_limit(live_server: LiveServer) -> None:
    routes = body_routes(live_server)
    assert len(routes) >= 12
    token = live_server.login("admin")
    with live_server.client(token) as c:
        for method, path in routes:
            r = c.request(method, path, content=padded(LIMIT + 1),
                          headers={"content-type": "application/json"})
            assert_413(r)
        # At the limit the body is read and judged on its content, not its size.
        r = c.post("/api/v1/auth/login", content=padded(LIMIT),
                   headers={"content-type": "application/json"})
        assert r.status_code == 401


def test_a_huge_body_gets_a_small_answer_before_it_is_read(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10) as c:
        r = c.post("/api/v1/auth/login", content=b"{" + b" " * (10 * 1024 * 1024) + b"}",
                   headers={"content-type": "application/json"})
        assert_413(r)
        assert len(r.content) < 200
    # The server is still there for everyone else.
    assert httpx.get(f"{live_server.base_url}/healthz", timeout=5).status_code == 200


def test_a_chunked_body_is_cut_off_while_it_arrives(live_server: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "ana", "password": "'
        for _ in range(64):  # 1 MB in 16 KB pieces, no Content-Length
            yield b"x" * 16 * 1024
        yield b'"}'

    with httpx.Client(base_url=live_server.base_url, timeout=10) as c:
        r = c.post("/api/v1/auth/login", content=chunks(),
                   headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_413(r)


def test_the_limit_is_a_server_setting(make_server: Any) -> None:
    server: LiveServer = make_server(extra_args=["--max-body-kb", "1"])
    body: dict[str, Any] = {"username": "ana", "password": "clave-larga"}
    small = json.dumps(body).encode()
    with httpx.Client(base_url=server.base_url, timeout=10) as c:
        headers = {"content-type": "application/json"}
        assert c.post("/api/v1/auth/login", content=small, headers=headers).status_code == 401
        r = c.post("/api/v1/auth/login", content=padded(1025), headers=headers)
        assert_413(r, "1 KB")
