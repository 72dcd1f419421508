"""The Kivy application: wires the flow, the blocking service and the screens together.

Threads: the UI thread only draws and calls :class:`~kiosk.flow.KioskFlow`; server calls run
in a small pool and printing in a single worker (a printer does one job at a time). Results
come back to the UI thread with ``Clock.schedule_once``, so the screen never freezes, even on
a 9600-baud printer or a server that does not answer.

Import this module only when the kiosk runs: importing Kivy opens a window.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import Metrics
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    StringProperty,
)
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk import texts as tx
from kiosk.api import ServerError
from kiosk.flow import (
    Fault,
    GroupOption,
    IssueRequest,
    KioskFlow,
    PrintState,
    ServiceOption,
    Timing,
)
from kiosk.printing import PrintOutcome
from kiosk.service import KioskService
from kiosk.settings import KioskSettings
from kiosk.speech import Speaker
from kiosk.theme import PALETTES, colours, layout_for
from kiosk.ui.screens import SCREENS

log = logging.getLogger(__name__)

KV_DIR = Path(__file__).parent / "kv"
#: common.kv first: the other files use its widgets.
KV_FILES = ("common.kv", "welcome.kv", "services.kv", "groups.kv", "ticket.kv", "closed.kv",
            "offline.kv", "error.kv", "access.kv")
#: "Letra grande": every text this much larger (buttons keep their size; long texts shrink to
#: fit inside them as they already do).
LARGE_TEXT_SCALE = 1.3
HEARTBEAT_S = 0.25


class KeepRunning(ExceptionHandler):
    """A kiosk must not crash to the desktop: log the error, keep the app alive."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app

    def handle_exception(self, inst: BaseException) -> int:
        if isinstance(inst, KeyboardInterrupt | SystemExit):
            return ExceptionManager.RAISE
        self.app.errors.append("".join(traceback.format_exception(inst)))
        log.error("error en el quiosco: %s", self.app.errors[-1])
        return ExceptionManager.PASS


