"""Schemathesis against a real server: every operation of the OpenAPI, anonymously and with
every role's credentials, fixed seed, bounded examples. Zero server errors, zero answers that
break the schema the server publishes (status codes, content types and bodies).

The published schema lets answers carry fields it does not list (they are passed through,
never dropped); here every model is made closed, so a field the schema forgot fails the run.

"Sign out" and "change a user" end sessions: sign-out runs only with device tokens (which it
does not end) and a throwaway session; user changes and token revocations run last, with
their own admin, so no other role loses its credentials halfway.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import LiveServer, prepare_database

SEED = 20261201
#: Examples per operation and role; the whole run stays within ~3 minutes on a slow machine.
POSITIVE_EXAMPLES = 12
NEGATIVE_EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
#: Operations that would end the caller's own credentials (see the module docstring).
SESSION_ENDING = {("POST", "/api/v1/auth/logout")}
RUN_LAST = {("PATCH", "/api/v1/admin/users/{user_id}"),
            ("POST", "/api/v1/admin/tokens/{token_id}/revoke")}
#: The health check's 503 is its documented answer when a part fails (here: the test bridge
#: never reports), not a server error; its body is still checked against the schema.
HEALTH = ("GET", "/api/v1/health")


def closed(openapi: dict[str, Any]) -> dict[str, Any]:
    """The published schema with every model closed (no undocumented fields allowed)."""
    strict = copy.deepcopy(openapi)
    for model in strict.get("components", {}).get("schemas", {}).values():
        if "properties" in model and model.get("additionalProperties") is True:
            model["additionalProperties"] = False
    return strict


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("fuzz") / "turnero.db"
    server = LiveServer(db=db)
    server.tokens = prepare_database(db)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _credentials(server: LiveServer) -> dict[str, str]:
    tokens = {"kiosk": server.kiosk_token, "display": server.display_token,
              "hardware": server.tokens["hardware"],
              "clerk": server.login("clerk1", counter=1), "supervisor": server.login("super"),
              "admin": server.login("admin")}
    with server.client(tokens["admin"]) as c:
        r = c.post("/api/v1/admin/users", json={"username": "admin-fuzz", "role": "admin",
                                                "password": "clave-de-fuzz-1"})
        assert r.status_code == 201, r.text
    r = httpx.post(f"{server.base_url}/api/v1/auth/login",
                   json={"username": "admin-fuzz", "password": "clave-de-fuzz-1"}, timeout=10)
    assert r.status_code == 200, r.text
    tokens["admin-fuzz"] = r.json()["token"]
    tokens["throwaway"] = server.login("clerk2", counter=2)
    _fill_the_office(server, tokens)
    return tokens


def _fill_the_office(server: LiveServer, tokens: dict[str, str]) -> None:
    """Tickets waiting, called and in attention, so the lists and counters the fuzzer reads
    carry full ticket views (a schema gap in them then fails the run)."""
    for service in ("A", "A", "B", "C", "A", "B"):
        server.issue(service)
    server.issue("A", group="AM")
    with server.client(tokens["clerk"]) as c:
        called = c.post("/api/v1/counters/1/next")
        assert called.status_code == 200, called.text
        assert c.post(f"/api/v1/tickets/{called.json()['id']}/start").status_code == 200
    with server.client(tokens["supervisor"]) as c:
        assert c.post("/api/v1/counters/3/next").status_code == 200


def _run(operation: Any, base_url: str, token: str | None, mode: GenerationMode,
         examples: int) -> str | None:
    """Run one operation in one mode with one token (None: anonymous); the failure report,
    or None."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @seed(SEED)
    @settings(max_examples=examples, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        checks = CHECKS[1:] if (operation.method.upper(), operation.path) == HEALTH else CHECKS
        case.call_and_validate(base_url=base_url, headers=headers, checks=checks, timeout=10)

    try:
        check()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters)
        return None
    except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - reported together below
        # (schemathesis reports check failures as a BaseExceptionGroup)
        return f"{operation.method.upper()} {operation.path} ({mode.value}): {e}"[:3000]
    return None


def test_every_operation_with_every_role_keeps_to_the_schema(fuzz_server: LiveServer) -> None:
    tokens = _credentials(fuzz_server)
    published = httpx.get(f"{fuzz_server.base_url}/api/v1/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(closed(published))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40

    def key(op: Any) -> tuple[str, str]:
        return (op.method.upper(), op.path)

    plan: list[tuple[Any, str]] = []
    for role in ("anonymous", "kiosk", "display", "hardware", "clerk", "supervisor", "admin"):
        plan += [(op, role) for op in operations
                 if key(op) not in RUN_LAST
                 and (key(op) not in SESSION_ENDING or role in ("anonymous", "kiosk",
                                                                "display", "hardware"))]
    plan += [(op, "throwaway") for op in operations if key(op) in SESSION_ENDING]
    plan += [(op, "admin-fuzz") for op in operations if key(op) in RUN_LAST]

    started = time.monotonic()
    failures = []
    for op, role in plan:
        for mode, examples in ((GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
                               (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):
            problem = _run(op, fuzz_server.base_url, tokens.get(role), mode, examples)
            if problem:
                failures.append(f"[{role}] {problem}")
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(plan)} operation×role runs in {elapsed:.0f} s")
    assert not failures, "\n\n".join(failures[:10]) + f"\n\n({len(failures)} failing runs)"
    assert "Traceback" not in fuzz_server.log(), fuzz_server.log()[-3000:]

