"""The HTML pages: one head for all, nothing inline (the CSP would block it), values escaped,
templates checked when the app is built; and the labels the pages read from the API."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from server.queue.hours import WEEKDAYS
from server.queue.stats_query import DIMENSIONS
from server.web.pages import STATIC_PAGES, TEMPLATES, Pages
from tests.server.appclient import App, running_app

HEAD = ['<html lang="es-CO">', '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="stylesheet" href="/static/common/tokens.css">']


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    with running_app(tmp_path_factory.mktemp("pages")) as a:
        yield a


def pages_of(app: App) -> dict[str, str]:
    """Every page as a visitor gets it: the static ones, a ticket, an unknown ticket, the
    board (with its display cookie) and the board's refusal."""
    c = app.client
    ticket = c.post("/api/v1/tickets", json={"service": "A"}, headers=app.headers("kiosk"))
    found = {path: c.get(path).text for path in STATIC_PAGES}
    found["/t/{id}"] = c.get(f"/t/{ticket.json()['id']}").text
    found["/t/unknown"] = c.get("/t/no-existe").text
    found["/display (refused)"] = c.get("/display").text
    c.get(f"/display?token={app.tokens['display']}", follow_redirects=False)
    found["/display"] = c.get("/display").text
    c.cookies.clear()
    return found


def test_every_page_has_the_one_head_and_nothing_inline(app: App) -> None:
    for path, html in pages_of(app).items():
        for line in HEAD:
            assert line in html, (path, line)
        assert html.count("<head>") == 1, path
        # the CSP allows scripts and styles from files only
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_ticket_page_escapes_what_it_shows(app: App) -> None:
    c, admin = app.client, app.headers("admin")
    config = c.get("/api/v1/admin/config", headers=admin).json()
    config["office"]["name"] = "Alcaldía <b>Central</b> & \"Norte\""
    config["services"][0]["name"] = "<script>alert(1)</script>"
    assert c.put("/api/v1/admin/config", json=config, headers=admin).status_code == 200
    ticket = c.post("/api/v1/tickets", json={"service": config["services"][0]["code"]},
                    headers=app.headers("kiosk")).json()
    html = c.get(f"/t/{ticket['id']}").text
    assert "Alcaldía &lt;b&gt;Central&lt;/b&gt; &amp; &#34;Norte&#34;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_a_broken_template_stops_the_start_up(tmp_path: Path) -> None:
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    survey = broken / "survey.html"
    survey.write_text(survey.read_text(encoding="utf-8").replace(
        "{% block body %}", "{% block body %}{{ forgotten_value }}"), encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        Pages.load(broken)
    survey.write_text("{% extends 'layout.html' %}{% block body %}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateSyntaxError):
        Pages.load(broken)


def test_labels_name_every_code_the_pages_meet(app: App) -> None:
    c = app.client
    labels = c.get("/api/v1/labels").json()  # public: the citizen's phone reads it too
    assert list(labels["weekdays"]) == list(WEEKDAYS)
    assert labels["weekdays"]["wednesday"] == "Miércoles"
    assert list(labels["dimensions"]) == list(DIMENSIONS)
    assert labels["months"][8] == "septiembre"
    assert set(labels["ratings"]) == {"1", "2", "3", "4", "5"}
    assert {"clerk", "supervisor", "admin", "kiosk", "display"} <= set(labels["roles"])
    assert labels["people_ahead"]["other"].replace("{n}", "3") == "Hay 3 personas antes que usted."
    # every pause reason named is one the server accepts; an unnamed one is refused
    clerk = app.headers("clerk")
    for code in labels["pause_reasons"]:
        r = c.post("/api/v1/counters/1/pause", json={"reason": code}, headers=clerk)
        assert r.status_code == 200, (code, r.text)
        assert r.json()["pause_reason"] == code
    assert c.post("/api/v1/counters/1/pause", json={"reason": "siesta"},
                  headers=clerk).status_code == 422
