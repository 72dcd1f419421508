"""Drive a real kiosk window (one subprocess per run) through a list of steps.

Kivy keeps one global window per process, so each test starts this script with
``python -m tests.kiosk.driver SPEC.json``. SPEC has the kiosk settings and the steps; the
script runs the real app (``kiosk.runner.build_app``) against the real server and printer spec,
touches buttons with real touch events, takes screenshots, and writes a JSON result next to
SPEC that the pytest test asserts on.

Steps (one dict each):

- ``{"wait": "services"}``: until that screen shows (``"printed": true`` also waits for the
  printer's verdict); ``"timeout"`` in seconds.
- ``{"wait_services": ["A", "B"]}``: until the kiosk offers exactly these services.
- ``{"touch": "Radicación de PQRSD"}``: touch the centre of the visible button with that
  title (``"@screen"`` = the centre of the window); ``"times": 2`` touches twice, back to back;
  with ``"overlapping": true`` as one finger reported twice (down, down, up, up).
- ``{"shot": "services"}``: screenshot to ``<shots>/<prefix>-services.png``, and record the
  visible buttons' sizes and the QR code's place.
- ``{"record": "general"}``: keep the ticket on screen and the print state under that name.
- ``{"idle_polls": 30}``: mark the log (``@@idle-start`` … ``@@idle-end``) around that many
  polls of the server by an idle kiosk (set a small ``refresh_s``).
- ``{"checkpoint": "offline"}``: tell the test (file ``<spec>.offline.reached``) and wait
  until it answers (file ``<spec>.offline.go``), e.g. while it starts the server.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from kiosk.runner import build_app
from kiosk.settings import KioskSettings


class Driver:
    def __init__(self, spec_path: Path) -> None:
        self.spec_path = spec_path
        self.spec = json.loads(spec_path.read_text())
        self.shots = Path(self.spec.get("shots", spec_path.parent))
        self.prefix = self.spec.get("prefix", "kiosk")
        self.app = build_app(KioskSettings(**self.spec["settings"]))
        self.polls = 0
        load = self.app.service.load_catalog

        def counted() -> Any:  # counts the kiosk's polls of the server
            catalog = load()
            self.polls += 1
            return catalog

        self.app.service.load_catalog = counted  # type: ignore[method-assign]
        self.result: dict[str, Any] = {"ok": False, "screens": [], "tickets": {}, "prints": {},
                                       "buttons": {}, "texts": {}, "qr": {}, "shots": {},
                                       "timeline": [[time.monotonic(), "start", ""]]}

    # ------------------------------------------------------------------ helpers
    async def until(self, condition: Any, seconds: float, what: str) -> None:
        """Poll ``condition`` every frame-ish until it holds; after ``seconds``, fail naming
        what was awaited and where the app stood."""
        try:
            async with asyncio.timeout(seconds):
                # Polling is the point: the conditions read Kivy properties, frame counts
                # and files the test process writes, none of which can be awaited.
                while not condition():  # noqa: ASYNC110
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise TimeoutError(f"timed out after {seconds}s waiting for {what}; "
                               f"screen={self.app.screen} print={self.app.print_state} "
                               f"message={self.app.message!r}") from None

    async def frames(self, n: int = 2) -> None:
        from kivy.clock import Clock

        target = Clock.frames_displayed + n
        await self.until(lambda: Clock.frames_displayed >= target, 10, f"{n} frames")

    def current(self) -> Any:
        return self.app.manager.current_screen

    def visible_buttons(self) -> list[Any]:
        from kivy.uix.behaviors import ButtonBehavior

        return self.visible(lambda w: isinstance(w, ButtonBehavior)
                            and type(w).__name__ != "TouchArea")

    def visible_texts(self) -> list[dict[str, Any]]:
        from kivy.uix.label import Label

        return [{"text": w.text, "rect": self.window_rect(w), "font_size": w.font_size,
                 "texture": list(w.texture_size), "color": list(w.color),
                 "lines": self.lines(w)}
                for w in self.visible(lambda w: isinstance(w, Label) and w.text)]

    def visible(self, wanted: Any) -> list[Any]:
        found: list[Any] = []

        def visible(w: Any) -> bool:
            while w is not None and w is not w.parent:
                if getattr(w, "opacity", 1) <= 0 or w.width <= 0 or w.height <= 0:
                    return False
                w = w.parent
            return True

        def walk(w: Any) -> None:
            if wanted(w) and visible(w):
                found.append(w)
            for child in w.children:
                walk(child)

        walk(self.current())
        walk(self.app.access_bar)  # "Escuchar" and "Letra grande", above every screen
        return found

    def shown(self, w: Any) -> bool:
        """Whether the whole widget is in sight: not cut by a scrolling area it sits in."""
        from kivy.uix.scrollview import ScrollView

        x, y, width, height = self.window_rect(w)
        parent = w.parent
        while parent is not None and parent is not parent.parent:
            if isinstance(parent, ScrollView):
                px, py, pw, ph = self.window_rect(parent)
                if x < px - 1 or y < py - 1 or x + width > px + pw + 1 or y + height > py + ph + 1:
                    return False
            parent = parent.parent
        return True

    @staticmethod
    def lines(label: Any) -> list[str]:
        """The lines a label drew, as Kivy's text layout split them (its private record of
        the last rendering; no public API tells where a text wrapped)."""
        return ["".join(word.text for word in line.words)
                for line in getattr(label._label, "_cached_lines", [])]

    def window_rect(self, w: Any) -> list[float]:
        x, y = w.to_window(w.x, w.y)
        return [x, y, w.width, w.height]

    # ------------------------------------------------------------------ steps
    async def step(self, s: dict[str, Any]) -> None:
        app = self.app
        if "wait" in s:
            want = s["wait"]
            await self.until(
                lambda: app.screen == want and (not s.get("printed") or
                                                app.print_state not in ("", "printing")),
                s.get("timeout", 15), f"screen {want}")
            await self.frames(2)
        elif "wait_services" in s:
            want = s["wait_services"]
            await self.until(lambda: [x.code for x in app.services] == want,
                             s.get("timeout", 30), f"services {want}")
        elif "touch" in s:
            self.touch(s["touch"], s.get("times", 1), s.get("overlapping", False))
            await self.frames(1)
        elif "shot" in s:
            await self.shot(s["shot"])
        elif "record" in s:
            self.result["tickets"][s["record"]] = dict(app.ticket)
            self.result["prints"][s["record"]] = [app.print_state, app.flow.print_message]
        elif "idle_polls" in s:
            # measure the log of an idle kiosk: marks around N catalog polls
            sys.stderr.write("@@idle-start\n")
            sys.stderr.flush()
            first = self.polls
            await self.until(lambda: self.polls >= first + s["idle_polls"],
                             s.get("timeout", 60), "idle polls")
            self.result["idle_polls"] = self.polls - first
            sys.stderr.write("@@idle-end\n")
            sys.stderr.flush()
        elif "checkpoint" in s:
            base = f"{self.spec_path}.{s['checkpoint']}"
            await asyncio.to_thread(Path(base + ".reached").write_text, "1")
            go = Path(base + ".go")
            await self.until(go.exists, s.get("timeout", 60), f"checkpoint {s['checkpoint']}")
        else:
            raise ValueError(f"unknown step {s}")

    def touch(self, target: str, times: int, overlapping: bool = False) -> None:
        from kivy.core.window import Window
        from kivy.tests.common import UnitTestTouch

        if target == "@screen":
            x, y = Window.width / 2, Window.height / 2
        else:
            buttons = [b for b in self.visible_buttons() if getattr(b, "title", None) == target]
            if not buttons:
                titles = [getattr(b, "title", "?") for b in self.visible_buttons()]
                raise LookupError(f"no visible button {target!r} on {self.app.screen}: {titles}")
            x, y = buttons[0].to_window(*buttons[0].center)
        self.result["timeline"].append([time.monotonic(), "touch", target])
        touches = [UnitTestTouch(x, y) for _ in range(times)]
        if overlapping:  # one finger delivered twice: down, down, up, up
            for touch in touches:
                touch.touch_down()
            for touch in touches:
                touch.touch_up()
            return
        for touch in touches:
            touch.touch_down()
            touch.touch_up()

    async def shot(self, name: str) -> None:
        from kivy.core.window import Window

        await self.frames(2)
        Window.canvas.ask_update()
        Window.dispatch("on_draw")  # draw now and read the back buffer before any flip
        saved = Window.screenshot(name=str(self.shots / f"tmp-{self.prefix}-{name}.png"))
        target = self.shots / f"{self.prefix}-{name}.png"
        shutil.move(saved, target)
        self.result["shots"][name] = str(target)
        self.result["texts"][name] = self.visible_texts()
        self.result["buttons"][name] = [
            {"title": getattr(b, "title", ""), "desc": getattr(b, "desc", ""),
             "rect": self.window_rect(b),
             "scale": getattr(b, "scale", 1.0), "texture": list(b.texture_size),
             "padding": list(b.padding), "lines": self.lines(b),
             "title_size": getattr(b, "title_size", b.font_size), "shown": self.shown(b),
             "bg": list(getattr(b, "bg", ()))}
            for b in self.visible_buttons()]
        qr = self.current().ids.get("qr")
        if qr is not None and qr.data and qr.width > 0:
            self.result["qr"][name] = {"data": qr.data, "rect": self.window_rect(qr),
                                       "norm_image_size": list(qr.norm_image_size)}

    def _screen_changed(self, _app: Any, screen: str) -> None:
        self.result["screens"].append(screen)
        self.result["timeline"].append([time.monotonic(), "screen", screen])
        self._unshown = screen

    def _flipped(self, *_: Any) -> None:
        """First frame on the glass after a screen change."""
        if self._unshown:
            self.result["timeline"].append([time.monotonic(), "shown", self._unshown])
            self._unshown = ""

    # ------------------------------------------------------------------ run
    async def scenario(self) -> None:
        try:
            await self.until(lambda: self.app.screen != "", 20, "the app to start")
            for s in self.spec["steps"]:
                await self.step(s)
            self.result["ok"] = True
        except Exception:  # noqa: BLE001 - reported to the test
            self.result["error"] = traceback.format_exc()
        finally:
            self.app.stop()

    async def main(self) -> None:
        from kivy.core.window import Window
        from kivy.metrics import Metrics

        self._unshown = ""
        self.app.bind(screen=self._screen_changed)
        Window.bind(on_flip=self._flipped)
        self.app.bind(print_state=lambda _a, v: self.result["timeline"].append(
            [time.monotonic(), "print", v]))
        await asyncio.gather(self.app.async_run(async_lib="asyncio"), self.scenario())
        self.result.update(
            dpi=Metrics.dpi, window=list(Window.size), spoken=self.app.speaker.spoken,
            errors=self.app.errors, layout=dict(self.app.ui),
            pending_reports=len(self.app.service.pending_reports))
        self.app.service.close()


def run(spec_path: Path) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    driver = Driver(spec_path)
    try:
        asyncio.run(driver.main())
    finally:
        spec_path.with_suffix(".result.json").write_text(json.dumps(driver.result, indent=1))
    return 0 if driver.result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1])))
