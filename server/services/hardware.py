"""Use cases of hardware bridges (``turnero hardware``): a bridge reports the state of its serial
ports, and supervisors see every bridge, like printer alerts.

A report that only repeats the last one just refreshes "last seen". A display (or button port)
that stops answering, or answers again, is recorded in the audit log
(``hardware.display_lost`` / ``hardware.display_back``, ``hardware.buttons_lost`` /
``hardware.buttons_back``), which publishes it to the live view; the lost ones are supervisor
alerts of the day.
"""

from __future__ import annotations

from typing import Any

from server.auth import Principal
from server.services.office import Office
from server.storage import Reader, ReadPool, Store, Tx
from server.views import iso

#: A bridge reports at least this often; one silent for STALE_AFTER_S is shown as an alert.
REPORT_EVERY_S = 30.0
STALE_AFTER_S = 3 * REPORT_EVERY_S

_KINDS = {"displays": ("pantalla", "hardware.display_lost", "hardware.display_back"),
          "buttons": ("botonera", "hardware.buttons_lost", "hardware.buttons_back")}


def _ports(status: dict[str, Any], group: str) -> dict[str, dict[str, Any]]:
    return {str(p.get("name")): p for p in status.get(group, []) if isinstance(p, dict)}


class HardwareBridges:
    def __init__(self, store: Store, reads: ReadPool, office: Office) -> None:
        self.store = store
        self.reads = reads
        self.office = office

    async def report_status(self, device: Principal, status: dict[str, Any]) -> dict[str, Any]:
        """Store a bridge's report; record each port that went down or came back."""
        office = self.office

        def report(tx: Tx) -> dict[str, Any]:
            now = office.clock()
            before = tx.bridge_status(device.token_id)
            changes = 0
            for group, (what, lost_kind, back_kind) in _KINDS.items():
                old = _ports(before, group)
                for name, port in _ports(status, group).items():
                    was_up = bool(old.get(name, {}).get("connected", True))
                    is_up = bool(port.get("connected"))
                    if was_up == is_up:
                        continue
                    changes += 1
                    label = f"{what} {name} ({port.get('port', '?')})"
                    message = (f"La {label} no responde: {port.get('error') or 'sin detalle'}."
                               if not is_up else f"La {label} volvió a responder.")
                    tx.record(lost_kind if not is_up else back_kind, now,
                              {"bridge": device.name, "port": port, "counter": None},
                              actor=device.name, actor_role=str(device.role),
                              detail={"message": message, "name": name,
                                      "port": port.get("port")})
            tx.save_bridge_status(device.token_id, status, now)
            return {"received": True, "changes": changes, "report_every_s": REPORT_EVERY_S}

        return await self.store.run(report)

    async def bridges_view(self) -> list[dict[str, Any]]:
        """Every bridge that is not revoked: last seen, silent or not, and each port's state."""
        office = self.office

        def read(r: Reader) -> list[dict[str, Any]]:
            now = office.clock()
            out = []
            for b in r.bridges():
                if b.revoked:
                    continue
                silent = b.last_seen is None or now - b.last_seen > STALE_AFTER_S
                displays = b.status.get("displays", [])
                buttons = b.status.get("buttons", [])
                out.append({
                    "name": b.name, "counters": list(b.counters),
                    "last_seen": iso(b.last_seen, office.config.tz), "silent": silent,
                    "displays": displays, "buttons": buttons,
                    "alert": silent or any(not p.get("connected")
                                           for p in [*displays, *buttons]),
                })
            return out

        return await self.reads.run(read)
