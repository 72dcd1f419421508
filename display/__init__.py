"""Turnero: display — the TV board's library: the Spanish reading of ticket numbers, the
offline speech (espeak-ng) and the board's browser modules under ``static/``.

The server serves the board page (server/web/pages.py), its static files and the spoken
announcements (server/api/announcements.py). See docs/display.md.
"""

from pathlib import Path

#: The board's browser modules and stylesheet, served at /static/display.
STATIC_DIR = Path(__file__).parent / "static"
