"""Spoken prompts for people who cannot read the screen (``speak = true``), offline.

espeak-ng runs as a child process started from one worker thread, so the Kivy UI thread never
forks or waits; a new prompt cuts the one still playing, as a person would expect when they
touch the next screen.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)

DEFAULT_COMMAND = ("espeak-ng", "-s", "150")


class Speaker:
    """``say(text)`` starts speaking and returns at once; ``spoken`` keeps what was said."""

    def __init__(self, enabled: bool, voice: str = "es",
                 command: tuple[str, ...] = DEFAULT_COMMAND) -> None:
        self.command = (*command, "-v", voice)
        self.available = shutil.which(command[0]) is not None
        self.enabled = enabled and self.available
        if enabled and not self.enabled:
            log.warning("%s no está instalado: la voz queda desactivada", command[0])
        self.spoken: list[str] = []
        self._current: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-voice")
        self._pending: Future[None] | None = None

    def say(self, text: str, always: bool = False) -> None:
        """Speak ``text``; ``always`` speaks even when the kiosk's voice is off (the
        "Escuchar" button), as long as espeak-ng is installed."""
        if not text:
            return
        self.spoken.append(text)
        if not (self.enabled or (always and self.available)):
            return
        self._pending = self._worker.submit(self._start, text)

    def _start(self, text: str) -> None:
        with self._lock:
            self._stop_current()
            try:
                self._current = subprocess.Popen(
                    [*self.command, text], stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError as e:
                log.warning("no se pudo hablar: %s", e)
                return
            proc = self._current
        threading.Thread(target=proc.wait, daemon=True).start()  # reap it when it ends

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current prompt has been said (tests, shutdown)."""
        if self._pending is not None:
            self._pending.result(timeout)
        with self._lock:
            proc = self._current
        if proc is not None:
            proc.wait(timeout)

    def stop(self) -> None:
        if self._pending is not None:
            self._pending.result()  # a prompt being started is stopped too
        with self._lock:
            self._stop_current()

    def _stop_current(self) -> None:
        if self._current is not None and self._current.poll() is None:
            self._current.terminate()
        self._current = None
