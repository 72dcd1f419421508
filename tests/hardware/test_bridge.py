"""End to end: a real server subprocess, a real bridge subprocess (``turnero hardware``), and
real pseudo-terminals standing for the LED displays and the keypad.

The bridge's token is the test database's hardware token (``puente-prueba``, counters 1 and
2). Displays: counter 1 (plain ASCII line), an RS-485 bus with five addressed displays for
counter 2 (one per checksum algorithm), a 4-line waiting-room board. The tests run in order
and share the office, like a day at the counters.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hardware import checksums
from tests.conftest import LiveServer, prepare_database
from tests.hardware.conftest import BridgeProcess, Pty

BUS = ["none", "xor", "sum8", "lrc", "crc16-modbus"]


def bus_frame(address: int, text: str, algorithm: str) -> bytes:
    body = b"\x02" + f"{address:02d}{text:>6}".encode() + b"\x03"
    return body + checksums.ALGORITHMS[algorithm](body[1:])


def board_line(line: int, number: str, counter: str) -> bytes:
    body = f"{line}{number:>6}{counter:>3}".encode()
    return body + checksums.crc16_modbus(body) + b"\r\n"


def config_text(folder: Path, server: LiveServer) -> str:
    bus = "".join(f"""
[[displays]]
name = "bus-{algorithm}"
port = "{folder / 'bus'}"
counter = 2
address = {i + 1}
frame = '\\x02{{address:02d}}{{number:>6}}\\x03{{checksum}}'
checksum = "{algorithm}"
checksum_skip = 1
""" for i, algorithm in enumerate(BUS))
    return f"""
server = "{server.base_url}"
report_every_s = 1
retry_max_s = 0.5

[[displays]]
name = "ventanilla-1"
port = "{folder / 'display1'}"
counter = 1
frame = "{{number}}\\r\\n"
recall_repeats = 2
blink_ms = 60
{bus}
[[displays]]
name = "sala"
port = "{folder / 'board'}"
board = "general"
lines = 4
frame = '{{line}}{{number:>6}}{{counter:>3}}{{checksum}}\\r\\n'
checksum = "crc16-modbus"

