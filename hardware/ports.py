"""The serial side of the bridge: one thread per port, so a slow or dead port never delays the
others nor the events websocket.

- :class:`DisplayPort` writes to one port the frames of every display on it (several LED
  displays may share an RS-485 bus, each with its address). It keeps what each display should
  show now; after a reconnect (the adapter unplugged and plugged back) it writes all of it
  again, so no display stays on a stale number.
- :class:`ButtonPort` reads one port of key presses, cuts them into codes and hands each real
  press to the bridge.

Faults are logged once when they start and once when they end (:class:`FaultLog`), never once
per retry; retries back off up to ``retry_max_s``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hardware.config import ButtonsConfig, KeyAction, SerialSettings
from hardware.keys import Debouncer, KeyDecoder, describe
from hardware.transport import LinkDown, SerialLink

log = logging.getLogger("turnero.hardware")

CHECK_EVERY_S = 0.5


class FaultLog:
    """One log line when a fault starts and one when it ends, whatever the retries between."""

    def __init__(self, logger: logging.Logger = log) -> None:
        self._log = logger
        self._down: dict[str, str] = {}
        self._lock = threading.Lock()

    def down(self, key: str, message: str) -> bool:
        with self._lock:
            if key in self._down:
                return False
            self._down[key] = message
        self._log.warning("%s", message)
        return True

    def up(self, key: str, message: str) -> bool:
        with self._lock:
            if self._down.pop(key, None) is None:
                return False
        self._log.info("%s", message)
        return True


class Backoff:
    def __init__(self, first_s: float = 0.2, max_s: float = 10.0) -> None:
        self.first_s, self.max_s = first_s, max_s
        self._next = first_s

    def next(self) -> float:
        delay, self._next = self._next, min(self.max_s, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.first_s


@dataclass
class _Screen:
    frames: list[bytes]
    steps: list[tuple[float, list[bytes]]]
    refresh_s: float
    written_at: float = 0.0


class _PortThread(threading.Thread):
    """Open with back-off, notice an unplugged device, report up/down."""

    def __init__(self, settings: SerialSettings, what: str, faults: FaultLog,
                 on_status: Callable[[], None], retry_max_s: float) -> None:
        super().__init__(name=f"{what} {settings.port}", daemon=True)
        self.link = SerialLink(settings)
        self.what = what
        self.faults = faults
        self.on_status = on_status
        self.backoff = Backoff(max_s=retry_max_s)
        self.error: str | None = None  # optimistic until the first open says otherwise
        self._stopping = threading.Event()
        self._next_check = 0.0

    @property
    def connected(self) -> bool:
        return self.error is None

    def stop(self) -> None:
        self._stopping.set()
        self.wake()

    def wake(self) -> None:
        pass

    def _ensure_open(self) -> bool:
        if self.link.is_open:
            return True
        try:
            self.link.open()
        except LinkDown as e:
            self._mark_down(e.reason)
            self._stopping.wait(self.backoff.next())
            return False
        self.backoff.reset()
        self.error = None
        self.faults.up(self.link.port, f"{self.what} {self.link.port}: conectada de nuevo")
        self.on_status()
        self.opened()
        return True

    def opened(self) -> None:
        pass

    def _mark_down(self, reason: str) -> None:
        self.link.close()
        changed = self.error != reason
        self.error = reason
        self.faults.down(self.link.port, f"{self.what} {self.link.port}: no responde ({reason}); "
                                         "reintentando")
        if changed:
            self.on_status()

    def _check(self, now: float) -> None:
        if now >= self._next_check:
            self._next_check = now + CHECK_EVERY_S
            if self.link.is_open and not self.link.healthy():
                self._mark_down("el dispositivo desapareció (¿desconectado?)")


class DisplayPort(_PortThread):
    def __init__(self, settings: SerialSettings, faults: FaultLog,
                 on_status: Callable[[], None], retry_max_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(settings, "pantalla", faults, on_status, retry_max_s)
        self.clock = clock
        self._screens: dict[str, _Screen] = {}
        self._cond = threading.Condition()

    def add(self, name: str, refresh_s: float = 0.0) -> None:
        self._screens[name] = _Screen([], [], refresh_s)

    def show(self, name: str, frames: list[bytes],
             blink: Sequence[tuple[float, list[bytes]]] = (), force: bool = False) -> None:
        """Make ``name`` show ``frames``; ``blink`` adds (delay, frames) steps after it (a
        recall). Unchanged frames are not rewritten unless ``force`` (a re-sync)."""
        now = self.clock()
        with self._cond:
            screen = self._screens[name]
            if frames == screen.frames and not blink and not force:
                return
            screen.frames = frames
            screen.steps = [(now, frames), *((now + d, f) for d, f in blink)]
            self._cond.notify()

    def resync(self) -> None:
        """Write every display's current frames again (the port came back). A display with
        steps still pending keeps them: they end on its current frames, and a recall's blink
        queued while the port was opening is not lost."""
        now = self.clock()
        with self._cond:
            for s in self._screens.values():
                if s.frames and not s.steps:
                    s.steps = [(now, s.frames)]
            self._cond.notify()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify()

    def opened(self) -> None:
        self.resync()

    def _due(self, now: float) -> tuple[list[bytes], float]:
        """Frames due now, and how long to wait for the next step, check or refresh."""
        due: list[bytes] = []
        wait = CHECK_EVERY_S
        for s in self._screens.values():
            if s.refresh_s and s.frames and not s.steps and now - s.written_at >= s.refresh_s:
                s.steps = [(now, s.frames)]
            while s.steps and s.steps[0][0] <= now:
                due += s.steps.pop(0)[1]
                s.written_at = now
            if s.steps:
                wait = min(wait, s.steps[0][0] - now)
            elif s.refresh_s and s.frames:
                wait = min(wait, s.written_at + s.refresh_s - now)
        return due, max(0.0, wait)

    def run(self) -> None:
        while not self._stopping.is_set():
            if not self._ensure_open():
                continue
            with self._cond:
                due, wait = self._due(self.clock())
                if not due:
                    self._cond.wait(wait)
            for frame in due:
                try:
                    self.link.write(frame)
                except LinkDown as e:
                    self._mark_down(e.reason)  # the re-sync after reopening rewrites it all
                    break
            self._check(self.clock())
        self.link.close()


class ButtonPort(_PortThread):
    def __init__(self, config: ButtonsConfig, faults: FaultLog,
                 on_press: Callable[[KeyAction, bytes], None], on_status: Callable[[], None],
                 retry_max_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(config.serial, "botonera", faults, on_status, retry_max_s)
        self.config = config
        self.on_press = on_press
        self.clock = clock
        self.decoder = KeyDecoder(config.keys, config.ignore, config.sequence_timeout_ms / 1000)
        self.debouncer = Debouncer(config.debounce_ms / 1000)

    def run(self) -> None:
        while not self._stopping.is_set():
            if not self._ensure_open():
                continue
            try:
                data = self.link.read()
            except LinkDown as e:
                self._mark_down(e.reason)
                continue
            now = self.clock()
            for item in self.decoder.feed(data, now) if data else self.decoder.expire(now):
                self._handle(item.data, item.known, now)
            self._check(now)
        self.link.close()

    def _handle(self, data: bytes, known: bool, now: float) -> None:
        port = self.link.port
        if not known:
            log.warning("botonera %s: código desconocido o dañado, ignorado: %s", port,
                        describe(data))
            return
        if not self.debouncer.accept(data, now):
            log.info("botonera %s: %s repetido en menos de %d ms (rebote), ignorado", port,
                     describe(data), self.config.debounce_ms)
            return
        self.on_press(self.config.keys[data], data)
