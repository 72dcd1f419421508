"""The composition root: everything a running Turnero needs, built once, in one place.

``build`` opens the database (migrating it), the read pool and the writer, loads the office
configuration (the database wins; the TOML seed fills a new one), and builds every service
with its dependencies passed in. The app's lifespan and every CLI command call it; nothing is
created at import time and nothing is wired by setters afterwards.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.auth import Passwords
from server.config import OfficeConfig
from server.events import EventHub
from server.health import (
    DeviceSightings,
    HealthService,
    StorageWatch,
    bridge_rows,
    disk_check,
)
from server.security.live_limits import LiveLimits
from server.security.survey_keys import SECRET_SETTING, SurveyKeys
from server.services.accounts import Accounts
from server.services.admin import OfficeAdmin
from server.services.analytics import Analytics
from server.services.desk import Desk
from server.services.hardware import HardwareBridges
from server.services.office import Office, OfficeSettings, load_config, store_config
from server.services.reading import LiveTickets, Reading
from server.services.statistics import Statistics
from server.services.survey import Surveys
from server.services.ticketing import Ticketing
from server.storage import CommittedEvent, ReadPool, Store, prepare
from server.storage.health_queries import write_probe


@dataclass(frozen=True)
class Services:
    """The typed context routes and commands use (the app keeps one in ``app.state``)."""

    store: Store
    reads: ReadPool
    hub: EventHub
    passwords: Passwords
    office: Office
    ticketing: Ticketing
    desk: Desk
    reading: Reading
    live: LiveTickets
    accounts: Accounts
    admin: OfficeAdmin
    statistics: Statistics
    surveys: Surveys
    health: HealthService
    hardware: HardwareBridges
    #: The live-socket limits.
    live_limits: LiveLimits

    def close(self) -> None:
        """Stop the writer (after its queue drains) and close the read connections."""
        self.health.storage.stop()
        self.hub.close_all()
        if self.statistics.analytics is not None:
            self.statistics.analytics.close()
        self.store.close()
        self.reads.close()


def build(
    db_path: Path,
    seed: OfficeConfig,
    settings: OfficeSettings | None = None,
    *,
    passwords: Passwords | None = None,
    clock: Callable[[], float] = time.time,
    loop: asyncio.AbstractEventLoop | None = None,
) -> Services:
    """Everything for one database. ``loop`` is the event loop live events are delivered on
    (None for commands: events are then not delivered anywhere). ``passwords`` defaults to
    real argon2; tests pass ``Passwords.cheap()``."""
    prepare(db_path)  # migrate, or refuse a newer schema, before anyone reads
    reads = ReadPool(db_path)
    try:
        config = reads.run_sync(lambda r: load_config(r, seed))
        office = Office(config, settings or OfficeSettings(), clock)
        hub = EventHub(loop)

        def publish(events: list[CommittedEvent]) -> None:
            hub.publish_from_thread(office.messages(events))

        store = Store.open(db_path, on_commit=publish)
    except BaseException:
        reads.close()
        raise
    store.run_sync(lambda tx: store_config(tx, config, clock(), only_if_missing=True))
    passwords = passwords or Passwords()
    desk = Desk(store, reads, office)
    sightings = DeviceSightings()
    accounts = Accounts(store, reads, desk, passwords, clock, on_revoke=hub.disconnect_token,
                        on_resolve=sightings.seen)
    watch = StorageWatch(lambda: store.run(write_probe),
                         room=lambda: bool(disk_check(db_path)["ok"]))
    hardware = HardwareBridges(store, reads, office)

    async def bridges() -> list[dict[str, Any]]:
        return bridge_rows(await hardware.bridges_view())

    health = HealthService(db_path, config.tz, watch, sightings, schedule=seed.backup,
                           connected=hub.connected_tokens, sources={"bridges": bridges})
    survey_keys = SurveyKeys(reads.run_sync(lambda r: r.setting(SECRET_SETTING)))
    return Services(
        store=store, reads=reads, hub=hub, passwords=passwords, office=office,
        ticketing=Ticketing(store, office, survey_keys), desk=desk,
        reading=Reading(reads, office),
        live=LiveTickets(reads, office, hub),
        accounts=accounts, admin=OfficeAdmin(store, office, accounts),
        statistics=Statistics(reads, office, Analytics(db_path), store),
        surveys=Surveys(store, reads, office, survey_keys),
        health=health,
        hardware=hardware,
        live_limits=LiveLimits(),
    )
