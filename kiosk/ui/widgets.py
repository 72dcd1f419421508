"""Reusable kiosk widgets; their look is in ``kv/common.kv``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kivy.graphics.texture import Texture
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.utils import escape_markup, get_hex_from_color

from kiosk.qr import qr_rgba
from kiosk.theme import PALETTE, colours

if TYPE_CHECKING:  # importing kivy.input loads the input providers
    from kivy.input.motionevent import MotionEvent

#: (background, pressed background, text, secondary text) per kind of button.
_KINDS = {
    "primary": ("primary", "primary_down", "on_primary", "on_primary_soft"),
    "preferential": ("preferential", "preferential_down", "on_preferential",
                     "on_preferential_soft"),
    "back": ("back", "back_down", "on_back", "on_back"),
}


class KioskButton(ButtonBehavior, Label):
    """A large rounded button: a title in bold and, optionally, one line of description.

    Long titles (some group names are long) wrap, and the text shrinks until it fits the
    button instead of being cut: ``fit_scale`` is the largest scale that fits, computed at
    once when the size or text changes (no visible shrinking). ``scale`` is the one drawn; a
    grid of answers sets every button to the grid's smallest ``fit_scale`` (``shared_scale``).
    ``action`` is called on release with no arguments.
    """

    title = StringProperty("")
    desc = StringProperty("")
    kind = OptionProperty("primary", options=list(_KINDS))
    title_size = NumericProperty(40)
    desc_size = NumericProperty(28)
    fit_scale = NumericProperty(1.0)
    scale = NumericProperty(1.0)
    shared_scale = BooleanProperty(False)
    #: Inert and dimmed while a ticket is being issued. Unlike ``disabled`` this changes only
    #: the canvas (opacity), not the text, so blocking a grid costs no text rendering.
    blocked = BooleanProperty(False)
    bg = ListProperty([0, 0, 0, 1])
    border = BooleanProperty(False)
    action = ObjectProperty(None, allownone=True)
    #: The current colours (``app.palette``, set in common.kv): redrawn when they change.
    palette = DictProperty(colours(PALETTE))

    #: The height the text needs, whole, at ``MIN_SCALE`` (0 until measured): a grid whose
    #: rows are lower than this gives them this height and scrolls rather than cut a title.
    min_height = NumericProperty(0)

    MIN_SCALE = 0.5

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        for name in ("title", "desc", "title_size", "desc_size", "size", "padding"):
            self.fbind(name, self._fit)
        for name in ("kind", "state", "disabled", "scale", "palette"):
            self.fbind(name, self._refresh)
        self._fit()

    def _fits(self) -> bool:
        width, height = self.texture_size
        return bool(height <= self.height and width <= self.width)

    def _fit(self, *_: object) -> None:
        scale, need = 1.0, self.min_height
        # Set here, not in kv: the wrap width must be current before measuring.
        self.text_size = (max(1, self.width - self.padding[0] - self.padding[2]), None)
        if self.width > 1 and self.height > 1:
            while True:
                self.text = self._markup(scale)
                self.texture_update()  # measure now, not on the next frame
                if self._fits() or scale <= self.MIN_SCALE:
                    break
                scale = max(self.MIN_SCALE, scale * 0.9)
            if scale > self.MIN_SCALE:
                self.text = self._markup(self.MIN_SCALE)
                self.texture_update()
            need = self.texture_size[1]  # the texture's height includes the vertical padding
        self.fit_scale = scale
        if not self.shared_scale:
            self.scale = scale
        self._refresh()
        # last: a grid may resize this button at once (and so fit it again, within this call)
        self.min_height = need

    def _markup(self, scale: float) -> str:
        _bg, _down, _fg, soft = _KINDS[self.kind]
        if self.disabled:
            soft = "on_disabled"
        text = f"[b][size={int(self.title_size * scale)}]{escape_markup(self.title)}[/size][/b]"
        if self.desc:
            hexa = get_hex_from_color(self.palette[soft])
            text += (f"\n[size={int(self.desc_size * scale)}][color={hexa}]"
                     f"{escape_markup(self.desc)}[/color][/size]")
        return text

    def _refresh(self, *_: object) -> None:
        bg, down, fg, _soft = _KINDS[self.kind]
        if self.disabled:
            bg, fg = "disabled", "on_disabled"
        elif self.state == "down":
            bg = down
        self.bg = list(self.palette[bg])
        self.color = self.palette[fg]
        self.border = self.kind == "back"
        self.text = self._markup(self.scale)

    def on_blocked(self, _instance: object, blocked: bool) -> None:
        self.opacity = 0.55 if blocked else 1.0

    def on_touch_down(self, touch: MotionEvent) -> bool:
        if self.blocked:
            return bool(self.collide_point(*touch.pos))
        return bool(super().on_touch_down(touch))

    def on_release(self) -> None:
        """Act, unless this button's screen is no longer the one shown.

        A touchscreen can deliver one finger twice (the touch device and the emulated mouse);
        the second release then belongs to a screen the first one already left.
        """
        if self.action is None:
            return
        screen = self.parent
        while screen is not None and not isinstance(screen, Screen):
            # a button outside the screens ("Escuchar") reaches the window, its own parent
            screen = None if screen.parent is screen else screen.parent
        if screen is not None and screen.manager is not None and (
                screen.manager.current != screen.name):
            return
        self.action()


class QRCode(Image):
    """The QR code of ``data``, drawn with sharp square modules."""

    data = StringProperty("")

    def on_data(self, _instance: object, value: str) -> None:
        if not value:
            self.texture = None
            return
        side, pixels = qr_rgba(value)
        texture = Texture.create(size=(side, side), colorfmt="rgba")
        texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.texture = texture


class MessageCard(BoxLayout):
    """A message on a white card; ``band`` colours its top edge (look in common.kv)."""

    band = ListProperty([0, 0, 0, 1])
