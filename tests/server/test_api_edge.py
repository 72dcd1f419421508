"""The HTTP edge refuses bad input with a clear 4xx in Spanish, never a 500, class by class:
every operation of the published OpenAPI is tried, not one example.

- JSON bodies: non-finite numbers, integers past 64 bits, lone surrogates, invalid UTF-8.
- Paths and queries: integers past what SQLite stores, Unicode digits (``²``).
- Validation errors: plain Spanish naming the field, never the input sent back.
- 404 and 405 in Spanish; 405 names every method the path admits (``Allow``).
- Statistics over extreme date ranges; the CSV header escaped against formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from server.auth import Role
from server.config import DEMO_CONFIG, load_config
from server.queue import labels
from server.queue.characterization import Characterization, Option, Question
from tests.server.appclient import App, running_app

METHODS = ("get", "post", "put", "patch", "delete")
#: What pydantic and Starlette say in English: never in an answer.
ENGLISH = re.compile(r"Input should|Field required|Not Found|Method Not Allowed|valid string|"
                     r"Content Too Large|There was an error", re.I)
SAMPLE_PATH_VALUES = {"ticket_id": "no-existe", "number": "1", "counter": "1", "user_id": "1",
                      "token_id": "1", "ticket_number": "A-001"}
FORMULA_QUESTION = '=HYPERLINK("http://127.0.0.1/x","clic")'


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    seed = replace(load_config(DEMO_CONFIG), characterization=Characterization(True, (
        Question("edad", FORMULA_QUESTION, (Option("joven", "Joven"), Option("mayor", "Mayor"))),
        Question("zona", "+zona -rural @x", (Option("urbana", "Urbana"),
                                              Option("rural", "Rural"))))))
    with running_app(tmp_path_factory.mktemp("edge"), seed=seed) as a:
        yield a


@pytest.fixture(scope="module")
def openapi(app: App) -> dict[str, Any]:
    data: dict[str, Any] = app.client.get("/api/v1/openapi.json").json()
    return data


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, path, op) for path, ops in openapi["paths"].items()
            for m, op in ops.items() if m in METHODS]


def filled(path: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], SAMPLE_PATH_VALUES[m[1]]), path)


def resolve(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_fields(openapi: dict[str, Any], op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None:
        return {}
    schema = resolve(openapi, body["schema"])
    if "anyOf" in schema:  # an optional body
        schema = resolve(openapi, next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return schema.get("properties") or {"office": {}}


def body_operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [(m, p, body_fields(openapi, op)) for m, p, op in operations(openapi)]
    return [(m, p, fields) for m, p, fields in found if fields]


def assert_spanish_4xx(r: Any, status: int = 422) -> None:
    assert r.status_code == status, (r.request.method, r.request.url, r.status_code, r.text)
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail and not ENGLISH.search(detail), detail


def admin(app: App, path: str = "") -> dict[str, str]:
    """JSON headers with a token the route admits (hardware routes take only bridges)."""
    role = "hardware" if "/hardware/status" in path else "admin"
    return {**app.headers(role), "content-type": "application/json"}


# --------------------------------------------------------------------------- JSON bodies


def test_every_operation_declares_the_503_of_a_storage_failure(openapi: dict[str, Any]
                                                                ) -> None:
    """A full or failing disk answers 503 on any route (tests/server/test_disk_full.py); a
    kiosk or bridge written from the OpenAPI document must know to expect it."""
    undeclared = [(m, p) for m, p, op in operations(openapi) if "503" not in op["responses"]]
    assert undeclared == []
    issue = openapi["paths"]["/api/v1/tickets"]["post"]["responses"]["503"]
    assert resolve(openapi, issue["content"]["application/json"]["schema"])["required"] == [
        "detail"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999",
                                     "99999999999999999999", "-9223372036854775809",
                                     "1" * 5000])
def test_non_finite_and_oversized_numbers_in_any_body_field_are_422(
        app: App, openapi: dict[str, Any], literal: str) -> None:
    tried = 0
    for method, path, fields in body_operations(openapi):
        for name in fields:
            for text in (f'{{"{name}": {literal}}}', f'{{"{name}": [{{"x": {literal}}}]}}'):
                r = app.client.request(method, filled(path), content=text, headers=admin(app))
                assert_spanish_4xx(r)
                tried += 1
    assert tried >= 40


def test_lone_surrogates_in_any_string_are_422(app: App, openapi: dict[str, Any]) -> None:
    tried = 0
    for method, path, fields in body_operations(openapi):
        for name in fields:
            for text in (f'{{"{name}": "ab\\ud800cd"}}', f'{{"{name}": {{"\\udfff": "x"}}}}',
                         f'{{"{name}": ["\\udc00"]}}'):
                r = app.client.request(method, filled(path), content=text, headers=admin(app))
                assert_spanish_4xx(r)
                tried += 1
    assert tried >= 40
    # The same on the public routes (no token at all) and on sign-in.
    for path, text in (("/api/v1/auth/login", '{"username": "\\ud800", "password": "x"}'),
                       ("/api/v1/tickets/x/survey", '{"rating": 5, "reason": "\\ud800"}')):
        r = app.client.post(path, content=text, headers={"content-type": "application/json"})
        assert_spanish_4xx(r)


@pytest.mark.parametrize("raw", [b'{"username": "\xff\xfe"}', b"[" * 100_00 + b"]" * 100_00,
                                 b'{"username": "a",}', b"\x00"])
def test_bodies_that_are_not_json_are_422(app: App, raw: bytes) -> None:
    r = app.client.post("/api/v1/auth/login", content=raw,
                        headers={"content-type": "application/json"})
    assert_spanish_4xx(r)


# --------------------------------------------------------------------------- paths and queries


def integer_params(openapi: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    for method, path, op in operations(openapi):
        for p in op.get("parameters", []):
            schema = p["schema"]
            types = {s.get("type") for s in schema.get("anyOf", [schema])}
            if "integer" in types:
                yield method, path, p["in"], p["name"]


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999",
                                   "-9223372036854775809", "²", "٣", "1e3", "0x10"])
def test_integers_in_paths_and_queries_are_bounded_and_ascii(
        app: App, openapi: dict[str, Any], value: str) -> None:
    params = list(integer_params(openapi))
    assert len(params) >= 10
    for method, path, where, name in params:
        url = filled(path, **({name: value} if where == "path" else {}))
        query = {name: value} if where == "query" else {}
        if "stats" in path:
            query |= {"from": "2026-01-01", "to": "2026-01-02"}
        if path.endswith("/api/v1/tickets") and method == "get":
            query |= {"status": "waiting"}
        r = app.client.request(method, url, params=query, headers=app.headers("admin"))
        assert_spanish_4xx(r)
    # The statistics counter filter is text (empty means every counter): bounded just the same.
    r = app.client.get("/api/v1/stats/summary", headers=app.headers("supervisor"),
                       params={"from": "2026-01-01", "to": "2026-01-02", "counter": value})
    assert_spanish_4xx(r)


# --------------------------------------------------------------------------- validation answers


def test_validation_errors_name_the_field_in_spanish_and_never_echo_the_input(
        app: App, openapi: dict[str, Any]) -> None:
    secret = "clave-secreta-que-no-vuelve"
    tried = 0
    for method, path, fields in body_operations(openapi):
        for name, schema in fields.items():
            wrong = [[secret * 50], {"x": secret}]
            if "maxLength" in schema:
                wrong.append(secret * (schema["maxLength"] // len(secret) + 1))
            for value in wrong:
                r = app.client.request(method, filled(path), json={name: value},
                                       headers=admin(app, path))
                if r.status_code != 422:  # a free-form object (the office configuration)
                    assert path.endswith("/admin/config") and r.status_code < 500, r.text
                    continue
                assert_spanish_4xx(r)
                assert secret not in r.text and len(r.text) < 2000, r.text[:500]
                tried += 1
    assert tried >= 40
    r = app.client.post("/api/v1/auth/login", json={"username": "ana", "password": secret * 20})
    assert_spanish_4xx(r)
    assert r.json()["fields"] == ["password"] and "256" in r.json()["detail"]
    assert secret not in r.text
    r = app.client.post("/api/v1/tickets", json={}, headers=app.headers("kiosk"))
    assert r.json() == {"detail": "Datos no válidos. Falta «service».", "fields": ["service"]}


# --------------------------------------------------------------------------- 404 and 405


def test_wrong_methods_are_405_naming_every_method_of_the_path(
        app: App, openapi: dict[str, Any]) -> None:
    tried = 0
    for path, ops in openapi["paths"].items():
        documented = {m.upper() for m in ops if m in METHODS}
        for method in set(METHODS) - {m.lower() for m in documented}:
            r = app.client.request(method, filled(path), headers=app.headers("admin"))
            assert_spanish_4xx(r, 405)
            assert set(r.headers["allow"].split(", ")) == documented, (method, path)
            tried += 1
    assert tried >= 100


@pytest.mark.parametrize("path", ["/api/v1/nada", "/api/v2/tickets", "/api/v1/tickets/a/b/c",
                                  "/static/no-existe.js"])
def test_unknown_addresses_are_404_in_spanish(app: App, path: str) -> None:
    assert_spanish_4xx(app.client.get(path), 404)


# --------------------------------------------------------------------------- statistics


@pytest.mark.parametrize("dates", [("0001-01-01", "9999-12-31"), ("1999-12-31", "2026-01-01"),
                                   ("2026-01-01", "2100-01-01"), ("9999-12-31", "9999-12-31")])
def test_statistics_over_extreme_date_ranges_are_422(app: App, dates: tuple[str, str]) -> None:
    first, last = dates
    for path, extra in (("/api/v1/stats/summary", {}),
                        *[("/api/v1/stats/export", {"format": f, "kind": k})
                          for f in ("csv", "xlsx") for k in ("tickets", "summary")]):
        r = app.client.get(path, params={"from": first, "to": last, **extra},
                           headers=app.headers("supervisor"))
        assert_spanish_4xx(r)
        assert "rango admitido" in r.json()["detail"]


def test_csv_header_is_escaped_against_formulas_like_the_cells(app: App) -> None:
    r = app.client.post("/api/v1/tickets", json={
        "service": "A", "characterization": {"edad": "joven", "zona": "urbana"}},
        headers=app.headers("kiosk"))
    assert r.status_code == 201, r.text
    day = r.json()["issued_at"][:10]
    for sep, delimiter in ((None, ","), ("semicolon", ";")):
        params = {"from": day, "to": day, "format": "csv", **({"sep": sep} if sep else {})}
        r = app.client.get("/api/v1/stats/export", params=params,
                           headers=app.headers("supervisor"))
        assert r.status_code == 200
        header = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig")),
                                 delimiter=delimiter))
        assert "'" + FORMULA_QUESTION in header and "'+zona -rural @x" in header
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header), header


# --------------------------------------------------------------------------- the contract


def test_every_operation_documents_its_answer_and_its_errors(openapi: dict[str, Any]) -> None:
    files = {"/api/v1/stats/export", "/api/v1/announcements/{ticket_number}/{counter}.wav",
             "/api/v1/tickets/{ticket_id}/qr.svg"}
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
    for method, path, op in operations(openapi):
        ok = next(code for code in op["responses"] if code.startswith("2"))
        content = op["responses"][ok].get("content", {})
        if path not in files:
            schema = content["application/json"]["schema"]
            assert schema.get("$ref") or schema.get("items", {}).get("$ref"), (method, path)
        for code, answer in op["responses"].items():
            if code.startswith("4"):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, code)
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in op["responses"], (method, path)
        if op.get("requestBody"):
            assert "413" in op["responses"], (method, path)
    enums = openapi["components"]["schemas"]
    for name in ("Status", "Outcome", "PauseReason", "Role", "UserRole", "DeviceRole",
                 "CounterStateName", "SurveyState", "ExportFormat"):
        assert enums[name]["enum"], name
    assert set(enums["PauseReason"]["enum"]) == set(labels.PAUSE_REASONS)
    assert set(enums["Role"]["enum"]) == {str(r) for r in Role}
    summary = next(op for m, p, op in operations(openapi) if p == "/api/v1/stats/summary")
    required = {p["name"]: p["required"] for p in summary["parameters"]}
    assert required["from"] and required["to"]


def test_json_answers_carry_what_the_views_build(app: App) -> None:
    """Response models never drop a field of the views (server/views.py is the contract)."""
    from server.views import PUBLIC_FIELDS

    issued = app.client.post("/api/v1/tickets", json={"service": "A"},
                             headers=app.headers("kiosk")).json()
    public = app.client.get(f"/api/v1/tickets/{issued['id']}").json()
    assert set(public) == set(PUBLIC_FIELDS)
    assert {"kiosk", "clerk", "queued_at", "replayed"} <= set(issued)
    assert json.loads(json.dumps(issued))["status"] == "waiting"



