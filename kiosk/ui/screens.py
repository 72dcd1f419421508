"""The kiosk screens: thin Kivy classes that draw the app's state and call app methods.

Their look lives in ``kv/<screen>.kv`` (one file per screen); the rules live in
:mod:`kiosk.flow`.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.flow import Screen as Step
from kiosk.theme import row_heights
from kiosk.ui.widgets import KioskButton


class KioskScreen(Screen):
    """Base: page background (see common.kv)."""


class TouchArea(ButtonBehavior, BoxLayout):
    """A whole area that acts as one big button (the welcome screen)."""

    def on_release(self) -> None:
        App.get_running_app().start()  # the flow ignores it unless the welcome screen shows


class WelcomeScreen(KioskScreen):
    pass


class ChoiceScreen(KioskScreen):
    """A question with one large button per answer, in a grid that fits the window."""

    title = StringProperty("")
    hint = StringProperty("")
    #: Space between rows of answers (and under the lead answer): the layout's gap, halved
    #: when that is what keeps every answer on the screen (set by :meth:`fit_rows`).
    row_gap = NumericProperty(0)
    what = "services"
    height_key = "service_h"

    def on_kv_post(self, base_widget: Any) -> None:
        app = App.get_running_app()
        app.fbind("ui", self.rebuild)
        app.fbind("busy", self._on_busy)
        self.ids.scroll.fbind("height", self.fit_rows)
        self.bind_answers(app)
        self.rebuild()

    def bind_answers(self, app: Any) -> None:
        raise NotImplementedError

    def answers(self) -> list[dict[str, Any]]:
        """KioskButton properties, one dict per answer."""
        raise NotImplementedError

    def lead_answer(self) -> dict[str, Any] | None:
        """An answer that gets a full-width row of its own in portrait layout."""
        return None

    def rebuild(self, *_: object) -> None:
        app = App.get_running_app()
        grid, lead = self.ids.grid, self.ids.lead
        grid.clear_widgets()
        lead.clear_widgets()
        answers = self.answers()
        first = self.lead_answer()
        if first is not None and app.ui["kind"] in ("portrait", "compact"):
            button = self._button(app, first)
            button.fbind("min_height", self.fit_rows)
            lead.add_widget(button)  # a row of its own, apart from the rest
        elif first is not None:
            answers.insert(0, first)
        grid.cols = app.layout.columns(self.what, len(answers))
        for spec in answers:
            button = self._button(app, spec)
            button.shared_scale = True
            button.fbind("fit_scale", self._same_scale)
            button.fbind("min_height", self.fit_rows)
            grid.add_widget(button)
        self.fit_rows()
        self._same_scale()

    def _same_scale(self, *_: object) -> None:
        """When one answer must shrink to fit, all shrink alike: a grid of mixed type sizes
        looks broken and reads badly."""
        buttons = self.ids.grid.children
        scale = min((b.fit_scale for b in buttons), default=1.0)
        for button in buttons:
            button.scale = scale

    def fit_rows(self, *_: object) -> None:
        """Make the rows share the space (the lead answer's row too: it is as tall as the
        others when room is short), down to the minimum touch size and to the height their
        titles need whole at the smallest type (:func:`kiosk.theme.row_heights`), the rows
        closer together, then one more column; only if even that does not fit does the grid
        scroll (a title is never cut)."""
        app = App.get_running_app()
        grid, scroll, lead = self.ids.grid, self.ids.scroll, self.ids.lead
        if not grid.children or scroll.height <= 0:
            return
        buttons = list(reversed(grid.children))  # in reading order
        rows = [buttons[i:i + grid.cols] for i in range(0, len(buttons), grid.cols)]
        if lead.children:  # its row (the gap under it apart) is room shared by all rows
            rows.insert(0, list(lead.children))
        # the room of the rows and the gaps between them (the lead's row and the gap under it
        # included): the same whatever heights and gaps the rows have now
        room = scroll.height - grid.padding[1] - grid.padding[3] + lead.height - lead.padding[1]
        needs = [max(b.min_height for b in row) for row in rows]
        for gap in (app.ui["gap"], app.ui["gap"] / 2):
            heights = row_heights(needs, room - (len(rows) - 1) * gap, app.ui["touch"] + 1,
                                  app.ui[self.height_key])
            fits = sum(heights) + (len(rows) - 1) * gap <= room
            if fits:
                break
        if not fits and grid.cols < app.layout.max_columns:
            # fewer, narrower rows; measured again once the grid has laid them out
            grid.cols += 1
            Clock.schedule_once(self.fit_rows)
            return
        self.row_gap = gap
        for row, height in zip(rows, heights, strict=True):
            for button in row:
                button.height = height

    def _button(self, app: Any, spec: dict[str, Any]) -> KioskButton:
        return KioskButton(size_hint_y=None, height=app.ui[self.height_key],
                           title_size=app.ui["font_button"],
                           desc_size=app.ui["font_button_desc"], blocked=app.busy, **spec)

    def _on_busy(self, _app: object, busy: bool) -> None:
        for button in [*self.ids.grid.children, *self.ids.lead.children]:
            button.blocked = busy

    def on_pre_enter(self, *_: object) -> None:
        self.ids.scroll.scroll_y = 1


class ServicesScreen(ChoiceScreen):
    def bind_answers(self, app: Any) -> None:
        app.fbind("services", self.rebuild)

    def answers(self) -> list[dict[str, Any]]:
        app = App.get_running_app()
        return [{"title": s.name, "desc": s.description, "kind": "primary",
                 "action": lambda code=s.code: app.choose_service(code)}
                for s in app.services]


class GroupsScreen(ChoiceScreen):
    what = "groups"
    height_key = "group_h"

    def bind_answers(self, app: Any) -> None:
        app.fbind("groups", self.rebuild)

    def lead_answer(self) -> dict[str, Any] | None:
        """"No" comes first: it is the most common answer."""
        app = App.get_running_app()
        return {"title": app.t["no"], "desc": app.t["no_hint"], "kind": "primary",
                "action": lambda: app.choose_group(None)}

    def answers(self) -> list[dict[str, Any]]:
        app = App.get_running_app()
        return [{"title": g.name, "kind": "preferential",
                 "action": lambda code=g.code: app.choose_group(code)}
                for g in app.groups]


class TicketScreen(KioskScreen):
    def on_touch_up(self, touch: Any) -> bool:
        """A touch anywhere ends the ticket screen (once printing is over)."""
        if super().on_touch_up(touch):
            return True
        if self.collide_point(*touch.pos) and touch.grab_current is None:
            App.get_running_app().finish()
            return True
        return False


class ClosedScreen(KioskScreen):
    pass


class OfflineScreen(KioskScreen):
    pass


class ErrorScreen(KioskScreen):
    pass


SCREENS: dict[Step, type[KioskScreen]] = {
    Step.WELCOME: WelcomeScreen,
    Step.SERVICES: ServicesScreen,
    Step.GROUPS: GroupsScreen,
    Step.TICKET: TicketScreen,
    Step.CLOSED: ClosedScreen,
    Step.OFFLINE: OfflineScreen,
    Step.ERROR: ErrorScreen,
}
