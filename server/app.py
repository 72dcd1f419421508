"""The composition root: ``create_app(settings)`` wires store, engine, accounts, hub and routes.

Nothing is created at import time, so tests build as many apps as they like.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from display import routes as display_routes
from server.accounts import Accounts
from server.api import (
    admin,
    catalog,
    counters,
    errors,
    events,
    panel,
    session,
    stats,
    survey,
    ticket_live,
    tickets,
)
from server.config import DEMO_CONFIG, OfficeConfig, load_config
from server.engine import Engine, EngineSettings
from server.events import EventHub
from server.security.live_limits import LiveLimits
from server.security.survey_keys import SECRET_SETTING, SurveyKeys
from server.stats import pages as stats_pages
from server.storage import Store
from server.web import pages, ticket_page

log = logging.getLogger("turnero")

WEB_DIR = Path(__file__).parent / "web"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SWEEP_INTERVAL_S = 600


@dataclass(frozen=True)
class Settings:
    db_path: Path
    config_path: Path = DEMO_CONFIG
    host: str = "127.0.0.1"
    port: int = 8000
    open_all_hours: bool = False
    public_url: str | None = None

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.port}"


def create_app(settings: Settings, seed: OfficeConfig | None = None) -> FastAPI:
    seed = seed or load_config(settings.config_path)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(settings.db_path)
        engine = Engine.load(store, seed,
                              EngineSettings(settings.base_url, settings.open_all_hours))
        hub = EventHub()
        hub.bind(asyncio.get_running_loop())
        engine.on_events(hub.publish_from_thread)
        app.state.store, app.state.engine, app.state.hub = store, engine, hub
        app.state.accounts = Accounts(store, engine)
        app.state.accounts.on_revoke = hub.disconnect_token
        app.state.settings = settings
        app.state.live_limits = LiveLimits()
        app.state.survey_keys = SurveyKeys(
            store.run_sync(lambda tx: tx.setting(SECRET_SETTING)))
        closed = await engine.close_stale_days()
        if closed:
            log.info("%d turnos de días anteriores quedaron como no atendidos", closed)
        sweeper = asyncio.create_task(_sweep(engine))
        try:
            yield
        finally:
            sweeper.cancel()
            hub.close_all()
            engine.on_events(None)
            store.close()

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
    api = APIRouter(prefix="/api/v1")
    for module in (panel, admin, tickets, counters, catalog, session, events, stats, survey,
                   ticket_live):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(pages.router)
    app.include_router(stats_pages.router)
    app.include_router(ticket_page.router)
    display_routes.install(app, settings.db_path.parent / "speech-cache")
    _mount_pages(app)
    app.add_middleware(SecurityHeaders)
    return app


async def _sweep(engine: Engine) -> None:
    while True:
        await asyncio.sleep(SWEEP_INTERVAL_S)
        try:
            await engine.close_stale_days()
        except Exception:  # noqa: BLE001 - keep sweeping
            log.exception("closing stale days failed")


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


def _mount_pages(app: FastAPI) -> None:
    """API docs served locally (no CDN), and the static web assets."""
    import swagger_ui_bundle

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="swagger")
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    docs_page = (WEB_DIR / "docs.html").read_text(encoding="utf-8")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_page)

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/panel")

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}
