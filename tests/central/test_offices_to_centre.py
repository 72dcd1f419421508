"""Real office servers send to a real central server (uvicorn subprocesses, real SQLite
files, a real PostgreSQL): the centre's figures equal each office's own, the centre can be
down and the offices catch up, nothing lost or duplicated."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.central.conftest import wait_until_sent
from tests.conftest import DEMO_CONFIG, LiveServer

TODAY = datetime.now(ZoneInfo("America/Bogota")).date().isoformat()


def office_config(tmp_path: Path, name: str, central: tuple[str, str] | None = None) -> Path:
    """The demo office with characterization on (and a [central] section when given)."""
    text = DEMO_CONFIG.read_text(encoding="utf-8")
    text = text.replace("[characterization]\nenabled = false", "[characterization]\nenabled = true")
    text = text.replace('name = "', f'name = "{name} ', 1)
    if central:
        text += f'\n[central]\nurl = "{central[0]}"\ntoken = "{central[1]}"\n'
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def work_day(office: LiveServer, tickets: int, seed: int) -> None:
    """Issue tickets (some preferential, some with characterization answers), then serve
    most of them at counter 1, mark one as no-show, and answer surveys."""
    kiosk = {"Authorization": f"Bearer {office.kiosk_token}"}
    issued = []
    with httpx.Client(base_url=office.base_url, timeout=10) as c:
        for i in range(tickets):
            body: dict[str, Any] = {"service": "AB"[(i + seed) % 2],
                                    "group": "AM" if (i + seed) % 4 == 0 else None}
            if i % 3 == 0:
                body["characterization"] = {"age_band": "60+" if i % 2 else "29-59"}
            r = c.post("/api/v1/tickets", json=body, headers=kiosk)
            assert r.status_code == 201, r.text
            issued.append(r.json()["id"])
        clerk = {"Authorization": f"Bearer {office.login('clerk1', counter=1)}"}
        for i in range(tickets - 2):
            r = c.post("/api/v1/counters/1/next", json={"in_hand": None}, headers=clerk)
            assert r.status_code == 200, r.text
            ticket = r.json()["id"]
            if i == 1:
                assert c.post(f"/api/v1/tickets/{ticket}/no-show", headers=clerk).is_success
                continue
            assert c.post(f"/api/v1/tickets/{ticket}/start", headers=clerk).is_success
            assert c.post(f"/api/v1/tickets/{ticket}/finish", headers=clerk).is_success
            if i % 2 == 0:
                r = c.post(f"/api/v1/tickets/{ticket}/survey", json={"rating": 1 + i % 5})
                assert r.status_code == 201, r.text


def office_summary(office: LiveServer, by: str) -> dict[str, Any]:
    with office.client(office.login("super")) as c:
        r = c.get("/api/v1/stats/summary", params={"from": TODAY, "to": TODAY, "by": by})
        assert r.status_code == 200, r.text
        return dict(r.json())


def figures(body: dict[str, Any]) -> dict[str, Any]:
    """What must be identical: totals, classes and every row's indicators and label (the
    office's answer model also carries an empty ``target_wait_min`` outside by=service)."""
    return {"total": body["total"], "classes": body["classes"],
            "rows": {str(r["key"]): {k: v for k, v in r.items() if k != "key" and not
                                     (k == "target_wait_min" and v is None)}
                     for r in body["rows"]}}


def test_two_offices_send_and_the_centre_shows_their_own_figures(
        make_central: Any, make_server: Any, tmp_path: Path) -> None:
    centre = make_central()
    token_a = centre.add_office("ALC-NORTE", "Alcaldía de Norte")
    token_b = centre.add_office("ALC-SUR", "Alcaldía de Sur")
    centre.add_user("gobernacion")
    # Office A reads the centre from its file; office B from the command line.
    a = make_server(config=office_config(tmp_path, "Norte", (centre.base_url, token_a)))
    b = make_server(config=office_config(tmp_path, "Sur"),
                    extra_args=["--central-url", centre.base_url, f"--central-token={token_b}"])
    work_day(a, 9, seed=0)
    work_day(b, 6, seed=1)
    status_a = wait_until_sent(a, a.login("super"))
    wait_until_sent(b, b.login("super"))
    assert status_a["office"] == "ALC-NORTE" and status_a["last_error"] is None

    with centre.login("gobernacion") as gov:
        for office, code in ((a, "ALC-NORTE"), (b, "ALC-SUR")):
            for by in ("service", "group"):
                here = office_summary(office, by)
                r = gov.get("/api/v1/central/summary",
                            params={"from": TODAY, "to": TODAY, "by": by, "office": code})
                assert r.status_code == 200, r.text
                assert figures(r.json()) == figures(here), (code, by)
        listed = {o["code"]: o for o in gov.get("/api/v1/central/offices").json()["offices"]}
        assert listed["ALC-NORTE"]["records"] == 9 and listed["ALC-SUR"]["records"] == 6
        assert not listed["ALC-NORTE"]["late"] and listed["ALC-NORTE"]["last_send_at"]
        both = gov.get("/api/v1/central/summary",
                       params={"from": TODAY, "to": TODAY, "by": "office"}).json()
        assert both["total"]["issued"] == 15
        assert [r["label"] for r in both["rows"]] == ["Alcaldía de Norte", "Alcaldía de Sur"]

        # The export has the office export's columns (plus the office), and no ticket id.
        exported = gov.get("/api/v1/central/export",
                           params={"from": TODAY, "to": TODAY, "office": "ALC-NORTE"})
        assert exported.status_code == 200, exported.text
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    with a.client(a.login("super")) as c:
        own = c.get("/api/v1/stats/export", params={"from": TODAY, "to": TODAY})
        own_rows = list(csv.reader(io.StringIO(own.content.decode("utf-8-sig"))))
    assert rows[0][2:] == own_rows[0]
    assert "¿En qué rango de edad está?" in rows[0]
    assert sorted(r[2:] for r in rows[1:]) == sorted(own_rows[1:])
    assert all(r[:2] == ["ALC-NORTE", "Alcaldía de Norte"] for r in rows[1:])


def test_centre_down_for_a_while_then_back_nothing_lost_or_duplicated(
        make_central: Any, make_server: Any, tmp_path: Path) -> None:
    centre = make_central()
    token = centre.add_office("ALC-ESTE", "Alcaldía de Este")
    centre.add_user("gobernacion")
    office = make_server(config=office_config(tmp_path, "Este"),
                         extra_args=["--central-url", centre.base_url, f"--central-token={token}"])
    work_day(office, 4, seed=0)
    supervisor = office.login("super")
    wait_until_sent(office, supervisor)

    centre.stop()
    work_day(office, 7, seed=2)  # issuing and calling go on while the link is down
    with office.client(supervisor) as c:
        status = c.get("/api/v1/central/status").json()
        assert status["pending"] > 0
        deadline = datetime.now().timestamp() + 20
        while status["last_error"] is None and datetime.now().timestamp() < deadline:
            status = c.get("/api/v1/central/status").json()
        assert "Sin conexión" in status["last_error"]

    centre.start()  # same port, same database
    wait_until_sent(office, supervisor)
    here = office_summary(office, "service")
    with centre.login("gobernacion") as gov:
        there = gov.get("/api/v1/central/summary", params={
            "from": TODAY, "to": TODAY, "by": "service", "office": "ALC-ESTE"}).json()
        exported = gov.get("/api/v1/central/export", params={"from": TODAY, "to": TODAY})
    assert figures(there) == figures(here)
    assert there["total"]["issued"] == 11
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]
    assert len(rows) == 11 and len({r[2] for r in rows}) == 11  # every ticket once
