"""The request path never hops to the thread pool for a dependency.

FastAPI runs a plain ``def`` dependency on its thread pool: one thread hand-off per request
per dependency, on the hot path of every ticket issued (a sync getter of the survey keys cost
~7 % of an issue's server time in a py-spy profile). Getters of the app's services are
``async def``; a dependency that really blocks belongs in a service run on the read pool.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute

from server.app import Settings, create_app


def _sync_dependencies(dependant: Dependant, route: str) -> list[str]:
    found = []
    for dep in dependant.dependencies:
        call = dep.call
        if call is not None and not (inspect.iscoroutinefunction(call)
                                     or inspect.iscoroutinefunction(type(call).__call__)):
            found.append(f"{route}: {getattr(call, '__qualname__', call)}")
        found += _sync_dependencies(dep, route)
    return found


def _routes(routes: list[Any]) -> Iterator[APIRoute | APIWebSocketRoute]:
    """Every endpoint, through included routers (FastAPI keeps the original router behind
    each inclusion) and mounts."""
    for r in routes:
        if isinstance(r, APIRoute | APIWebSocketRoute):
            yield r
        inner = getattr(getattr(r, "original_router", None), "routes", None)
        yield from _routes(inner if inner is not None else getattr(r, "routes", []) or [])


def test_every_route_dependency_is_async(tmp_path: Path) -> None:
    app = create_app(Settings(db_path=tmp_path / "t.db"))
    routes = list(_routes(app.routes))
    assert len(routes) > 50
    sync = [name for r in routes for name in _sync_dependencies(r.dependant, r.path)]
    assert sync == []
