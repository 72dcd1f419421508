"""The office as every use case sees it: the current configuration, the clock, the public
address, and the views and checks that several use-case families share.

The configuration lives in the database (seeded from the TOML file); ``OfficeAdmin`` stores
a new one and then calls ``use``, so every service sees the change from the next request on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.auth import ALL_COUNTERS, SESSION_HOURS, Principal, Role
from server.config import OfficeConfig, config_from_dict
from server.errors import AccessDenied, NotFound
from server.queue.hours import describe_moment, is_open, next_opening
from server.queue.model import Counter, Status, Ticket
from server.services.waits import WaitEstimates, Waits
from server.storage import CommittedEvent, Reader, Tx
from server.views import counter_view, iso, ticket_view

#: Settings key of the office configuration stored in the database.
CONFIG_KEY = "office_config"


@dataclass(frozen=True)
class OfficeSettings:
    """How this server runs (not part of the office configuration an admin edits)."""

    public_url: str = "http://127.0.0.1:8000"
    open_all_hours: bool = False
    #: How long a staff sign-in lasts (``turnero serve --session-hours``); a clerk's counter
    #: closes when it runs out, as at a sign-out.
    session_hours: float = SESSION_HOURS


def load_config(reader: Reader, seed: OfficeConfig) -> OfficeConfig:
    """The stored configuration, or ``seed`` for a new database (``store_config`` then
    stores it). After the first start the database wins over the TOML file."""
    stored = reader.setting(CONFIG_KEY)
    if stored is None:
        return seed
    return config_from_dict(stored, source="base de datos")


def store_config(tx: Tx, config: OfficeConfig, now: float, only_if_missing: bool = False
                 ) -> None:
    """Write the configuration and make sure its counters have rows."""
    if not only_if_missing or tx.setting(CONFIG_KEY) is None:
        tx.set_setting(CONFIG_KEY, config.to_dict(), now)
    tx.ensure_counters([c.number for c in config.counters])


class Office:
    def __init__(self, config: OfficeConfig, settings: OfficeSettings,
                 clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self.settings = settings
        self.clock = clock
        self.wait_estimates = WaitEstimates()

    @property
    def config(self) -> OfficeConfig:
        return self._config

    def use(self, config: OfficeConfig) -> None:
        """Switch to a configuration already stored (see ``OfficeAdmin.save_config``)."""
        self._config = config
        self.wait_estimates = WaitEstimates()  # learned times fall back to the new defaults

    # ------------------------------------------------------------------ time

    def local(self, now: float) -> datetime:
        return datetime.fromtimestamp(now, self._config.tz)

    def today(self, now: float | None = None) -> str:
        return self.local(self.clock() if now is None else now).date().isoformat()

    def opening_state(self, now: float | None = None) -> dict[str, Any]:
        now = self.clock() if now is None else now
        local = self.local(now)
        hours = self._config.hours
        open_now = self.settings.open_all_hours or is_open(hours, local)
        nxt = None if open_now else next_opening(hours, local)
        return {
            "open": open_now,
            "open_all_hours": self.settings.open_all_hours,
            "next_opening": nxt.isoformat() if nxt else None,
            "message": None if open_now else _closed_message(local, nxt),
        }

    # ------------------------------------------------------------------ events

    def messages(self, events: list[CommittedEvent]) -> list[dict[str, Any]]:
        """Live messages for the events of one commit (what the hub publishes)."""
        tz = self._config.tz
        return [{"type": rec.kind, "seq": rec.seq, "at": iso(rec.at, tz), **payload}
                for rec, payload in events]

    # ------------------------------------------------------------------ views

    def view(self, t: Ticket, **kw: Any) -> dict[str, Any]:
        return ticket_view(t, self._config, self.settings.public_url, **kw)

    def waits(self, r: Reader, waiting: list[Ticket] | None = None) -> Waits:
        """The estimated wait of every waiting ticket now (see server/services/waits.py)."""
        now = self.clock()
        return self.wait_estimates.forecast(r, self._config, now,
                                            self.opening_state(now)["message"], waiting)

    def waiting_view(self, r: Reader, t: Ticket, at_back: bool = False) -> dict[str, Any]:
        """A ticket with people ahead and estimated wait (only meaningful while waiting).
        ``at_back``: ``t`` was just put at the back of its line (counted from there)."""
        if t.status != Status.WAITING:
            return self.view(t)
        ahead = r.count_ahead_from_back(t) if at_back else r.count_ahead(t)
        return self.view(t, ahead=ahead, **self.waits(r).fields(t, ahead))

    def waiting_views(self, r: Reader, waiting: list[Ticket], day: str) -> list[dict[str, Any]]:
        """Views of a whole line, ranked in one pass per service (snapshots)."""
        by_service: dict[str, list[Ticket]] = {}
        for t in waiting:
            by_service.setdefault(t.service, []).append(t)
        waits = self.waits(r, waiting)
        views: list[dict[str, Any]] = []
        for line in by_service.values():
            ranked = sorted(line, key=lambda t: (not t.preferential, t.line_key()))
            views += [self.view(t, ahead=i, **waits.fields(t, i)) for i, t in enumerate(ranked)]
        return sorted(views, key=lambda v: (v["queued_at"], v["number"]))

    def counter_view(self, r: Reader, number: int) -> dict[str, Any]:
        held = r.in_hand(number)
        return counter_view(r.counter_row(number), self._config,
                            self.view(held) if held else None)

    # ------------------------------------------------------------------ checks

    def counter_config(self, number: int) -> Counter:
        """The configured counter, or NotFound in plain Spanish."""
        counter = self._config.counter(number)
        if counter is None:
            raise NotFound(f"La ventanilla {number} no existe.")
        return counter

    @staticmethod
    def ticket(r: Reader, ticket_id: str) -> Ticket:
        t = r.ticket(ticket_id)
        if t is None:
            raise NotFound("Ese turno no existe.")
        return t

    @staticmethod
    def may_act_at(actor: Principal, number: int) -> None:
        if actor.role in ALL_COUNTERS:
            return
        if actor.role == Role.CLERK and actor.counter == number:
            return
        if actor.role == Role.HARDWARE:
            _device_may_act_at(actor, number)
            return
        if actor.role == Role.CLERK:
            raise AccessDenied(
                f"Usted está en la ventanilla {actor.counter}; no puede actuar en la {number}."
            )
        raise AccessDenied("Su rol no permite esta acción.")

    def may_handle(self, actor: Principal, t: Ticket) -> None:
        """A clerk handles the ticket in hand at their counter, or a waiting/absent ticket of a
        service their counter serves."""
        if actor.role in ALL_COUNTERS:
            return
        if actor.role == Role.HARDWARE:  # only the ticket in hand at one of its counters
            if t.status not in (Status.CALLED, Status.SERVING) or t.counter is None:
                raise AccessDenied(f"El turno {t.number} no está en una ventanilla.")
            _device_may_act_at(actor, t.counter)
            return
        if actor.role != Role.CLERK or actor.counter is None:
            raise AccessDenied("Su rol no permite esta acción.")
        if t.status in (Status.CALLED, Status.SERVING):
            if t.counter != actor.counter:
                raise AccessDenied(
                    f"El turno {t.number} está en la ventanilla {t.counter}, no en la suya."
                )
            return
        counter = self._config.counter(actor.counter)
        if counter is None or t.service not in counter.services:
            raise AccessDenied(f"Su ventanilla no atiende el servicio del turno {t.number}.")


def _device_may_act_at(device: Principal, number: int) -> None:
    """A hardware bridge acts only for the counters its token names."""
    if number not in device.counters:
        raise AccessDenied(f"El dispositivo «{device.name}» no está autorizado para la "
                           f"ventanilla {number}.")


def _closed_message(local: datetime, nxt: datetime | None) -> str:
    if nxt is None:
        return "La oficina está cerrada."
    return f"La oficina está cerrada. Abre {describe_moment(nxt, local)}."
