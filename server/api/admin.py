"""/api/v1/admin: office configuration, users and device tokens (role admin only).

Configuration edits are validated like the TOML file and take effect at once; the database
copy wins over the TOML file after the first start (docs/admin.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from server.api.deps import AccountsDep, Admin, AdminDep
from server.api.schemas import (
    DeviceRole,
    DeviceToken,
    DeviceTokenCreated,
    Holiday,
    OfficeConfigDoc,
    RowId,
    TokenRevoked,
    User,
    UserRole,
    error_responses,
)

router = APIRouter(prefix="/admin", tags=["admin"])
_READ = error_responses(401, 403)
_WRITE = error_responses(401, 403, 409, 413, 422)


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    role: UserRole = Field(examples=["clerk", "supervisor", "admin"])
    display_name: str | None = Field(default=None, max_length=120)


class UserChange(BaseModel):
    role: UserRole | None = None
    active: bool | None = None
    display_name: str | None = Field(default=None, max_length=120)
    password: str | None = Field(default=None, min_length=1, max_length=256)


class TokenCreate(BaseModel):
    role: DeviceRole = Field(examples=["kiosk", "display", "survey"])
    name: str = Field(min_length=1, max_length=80)
    counters: list[int] | None = Field(
        default=None, max_length=100, description="Role hardware: the counters the bridge "
                                                  "may act for (required). Role survey: the "
                                                  "one counter its tablet serves.")


@router.get("/config", response_model=OfficeConfigDoc, responses=_READ)
async def get_config(admin: AdminDep, who: Admin) -> dict[str, Any]:
    """The office configuration in the TOML shape (as JSON)."""
    return admin.config()


@router.get("/holidays", response_model=list[Holiday], responses=_READ)
async def national_holidays(admin: AdminDep, who: Admin) -> list[dict[str, str]]:
    """Colombia's public holidays (movable festivos included) for last year to two years
    ahead: `date` (YYYY-MM-DD) and Spanish `name`. The office closes on them while
    `hours.national_holidays` is true; local closures go in `hours.closed_dates`."""
    return admin.national_holidays()


@router.put("/config", response_model=OfficeConfigDoc, responses=_WRITE)
async def put_config(admin: AdminDep, who: Admin,
                     data: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """Replace the whole configuration. 422 with `problems` (one readable line each) when it
    does not validate; 409 when it would strand tickets (removing a service with people in
    line, a counter with a ticket in hand)."""
    return await admin.save_config(data, who)


@router.get("/users", response_model=list[User], responses=_READ)
async def list_users(accounts: AccountsDep, who: Admin) -> list[dict[str, Any]]:
    return await accounts.list_users()


@router.post("/users", status_code=201, response_model=User, responses=_WRITE)
async def create_user(body: UserCreate, accounts: AccountsDep, who: Admin) -> dict[str, Any]:
    return await accounts.create_user(body.username, body.password, body.role,
                                      body.display_name or None)


@router.patch("/users/{user_id}", response_model=User,
               responses=error_responses(401, 403, 404, 409, 413, 422))
async def change_user(user_id: RowId, body: UserChange, admin: AdminDep, who: Admin
                      ) -> dict[str, Any]:
    """Change role, name or password, or disable/enable. A role or password change and a
    disable close the user's open sessions."""
    return await admin.update_user(user_id, who, role=body.role, active=body.active,
                                   display_name=body.display_name, password=body.password)


@router.get("/tokens", response_model=list[DeviceToken], responses=_READ)
async def list_tokens(accounts: AccountsDep, who: Admin) -> list[dict[str, Any]]:
    return await accounts.list_device_tokens()


@router.post("/tokens", status_code=201, response_model=DeviceTokenCreated,
             responses=_WRITE)
async def create_token(body: TokenCreate, accounts: AccountsDep, who: Admin) -> dict[str, Any]:
    """Create a kiosk or display token. The answer carries `token` once; only its hash is
    kept, so it cannot be shown again."""
    return await accounts.create_device_token(body.role, body.name, body.counters)


@router.post("/tokens/{token_id}/revoke", response_model=TokenRevoked,
             responses=error_responses(401, 403, 404, 422))
async def revoke_token(token_id: RowId, accounts: AccountsDep, who: Admin) -> dict[str, Any]:
    return await accounts.revoke_device_token(token_id)
