"""A display port thread against a real pseudo-terminal: coalescing, blinking, refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.config import SerialSettings
from hardware.ports import DisplayPort, FaultLog
from tests.hardware.conftest import Pty


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[tuple[Pty, DisplayPort]]:
    pty = Pty(tmp_path / "ttyBus")
    port = DisplayPort(SerialSettings(str(pty.path)), FaultLog(), lambda: None)
    port.add("uno")
    port.add("dos", refresh_s=0.2)
    port.start()
    try:
        yield pty, port
    finally:
        port.stop()
        port.join(timeout=5)
        pty.close()


def test_unchanged_frames_are_not_rewritten_and_a_refresh_is(bus: tuple[Pty, DisplayPort]
                                                             ) -> None:
    pty, port = bus
    port.show("uno", [b"<1:A-001>"])
    assert pty.read_until(b">") == b"<1:A-001>"
    port.show("uno", [b"<1:A-001>"])  # same state: nothing sent
    port.show("dos", [b"<2:---->"])
    assert pty.read_until(b">") == b"<2:---->"  # the next bytes are display 2's, not a repeat
    assert pty.read_until(b">", timeout=3) == b"<2:---->"  # refresh_s = 0.2 rewrites it
    assert b"<1:" not in pty.drain()


def test_a_blink_keeps_each_displays_order_on_a_shared_bus(bus: tuple[Pty, DisplayPort]
                                                           ) -> None:
    pty, port = bus
    port.show("uno", [b"<1:A-002>"], blink=[(0.05, [b"<1:>"]), (0.10, [b"<1:A-002>"])],
              force=True)
    port.show("dos", [b"<2:B-001>"])
    frames: list[bytes] = []
    while sum(f.startswith(b"<1:") for f in frames) < 3:  # display 2's refreshes may interleave
        assert len(frames) < 20, frames
        frames.append(pty.read_until(b">"))
    assert [f for f in frames if f.startswith(b"<1:")] == [b"<1:A-002>", b"<1:>", b"<1:A-002>"]
    assert b"<2:B-001>" in frames
