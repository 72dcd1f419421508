"""What each display shows, as frames: a pure function of its configuration and the office.

- A counter display shows the ticket in hand there (called or being served); the pause text
  while the counter is paused; the closed text while nobody is signed in; else the idle text.
- A board shows the last ``lines`` calls of its filter, one frame per line (``{line}`` is the
  line number, 1 = newest); lines without a call render with empty fields.
"""

from __future__ import annotations

from hardware.config import DisplayConfig
from hardware.frames import text_values, ticket_values
from hardware.office import BoardFilter, OfficeView


def counter_text(display: DisplayConfig, office: OfficeView) -> dict[str, str]:
    assert display.counter is not None
    now = office.counter(display.counter)
    if now.state == "paused":
        return text_values(display.paused)
    if now.ticket is not None:
        return ticket_values(str(now.ticket.get("number", "")))
    if now.state == "closed":
        return text_values(display.closed)
    return text_values(display.idle)


def frames_for(display: DisplayConfig, office: OfficeView,
               board: BoardFilter | None = None) -> list[bytes]:
    common: dict[str, str | int] = {"address": display.address, "line": 1}
    if display.counter is not None:
        values = {**common, "counter": display.counter, **counter_text(display, office)}
        return [display.frame.render(values)]
    calls = office.board(board or BoardFilter(), display.lines)
    frames = []
    for i in range(display.lines):
        line: dict[str, str | int] = {**common, "line": i + 1}
        if i < len(calls):
            line.update(ticket_values(calls[i].number), counter=calls[i].counter)
        else:
            line.update(text_values(""), counter="")
        frames.append(display.frame.render(line))
    return frames


def blank_frames(display: DisplayConfig) -> list[bytes]:
    """The "off" half of a blink (a recall)."""
    values: dict[str, str | int] = {"address": display.address, "line": 1,
                                    "counter": display.counter if display.counter else "",
                                    **text_values(display.blank)}
    return [display.frame.render(values)]
