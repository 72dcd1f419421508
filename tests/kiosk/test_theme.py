"""Colours meet WCAG AA (AAA with "Alto contraste"); layouts give 2 cm touch targets and
large type at every size."""

from __future__ import annotations

import pytest

from kiosk.theme import (
    AA_NORMAL,
    AAA_NORMAL,
    ACCESS_BUTTONS,
    ACCESS_INNER_PAD,
    ACCESS_LONGEST_WORD,
    EM_PER_CHAR,
    HIGH_CONTRAST,
    MIN_TOUCH_CM,
    PALETTE,
    PALETTES,
    TEXT_ON,
    cm_to_px,
    contrast_ratio,
    layout_for,
    layout_kind,
    row_heights,
)

#: The screens the kiosk is laid out for, with a typical density for each.
SCREENS = [(1080, 1920, 96.0), (1920, 1080, 96.0), (800, 480, 133.0)]


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


#: What each palette must meet: AA for the normal one, AAA for "Alto contraste".
LEVELS = {"normal": AA_NORMAL, "high_contrast": AAA_NORMAL}
PAIRS = [(name, fg, bg) for name in PALETTES for fg, bg in TEXT_ON]


@pytest.mark.parametrize(("palette", "fg", "bg"), PAIRS,
                         ids=[f"{p}-{f}-on-{b}" for p, f, b in PAIRS])
def test_every_text_colour_pair_meets_wcag(palette: str, fg: str, bg: str) -> None:
    colours = PALETTES[palette]
    ratio = contrast_ratio(colours[fg], colours[bg])
    assert ratio >= LEVELS[palette], f"{palette}: {fg} on {bg}: {ratio:.2f}:1"


def test_both_palettes_name_the_same_colours() -> None:
    assert set(LEVELS) == set(PALETTES)
    assert set(HIGH_CONTRAST) == set(PALETTE)
    assert HIGH_CONTRAST["page"] == "#000000"  # light text on black, not a tinted normal page


def test_layout_kinds() -> None:
    assert layout_kind(1080, 1920) == "portrait"
    assert layout_kind(1920, 1080) == "landscape"
    assert layout_kind(800, 480) == "compact"
    assert layout_kind(1024, 600) == "compact"


@pytest.mark.parametrize(("width", "height", "dpi"), SCREENS)
def test_touch_targets_are_at_least_2_cm(width: int, height: int, dpi: float) -> None:
    ui = layout_for(width, height, dpi)
    two_cm = cm_to_px(MIN_TOUCH_CM, dpi)
    assert ui.touch == pytest.approx(two_cm)
    for name in ("service_h", "group_h", "back_w"):
        assert getattr(ui, name) >= two_cm, name


def test_two_cm_grow_with_density() -> None:
    assert layout_for(800, 480, 200).service_h >= cm_to_px(2, 200) > layout_for(800, 480, 96).touch


@pytest.mark.parametrize(("width", "height", "dpi"), SCREENS)
def test_type_is_readable_at_arm_length(width: int, height: int, dpi: float) -> None:
    """Body text at least ~4 mm tall on the glass, the number at least 2 cm."""
    ui = layout_for(width, height, dpi)
    assert ui.font_small / dpi * 2.54 >= 0.33
    assert ui.font_body / dpi * 2.54 >= 0.45
    assert ui.font_number / dpi * 2.54 >= 2.0


def test_columns_one_in_portrait_a_grid_in_landscape() -> None:
    portrait, landscape, compact = (layout_for(*s) for s in SCREENS)
    assert portrait.columns("services", 5) == 1
    assert portrait.columns("services", 9) == 2
    assert landscape.columns("services", 5) == 2
    assert landscape.columns("services", 8) == 3
    assert compact.columns("services", 5) == 2
    assert portrait.columns("groups", 8) == 2
    assert landscape.columns("groups", 9) == 3
    assert compact.columns("groups", 9) == 3


#: The kiosk's screens plus a very narrow one, where the access buttons need a row of their own.
ACCESS_SCREENS = [*SCREENS, (360, 1200, 96.0)]


@pytest.mark.parametrize("text_scale", [1.0, 1.3])
@pytest.mark.parametrize(("width", "height", "dpi"), ACCESS_SCREENS)
def test_access_buttons_fit_beside_volver_or_in_a_row_of_their_own(
        width: int, height: int, dpi: float, text_scale: float) -> None:
    """"Escuchar", "Letra grande" and "Alto contraste" never cover "Volver"/"Listo": beside
    it when the width allows titles that read, else in a full-width row the screens leave
    free under it. Their longest word fits on one line, and "Letra grande" never moves them."""
    ui = layout_for(width, height, dpi, text_scale)
    row = ACCESS_BUTTONS * ui.access_w + (ACCESS_BUTTONS - 1) * ui.gap
    assert ui.access_w >= cm_to_px(MIN_TOUCH_CM, dpi) and ui.access_h > ui.touch
    if ui.access_room == 0:
        assert ui.pad + ui.back_w + ui.gap + row + ui.pad <= width
        assert ui.font_access >= layout_for(width, height, dpi).font_small * 0.9
    else:
        assert ui.access_room >= ui.access_h and ui.pad + row + ui.pad <= width
    inner = round(ui.gap * ACCESS_INNER_PAD)
    assert ui.font_access * ACCESS_LONGEST_WORD * EM_PER_CHAR + 2 * inner <= ui.access_w
    assert ui.font_access <= ui.font_button
    normal = layout_for(width, height, dpi)
    assert (ui.access_w, ui.access_room) == (normal.access_w, normal.access_room)
    # the kiosk's own screens keep them beside "Volver"; only the narrow one stacks them
    assert (ui.access_room > 0) == ((width, height, dpi) not in SCREENS)


def test_rows_share_the_room_and_a_long_title_takes_the_lines_it_needs() -> None:
    # room to spare: every row as tall as allowed
    assert row_heights([70, 70], room=1000, touch=77, cap=260) == [260, 260]
    # short room: the rows share it alike, never below a finger's size
    assert row_heights([70, 70, 70], room=300, touch=77, cap=260) == [100, 100, 100]
    assert row_heights([70, 70, 70], room=120, touch=77, cap=260) == [77, 77, 77]
    # a three-line title gets its height, the others share what is left
    heights = row_heights([96, 70, 154, 112, 112], room=600, touch=77, cap=260)
    assert heights[2] == 154 and heights[3] == heights[4] == 112
    assert heights[0] == heights[1] and sum(heights) == pytest.approx(600)
    # more than the room: each row what its titles need (the grid scrolls)
    assert row_heights([154, 154], room=200, touch=77, cap=260) == [154, 154]
