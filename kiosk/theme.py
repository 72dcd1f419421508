"""Colours and sizes of the kiosk screens, computed in plain Python (tested without Kivy).

Colours: two palettes with the same names, the normal one and "Alto contraste" (white and
yellow on black, for low vision). Every text/background pair the screens use is listed in
:data:`TEXT_ON`, and a test checks each against WCAG 2.x: AA (≥ 4.5:1) in the normal palette,
AAA (≥ 7:1) in the high-contrast one. :func:`colours` turns a palette into the Kivy colours
the screens draw with; the app holds the current one and the screens redraw when it changes.

Sizes: the layout depends on the window (portrait 1080×1920, landscape 1920×1080, small
800×480, or anything in between) and on the screen density, so touch targets are at least
2 cm on the real glass, not just "big on my monitor".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: The palette, as hex RGB. Dark ink on a light page; saturated buttons with white text.
PALETTE: dict[str, str] = {
    "page": "#F2F5F9",
    "ink": "#10213A",
    "ink_soft": "#3B4B61",
    "header": "#0B2545",
    "on_header": "#FFFFFF",
    "on_header_soft": "#C9D6E8",
    "primary": "#0B57A4",
    "primary_down": "#073D73",
    "on_primary": "#FFFFFF",
    "on_primary_soft": "#DCE8F5",
    "preferential": "#5B2A86",
    "preferential_down": "#3E1C5C",
    "on_preferential": "#FFFFFF",
    "on_preferential_soft": "#E9DDF3",
    "back": "#FFFFFF",
    "back_down": "#DCE3EC",
    "on_back": "#0B2545",
    "card": "#FFFFFF",
    "alert": "#9B1C1C",
    "on_alert": "#FFFFFF",
    "ok": "#17603A",
    "on_ok": "#FFFFFF",
    "disabled": "#9AA6B5",
    "on_disabled": "#10213A",
}

#: "Alto contraste": white and yellow on black; buttons are bright plates with black text, the
#: "Volver"-style buttons black with a white outline. Same names as :data:`PALETTE`.
HIGH_CONTRAST: dict[str, str] = {
    "page": "#000000",
    "ink": "#FFFFFF",
    "ink_soft": "#FFFF66",
    "header": "#FFFFFF",
    "on_header": "#000000",
    "on_header_soft": "#262626",
    "primary": "#FFFF00",
    "primary_down": "#C8C800",
    "on_primary": "#000000",
    "on_primary_soft": "#262626",
    "preferential": "#66FFFF",
    "preferential_down": "#00C8C8",
    "on_preferential": "#000000",
    "on_preferential_soft": "#262626",
    "back": "#000000",
    "back_down": "#333333",
    "on_back": "#FFFFFF",
    "card": "#121212",
    "alert": "#FF8A8A",
    "on_alert": "#000000",
    "ok": "#7CFF7C",
    "on_ok": "#000000",
    "disabled": "#4D4D4D",
    "on_disabled": "#FFFFFF",
}

#: The palettes by name: ``colours(PALETTES[name])``.
PALETTES: dict[str, dict[str, str]] = {"normal": PALETTE, "high_contrast": HIGH_CONTRAST}

#: Every (text, background) pair drawn on screen, for the contrast test.
TEXT_ON: list[tuple[str, str]] = [
    ("ink", "page"), ("ink_soft", "page"), ("ink", "card"), ("ink_soft", "card"),
    ("header", "card"), ("header", "page"),
    ("on_header", "header"), ("on_header_soft", "header"),
    ("on_primary", "primary"), ("on_primary_soft", "primary"), ("on_primary", "primary_down"),
    ("on_preferential", "preferential"), ("on_preferential_soft", "preferential"),
    ("on_preferential", "preferential_down"),
    ("on_back", "back"), ("on_back", "back_down"),
    ("on_alert", "alert"), ("alert", "card"), ("on_ok", "ok"), ("ok", "card"),
    ("on_disabled", "disabled"), ("preferential", "card"),
]

#: WCAG AA for normal text; large text (≥ 18 pt) needs 3.0.
AA_NORMAL = 4.5
#: WCAG AAA for normal text: what the high-contrast palette meets.
AAA_NORMAL = 7.0

#: Minimum side of anything a finger must hit.
MIN_TOUCH_CM = 2.0


def rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


Colour = tuple[float, float, float, float]


def rgba(name: str, alpha: float = 1.0, palette: dict[str, str] = PALETTE) -> Colour:
    """A palette colour as Kivy wants it."""
    return (*rgb(palette[name]), alpha)


def colours(palette: dict[str, str]) -> dict[str, Colour]:
    """Every colour of ``palette`` as Kivy wants it (what ``app.palette`` holds)."""
    return {name: rgba(name, palette=palette) for name in palette}


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def cm_to_px(cm: float, dpi: float) -> float:
    return cm * dpi / 2.54


@dataclass(frozen=True)
class Layout:
    """Pixel sizes for one window; the .kv files read these as ``app.ui['name']``."""

    kind: str  # "portrait", "landscape" or "compact"
    width: int
    height: int
    dpi: float
    touch: float  # minimum side of a touch target
    pad: float  # outer margin
    gap: float  # space between buttons
    header_h: float
    service_h: float
    group_h: float
    back_w: float
    font_header: float
    font_title: float
    font_body: float
    font_small: float
    font_button: float
    font_button_desc: float
    font_welcome: float
    font_number: float
    qr_side: float
    radius: float
    #: Pixels from the top where the answer buttons may begin: on a portrait kiosk (a screen
    #: whose top is ~1.9 m from the floor) the choices sit in its lower part, within the forward
    #: reach of a person in a wheelchair (up to ~1.2 m); 0 on the other layouts.
    reach_top: float = 0
    #: The always-visible buttons at the bottom ("Escuchar", "Letra grande", "Alto
    #: contraste"): beside the bottom-left "Volver"/"Listo" where their titles still read,
    #: else (a very narrow window) in a full-width row of their own under it;
    #: ``access_room`` is the height the screens leave free for that row (0 when side by
    #: side), ``font_access`` their title size (the longest word on one line).
    access_w: float = 0
    #: Their height, and that of "Volver"/"Listo" beside them.
    access_h: float = 0
    access_room: float = 0
    font_access: float = 0
    #: Their side padding (``ACCESS_INNER_PAD`` of the gap).
    access_pad: float = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def max_columns(self) -> int:
        """The most columns of answers, when fewer rows are what keeps them on the screen:
        two in portrait (buttons wide enough for a long group name), three elsewhere."""
        return 2 if self.kind == "portrait" else 3

    def columns(self, what: str, count: int) -> int:
        """Columns for ``count`` answer buttons: one column of wide buttons in portrait, a grid
        in landscape; more columns only when the answers would not fit otherwise."""
        if what == "services":
            limit = {"portrait": 6, "landscape": 6, "compact": 6}[self.kind]
        else:
            limit = {"portrait": 3, "landscape": 4, "compact": 4}[self.kind]
        few = 1 if self.kind == "portrait" else 2
        return few if count <= limit else self.max_columns


def layout_kind(width: int, height: int) -> str:
    if height > width:
        return "portrait"
    if height < 700 or width < 1100:
        return "compact"
    return "landscape"


#: Pixel sizes per layout kind, for a window whose short side is ``ref`` pixels; they scale
#: with the real short side (the screen is seen from arm's length whatever its pixels).
_SIZES: dict[str, dict[str, int]] = {
    "portrait": dict(
        ref=1080, pad=48, gap=28, header_h=190, service_h=230, group_h=260, back_w=300,
        font_header=44, font_title=66, font_body=46, font_small=36, font_button=54,
        font_button_desc=34, font_welcome=92, font_number=360, qr_side=470, radius=22),
    "landscape": dict(
        ref=1080, pad=48, gap=28, header_h=150, service_h=200, group_h=195, back_w=300,
        font_header=40, font_title=60, font_body=42, font_small=32, font_button=48,
        font_button_desc=30, font_welcome=92, font_number=260, qr_side=420, radius=22),
    "compact": dict(
        ref=480, pad=10, gap=8, header_h=64, service_h=100, group_h=100, back_w=170,
        font_header=20, font_title=28, font_body=24, font_small=18, font_button=25,
        font_button_desc=17, font_welcome=44, font_number=120, qr_side=260, radius=12),
}
#: Share of a portrait screen's height above the reach zone: a 55" portrait screen is ~1.21 m
#: tall; with its top at 1.9 m, a seated person reaches (1.2 m) about its lower 45 %.
PORTRAIT_REACH_TOP = 0.55
#: Buttons in the always-visible bar: "Escuchar", "Letra grande", "Alto contraste".
ACCESS_BUTTONS = 3
#: Their longest word ("Contraste"), in characters; a bold Roboto character is ~0.6 em wide.
ACCESS_LONGEST_WORD = 9
EM_PER_CHAR = 0.6
#: Their side padding, as a share of the gap (less than other buttons: their words are long).
ACCESS_INNER_PAD = 0.3
#: Sizes a finger must hit: never below MIN_TOUCH_CM on the glass, whatever the scaling.
_TOUCH_SIZES = ("service_h", "group_h", "back_w")


def layout_for(width: int, height: int, dpi: float, text_scale: float = 1.0) -> Layout:
    """Sizes for a ``width`` × ``height`` window at ``dpi``; ``text_scale`` enlarges the
    fonts only ("Letra grande")."""
    kind = layout_kind(width, height)
    sizes = dict(_SIZES[kind])
    scale = min(width, height) / sizes.pop("ref")
    touch = cm_to_px(MIN_TOUCH_CM, dpi)
    values = {name: round(px * scale) for name, px in sizes.items()}
    for name in _TOUCH_SIZES:
        values[name] = max(values[name], round(touch) + 1)
    for name in values:
        if name.startswith("font_"):
            values[name] = round(values[name] * text_scale)
    reach_top = round(height * PORTRAIT_REACH_TOP) if kind == "portrait" else 0
    return Layout(kind=kind, width=width, height=height, dpi=dpi, touch=touch,
                  reach_top=reach_top, **_access_sizes(values, width, touch, text_scale),
                  **values)


def _access_sizes(values: dict[str, int], width: int, touch: float, text_scale: float
                  ) -> dict[str, float]:
    """Where the always-visible buttons go and their type size: beside "Volver" with a title
    that still reads (at least ~font_small), else in a full-width row of their own. The place
    does not depend on "Letra grande" (the buttons do not jump when it is touched)."""
    gap, pad, n = values["gap"], values["pad"], ACCESS_BUTTONS
    inner = round(gap * ACCESS_INNER_PAD)

    def title_font(button_w: float) -> float:
        # the longest word must fit on one line: a word split in two does not read
        fits = (button_w - 2 * inner) / (ACCESS_LONGEST_WORD * EM_PER_CHAR)
        return max(1.0, float(min(values["font_button"] * 0.8, int(fits))))

    access_h = max(round(touch) + 1, round(values["header_h"] * 0.8))
    beside = min(round(values["back_w"] * 1.2),
                 int((width - values["back_w"] - 2 * pad - n * gap) / n))
    if beside > touch and title_font(beside) >= values["font_small"] / text_scale * 0.9:
        access_w, room = beside, 0
    else:
        access_w, room = int((width - 2 * pad - (n - 1) * gap) / n), access_h + gap
    return {"access_w": max(access_w, round(touch) + 1), "access_h": access_h,
            "access_pad": inner,
            "access_room": room, "font_access": title_font(access_w)}


def row_heights(needs: list[float], room: float, touch: float, cap: float) -> list[float]:
    """Heights of rows of answer buttons sharing ``room`` pixels: each row at least ``touch``
    and what its titles need whole (``needs``, at the smallest type), the others sharing what
    is left alike, none above ``cap`` unless its titles need it. A row whose long title needs
    three lines takes them, instead of every row growing (fewer rows off the screen) or the
    title being cut. More than ``room`` in total means the grid scrolls."""
    floors = [max(touch, need) for need in needs]
    share = room / len(floors) if floors else 0.0
    for _ in floors:  # each round fixes at least one more row at its floor, or ends
        fixed = [f for f in floors if f > share]
        free = len(floors) - len(fixed)
        if not free:
            break
        new = (room - sum(fixed)) / free
        if new == share:
            break
        share = new
    share = max(touch, min(cap, share))
    return [max(share, f) for f in floors]
