"""The centre's composition root: ``create_app(settings)`` opens the PostgreSQL pool (and
migrates) at start-up, wires the service and the routes. Nothing is created at import."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from central import errors, pages, routes
from central.service import CentralService, CentralSettings
from central.storage import CentralStore
from server.app import SecurityHeaders
from server.auth import Passwords
from server.web.pages import STATIC as OFFICE_STATIC

WEB_DIR = Path(__file__).resolve().parent / "web"


def create_app(settings: CentralSettings, passwords: Passwords | None = None) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await anyio.to_thread.run_sync(CentralStore.open, settings.database)
        app.state.central = CentralService(store, settings, passwords)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(store.close)

    app = FastAPI(title="Turnero central", version="0.1.0",
                  description="Central reporting of many Turnero offices (PostgreSQL).",
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/central/openapi.json")
    errors.install(app)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static/vendor", StaticFiles(directory=OFFICE_STATIC / "vendor"),
              name="vendor")
    app.mount("/static/central", StaticFiles(directory=WEB_DIR / "static"), name="central")

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/central")

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(SecurityHeaders)
    return app
