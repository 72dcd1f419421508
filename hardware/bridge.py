"""``turnero hardware``: follow the server's events, drive the LED displays, turn key presses
into actions at a counter.

The composition root of the bridge: one :class:`~hardware.ports.DisplayPort` per display port,
one :class:`~hardware.ports.ButtonPort` per button port, one :class:`~hardware.api.BridgeApi`,
and three tasks — follow the events, act on key presses (one at a time, in order), report the
ports' status.

"Next" is as safe as the web panel: it sends the ticket the bridge believes in hand
(``in_hand``), so a bounce, a stuck key or a stale view never calls two tickets; and it never
closes a called citizen as absent: with a ticket called but not started, "next" does nothing
but log (the "no_show" key is the explicit way), whatever the server's rule for that case.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import Any

from hardware.api import ApiRefused, BridgeApi, ServerUnreachable
from hardware.config import BridgeConfig, DisplayConfig, KeyAction
from hardware.keys import describe
from hardware.office import BoardFilter, Change, OfficeView
from hardware.ports import Backoff, ButtonPort, DisplayPort, FaultLog
from hardware.screens import blank_frames, frames_for

log = logging.getLogger("turnero.hardware")

TICKET_ACTIONS = {"recall": "recall", "start": "start", "finish": "finish",
                  "no_show": "no-show"}
ACTION_NAMES = {"next": "siguiente", "recall": "volver a llamar", "start": "iniciar",
                "finish": "finalizar", "no_show": "no se presentó", "pause": "pausa",
                "resume": "reanudar"}


class Bridge:
    def __init__(self, config: BridgeConfig, api: BridgeApi | None = None) -> None:
        self.config = config
        self.api = api or BridgeApi(config.server, config.token)
        self.office = OfficeView()
        self.boards: dict[str, BoardFilter] = {}
        self.faults = FaultLog()
        self.synced = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._presses: asyncio.Queue[tuple[KeyAction, bytes]] = asyncio.Queue()
        self._status_changed = asyncio.Event()
        self.ports: dict[str, DisplayPort] = {}
        for d in config.displays:
            port = self.ports.get(d.serial.port)
            if port is None:
                port = DisplayPort(d.serial, self.faults, self._status_from_thread,
                                   config.retry_max_s)
                self.ports[d.serial.port] = port
            port.add(d.name, d.refresh_s)
        self.buttons = [ButtonPort(b, self.faults, self._press_from_thread,
                                   self._status_from_thread, config.retry_max_s)
                        for b in config.buttons]

    # ------------------------------------------------------------------ running

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self._loop.add_signal_handler(sig, stop.set)
        threads = [*self.ports.values(), *self.buttons]
        for t in threads:
            t.start()
        log.info("puente iniciado: %d pantallas en %d puertos, %d botoneras; servidor %s",
                 len(self.config.displays), len(self.ports), len(self.buttons),
                 self.config.server)
        tasks = [asyncio.create_task(coro) for coro in
                 (self._follow_events(), self._act_on_presses(), self._report_status())]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for t in threads:
                t.stop()
            for t in threads:
                t.join(timeout=2)
            await self.api.close()
            log.info("puente detenido")

    def _press_from_thread(self, key: KeyAction, code: bytes) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._presses.put_nowait, (key, code))

    def _status_from_thread(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._status_changed.set)

    # ------------------------------------------------------------------ events → displays

    async def _follow_events(self) -> None:
        backoff = Backoff(0.2, self.config.retry_max_s)
        server = self.config.server
        while True:
            try:
                await self._load_boards()
                async for message in self.api.events():
                    kind = message.get("type")
                    if kind == "snapshot":
                        self.office.apply_snapshot(message)
                        self.synced = True
                        backoff.reset()
                        if not self.faults.up("server", f"servidor {server}: conectado de "
                                              "nuevo; pantallas sincronizadas"):
                            log.info("servidor %s: conectado; pantallas sincronizadas", server)
                        self.render(None, force=True)
                    elif kind == "config.changed":
                        await self._load_boards()
                        self.render(None, force=True)
                    elif kind != "heartbeat":
                        self.render(self.office.apply_event(message))
            except ApiRefused as e:
                self.faults.down("server", f"servidor {server}: {e.detail}; reintentando")
            except ServerUnreachable as e:
                self.faults.down("server", f"servidor {server}: {e}; reintentando")
            except Exception:  # noqa: BLE001 - an odd message must not stop the displays
                log.exception("servidor %s: mensaje inesperado; se reconecta", server)
            self.synced = False
            await asyncio.sleep(backoff.next())

    async def _load_boards(self) -> None:
        if not any(d.board for d in self.config.displays):
            return
        office = await self.api.office()
        self.boards = {
            str(b["code"]): BoardFilter(frozenset(b.get("services") or ()),
                                        frozenset(int(n) for n in b.get("counters") or ()))
            for b in office.get("boards", [])
        }
        for d in self.config.displays:
            if d.board and d.board not in self.boards:
                self.faults.down(f"board:{d.board}", f"pantalla {d.name}: la sala «{d.board}» "
                                 "no existe en el servidor; muestra todas las llamadas")

    def render(self, change: Change | None, force: bool = False) -> None:
        """Give each display port what its displays should show after ``change`` (None: all)."""
        if not self.synced:
            return
        for d in self.config.displays:
            port = self.ports[d.serial.port]
            if d.counter is not None:
                if change is not None and d.counter not in change.counters:
                    continue
                frames = frames_for(d, self.office)
                recalled = change is not None and d.counter in change.recalled
                port.show(d.name, frames, self._blink(d, frames) if recalled else (),
                          force=force or recalled)
            else:
                if change is not None and not change.calls:
                    continue
                port.show(d.name, frames_for(d, self.office, self.boards.get(d.board or "")),
                          force=force)

    @staticmethod
    def _blink(d: DisplayConfig, frames: list[bytes]) -> list[tuple[float, list[bytes]]]:
        step = d.blink_ms / 1000
        off = blank_frames(d)
        out: list[tuple[float, list[bytes]]] = []
        for i in range(d.recall_repeats):
            out += [((2 * i + 1) * step, off), ((2 * i + 2) * step, frames)]
        return out

    # ------------------------------------------------------------------ keys → actions

    async def _act_on_presses(self) -> None:
        while True:
            key, code = await self._presses.get()
            started = time.monotonic()
            try:
                await self.act(key)
            except Exception:  # noqa: BLE001 - a bad answer must not stop the keys
                log.exception("ventanilla %d: error inesperado con la tecla %s", key.counter,
                              describe(code))
            log.debug("tecla %s atendida en %.0f ms", describe(code),
                      (time.monotonic() - started) * 1000)

    async def act(self, key: KeyAction) -> None:
        n, action = key.counter, key.action
        name = ACTION_NAMES[action]
        if not self.synced:
            log.warning("ventanilla %d: «%s» ignorado: sin conexión con el servidor", n, name)
            return
        now = self.office.counter(n)
        held = now.ticket
        try:
            if action == "next":
                await self._next(n, held)
            elif action in TICKET_ACTIONS:
                if held is None:
                    log.info("ventanilla %d: «%s» sin turno en mano; no se hizo nada", n, name)
                    return
                if action == "no_show" and held.get("status") == "serving":
                    log.info("ventanilla %d: %s ya está en atención; «no se presentó» no se "
                             "aplica (use finalizar)", n, held.get("number"))
                    return
                result = await self.api.call("POST",
                                             f"/tickets/{held['id']}/{TICKET_ACTIONS[action]}")
                self._apply_ticket(result)
                log.info("ventanilla %d: %s → %s", n, held.get("number"), name)
            else:
                resume = action == "resume" or now.state == "paused"
                if resume:
                    await self.api.call("POST", f"/counters/{n}/resume")
                else:
                    await self.api.call("POST", f"/counters/{n}/pause", {"reason": key.reason})
                log.info("ventanilla %d: %s", n, "reanudada" if resume else "en pausa")
        except ApiRefused as e:
            log.warning("ventanilla %d: «%s» rechazado por el servidor (%d): %s", n, name,
                        e.status, e.detail)
        except ServerUnreachable as e:
            log.warning("ventanilla %d: «%s» no se aplicó: %s", n, name, e)

    async def _next(self, n: int, held: dict[str, Any] | None) -> None:
        if held is not None and held.get("status") == "called":
            log.info("ventanilla %d: %s está llamado y sin iniciar; «siguiente» no lo cierra "
                     "(use iniciar, volver a llamar o no se presentó)", n, held.get("number"))
            return
        result = await self.api.call("POST", f"/counters/{n}/next",
                                     {"in_hand": held["id"] if held else None})
        if result is None:
            log.info("ventanilla %d: «siguiente»: nadie en espera", n)
            return
        self._apply_ticket(result)
        if result.get("repeated"):
            log.info("ventanilla %d: %s ya estaba en mano; no se llamó otro", n,
                     result.get("number"))
        else:
            log.info("ventanilla %d: llamado %s", n, result.get("number"))

    def _apply_ticket(self, result: Any) -> None:
        """The answer to our own action updates the view at once (the event follows), so a
        second press right after sees the new ticket in hand."""
        if isinstance(result, dict) and result.get("id"):
            self.office.apply_ticket(result)

    # ------------------------------------------------------------------ status

    def status(self) -> dict[str, Any]:
        displays = []
        for d in self.config.displays:
            port = self.ports[d.serial.port]
            displays.append({"name": d.name, "port": d.serial.port, "connected": port.connected,
                             "error": port.error, "counter": d.counter, "board": d.board})
        buttons = [{"name": b.config.name, "port": b.config.serial.port,
                    "connected": b.connected, "error": b.error} for b in self.buttons]
        return {"displays": displays, "buttons": buttons}

    async def _report_status(self) -> None:
        while True:
            self._status_changed.clear()
            try:
                await self.api.call("POST", "/hardware/status", self.status())
                self.faults.up("status", "estado del puente enviado al servidor")
            except (ApiRefused, ServerUnreachable) as e:
                reason = e.detail if isinstance(e, ApiRefused) else str(e)
                self.faults.down("status", f"no se pudo enviar el estado del puente: {reason}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._status_changed.wait(), self.config.report_every_s)
