"""Errors of the printer package.

Two kinds matter to the kiosk: a *configuration* mistake (the spec string is wrong, so a
technician must fix the settings) and an *unavailable* printer (unplugged, no paper, offline, so
the kiosk shows a message and tries again later). Both carry a plain Spanish message that can be
shown or logged as is.
"""

from __future__ import annotations


class PrinterError(Exception):
    """Base class for every error raised by :mod:`printer`."""


class PrinterSpecError(PrinterError, ValueError):
    """The printer spec string (``usb:…``, ``serial:…``, ``tcp:…``) is malformed."""


class PrinterUnavailable(PrinterError, OSError):
    """The printer could not be opened, written to or is known to be offline."""
