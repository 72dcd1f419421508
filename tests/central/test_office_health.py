"""The office's health check tells how sending to the centre goes (real office servers, a
real central server on PostgreSQL): under ``central`` the same figures as /supervisor — last
successful send, records waiting, the last error — and, for an office that sends nowhere,
that it is not configured. The link being down never makes the office's health fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.central.conftest import turnero, wait_until_sent
from tests.central.test_offices_to_centre import office_config
from tests.conftest import LiveServer, eventually


def health(office: LiveServer) -> dict[str, Any]:
    r = httpx.get(f"{office.base_url}/api/v1/health", timeout=10)  # no credentials
    assert r.status_code in (200, 503), r.text
    return dict(r.json())


def test_health_shows_the_central_link_as_the_supervisor_sees_it(
        make_central: Any, make_server: Any, tmp_path: Path) -> None:
    centre = make_central()
    token = centre.add_office("ALC-OESTE", "Alcaldía de Oeste")
    office = make_server(config=office_config(tmp_path, "Oeste", (centre.base_url, token)))
    office.issue("A")
    office.issue("B")
    supervisor = office.login("super")
    status = wait_until_sent(office, supervisor)
    report = health(office)
    assert report["central"] == status  # the same figures /supervisor shows
    assert report["central"]["configured"] is True and report["central"]["pending"] == 0
    assert report["central"]["office"] == "ALC-OESTE" and report["central"]["last_success_at"]
    assert token not in str(report)
    doctor = turnero("doctor", "--db", str(office.db), "--url", office.base_url)
    assert "OK     Envío a la central: último envío" in doctor.stdout, doctor.stdout
    assert "0 registros en espera" in doctor.stdout and token not in doctor.stdout

    centre.stop()
    office.issue("A")
    link = eventually(lambda: health(office)["central"], lambda c: c["last_error"] is not None,
                      "the sender never reported the centre down")
    assert link["pending"] == 1 and "Sin conexión" in link["last_error"]
    assert link["last_success_at"] == status["last_success_at"]
    doctor = turnero("doctor", "--db", str(office.db), "--url", office.base_url)
    assert "AVISO  Envío a la central:" in doctor.stdout and "1 registro en espera" in \
        doctor.stdout and "Sin conexión" in doctor.stdout, doctor.stdout
    report = health(office)
    assert "central" not in report["failing"] and set(report["checks"]) == {
        "database", "disk", "backup", "printers", "bridges"}


def test_health_of_an_office_without_a_centre_says_it_is_not_configured(
        live_server: LiveServer) -> None:
    assert health(live_server)["central"] == {
        "configured": False, "url": None, "office": None, "pending": None,
        "last_success_at": None, "last_attempt_at": None, "last_error": None, "failures": 0,
        "next_attempt_at": None}