class KioskApp(App):
    #: Pixel sizes of the current window (see kiosk.theme.Layout).
    ui = DictProperty()
    t = DictProperty()
    office_name = StringProperty("")
    clock_text = StringProperty("")
    message = StringProperty("")
    error_title = StringProperty("")
    error_hint = StringProperty("")
    busy = BooleanProperty(False)
    can_go_back = BooleanProperty(False)
    services = ListProperty()
    groups = ListProperty()
    footer = StringProperty("")
    ticket = DictProperty()
    #: The ticket's texts, ready to draw (kv cannot watch dict.get()).
    number = StringProperty("")
    service_name = StringProperty("")
    group_line = StringProperty("")
    ahead_text = StringProperty("")
    wait_text = StringProperty("")
    status_text = StringProperty("")
    print_state = StringProperty("")
    qr_data = StringProperty("")
    screen = StringProperty("")
    large_text = BooleanProperty(False)
    high_contrast = BooleanProperty(False)
    #: The colours every screen draws with (kiosk.theme.colours of the current palette); the
    #: kv rules and the buttons redraw when it changes ("Alto contraste").
    palette = DictProperty(colours(PALETTES["normal"]))

    def __init__(self, settings: KioskSettings, service: KioskService, speaker: Speaker,
                 clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.service = service
        self.speaker = speaker
        self.now = clock
        self.t = tx.texts(settings.lang)
        self.flow = KioskFlow(Timing(
            idle_s=settings.idle_timeout_s, ticket_s=settings.ticket_timeout_s,
            fallback_s=settings.fallback_timeout_s, error_s=settings.error_timeout_s,
            refresh_s=settings.refresh_s, retry_s=settings.retry_s,
            retry_max_s=max(settings.retry_s, 15)), clock(), settings.lang)
        self.errors: list[str] = []
        self._net = ThreadPoolExecutor(2, thread_name_prefix="kiosk-net")
        self._printing = ThreadPoolExecutor(1, thread_name_prefix="kiosk-printer")
        self._announced: tuple[object, ...] = ()
        self._stopping = False
        self._tz = ZoneInfo("America/Bogota")
        self.title = "Turnero — quiosco"

    # ------------------------------------------------------------------ Kivy life cycle
    def build(self) -> FloatLayout:
        ExceptionManager.add_handler(KeepRunning(self))
        self._apply_layout()
        for name in KV_FILES:
            Builder.load_file(str(KV_DIR / name))
        Window.clearcolor = self.palette["page"]
        Window.bind(on_resize=lambda *_: self._apply_layout())
        Window.bind(on_touch_down=lambda *_: self.flow.touched(self.now()))
        manager = ScreenManager(transition=NoTransition())
        for step, cls in SCREENS.items():
            manager.add_widget(cls(name=str(step)))
        self.manager = manager
        root = FloatLayout()
        root.add_widget(manager)
        self.access_bar = Factory.AccessBar()
        root.add_widget(self.access_bar)  # above every screen
        return root

    def on_start(self) -> None:
        self._printing.submit(self._check_printer)
        self._heartbeat(0)
        Clock.schedule_interval(self._heartbeat, HEARTBEAT_S)

    def on_stop(self) -> None:
        self._stopping = True
        Clock.unschedule(self._heartbeat)
        self.speaker.stop()
        self._net.shutdown(wait=False, cancel_futures=True)
        self._printing.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ citizen actions
    def start(self) -> None:
        self.flow.start(self.now())
        self._sync()

    def choose_service(self, code: str) -> None:
        request = self.flow.choose_service(code, self.now())
        self._sync()
        if request is not None:
            self._issue(request)

    def choose_group(self, code: str | None) -> None:
        request = self.flow.choose_group(code, self.now())
        self._sync()
        if request is not None:
            self._issue(request)

    def listen(self) -> None:
        """ "Escuchar": read this screen aloud now, even on a kiosk whose voice is off."""
        self.flow.touched(self.now())
        self.speaker.say(self.flow.prompt(), always=True)

    def toggle_large_text(self) -> None:
        self.flow.toggle_large_text(self.now())
        self._sync()

    def toggle_high_contrast(self) -> None:
        self.flow.toggle_high_contrast(self.now())
        self._sync()

    def back(self) -> None:
        self.flow.back(self.now())
        self._sync()

    def finish(self) -> None:
        self.flow.finish(self.now())
        self._sync()

    # ------------------------------------------------------------------ background work
    def _in_background(self, pool: ThreadPoolExecutor, work: Callable[..., Any],
                       done: Callable[[Future[Any]], None], *args: Any) -> None:
        if self._stopping:
            return
        future = pool.submit(work, *args)
        future.add_done_callback(lambda f: Clock.schedule_once(lambda _dt: done(f)))

    def _issue(self, request: IssueRequest) -> None:
        self._in_background(self._net, self.service.issue,
                            lambda f: self._issue_done(request, f), request)

    def _issue_done(self, request: IssueRequest, future: Future[dict[str, Any]]) -> None:
        now = self.now()
        try:
            ticket = future.result()
        except ServerError as e:
            self.flow.issue_failed(request, e.fault, e.message, now)
        except Exception as e:  # noqa: BLE001 - shown, logged, and the kiosk goes on
            log.exception("issuing failed")
            self.flow.issue_failed(request, Fault.REFUSED, str(e), now)
        else:
            self.flow.issued(request, ticket, now)
            assert self.flow.catalog is not None
            office = self.flow.catalog.office
            self._in_background(self._printing, self.service.print_and_report,
                                lambda f: self._print_done(ticket["id"], f), ticket, office)
        self._sync()

    def _print_done(self, ticket_id: str, future: Future[PrintOutcome]) -> None:
        outcome = future.result()  # print_and_report never raises
        if outcome.state == PrintState.FAILED:
            log.warning("ticket %s not printed: %s", ticket_id, outcome.message)
        self.flow.printed(ticket_id, outcome.state, outcome.message, self.now())
        self._sync()

    def _refresh(self) -> None:
        self.flow.refresh_started(self.now())
        self._in_background(self._net, self.service.load_catalog, self._catalog_done)

    def _catalog_done(self, future: Future[Any]) -> None:
        now = self.now()
        try:
            catalog = future.result()
        except ServerError as e:
            self.flow.catalog_failed(e.fault, e.message, now)
        except Exception as e:  # noqa: BLE001
            log.exception("loading the catalog failed")
            self.flow.catalog_failed(Fault.UNREACHABLE, str(e), now)
        else:
            self.flow.catalog_loaded(catalog, now)
            self._tz = ZoneInfo(catalog.office.timezone)
        self._sync()

    def _check_printer(self) -> None:
        problem = self.service.printing.connect()
        if problem:
            log.warning("impresora: %s (se reintenta con cada turno)", problem)

    def _heartbeat(self, _dt: float) -> None:
        now = self.now()
        self.flow.tick(now)
        if self.flow.refresh_due(now):
            self._refresh()
        self.clock_text = tx.clock_text(datetime.now(self._tz))
        self._sync()

    # ------------------------------------------------------------------ state → screen
    def _apply_layout(self) -> None:
        width, height = Window.size
        self.layout = layout_for(int(width), int(height), Metrics.dpi,
                                 LARGE_TEXT_SCALE if self.large_text else 1.0)
        self.ui = self.layout.as_dict()

    def _apply_aids(self) -> None:
        """The citizen's reading aids (kept by the flow for one visit) onto the screens."""
        aids = self.flow.aids
        if aids.large_text != self.large_text:
            self.large_text = aids.large_text
            log.info("letra grande: %s", "sí" if aids.large_text else "no")
            self._apply_layout()
        if aids.high_contrast != self.high_contrast:
            self.high_contrast = aids.high_contrast
            log.info("alto contraste: %s", "sí" if aids.high_contrast else "no")
            self.palette = colours(PALETTES["high_contrast" if aids.high_contrast else "normal"])
            Window.clearcolor = self.palette["page"]

    def _sync(self) -> None:
        """Copy the flow's state into the properties the screens draw."""
        f = self.flow
        self._apply_aids()
        self.office_name = f.office_name
        self.message = f.message
        self.error_title = f.error_title
        self.error_hint = f.error_hint
        self.busy = f.busy
        self.can_go_back = f.can_go_back
        services: list[ServiceOption] = list(f.services)
        if services != self.services:
            self.services = services
        groups: list[GroupOption] = list(f.groups)
        if groups != self.groups:
            self.groups = groups
        self.footer = "\n".join(f.catalog.office.footer) if f.catalog else ""
        ticket = f.ticket or {}
        if ticket != dict(self.ticket):
            self.ticket = ticket
            self.number = ticket.get("number", "")
            self.service_name = ticket.get("service_name") or ""
            group = ticket.get("group_name")
            self.group_line = f"{self.t['preferential']}: {group}" if group else ""
            self.ahead_text = tx.people_ahead(int(ticket.get("ahead") or 0))
            self.wait_text = tx.estimated_wait(ticket.get("estimated_wait_min"),
                                               ticket.get("wait_note"))
        self.print_state = str(f.print_state or "")
        status: dict[PrintState | None, str] = {PrintState.PRINTING: self.t["printing"],
                                                PrintState.PRINTED: self.t["printed"],
                                                PrintState.UNKNOWN: self.t["print_unknown"]}
        self.status_text = status.get(f.print_state, "")
        self.qr_data = ticket.get("status_url", "") if f.print_state == PrintState.FAILED else ""
        self.screen = str(f.screen)
        if self.manager.current != self.screen:
            self.manager.current = self.screen
            log.info("pantalla: %s%s", self.screen, f" ({f.message})" if f.message else "")
        key = f.announcement_key()
        if key != self._announced:
            self._announced = key
            self.speaker.say(f.prompt())
