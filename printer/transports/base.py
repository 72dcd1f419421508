"""The one interface the kiosk talks to, and the shared plumbing for python-escpos links.

Why a wrapper around python-escpos' printer classes: they raise library-specific errors without
the spec the technician typed, some default to long or no timeouts (Network: 60 s, Usb: none),
and their status helpers treat silence as "paper OK".  Here every failure becomes a
:class:`PrinterUnavailable` naming the device, timeouts are short, and status goes through
:func:`printer.status.query_status`.
"""

from __future__ import annotations

import contextlib
import errno
import sys
from abc import ABC, abstractmethod
from types import TracebackType

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError

from printer.errors import PrinterUnavailable
from printer.status import PrinterStatus, query_status

#: Upper bound for connecting and for waiting on a stalled link, in seconds.
LINK_TIMEOUT_S = 2.0

if sys.platform != "win32":
    from termios import error as _termios_error  # pyserial lets some of these through
else:  # Windows has no termios
    _termios_error = OSError

#: What a broken or missing device raises, from the OS, pyserial, pyusb or python-escpos.
LINK_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, EscposError, _termios_error)


class TicketPrinter(ABC):
    """A printer the kiosk can send a finished print job to.

    ``spec`` is the canonical spec string (``serial:/dev/ttyUSB0@9600``); it names the device in
    every error message.  Instances are context managers that close the link on exit.
    """

    spec: str

    def open(self) -> None:  # noqa: B027 - links without a connection need no opening
        """Connect now (``open_printer`` calls this so a bad device fails at start-up)."""

    @abstractmethod
    def send(self, data: bytes) -> None:
        """Write a whole print job; raise :class:`PrinterUnavailable` if it cannot be written."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer how it is; never raises, reports problems in the status."""

    @abstractmethod
    def close(self) -> None:
        """Release the device; safe to call twice."""

    def __enter__(self) -> TicketPrinter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r})"


class EscposTransport(TicketPrinter):
    """A transport backed by a python-escpos printer object.

    Subclasses say how to connect (:meth:`_connect`) and, for two-way links, how to read one
    byte; this class keeps the connection, reopens it after a failure on the next call, and
    turns every library or OS error into :class:`PrinterUnavailable`.
    """

    def __init__(self) -> None:
        self._printer: Escpos | None = None

    @abstractmethod
    def _connect(self) -> Escpos:
        """Open the device and return the connected python-escpos printer."""

    def open(self) -> None:
        if self._printer is not None:
            return
        try:
            self._printer = self._connect()
        except PrinterUnavailable:
            raise
        except LINK_ERRORS as err:
            raise PrinterUnavailable(
                f"No se pudo abrir la impresora {self.spec}: {explain(err)}"
            ) from err

    def send(self, data: bytes) -> None:
        self.open()
        assert self._printer is not None
        try:
            self._write(self._printer, data)
        except LINK_ERRORS as err:
            self.close()  # the next call reconnects, e.g. after the cable is plugged back
            raise PrinterUnavailable(f"No se pudo imprimir en {self.spec}: {explain(err)}") from err

    def status(self) -> PrinterStatus:
        try:
            self.open()
            return query_status(self)
        except PrinterUnavailable as err:
            return PrinterStatus.unreachable(str(err))
        except LINK_ERRORS as err:
            self.close()
            return PrinterStatus.unreachable(
                f"No se pudo consultar la impresora {self.spec}: {explain(err)}"
            )

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is None:
            return
        try:
            printer.close()  # flushes first, which fails on a link that already broke
        except Exception:
            # Release the handle without flushing, and leave python-escpos nothing to close
            # again when it garbage-collects the object (its __del__ calls close()).
            device, printer._device = printer._device, False
            with contextlib.suppress(Exception):
                device.close()

    def _write(self, printer: Escpos, data: bytes) -> None:
        """Write ``data`` through the library (overridden where a timeout must be set first)."""
        printer._raw(data)

    # StatusLink, used by query_status(); one-way transports do not override status().
    def discard_input(self) -> None:
        raise NotImplementedError

    def write_query(self, data: bytes) -> None:
        assert self._printer is not None
        self._printer._raw(data)

    def read_byte(self, timeout: float) -> int | None:
        raise NotImplementedError


#: Plain words for the operating-system errors a technician meets when setting a printer up.
_ERRNO_TEXT = {
    errno.ENOENT: "el dispositivo no existe (¿está conectado? ¿es la ruta correcta?)",
    errno.ENODEV: "el dispositivo no existe (¿está conectado?)",
    errno.ENXIO: "el dispositivo no responde (¿está conectado y encendido?)",
    errno.EACCES: "sin permiso para usar el dispositivo (agregue el usuario al grupo dialout o lp)",
    errno.EPERM: "sin permiso para usar el dispositivo",
    errno.EBUSY: "el dispositivo está ocupado por otro programa",
    errno.EIO: "error de entrada/salida (¿se desconectó la impresora?)",
    errno.ECONNREFUSED: "la impresora rechazó la conexión (¿puerto correcto?)",
    errno.ECONNRESET: "la impresora cerró la conexión",
    errno.EPIPE: "la impresora cerró la conexión",
    errno.EHOSTUNREACH: "no se llega a esa dirección en la red",
    errno.ENETUNREACH: "no se llega a esa red",
}


def explain(err: BaseException) -> str:
    """The most useful one-line explanation of ``err`` for a technician.

    python-escpos wraps the real cause (e.g. "No such file or directory") in a generic
    DeviceNotFoundError, so the innermost exception is the one described.
    """
    while (inner := err.__cause__ or err.__context__) is not None:
        err = inner
    if isinstance(err, TimeoutError):
        return "la impresora no respondió a tiempo"
    if isinstance(err, AssertionError):  # python-escpos' way of saying "USB device not found"
        return "no se encontró el dispositivo USB (¿está conectado y encendido?)"
    code = err.errno if isinstance(err, OSError) else (err.args or [None])[0]
    if code in _ERRNO_TEXT:  # also termios.error, which carries (errno, text) but is no OSError
        return _ERRNO_TEXT[code]
    text = " ".join(str(err).split())
    return text or type(err).__name__
