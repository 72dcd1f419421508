"""Colours meet WCAG AA; layouts give 2 cm touch targets and large type at every size."""

from __future__ import annotations

import pytest

from kiosk.theme import (
    AA_NORMAL,
    MIN_TOUCH_CM,
    PALETTE,
    TEXT_ON,
    cm_to_px,
    contrast_ratio,
    layout_for,
    layout_kind,
)

#: The screens the kiosk is laid out for, with a typical density for each.
SCREENS = [(1080, 1920, 96.0), (1920, 1080, 96.0), (800, 480, 133.0)]


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("fg", "bg"), TEXT_ON, ids=[f"{f}-on-{b}" for f, b in TEXT_ON])
def test_every_text_colour_pair_meets_wcag_aa(fg: str, bg: str) -> None:
    ratio = contrast_ratio(PALETTE[fg], PALETTE[bg])
    assert ratio >= AA_NORMAL, f"{fg} on {bg}: {ratio:.2f}:1"


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
