"""Request dependencies: who is calling, and may they. Roles are checked here, on the server,
for every route; the counter a clerk may act on is checked in the engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, HTTPException, Request, WebSocket

from server.accounts import Accounts
from server.auth import Principal, Role
from server.engine import Engine
from server.security.survey_keys import SurveyKeys

SESSION_COOKIE = "turnero_session"
#: HttpOnly cookie holding a display board's device token (set by /display?token=...), kept
#: apart from the session cookie so opening a board never signs a person out.
DEVICE_COOKIE = "turnero_device"
CSRF_COOKIE = "turnero_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def get_survey_keys(request: Request) -> SurveyKeys:
    keys: SurveyKeys = request.app.state.survey_keys
    return keys


EngineDep = Annotated[Engine, Depends(get_engine)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]
SurveyKeysDep = Annotated[SurveyKeys, Depends(get_survey_keys)]


async def principal_from(conn: Request | WebSocket, query_token: str | None = None
                         ) -> Principal | None:
    """Bearer header first, then a ``?token=`` (websockets, display boards), then the session
    cookie (browsers) or a board's device cookie. Cookie-authenticated principals are marked
    so CSRF applies to them."""
    accounts: Accounts = conn.app.state.accounts
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
            raise HTTPException(401, "Inicie sesión o use un token válido.",
                                headers={"WWW-Authenticate": "Bearer"})
        if p.role not in allowed:
            raise HTTPException(403, "Su rol no permite esta acción.")
        if p.via_cookie and request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER)
            if not sent or sent != p.csrf:
                raise HTTPException(403, "Solicitud rechazada: falta o no coincide el token "
                                         "CSRF. Recargue la página.")
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
Kiosk = Annotated[Principal, Depends(require(Role.KIOSK, Role.ADMIN))]
