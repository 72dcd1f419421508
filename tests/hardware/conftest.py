"""Real pseudo-terminals stand for the serial devices, and a real bridge subprocess drives them.

``Pty`` is a pty pair whose slave is reached through a symlink, the path the bridge opens: a
USB-serial adapter unplugged is the pair closed and the path gone; plugged back, a new pair
behind the same path. Reads wait for bytes with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
import tty
from pathlib import Path

from tests.conftest import ROOT, subprocess_env


class Pty:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        os.set_blocking(self.master, False)
        if path.is_symlink():
            path.unlink()
        path.symlink_to(os.ttyname(self.slave))
        self.buffer = b""
        self.open = True

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def _fill(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if ready:
            with contextlib.suppress(BlockingIOError):
                self.buffer += os.read(self.master, 65536)

    def read_until(self, expected: bytes, timeout: float = 8.0) -> bytes:
        """Everything up to and including ``expected``; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while expected not in self.buffer:
            left = deadline - time.monotonic()
            assert left > 0, f"waited {timeout}s for {expected!r}; got {self.buffer!r}"
            self._fill(left)
        end = self.buffer.index(expected) + len(expected)
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def read_exactly(self, size: int, timeout: float = 8.0) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self.buffer) < size:
            left = deadline - time.monotonic()
            assert left > 0, f"waited {timeout}s for {size} bytes; got {self.buffer!r}"
            self._fill(left)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def drain(self) -> bytes:
        """What arrived so far (no waiting)."""
        self._fill(0)
        data, self.buffer = self.buffer, b""
        return data

    def unplug(self) -> None:
        self.path.unlink()
        os.close(self.master)
        os.close(self.slave)
        self.open = False

    def close(self) -> None:
        if self.open:
            os.close(self.master)
            os.close(self.slave)
            self.open = False


class BridgeProcess:
    """``turnero hardware --config PATH`` in a subprocess, its log in a file."""

    def __init__(self, config: Path, token: str) -> None:
        self.log_path = config.with_suffix(".log")
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "hardware", "--config", str(config)],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            env=subprocess_env(TURNERO_HARDWARE_TOKEN=token))
        log.close()
        self._seen = 0

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def mark(self) -> None:
        """Later ``wait_log`` calls look only at what is logged from now on."""
        self._seen = len(self.log())

    def wait_log(self, text: str, timeout: float = 8.0) -> str:
        """The first log line containing ``text`` written since the last ``mark()``."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log()
            at = log.find(text, self._seen)
            if at >= 0:
                end = log.find("\n", at)
                return log[log.rfind("\n", 0, at) + 1:end if end >= 0 else len(log)]
            assert self.process.poll() is None, f"bridge exited: {log}"
            assert time.monotonic() < deadline, f"no {text!r} in the bridge log:\n{log}"
            time.sleep(0.02)

    def count(self, text: str) -> int:
        return self.log().count(text)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
