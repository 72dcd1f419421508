"""Start the kiosk: configure Kivy for the screen, then build and run the app.

Kivy is imported here lazily, only when a kiosk actually starts (importing it opens a window),
so ``turnero --help`` and the tests of the pure modules need no display.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kiosk.api import KioskApi
from kiosk.logs import configure_logging
from kiosk.printing import TicketPrinting
from kiosk.service import KioskService
from kiosk.settings import KioskSettings
from kiosk.speech import Speaker

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


def configure_kivy(settings: KioskSettings) -> None:
    """Window size, full screen and input settings; must run before Kivy opens the window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    configure_logging()
    if settings.dpi:
        os.environ["KIVY_DPI"] = str(settings.dpi)
    from kivy.config import Config

    width, height = settings.window_size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    if settings.fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
        Config.set("kivy", "exit_on_escape", "0")
    # A touchscreen is not a mouse: no red multitouch-emulation dots, and no mouse events
    # while a touch device is active (otherwise one finger can arrive twice).
    Config.set("input", "mouse", "mouse,disable_multitouch,disable_on_activity")


def build_app(settings: KioskSettings) -> KioskApp:
    """The app with its real server client, printer and voice (not started yet).

    Raises ``printer.PrinterSpecError`` for a malformed printer spec (a set-up mistake).
    """
    printing = TicketPrinting(settings.printer, settings.paper)
    service = KioskService(KioskApi(settings.server, settings.token,
                                    settings.request_timeout_s, settings.name), printing)
    configure_kivy(settings)
    from kiosk.ui.app import KioskApp

    return KioskApp(settings, service, Speaker(settings.speak, settings.voice))


def run(settings: KioskSettings) -> int:
    app = build_app(settings)
    try:
        app.run()
    finally:
        app.service.close()
    return 0
