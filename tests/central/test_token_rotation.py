"""Rotating an office's token (a real PostgreSQL centre, a real office sending to it): the
new token is printed once, the old one is refused at once, the office keeps its records
while refused, and once configured with the new token it catches up with nothing lost or
duplicated. The rotation is audited without the token."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.central.conftest import turnero, wait_until_sent
from tests.central.test_offices_to_centre import TODAY, figures, office_config, office_summary
from tests.conftest import eventually


def test_a_rotated_token_is_refused_at_once_and_the_office_catches_up_with_the_new_one(
        make_central: Any, make_server: Any, tmp_path: Path) -> None:
    centre = make_central()
    old = centre.add_office("ALC-RIO", "Alcaldía del Río")
    centre.add_user("gobernacion")
    office = make_server(config=office_config(tmp_path, "Rio", (centre.base_url, old)))
    for service in "ABA":
        office.issue(service)
    wait_until_sent(office, office.login("super"))

    done = turnero("central", "office", "rotate-token", "ALC-RIO", "--database", centre.dsn)
    assert done.returncode == 0, done.stderr
    *text, new = done.stdout.strip().splitlines()
    assert "el anterior ya no sirve" in " ".join(text) and "no se mostrará de nuevo" in \
        " ".join(text)
    assert len(new) >= 40 and new != old
    assert new not in done.stderr and old not in done.stderr and "ALC-RIO" in done.stderr

    # The old token is refused from now on, for sending and for asking who it is.
    for method, path in (("GET", "/api/v1/central/office"),
                         ("POST", "/api/v1/central/records")):
        r = httpx.request(method, f"{centre.base_url}{path}", timeout=10,
                          headers={"Authorization": f"Bearer {old}"},
                          json={"office": "ALC-RIO", "catalog": {}, "records": []})
        assert r.status_code == 401, (path, r.text)
    r = httpx.get(f"{centre.base_url}/api/v1/central/office", timeout=10,
                  headers={"Authorization": f"Bearer {new}"})
    assert r.status_code == 200 and r.json()["code"] == "ALC-RIO"

    # The office, still on the old token, goes on issuing; its records wait.
    office.issue("B")
    office.issue("A", group="AM")
    supervisor = office.login("super")
    with office.client(supervisor) as c:
        status = eventually(lambda: c.get("/api/v1/central/status").json(),
                            lambda s: "401" in str(s["last_error"]),
                            "the old token was never refused")
    assert status["pending"] == 2

    # The technician puts the new token in the office file and restarts the server.
    office.stop()
    office.config = office_config(tmp_path, "Rio", (centre.base_url, new))
    office.start()
    wait_until_sent(office, office.login("super"))
    with centre.login("gobernacion") as gov:
        there = gov.get("/api/v1/central/summary", params={
            "from": TODAY, "to": TODAY, "by": "service", "office": "ALC-RIO"}).json()
        exported = gov.get("/api/v1/central/export", params={"from": TODAY, "to": TODAY})
    assert figures(there) == figures(office_summary(office, "service"))
    assert there["total"]["issued"] == 5
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]
    assert len(rows) == 5 and len({r[2] for r in rows}) == 5  # every ticket once

    with psycopg.connect(centre.dsn) as conn:
        audit = conn.execute("SELECT action, actor, detail::text FROM audit "
                             "WHERE office = 'ALC-RIO' ORDER BY id").fetchall()
    assert [a[0] for a in audit] == ["office.added", "office.token_rotated"]
    assert all(a[1] and old not in str(a) and new not in str(a) for a in audit)


def test_rotating_the_token_of_an_unknown_office_is_refused_in_spanish(central_dsn: str
                                                                         ) -> None:
    done = turnero("central", "office", "rotate-token", "NADIE", "--database", central_dsn)
    assert done.returncode == 2 and "no está registrada" in done.stderr
