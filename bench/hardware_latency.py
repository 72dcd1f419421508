"""Hardware bridge latency: call → LED display bytes, and key press → ticket called.

A real server subprocess, a real bridge subprocess (``turnero hardware``) and pseudo-terminals
for a counter display and a keypad, as in tests/hardware.

- call → display: a clerk's HTTP POST /counters/2/next, timed from just before the request to
  the moment the frame with the new number is read from the display's pty.
- key press → ticket called: "N1" written to the keypad's pty, timed until a websocket client
  (a supervisor) receives the matching ``ticket.called`` event, and until the display of
  counter 1 shows it (the whole loop: key, bridge, HTTP, server, event, bridge, display).
  Before each press the ticket in hand is started with the "I1" key (a called, not started
  ticket makes "next" a no-op by design).

    python -m bench.hardware_latency [--calls 50]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import httpx
from websockets.sync.client import ClientConnection, connect

from bench.serverkit import running_server, summary_ms
from server.harness import LiveServer
from tests.hardware.conftest import BridgeProcess, Pty

CONFIG = """
server = "{base}"
[[displays]]
port = "{folder}/display1"
counter = 1
frame = "{{number}}\\r\\n"
[[displays]]
port = "{folder}/display2"
counter = 2
frame = '\\x02{{address:02d}}{{number:>6}}\\x03{{checksum}}'
address = 2
checksum = "crc16-modbus"
checksum_skip = 1
[[buttons]]
port = "{folder}/keys"
debounce_ms = 50
[buttons.keys]
"N1" = {{ counter = 1, action = "next" }}
"I1" = {{ counter = 1, action = "start" }}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        display1, display2, keys = (Pty(folder / n) for n in ("display1", "display2", "keys"))
        config = folder / "puente.toml"
        config.write_text(CONFIG.format(base=server.base_url, folder=folder), encoding="utf-8")
        bridge = BridgeProcess(config, server.tokens["hardware"])
        try:
            bridge.wait_log("pantallas sincronizadas", timeout=30)
            server.login("clerk1", counter=1)
            clerk2 = {"Authorization": f"Bearer {server.login('clerk2', counter=2)}"}
            supervisor = server.login("super")
            with httpx.Client(base_url=server.base_url + "/api/v1", timeout=10) as http:
                to_display = call_to_display(http, server, clerk2, display2, args.calls)
                with connect(f"{server.ws_url}/api/v1/events?token={supervisor}") as ws:
                    ws.recv()  # snapshot
                    to_event, to_screen = press_to_call(server, keys, display1, ws, args.calls)
        finally:
            bridge.stop()
            for p in (display1, display2, keys):
                p.close()
    print(f"hardware bridge, {args.calls} calls each")
    print(f"  call (HTTP) → display bytes    {summary_ms(to_display)}")
    print(f"  key press → ticket.called      {summary_ms(to_event)}")
    print(f"  key press → display bytes      {summary_ms(to_screen)}")


def call_to_display(http: httpx.Client, server: LiveServer, clerk: dict[str, str],
                    display: Pty, calls: int) -> list[float]:
    display.read_until(b"\x03", timeout=10)  # the idle frame written at start
    display.read_exactly(2)
    held = None
    out = []
    for _ in range(calls):
        ticket = server.issue("A")
        display.drain()
        started = time.monotonic()
        r = http.post("/counters/2/next", json={"in_hand": held, "previous": "served"},
                      headers=clerk)
        held = r.json()["id"]
        display.read_until(f"{ticket['number']:>6}\x03".encode(), timeout=10)
        out.append(time.monotonic() - started)
        display.read_exactly(2)  # the CRC
    return out


def press_to_call(server: LiveServer, keys: Pty,
                  display: Pty, ws: ClientConnection, calls: int
                  ) -> tuple[list[float], list[float]]:
    to_event, to_screen = [], []
    held: str | None = None
    for _ in range(calls):
        ticket = server.issue("B")
        if held:  # started with its key too: the bridge's view follows its own answers
            keys.write(b"I1\r\n")
            wait_event(ws, "ticket.started", held)
        time.sleep(0.06)  # the next press comes after the 50 ms debounce window
        display.drain()
        started = time.monotonic()
        keys.write(b"N1\r\n")
        wait_event(ws, "ticket.called", ticket["id"])
        to_event.append(time.monotonic() - started)
        display.read_until(f"{ticket['number']}\r\n".encode(), timeout=10)
        to_screen.append(time.monotonic() - started)
        held = ticket["id"]
    return to_event, to_screen


def wait_event(ws: ClientConnection, kind: str, ticket_id: str) -> None:
    while True:
        message = json.loads(ws.recv(timeout=10))
        if message.get("type") == kind and (message.get("ticket") or {}).get("id") == ticket_id:
            return


if __name__ == "__main__":
    main()
