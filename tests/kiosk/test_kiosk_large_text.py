""""Letra grande" in a real kiosk window (Kivy, offscreen OpenGL) against the demo office: on
every screen a citizen sees, at the three screen sizes, with "Alto contraste" too, every
button is whole on the screen (none cut by the bottom of a scrolling grid) and shows its whole
text: nothing drawn past the button's edges, no word broken across two lines, and the long
group names (e.g. "Niños, niñas y adolescentes o con bebé en brazos") wrapped into lines.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LiveServer
from tests.kiosk.conftest import SIZES

pytestmark = [pytest.mark.kivy, pytest.mark.usefixtures("needs_gl")]

SERVICE = "Radicación de PQRSD"
LONGEST_GROUP = "Niños, niñas y adolescentes o con bebé en brazos"
STEPS: list[dict[str, Any]] = [
    {"wait": "welcome", "timeout": 30}, {"touch": "Letra grande"}, {"shot": "welcome-large"},
    {"touch": "@screen"}, {"wait": "services"}, {"shot": "services-large"},
    {"touch": SERVICE}, {"wait": "groups"}, {"shot": "groups-large"},
    {"touch": "Alto contraste"}, {"shot": "groups-large-hc"},
    {"touch": "Volver"}, {"wait": "services"}, {"shot": "services-large-hc"},
    {"touch": SERVICE}, {"wait": "groups"},
    {"touch": "Persona con discapacidad"}, {"wait": "ticket", "printed": True},
    {"shot": "ticket-large-hc"},
]


#: Where the answers cannot all be in sight: on 800x480 (9 cm of glass at 133 dpi) "No" and
#: eight groups of 2 cm under the question do not fit; the group grid scrolls there.
SCROLLS = {("800x480", "groups-large"), ("800x480", "groups-large-hc")}


def words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("size", list(SIZES))
def test_large_text_never_cuts_a_button_title(size: str, office_server: LiveServer,
                                              kiosk: Any) -> None:
    result = kiosk(size, STEPS, server=office_server.base_url,
                   token=office_server.kiosk_token, speak=False).finish()
    shots = [s["shot"] for s in STEPS if "shot" in s]
    for shot in shots:
        buttons = result["buttons"][shot]
        assert buttons, shot
        for b in buttons:
            _x, _y, width, height = b["rect"]
            drawn_w, drawn_h = b["texture"]
            where = (size, shot, b["title"], b["rect"], b["texture"], b["lines"])
            # the whole button is on the screen, not cut by the bottom of a scrolling grid
            assert b["shown"] or (size, shot) in SCROLLS, where
            # the text is drawn inside the button (a taller text spills over its edges)
            assert drawn_h <= height + 1 and drawn_w <= width + 1, where
            # every line is made of whole words of the title or the description
            assert b["lines"], where
            for line in b["lines"]:
                assert words(line) <= words(b["title"]) | words(b["desc"]), (where, line)
            assert " ".join(" ".join(b["lines"]).split()).startswith(b["title"]), where
    groups = {b["title"] for b in result["buttons"]["groups-large"]}
    assert LONGEST_GROUP in groups and "Persona con discapacidad" in groups
