"""Where the choices sit: within a seated person's reach on a tall portrait kiosk, and on the
800x480 screen with the question on top and "No" apart from the group buttons. Real Kivy
windows (offscreen), positions read from the drawn widgets (window y grows upwards)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.theme import PORTRAIT_REACH_TOP
from tests.conftest import LiveServer
from tests.kiosk.conftest import ACCESS

STEPS = [{"wait": "welcome", "timeout": 30}, {"touch": "@screen"}, {"wait": "services"},
         {"shot": "services"}, {"touch": "Radicación de PQRSD"}, {"wait": "groups"},
         {"shot": "groups"}]


pytestmark = pytest.mark.usefixtures("needs_gl")


def answers(result: dict[str, Any], shot: str) -> list[dict[str, Any]]:
    return [b for b in result["buttons"][shot] if b["title"] not in ("Volver", *ACCESS)]


def top(rect: list[float]) -> float:
    return rect[1] + rect[3]


def test_portrait_choices_are_within_reach_from_a_wheelchair(office_server: LiveServer,
                                                             kiosk: Any) -> None:
    result = kiosk("1080x1920", STEPS, server=office_server.base_url,
                   token=office_server.kiosk_token).finish()
    height = result["window"][1]
    reach = height * (1 - PORTRAIT_REACH_TOP)  # highest point a seated person reaches
    for shot in ("services", "groups"):
        buttons = answers(result, shot)
        assert len(buttons) >= 4, buttons
        for b in buttons:
            assert top(b["rect"]) <= reach + 1, (shot, b["title"], b["rect"], reach)
        # and the question is read above them, not pushed off the screen
        question = next(t for t in result["texts"][shot] if t["text"].startswith("¿"))
        assert question["rect"][1] >= max(top(b["rect"]) for b in buttons)


def test_800x480_keeps_the_question_on_top_and_no_apart(office_server: LiveServer,
                                                        kiosk: Any) -> None:
    result = kiosk("800x480", STEPS, server=office_server.base_url,
                   token=office_server.kiosk_token).finish()
    height = result["window"][1]
    for shot in ("services", "groups"):
        question = next(t for t in result["texts"][shot] if t["text"].startswith("¿"))
        assert top(question["rect"]) >= height * 0.85, question  # at the top of the screen
        assert question["rect"][1] >= max(top(b["rect"]) for b in answers(result, shot))
    buttons = answers(result, "groups")
    no = next(b for b in buttons if b["title"] == "No")
    groups = [b for b in buttons if b["title"] != "No"]
    # "No" has a row of its own, above the groups, with a clear gap
    assert all(top(g["rect"]) < no["rect"][1] for g in groups)
    gap = no["rect"][1] - max(top(g["rect"]) for g in groups)
    assert gap >= 6, gap
    assert no["rect"][2] > max(g["rect"][2] for g in groups)  # wider than any group button


@pytest.mark.parametrize("size", ["1080x1920", "800x480"])
def test_every_screen_can_be_heard_and_enlarged(size: str, office_server: LiveServer,
                                                kiosk: Any) -> None:
    """"Escuchar" on every screen (voice off in the settings: the button still reads the
    screen), "Letra grande" makes the texts larger, both within reach at the bottom."""
    steps = [{"wait": "welcome", "timeout": 30}, {"shot": "welcome"}, {"touch": "Escuchar"},
             {"touch": "@screen"}, {"wait": "services"}, {"shot": "services"},
             {"touch": "Escuchar"}, {"touch": "Letra grande"}, {"shot": "services-large"},
             {"touch": "Radicación de PQRSD"}, {"wait": "groups"}, {"shot": "groups"},
             {"touch": "Escuchar"}]
    result = kiosk(size, steps, server=office_server.base_url,
                   token=office_server.kiosk_token, speak=False).finish()
    height = result["window"][1]
    for shot in ("welcome", "services", "groups"):
        listen = [b for b in result["buttons"][shot] if b["title"] == "Escuchar"]
        assert len(listen) == 1, (shot, result["buttons"][shot])
        assert top(listen[0]["rect"]) <= height * 0.45  # reachable when seated
    spoken = result["spoken"]
    assert any(s.startswith("Le damos la bienvenida.") for s in spoken)
    assert sum("¿Qué necesita hacer hoy?" in s for s in spoken) >= 2  # on entering + Escuchar
    assert sum("¿Pertenece a un grupo" in s for s in spoken) >= 2

    def title_size(shot: str) -> float:
        return max(t["font_size"] for t in result["texts"][shot]
                   if t["text"] == "¿Qué necesita hacer hoy?")

    assert title_size("services-large") >= title_size("services") * 1.25
    assert any(b["title"] == "Letra normal" for b in result["buttons"]["services-large"])