[[buttons]]
name = "teclado"
port = "{folder / 'keys'}"
debounce_ms = 300
[buttons.keys]
"N1" = {{ counter = 1, action = "next" }}
"R1" = {{ counter = 1, action = "recall" }}
"I1" = {{ counter = 1, action = "start" }}
"F1" = {{ counter = 1, action = "finish" }}
"A1" = {{ counter = 1, action = "no_show" }}
"P1" = {{ counter = 1, action = "pause" }}
"N3" = {{ counter = 3, action = "next" }}
"""


class Office:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.server = LiveServer(db=folder / "turnero.db")
        self.server.tokens = prepare_database(self.server.db)
        self.server.start()
        self.display1 = Pty(folder / "display1")
        self.bus = Pty(folder / "bus")
        self.board = Pty(folder / "board")
        self.keys = Pty(folder / "keys")
        config = folder / "puente.toml"
        config.write_text(config_text(folder, self.server), encoding="utf-8")
        self.bridge = BridgeProcess(config, self.server.tokens["hardware"])
        self.clerk1 = self.server.login("clerk1", counter=1)
        self.clerk2 = self.server.login("clerk2", counter=2)
        self.supervisor = self.server.login("super")

    def api(self, method: str, path: str, token: str, body: Any = None) -> httpx.Response:
        return httpx.request(method, f"{self.server.base_url}/api/v1{path}", json=body,
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def counter(self, n: int) -> dict[str, Any]:
        data: dict[str, Any] = self.api("GET", f"/counters/{n}", self.supervisor).json()
        return data

    def press(self, code: bytes) -> None:
        self.bridge.mark()
        self.keys.write(code + b"\r\n")

    def close(self) -> None:
        self.bridge.stop()
        self.server.stop()
        for p in (self.display1, self.bus, self.board, self.keys):
            p.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    o = Office(tmp_path_factory.mktemp("hardware"))
    try:
        o.bridge.wait_log("pantallas sincronizadas", timeout=20)
        yield o
    finally:
        o.close()


def test_on_start_every_display_shows_the_current_state(office: Office) -> None:
    assert office.display1.read_until(b"\r\n") == b"----\r\n"
    assert office.bus.read_exactly(sum(len(bus_frame(i + 1, "----", a))
                                       for i, a in enumerate(BUS))) == b"".join(
        bus_frame(i + 1, "----", a) for i, a in enumerate(BUS))
    board = b"".join(board_line(i, "", "") for i in range(1, 5))
    assert office.board.read_exactly(len(board)) == board


def test_a_call_shows_the_exact_frame_with_each_checksum(office: Office) -> None:
    ticket = office.server.issue("A")
    r = office.api("POST", "/counters/2/next", office.clerk2, {"in_hand": None})
    assert r.json()["id"] == ticket["id"]
    number = ticket["number"]
    expected = b"".join(bus_frame(i + 1, number, a) for i, a in enumerate(BUS))
    assert office.bus.read_exactly(len(expected)) == expected
    board = board_line(1, number, "2") + b"".join(board_line(i, "", "") for i in range(2, 5))
    assert office.board.read_exactly(len(board)) == board


def test_a_key_press_calls_next_at_its_counter_and_a_bounce_calls_only_one(office: Office
                                                                          ) -> None:
    first, second = office.server.issue("A"), office.server.issue("B")
    office.bridge.mark()
    office.keys.write(b"N1N1\r\nN1")  # a bouncing contact: three codes within milliseconds
    assert office.display1.read_until(b"\r\n") == f"{first['number']}\r\n".encode()
    office.bridge.wait_log("llamado " + first["number"])
    office.bridge.wait_log("(rebote), ignorado")
    assert office.counter(1)["ticket"]["id"] == first["id"]
    waiting = office.api("GET", f"/tickets/{second['id']}", office.supervisor).json()
    assert waiting["status"] == "waiting"
    history = office.api("GET", f"/tickets/{first['id']}/history", office.supervisor).json()
    called = next(h for h in history if h["type"] == "ticket.called")
    assert (called["actor"], called["actor_role"]) == ("puente-prueba", "hardware")
    assert called["detail"]["clerk"] == "clerk1"  # the clerk signed in at counter 1
    # Pressed again later, with the citizen called but not yet at the desk: nothing happens.
    time.sleep(0.35)  # a human's second press, after the debounce window
    office.press(b"N1")
    office.bridge.wait_log("llamado y sin iniciar")
    assert office.counter(1)["ticket"]["id"] == first["id"]
    assert office.api("GET", f"/tickets/{first['id']}", office.supervisor).json()[
        "status"] == "called"


def test_recall_blinks_then_start_and_next_closes_as_served(office: Office) -> None:
    held = office.counter(1)["ticket"]
    line = f"{held['number']}\r\n".encode()
    office.press(b"R1")
    assert office.display1.read_exactly(3 * len(line) + 4) == line + b"\r\n" + line + \
        b"\r\n" + line
    office.press(b"I1")
    office.bridge.wait_log(f"{held['number']} → iniciar")
    assert office.counter(1)["ticket"]["status"] == "serving"
    office.press(b"N1")
    nxt = office.bridge.wait_log("llamado ").rsplit(" ", 1)[-1]
    # The served ticket's end and the next call arrive together: the display may show the
    # idle text for an instant before the new number, never anything else.
    shown = office.display1.read_until(f"{nxt}\r\n".encode()).split(b"\r\n")[:-1]
    assert shown[-1] == nxt.encode() and set(shown[:-1]) <= {b"----"}, shown
    done = office.api("GET", f"/tickets/{held['id']}", office.supervisor).json()
    assert (done["status"], done["outcome"]) == ("done", "served")


def test_no_show_key_then_pause_and_resume(office: Office) -> None:
    held = office.counter(1)["ticket"]
    office.press(b"A1")
    assert office.display1.read_until(b"\r\n") == b"----\r\n"
    assert office.api("GET", f"/tickets/{held['id']}", office.supervisor).json()[
        "status"] == "no_show"
    office.press(b"P1")
    assert office.display1.read_until(b"\r\n") == b"PAUSA\r\n"
    time.sleep(0.35)  # the second press of the same key, after the debounce window
    office.press(b"P1")
    assert office.display1.read_until(b"\r\n") == b"----\r\n"
    assert office.counter(1)["state"] == "open"


def test_an_action_at_a_counter_the_token_does_not_cover_is_refused(office: Office) -> None:
    office.server.issue("C")  # counter 3 serves C
    office.press(b"N3")
    line = office.bridge.wait_log("rechazado por el servidor (403)")
    assert "ventanilla 3" in line and "puente-prueba" in line
    assert office.counter(3)["ticket"] is None


def test_unknown_and_garbled_codes_are_logged_and_ignored(office: Office) -> None:
    before = office.counter(1)
    office.bridge.mark()
    office.keys.write(b"\xff\x00Q9\r\nN")  # noise, an unknown code, a sequence cut short
    office.bridge.wait_log("código desconocido o dañado, ignorado: FF 00 51 39 |..Q9|")
    office.bridge.wait_log("4E |N|", timeout=3)  # expired after sequence_timeout_ms
    assert office.counter(1)["ticket"] == before["ticket"]
    assert office.bridge.process.poll() is None


def test_a_board_of_four_lines(office: Office) -> None:
    calls = []
    for _ in range(4):
        t = office.server.issue("A")
        current = office.counter(2)["ticket"]
        r = office.api("POST", "/counters/2/next", office.clerk2,
                       {"in_hand": current["id"] if current else None, "previous": "served"})
        assert r.json()["id"] == t["id"]
        calls.append(t["number"])
    office.board.read_until(board_line(1, calls[-1], "2"), timeout=8)
    rest = b"".join(board_line(i + 2, n, "2") for i, n in enumerate(reversed(calls[:3])))
    assert office.board.read_exactly(len(rest)) == rest
    office.bus.drain()


def test_unplugged_display_is_an_alert_and_is_resynced_when_back(office: Office) -> None:
    office.bridge.mark()
    office.display1.unplug()
    office.bridge.wait_log(f"pantalla {office.folder / 'display1'}: no responde")
    deadline = time.monotonic() + 8
    while True:  # the bridge reports the lost display; the supervisor sees an alert
        bridges = office.api("GET", "/hardware/bridges", office.supervisor).json()
        ours = next(b for b in bridges if b["name"] == "puente-prueba")
        if ours["alert"]:
            break
        assert time.monotonic() < deadline, bridges
        time.sleep(0.05)
    assert [d["connected"] for d in ours["displays"] if d["name"] == "ventanilla-1"] == [False]
    today = office.api("GET", "/stats/today", office.supervisor).json()
    assert any(a["kind"] == "hardware.display_lost" and "ventanilla-1" in a["message"]
               for a in today["alerts"])
    t = office.server.issue("A")  # called while the display is unplugged
    office.press(b"N1")
    office.bridge.wait_log("llamado " + t["number"])
    office.display1 = Pty(office.folder / "display1")  # plugged back, same path
    assert office.display1.read_until(b"\r\n") == f"{t['number']}\r\n".encode()
    office.bridge.wait_log("conectada de nuevo")
    assert office.bridge.count("no responde") == 1  # one line per fault, not one per retry


def test_server_restart_resyncs_every_display(office: Office) -> None:
    held = office.counter(1)["ticket"]
    office.display1.drain()
    office.bridge.mark()
    office.server.stop()
    office.bridge.wait_log("reintentando")
    office.server.start()
    office.bridge.wait_log("pantallas sincronizadas", timeout=20)
    assert office.display1.read_until(b"\r\n") == f"{held['number']}\r\n".encode()
    # and the bridge still acts: next over a called ticket stays a no-op, start works
    office.press(b"I1")
    office.bridge.wait_log(f"{held['number']} → iniciar")


def test_a_revoked_or_wrong_token_is_one_clear_line(office: Office, tmp_path: Path) -> None:
    keys = Pty(tmp_path / "keys")
    config = tmp_path / "otro.toml"
    config.write_text(f"""server = "{office.server.base_url}"
retry_max_s = 0.3
[[buttons]]
port = "{keys.path}"
[buttons.keys]
"N1" = {{ counter = 1, action = "next" }}
""", encoding="utf-8")
    bridge = BridgeProcess(config, "token-que-no-existe")
    try:
        bridge.wait_log("rechazó el token del puente", timeout=20)
        keys.write(b"N1\r\n")
        bridge.wait_log("«siguiente» ignorado: sin conexión con el servidor")
        assert bridge.count("rechazó el token") == 1  # retried, logged once
    finally:
        bridge.stop()
        keys.close()
