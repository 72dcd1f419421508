"""What a kiosk or a board may see of tickets and counters.

A ticket's id is the citizen's capability: it opens their status page. Staff act on tickets
by id, so staff views keep it; devices and the public never need it, and a board in a waiting
room must not carry who served whom. Device views are built by allowlist, so a field added to
the staff view later stays out of them until someone decides otherwise:

* tickets: number, service and its name, whether preferential (never which group), status,
  counter and its name, call count and call times — no id, no clerk, no kiosk, no status URL;
* counters: number, name, services, state, pause reason, since, the ticket in hand (as above)
  and the waiting counts — no clerk name;
* events: type, seq, time and the parts above; any other payload (a printer alert naming its
  kiosk, an unlocked user) is reduced to type, seq and time, so boards keep their seq order.
"""

from __future__ import annotations

from typing import Any

#: Roles that see the device views: the kiosk and the board. The hardware bridge is a device
#: too, but it acts for its counters on tickets by id (like the clerk there), so it sees what
#: staff see.
NUMBERS_ONLY_ROLES = frozenset({"kiosk", "display"})


def numbers_only(role: str) -> bool:
    """Whether this role sees tickets by number only."""
    return str(role) in NUMBERS_ONLY_ROLES

DEVICE_TICKET_FIELDS = ("number", "service", "service_name", "preferential", "status",
                        "counter", "counter_name", "call_count", "called_at", "first_called_at")
DEVICE_COUNTER_FIELDS = ("number", "name", "services", "state", "pause_reason", "since",
                         "waiting", "waiting_preferential", "longest_wait_min")
_EVENT_HEAD = ("type", "seq", "at")


def device_ticket(view: dict[str, Any] | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {k: view[k] for k in DEVICE_TICKET_FIELDS if k in view}


def device_counter(view: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(view, dict):
        return view
    out = {k: view[k] for k in DEVICE_COUNTER_FIELDS if k in view}
    out["ticket"] = device_ticket(view.get("ticket"))
    return out


def device_overview(overview: dict[str, Any]) -> dict[str, Any]:
    """GET /queue for a device: line lengths and counter states, nobody's id or name (the
    supervisor's alerts stay with staff)."""
    counters = [device_counter(c) for c in overview.get("counters", [])]
    kept = {k: v for k, v in overview.items() if k not in ("counters", "alerts")}
    return {**kept, "counters": counters}


def device_event(message: dict[str, Any]) -> dict[str, Any]:
    """One live event (or snapshot) as a board receives it."""
    out = {k: message[k] for k in _EVENT_HEAD if k in message}
    kind = str(message.get("type", ""))
    if kind == "snapshot":
        out["office"] = message.get("office")
        out["queue"] = device_overview(message.get("queue") or {})
        out["waiting"] = []
        out["recent_calls"] = [
            {**{k: c[k] for k in (*_EVENT_HEAD, "counter") if k in c},
             "ticket": device_ticket(c.get("ticket"))}
            for c in message.get("recent_calls", [])
        ]
        return out
    if kind.startswith("ticket.") or kind == "counter.changed":
        if "ticket" in message:
            out["ticket"] = device_ticket(message["ticket"])
        if "counter" in message:
            out["counter"] = device_counter(message["counter"])
    elif kind == "config.changed":
        out["office"] = message.get("office")
    return out
