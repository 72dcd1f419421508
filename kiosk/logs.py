"""The kiosk's log: one line per thing that happened, on standard error (journald on the
kiosk PC), at INFO by default.

Why it is set up here, before Kivy starts: Kivy by default installs its own console and file
handlers (a line could then appear twice, and ``~/.kivy/logs`` grows on its own), and httpx
writes one INFO line per HTTP request — the kiosk's short poll alone would be megabytes a day.
With ``KIVY_LOG_MODE=PYTHON`` Kivy only hands its records to Python logging; this module adds
the one handler, and keeps the HTTP client's chatter to warnings.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

#: Libraries that log every request or image at INFO/DEBUG: only their warnings are kept.
QUIET = ("httpx", "httpcore", "hpack", "PIL", "urllib3", "asyncio")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """One handler on the root logger; call before Kivy is imported."""
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, datefmt="%Y-%m-%dT%H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
