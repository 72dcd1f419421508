"""Use cases of the clerk panel that the engine does not already cover: the public list of
counters for the sign-in form, and today's tickets in one status (recent no-shows a clerk may
reactivate)."""

from __future__ import annotations

from typing import Any

from server.auth import Principal, Role
from server.engine import AccessDenied, Engine
from server.queue.model import Invalid, Status
from server.queue.numbering import local_day
from server.security import clerk_scope
from server.stats.query import parse_day
from server.storage.desk import tickets_of_day


def public_counters(engine: Engine) -> list[dict[str, Any]]:
    """What the sign-in form shows before anyone is signed in: counter numbers and names and
    the names of the services each serves. Nothing about people or tickets."""
    cfg = engine.config
    out = []
    for c in cfg.counters:
        services = [s for code in c.services if (s := cfg.service(code)) is not None]
        out.append({"number": c.number, "name": c.name,
                    "services": [{"code": s.code, "name": s.name} for s in services]})
    return out


def _day(engine: Engine, day: str) -> str:
    if day == "today":
        return local_day(engine.clock(), engine.config.tz)
    return parse_day(day, "day").isoformat()


async def tickets_on(engine: Engine, status: str, day: str = "today",
                     counter: int | None = None, actor: Principal | None = None
                     ) -> list[dict[str, Any]]:
    """Tickets of one day in one status, newest first; with ``counter``, only of the services
    that counter serves (what its clerk may act on). A clerk lists only today's tickets of
    their own counter (server/security/clerk_scope.py)."""
    try:
        wanted = Status(status)
    except ValueError:
        names = ", ".join(str(s) for s in Status)
        raise Invalid(f"Estado desconocido {status!r}; use uno de: {names}.") from None
    the_day = _day(engine, day)
    if actor is not None and actor.role == Role.CLERK:
        refusal = clerk_scope.listing_refusal(the_day, _day(engine, "today"), counter,
                                              actor.counter)
        if refusal:
            raise AccessDenied(refusal)
        counter = actor.counter
    services: tuple[str, ...] | None = None
    if counter is not None:
        services = engine.counter_config(counter).services
    return await engine.store.run(
        lambda tx: [engine._view(t) for t in tickets_of_day(tx, the_day, wanted, services)])
