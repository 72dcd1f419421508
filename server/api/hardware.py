"""/api/v1/hardware: hardware bridges report their ports; supervisors see every bridge."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from server.api.deps import HardwareDep, HardwareDevice, Manager
from server.api.schemas import Bridge, StatusReceived, error_responses

router = APIRouter(prefix="/hardware", tags=["hardware"])


class PortStatus(BaseModel):
    name: str = Field(min_length=1, max_length=80, examples=["ventanilla-3"])
    port: str = Field(max_length=200, examples=["/dev/ttyUSB0"])
    connected: bool
    error: str | None = Field(default=None, max_length=300)
    counter: int | None = None
    board: str | None = Field(default=None, max_length=40)


class BridgeStatus(BaseModel):
    displays: list[PortStatus] = Field(default_factory=list, max_length=64)
    buttons: list[PortStatus] = Field(default_factory=list, max_length=64)


@router.post("/status", response_model=StatusReceived,
             responses=error_responses(401, 403, 413, 422))
async def report_status(body: BridgeStatus, hardware: HardwareDep, who: HardwareDevice
                        ) -> dict[str, Any]:
    """A bridge says which displays and button ports answer (at start, on every change, and
    every `report_every_s` seconds). A port that stops answering becomes a supervisor alert."""
    return await hardware.report_status(who, body.model_dump())


@router.get("/bridges", response_model=list[Bridge], responses=error_responses(401, 403))
async def bridges(hardware: HardwareDep, who: Manager) -> list[dict[str, Any]]:
    """Every bridge: last seen, `silent` when it stopped reporting, and each port's state."""
    return await hardware.bridges_view()
