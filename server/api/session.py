"""/api/v1/auth: sign in (token + session cookie), sign out, who am I."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from server.api.deps import CSRF_COOKIE, SESSION_COOKIE, AccountsDep, AnyRole, Manager
from server.api.schemas import (
    MAX_COUNTER,
    Me,
    Schema,
    SessionEnded,
    SignedIn,
    SignedOut,
    error_responses,
)
from server.auth import Principal

router = APIRouter(prefix="/auth", tags=["auth"])


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    counter: int | None = Field(default=None, ge=0, le=MAX_COUNTER,
                                description="Counter number (clerks)")
    force: bool = Field(default=False, description="Take over a counter held by someone else")
    reason: str | None = Field(default=None, max_length=200,
                               description="Why the counter is taken over (shown to the clerk "
                                           "who held it)")


class Logout(BaseModel):
    in_hand: Literal["finish", "return", "no_show"] | None = Field(
        default=None, description="What to do with a ticket still in hand at the clerk's "
                                  "counter: finish it, return it to the line keeping its "
                                  "place, or mark it no-show. Without it, 409 names the ticket.")


class Unlock(BaseModel):
    username: str = Field(min_length=1, max_length=64)


def _me(p: Principal) -> dict[str, Any]:
    return {"role": str(p.role), "username": p.name, "display_name": p.display_name,
            "counter": p.counter}


@router.post("/login", response_model=SignedIn,
             responses=error_responses(401, 404, 409, 413, 422, 429))
async def login(body: Login, request: Request, response: Response, accounts: AccountsDep
                ) -> dict[str, Any]:
    address = request.client.host if request.client else "?"
    s = await accounts.sign_in(body.username, body.password, body.counter, address, body.force,
                               body.reason)
    secure = request.url.scheme == "https"
    max_age = max(1, round(accounts.session_s))
    response.set_cookie(SESSION_COOKIE, s.token, max_age=max_age, httponly=True,
                        samesite="strict", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, s.csrf, max_age=max_age, httponly=False,
                        samesite="strict", secure=secure, path="/")
    return {"token": s.token, "csrf": s.csrf, "expires_at": s.expires_at, **_me(s.principal)}


@router.post("/logout", response_model=SignedOut, response_model_exclude_none=True,
             responses=error_responses(401, 403, 409, 413, 422))
async def logout(response: Response, accounts: AccountsDep, who: AnyRole,
                 body: Logout | None = None) -> dict[str, Any]:
    if who.is_device:
        return {"ok": False, "detail": "Los dispositivos no cierran sesión; revoque el token."}
    await accounts.sign_out(who, body.in_hand if body else None)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return {"ok": True}


@router.get("/ended", response_model=SessionEnded)
async def ended(request: Request, accounts: AccountsDep) -> dict[str, Any]:
    """Why this browser's session ended, when another person took over or freed its
    counter: only the holder of that session's cookie learns it (no sign-in needed)."""
    token = request.cookies.get(SESSION_COOKIE)
    detail = await accounts.why_session_ended(token) if token else None
    return {"taken": detail is not None, "detail": detail}


@router.get("/me", response_model=Me, responses=error_responses(401))
async def me(who: AnyRole) -> dict[str, Any]:
    return _me(who)


class Unlocked(Schema):
    username: str
    unlocked: bool = Field(description="Whether any address had delays to lift")
    addresses: int


@router.post("/unlock", response_model=Unlocked,
             responses=error_responses(401, 403, 413, 422))
async def unlock(body: Unlock, accounts: AccountsDep, who: Manager) -> dict[str, Any]:
    """Lift the sign-in delays on a user (after wrong passwords typed from any address)."""
    return await accounts.unlock(body.username, who)
