"""The web app: ``create_app(settings)`` registers the routes and, in its lifespan, builds
the services once through the composition root (``server.bootstrap``).

Nothing is created at import time, so tests build as many apps as they like.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from display.speech import SpeechCache
from server import background, bootstrap
from server.api import (
    admin,
    announcements,
    audit,
    catalog,
    central_status,
    counters,
    errors,
    events,
    hardware,
    health,
    labels,
    panel,
    session,
    stats,
    survey,
    ticket_live,
    tickets,
)
from server.api.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from server.api.health import install_storage_errors
from server.api.schemas import error_responses
from server.api.strict_json import StrictJSON
from server.auth import SESSION_HOURS, Passwords
from server.backup import BackupScheduler
from server.config import DEMO_CONFIG, OfficeConfig, load_config
from server.services.office import OfficeSettings
from server.services.statistics import Statistics
from server.services.ticketing import Ticketing
from server.web import pages

log = logging.getLogger("turnero")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SWEEP_INTERVAL_S = 600
API_PREFIX = "/api/v1"
STORAGE_FAILURE = error_responses(503)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    config_path: Path = DEMO_CONFIG
    host: str = "127.0.0.1"
    port: int = 8000
    open_all_hours: bool = False
    public_url: str | None = None
    #: Largest request body accepted (413 beyond it), counted while it arrives.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    central_url: str | None = None
    central_token: str | None = None
    #: How long a staff sign-in lasts (``--session-hours``).
    session_hours: float = SESSION_HOURS

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.port}"


def create_app(settings: Settings, seed: OfficeConfig | None = None,
               passwords: Passwords | None = None) -> FastAPI:
    """``passwords`` defaults to real argon2 (tests may pass ``Passwords.cheap()``)."""
    seed = seed or load_config(settings.config_path)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = bootstrap.build(
            settings.db_path, seed, OfficeSettings(settings.base_url, settings.open_all_hours,
                                                    settings.session_hours),
            passwords=passwords, loop=asyncio.get_running_loop())
        app.state.services = services
        closed = await services.ticketing.close_stale_days()
        if closed:
            log.info("%d turnos de días anteriores quedaron como no atendidos", closed)
        tasks = [background.start("cierre-de-dias",
                                  partial(_sweep, services.ticketing, services.statistics)),
                 # phones following a ticket reconnect at once when it stops: back soon
                 background.start("turnos-seguidos", services.live.run, restart_after_s=2.0),
                 background.start("sesiones-vencidas", services.accounts.watch_session_expiry)]
        if seed.backup is not None:  # the daily backup of the office file's [backup]
            tasks.append(BackupScheduler(settings.db_path, seed.backup,
                                         services.office.config.tz).start())
        app.state.central_sender = _central_sender(settings, seed, services)
        try:
            yield
        finally:
            if app.state.central_sender is not None:
                await asyncio.to_thread(app.state.central_sender.stop)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            services.close()

    app = FastAPI(
        title="Turnero",
        version="0.1.0",
        description="Queue management for in-person citizen service. API under /api/v1.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    errors.install(app)
    install_storage_errors(app)
    # Each router straight on the app under the prefix, not inside an "/api/v1" router: FastAPI
    # matches a nested router once to choose it and again to run it, at every level; one
    # level less took ~0.13 ms of event-loop CPU off every request (docs/benchmarks.md).
    # The app tries the routers in this order: the ticket issue first (the busiest route),
    # panel before counters (its /counters/public would match /counters/{number}).
    # Any route may answer 503 when the database cannot be read or written (a full disk, a
    # failing one; server/api/health.py), so the OpenAPI document says so for every route.
    for module in (tickets, panel, counters, admin, catalog, session, events, stats, survey,
                   ticket_live, hardware, labels, central_status, health,
                   audit):
        app.include_router(module.router, prefix=API_PREFIX, responses=STORAGE_FAILURE)
    app.include_router(announcements.build_router(
        SpeechCache(settings.db_path.parent / "speech-cache")), prefix=API_PREFIX,
        responses=STORAGE_FAILURE)
    pages.install(app)
    _add_health(app)
    app.add_middleware(StrictJSON)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _central_sender(settings: Settings, seed: OfficeConfig, services: bootstrap.Services
                    ) -> object | None:
    """The background sender to the central server, when the office has one."""
    from central.sender import CentralSender, link_for

    link = link_for(settings.central_url, settings.central_token, seed.central)
    if link is None:
        return None
    sender = CentralSender(link, settings.db_path, services.store,
                           lambda: services.office.config)
    sender.start()
    return sender


async def _sweep(ticketing: Ticketing, statistics: Statistics) -> None:
    while True:
        await asyncio.sleep(SWEEP_INTERVAL_S)
        try:
            await ticketing.close_stale_days()
        except Exception:  # noqa: BLE001 - keep sweeping
            log.exception("closing stale days failed")
        try:  # the statistics rollups of the days that ended, before a supervisor asks
            await statistics.warm_rollups()
        except Exception:  # noqa: BLE001 - a summary builds them itself at worst
            log.exception("building the statistics rollups failed")


class SecurityHeaders:
    """Adds the security headers to every HTTP answer. A plain ASGI middleware: Starlette's
    BaseHTTPMiddleware costs a task and a stream per request on the hot path."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.HEADERS)
        if scope["path"].startswith("/api/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in extra if k not in present]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _add_health(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}
