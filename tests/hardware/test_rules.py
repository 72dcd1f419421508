"""The bridge's pure parts: its TOML file, key decoding and debounce, the office view and what
each display shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.config import (
    ACTIONS,
    BUTTON_KEYS,
    DISPLAY_KEYS,
    TOP_KEYS,
    ConfigError,
    parse_config,
)
from hardware.keys import Debouncer, Decoded, KeyDecoder
from hardware.office import BoardFilter, OfficeView
from hardware.screens import frames_for

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "hardware" / "examples"

GOOD = """
server = "http://127.0.0.1:8000"
token = "t"

[[displays]]
port = "/dev/ttyUSB0"
counter = 3
frame = '\\x02{address:02d}{number:>6}\\x03{checksum}'
checksum = "xor"
address = 1

[[displays]]
port = "/dev/ttyUSB0"
board = "general"
lines = 4
frame = '{line}{number:>6}{counter:>3}\\r\\n'

[[buttons]]
port = "/dev/ttyUSB1"
[buttons.keys]
"N3" = { counter = 3, action = "next" }
"P3" = { counter = 3, action = "pause", reason = "lunch" }
"""


def test_a_good_file() -> None:
    cfg = parse_config(GOOD)
    assert [d.name for d in cfg.displays] == ["ventanilla-3", "sala-general"]
    assert len(cfg.ports) == 1  # both displays share one RS-485 bus
    assert cfg.buttons[0].keys[b"N3"].action == "next"
    assert cfg.buttons[0].keys[b"P3"].reason == "lunch"
    assert cfg.counters == (3,)


def test_the_token_may_come_from_the_environment() -> None:
    text = GOOD.replace('token = "t"\n', "")
    assert parse_config(text, env={"TURNERO_HARDWARE_TOKEN": "x"}).token == "x"
    with pytest.raises(ConfigError, match="TURNERO_HARDWARE_TOKEN"):
        parse_config(text, env={})


@pytest.mark.parametrize(("change", "line", "message"), [
    (("counter = 3\nframe", "counter = 3\nboard = 'x'\nframe"), 5, "uno de los dos"),
    (("checksum = \"xor\"", "checksum = \"crc8\""), 9, "checksum 'crc8' desconocido"),
    (("frame = '{line}", "frame = '{linea}"), 16, "campo {linea} desconocido"),
    (('"P3" = { counter = 3, action = "pause", reason = "lunch" }',
      '"P3" = { counter = 3, action = "pausar" }'), 22, "acción 'pausar' desconocida"),
    (('"P3" = { counter = 3, action = "pause", reason = "lunch" }',
      '"N" = { counter = 3, action = "recall" }'), 20, "es el comienzo de"),
    (("lines = 4", "lines = 0"), 15, "entre 1 y 32"),
    (("address = 1", "adress = 1"), 10, "clave desconocida"),
    (('port = "/dev/ttyUSB1"', 'port = "/dev/ttyUSB0"'), 19, "ya es el puerto"),
])
def test_errors_name_the_key_and_the_line(change: tuple[str, str], line: int, message: str
                                          ) -> None:
    with pytest.raises(ConfigError) as e:
        parse_config(GOOD.replace(*change), "puente.toml")
    assert any(p.startswith(f"puente.toml:{line}:") and message in p
               for p in e.value.problems), e.value.problems


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_examples_are_valid(example: Path) -> None:
    parse_config(example.read_text(encoding="utf-8"), example.name, {"TURNERO_HARDWARE_TOKEN": "x"})


def test_decoder_cuts_codes_and_reports_garbage() -> None:
    d = KeyDecoder([b"N3", b"R3", b"\x1b1"], ignore=b"\r\n", timeout_s=0.5)
    assert d.feed(b"N3\r\nR", 0.0) == [Decoded(b"N3", True)]
    assert d.feed(b"3\xff\x1b1", 0.1) == [Decoded(b"R3", True), Decoded(b"\xff", False),
                                          Decoded(b"\x1b1", True)]
    assert d.feed(b"NN3X", 0.2) == [Decoded(b"N", False), Decoded(b"N3", True),
                                    Decoded(b"X", False)]
    assert d.feed(b"\xff\x00Q9\r\n", 0.25) == [Decoded(b"\xff\x00Q9", False)]  # one fault
    assert d.feed(b"N", 0.3) == []
    assert d.expire(0.9) == [Decoded(b"N", False)]  # a sequence cut short


def test_debounce_drops_bounces_and_a_stuck_key() -> None:
    b = Debouncer(0.3)
    assert b.accept(b"N3", 0.0)
    assert not b.accept(b"N3", 0.05)  # bounce
    assert b.accept(b"R3", 0.06)  # another key is not a bounce
    assert not any(b.accept(b"N3", 0.1 + i * 0.1) for i in range(20))  # stuck: repeats
    assert b.accept(b"N3", 2.5)  # released, pressed again


def _ticket(tid: str, number: str, status: str, counter: int, service: str = "A"
            ) -> dict[str, object]:
    return {"id": tid, "number": number, "status": status, "counter": counter,
            "service": service}


def test_office_view_follows_the_ticket_in_hand_and_the_calls() -> None:
    cfg = parse_config(GOOD)
    counter_display, board = cfg.displays
    office = OfficeView()
    office.apply_snapshot({"seq": 10, "queue": {"counters": [
        {"number": 3, "state": "open", "ticket": None}]}, "recent_calls": [
        {"seq": 9, "counter": 1, "ticket": _ticket("x", "B-001", "serving", 1, "B")}]})
    assert frames_for(counter_display, office) == [b"\x0201  ----\x03" + bytes([
        0x02 ^ 0x30 ^ 0x31 ^ 0x20 ^ 0x20 ^ 0x2D ^ 0x2D ^ 0x2D ^ 0x2D ^ 0x03])]
    called = {"type": "ticket.called", "seq": 11, "ticket": _ticket("a", "A-023", "called", 3),
              "counter": {"number": 3, "state": "open",
                          "ticket": _ticket("a", "A-023", "called", 3)}}
    change = office.apply_event(called)
    assert change.counters == {3} and change.calls
    assert frames_for(counter_display, office)[0].startswith(b"\x0201 A-023\x03")
    assert frames_for(board, office) == [b"1 A-023  3\r\n", b"2 B-001  1\r\n",
                                         b"3         \r\n", b"4         \r\n"]
    assert office.apply_event(called) == office.apply_event({"seq": 5})  # replays: no change
    finished = {"type": "ticket.finished", "seq": 12, "counter": None,
                "ticket": _ticket("a", "A-023", "done", 3)}
    assert office.apply_event(finished).counters == {3}
    assert office.counter(3).ticket is None
    assert frames_for(board, office)[0] == b"1 A-023  3\r\n"  # the board keeps the call
    office.apply_event({"type": "ticket.called", "seq": 13, "counter": None,
                        "ticket": _ticket("b", "A-024", "called", 3)})
    transferred = {"type": "ticket.transferred", "seq": 14,
                   "ticket": {**_ticket("b", "A-024", "waiting", 3), "counter": None},
                   "counter": {"number": 3, "state": "open", "ticket": None}}
    assert office.apply_event(transferred).counters == {3}
    assert frames_for(counter_display, office)[0].startswith(b"\x0201  ----\x03")
    office.apply_event({"type": "counter.changed", "seq": 15,
                        "counter": {"number": 3, "state": "paused", "ticket": None}})
    assert frames_for(counter_display, office)[0].startswith(b"\x0201 PAUSA\x03")


def test_board_filter_and_recall_order() -> None:
    office = OfficeView()
    office.apply_snapshot({"seq": 0, "queue": {"counters": []}, "recent_calls": []})
    for seq, (tid, number, counter, service) in enumerate(
            [("a", "A-001", 1, "A"), ("e", "E-001", 6, "E"), ("b", "A-002", 2, "A")], 1):
        office.apply_event({"type": "ticket.called", "seq": seq, "counter": None,
                            "ticket": _ticket(tid, number, "called", counter, service)})
    assert [c.number for c in office.board(BoardFilter(), 4)] == ["A-002", "E-001", "A-001"]
    passports = BoardFilter(services=frozenset({"E"}))
    assert [c.number for c in office.board(passports, 4)] == ["E-001"]
    change = office.apply_event({"type": "ticket.recalled", "seq": 4, "counter": None,
                                 "ticket": _ticket("a", "A-001", "called", 1)})
    assert change.recalled == {1}
    assert [c.number for c in office.board(BoardFilter(), 2)] == ["A-001", "A-002"]


def test_every_key_and_action_is_documented() -> None:
    rows = [ln for ln in (ROOT / "docs" / "hardware.md").read_text(encoding="utf-8")
            .splitlines() if ln.startswith("| `")]
    for key in sorted(TOP_KEYS | DISPLAY_KEYS | BUTTON_KEYS | set(ACTIONS)):
        assert any(f"`{key}`" in row.split("|")[1] for row in rows), key
