"""One serial port, through pyserial: a device path (``/dev/ttyUSB0``, ``/dev/serial/by-id/…``)
or any pyserial URL (``socket://host:4001`` for a serial-over-TCP converter, ``rfc2217://``,
``loop://``). Every pyserial or OS error becomes :class:`LinkDown` carrying the port, so the
callers have one fault to handle.

A USB-serial adapter that is unplugged makes its device path disappear; writes to the old file
descriptor may even keep succeeding for a while. ``healthy()`` notices: the path must still
name the same device that was opened.
"""

from __future__ import annotations

import contextlib
import os

import serial

from hardware.config import SerialSettings


class LinkDown(Exception):
    def __init__(self, port: str, reason: str) -> None:
        super().__init__(f"{port}: {reason}")
        self.port = port
        self.reason = reason


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__


class SerialLink:
    def __init__(self, settings: SerialSettings, read_timeout: float = 0.1,
                 write_timeout: float = 2.0) -> None:
        self.settings = settings
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self._serial: serial.SerialBase | None = None
        self._device: int | None = None

    @property
    def port(self) -> str:
        return self.settings.port

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def _is_path(self) -> bool:
        return "://" not in self.port

    def open(self) -> None:
        s = self.settings
        try:
            self._serial = serial.serial_for_url(
                s.port, baudrate=s.baudrate, bytesize=s.bytesize, parity=s.parity,
                stopbits=s.stopbits, timeout=self.read_timeout, write_timeout=self.write_timeout)
        except (serial.SerialException, OSError, ValueError) as e:
            self._serial = None
            raise LinkDown(s.port, _reason(e)) from e
        self._device = self._device_id()

    def _device_id(self) -> int | None:
        if not self._is_path():
            return None
        try:
            return os.stat(self.port).st_rdev
        except OSError:
            return None

    def healthy(self) -> bool:
        """False when the device path is gone or now names another device (replugged)."""
        if self._serial is None:
            return False
        return not self._is_path() or self._device_id() == self._device

    def write(self, data: bytes) -> None:
        if self._serial is None:
            raise LinkDown(self.port, "puerto cerrado")
        try:
            self._serial.write(data)
            self._serial.flush()
        except (serial.SerialException, OSError) as e:
            self.close()
            raise LinkDown(self.port, _reason(e)) from e

    def read(self, size: int = 256) -> bytes:
        """What arrived, waiting at most ``read_timeout`` for the first byte."""
        if self._serial is None:
            raise LinkDown(self.port, "puerto cerrado")
        try:
            data = self._serial.read(max(1, min(size, self._serial.in_waiting or 1)))
            if data and self._serial.in_waiting:
                data += self._serial.read(min(size, self._serial.in_waiting))
            return bytes(data)
        except (serial.SerialException, OSError) as e:
            self.close()
            raise LinkDown(self.port, _reason(e)) from e

    def close(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._serial.close()
        self._serial = None
