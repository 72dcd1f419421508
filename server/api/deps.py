"""Request dependencies: the services, who is calling, and may they. Roles are checked here,
on the server, for every route; the counter a clerk may act on is checked in the services.

The app keeps the ``Services`` built by ``server.bootstrap`` in ``app.state.services``;
``services_of`` is the one place that reads it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from server.auth import Principal, Role
from server.bootstrap import Services
from server.errors import AccessDenied, CsrfRejected, NotSignedIn
from server.services.accounts import Accounts
from server.services.admin import OfficeAdmin
from server.services.desk import Desk
from server.services.hardware import HardwareBridges
from server.services.reading import Reading
from server.services.statistics import Statistics
from server.services.survey import Surveys
from server.services.ticketing import Ticketing

SESSION_COOKIE = "turnero_session"
#: HttpOnly cookie holding a display board's device token (set by /display?token=...), kept
#: apart from the session cookie so opening a board never signs a person out.
DEVICE_COOKIE = "turnero_device"
CSRF_COOKIE = "turnero_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def services_of(conn: HTTPConnection) -> Services:
    """The app's services (HTTP requests and websockets alike)."""
    services: Services = conn.app.state.services
    return services


async def _ticketing(request: Request) -> Ticketing:
    return services_of(request).ticketing


async def _desk(request: Request) -> Desk:
    return services_of(request).desk


async def _reading(request: Request) -> Reading:
    return services_of(request).reading


async def _accounts(request: Request) -> Accounts:
    return services_of(request).accounts


async def _admin(request: Request) -> OfficeAdmin:
    return services_of(request).admin


async def _statistics(request: Request) -> Statistics:
    return services_of(request).statistics


async def _surveys(request: Request) -> Surveys:
    return services_of(request).surveys


async def _hardware(request: Request) -> HardwareBridges:
    return services_of(request).hardware


# The getters are ``async`` on purpose: FastAPI runs a plain ``def`` dependency on its thread
# pool, a hop per dependency per request (measured: -14 % CPU per ticket when async).
TicketingDep = Annotated[Ticketing, Depends(_ticketing)]
DeskDep = Annotated[Desk, Depends(_desk)]
ReadingDep = Annotated[Reading, Depends(_reading)]
AccountsDep = Annotated[Accounts, Depends(_accounts)]
AdminDep = Annotated[OfficeAdmin, Depends(_admin)]
StatsDep = Annotated[Statistics, Depends(_statistics)]
SurveyDep = Annotated[Surveys, Depends(_surveys)]
HardwareDep = Annotated[HardwareBridges, Depends(_hardware)]


async def principal_from(conn: HTTPConnection, query_token: str | None = None
                         ) -> Principal | None:
    """Bearer header first, then a ``?token=`` (websockets, display boards), then the session
    cookie (browsers) or a board's device cookie. Cookie-authenticated principals are marked
    so CSRF applies to them."""
    accounts = services_of(conn).accounts
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return await accounts.resolve(header[7:].strip())
    if query_token:
        return await accounts.resolve(query_token)
    for name in (SESSION_COOKIE, DEVICE_COOKIE):
        cookie = conn.cookies.get(name)
        if cookie:
            p = await accounts.resolve(cookie)
            if p is not None:
                return replace(p, via_cookie=True)
    return None


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Principal:
        p = await principal_from(request)
        if p is None:
            raise NotSignedIn("Inicie sesión o use un token válido.")
        if p.role not in allowed:
            raise AccessDenied("Su rol no permite esta acción.")
        if p.via_cookie and request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER)
            if not sent or sent != p.csrf:
                raise CsrfRejected("Solicitud rechazada: falta o no coincide el token CSRF. "
                                   "Recargue la página.")
        return p

    return dependency


ANY_ROLE = tuple(Role)
STAFF_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)

AnyRole = Annotated[Principal, Depends(require(*ANY_ROLE))]
Staff = Annotated[Principal, Depends(require(*STAFF_ROLES))]
Manager = Annotated[Principal, Depends(require(*MANAGERS))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Issuer = Annotated[Principal, Depends(require(Role.KIOSK, Role.SUPERVISOR, Role.ADMIN))]
#: Who may follow the live events (boards and staff pages).
WATCHER_ROLES = frozenset({Role.DISPLAY, *STAFF_ROLES})
Watcher = Annotated[Principal, Depends(require(*WATCHER_ROLES))]
#: The events websocket also feeds hardware bridges (LED displays, call buttons).
EVENT_ROLES = WATCHER_ROLES | {Role.HARDWARE}
#: Who acts at a counter (next, recall, start, finish, no-show, pause): staff, and hardware
#: bridges for the counters their token names (checked in ``Office.may_act_at``).
AtCounter = Annotated[Principal, Depends(require(*STAFF_ROLES, Role.HARDWARE))]
HardwareDevice = Annotated[Principal, Depends(require(Role.HARDWARE))]
Kiosk = Annotated[Principal, Depends(require(Role.KIOSK, Role.ADMIN))]
#: The counter survey tablet (its own device role, so it cannot issue tickets); managers may
#: open it too, e.g. to test it.
SurveyTablet = Annotated[Principal, Depends(require(Role.SURVEY, Role.SUPERVISOR, Role.ADMIN))]
