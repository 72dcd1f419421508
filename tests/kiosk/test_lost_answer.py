"""A ticket whose answer is lost on the network: the kiosk retries with the same idempotency
key and the citizen gets exactly one turn (never none, never two)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from kiosk.api import KioskApi
from kiosk.flow import IssueRequest
from kiosk.printing import TicketPrinting
from kiosk.service import KioskService
from tests.conftest import LiveServer


class AnswerDroppingProxy:
    """A real TCP proxy to the server that forwards the first request but throws away the
    server's answer and hangs up: the server issued the ticket, the kiosk never heard."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            drop = self.connections == 1
            threading.Thread(target=self._relay, args=(client, drop), daemon=True).start()

    def _relay(self, client: socket.socket, drop_answer: bool) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))

        def pump(src: socket.socket, dst: socket.socket, forward: bool) -> None:
            try:
                while data := src.recv(65536):
                    if forward:
                        dst.sendall(data)
                    else:  # the answer arrived: lose it and hang up on the kiosk
                        client.close()
                        return
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)

        forward = threading.Thread(target=pump, args=(client, upstream, True), daemon=True)
        forward.start()
        pump(upstream, client, not drop_answer)
        forward.join(5)
        client.close()
        upstream.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[AnswerDroppingProxy]:
    p = AnswerDroppingProxy(live_server.port)
    yield p
    p.close()


def test_lost_answer_is_retried_with_the_same_key(live_server: LiveServer,
                                                  proxy: AnswerDroppingProxy) -> None:
    api = KioskApi(f"http://127.0.0.1:{proxy.port}", live_server.kiosk_token, timeout=3)
    service = KioskService(api, TicketPrinting("dummy", "80"))
    try:
        ticket = service.issue(IssueRequest("A", None, number=1))
    finally:
        api.close()
    assert proxy.connections >= 2  # the first answer really was lost
    assert ticket["replayed"] is True and ticket["number"] == "A-001"
    queue = httpx.get(f"{live_server.base_url}/api/v1/queue",
                      headers={"Authorization": f"Bearer {live_server.kiosk_token}"}).json()
    assert queue["waiting_total"] == 1  # one turn, not two
