""""Alto contraste" in a real kiosk window (Kivy, offscreen OpenGL) against a real server: the
toggle redraws every screen a citizen sees in white and yellow on black, stays on for the
whole visit, and is off again when the kiosk returns to welcome for the next person.

Colours are read twice: from the drawn pixels of each screenshot (page and text) and from the
widgets' own colours (every label and button uses the current palette, none the old one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kiosk.theme import HIGH_CONTRAST, PALETTE
from tests.conftest import LiveServer

pytestmark = [pytest.mark.kivy, pytest.mark.usefixtures("needs_gl")]

SERVICE = "Radicación de PQRSD"
#: The main text of each screen (its question; the service on the ticket), drawn in "ink".
TITLES = {"services": "¿Qué necesita hacer hoy?",
          "groups": "¿Pertenece a un grupo de atención preferencial?",
          "ticket": SERVICE, "welcome": "Toque la pantalla para tomar su turno"}


def hexa(colour: list[float]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in colour[:3])


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def pixels(result: dict[str, Any], shot: str) -> Image.Image:
    return Image.open(Path(result["shots"][shot])).convert("RGB")


def commonest(result: dict[str, Any], shot: str) -> list[tuple[int, int, int]]:
    """The screenshot's colours, the most drawn first."""
    with pixels(result, shot) as im:
        counts = im.getcolors(1 << 24) or []
    return [colour for _count, colour in sorted(counts, reverse=True)]


def drawn_in(result: dict[str, Any], shot: str, text: str) -> set[tuple[int, int, int]]:
    """The colours of the pixels inside the label showing ``text``."""
    label = next(t for t in result["texts"][shot] if t["text"] == text)
    x, y, w, h = label["rect"]
    with pixels(result, shot) as im:
        top = im.height - (y + h)  # the window's y grows upwards, the picture's downwards
        crop = im.crop((int(x), int(top), int(x + w), int(top + h)))
        return {colour for _count, colour in crop.getcolors(1 << 24) or []}


def button(result: dict[str, Any], shot: str, title: str) -> dict[str, Any]:
    return next(b for b in result["buttons"][shot] if b["title"] == title)


@pytest.mark.parametrize("size", ["1080x1920", "800x480"])
def test_high_contrast_redraws_every_screen_and_lasts_one_visit(
        size: str, office_server: LiveServer, kiosk: Any) -> None:
    steps: list[dict[str, Any]] = [
        {"wait": "welcome", "timeout": 30}, {"shot": "welcome"},
        {"touch": "Alto contraste"}, {"shot": "welcome-hc"},
        {"touch": "@screen"}, {"wait": "services"}, {"shot": "services-hc"},
        {"touch": SERVICE}, {"wait": "groups"}, {"shot": "groups-hc"},
        {"touch": "No"}, {"wait": "ticket", "printed": True}, {"shot": "ticket-hc"},
        {"touch": "Listo"}, {"wait": "welcome"}, {"shot": "welcome-next"},
        {"touch": "@screen"}, {"wait": "services"}, {"shot": "services-next"},
    ]
    result = kiosk(size, steps, server=office_server.base_url,
                   token=office_server.kiosk_token).finish()
    normal = {"welcome", "welcome-next", "services-next"}
    contrast = {"welcome-hc", "services-hc", "groups-hc", "ticket-hc"}
    for shot in normal | contrast:
        palette = HIGH_CONTRAST if shot in contrast else PALETTE
        other = PALETTE if shot in contrast else HIGH_CONTRAST
        # the page behind everything, as drawn (among the three commonest colours: buttons or
        # the ticket's card may cover more), and not a pixel of the other palette's page
        drawn = commonest(result, shot)
        assert rgb(palette["page"]) in drawn[:3], (shot, drawn[:3])
        assert rgb(other["page"]) not in drawn, shot
        # the screen's main text, as drawn: in this palette's ink, none in the other's
        title = TITLES[shot.split("-")[0]]
        drawn = drawn_in(result, shot, title)
        assert rgb(palette["ink"]) in drawn, (shot, title)
        assert rgb(other["ink"]) not in drawn, (shot, title)
        # every text and button takes its colours from the current palette
        values = set(palette.values())
        for text in result["texts"][shot]:
            if not text["text"].startswith("[b]"):  # buttons: checked by their background
                assert hexa(text["color"]) in values, (shot, text["text"], text["color"])
        for b in result["buttons"][shot]:
            assert hexa(b["bg"]) in values, (shot, b["title"], b["bg"])
    # the toggle says what touching it does, and stays in reach on every screen
    for shot in contrast:
        assert button(result, shot, "Contraste normal")["bg"][:3] == pytest.approx(
            [c / 255 for c in rgb(HIGH_CONTRAST["primary"])], abs=0.01)
    for shot in normal:
        assert any(b["title"] == "Alto contraste" for b in result["buttons"][shot])
    # the answers became bright plates with black text
    assert hexa(button(result, "services-hc", SERVICE)["bg"]) == HIGH_CONTRAST["primary"]
    number = next(t for t in result["texts"]["ticket-hc"] if "-" in t["text"])
    assert hexa(number["color"]) == HIGH_CONTRAST["header"]
    assert hexa(button(result, "services-next", SERVICE)["bg"]) == PALETTE["primary"]
