"""Office administration: edit the office configuration from the browser, with the same
validation as the TOML file and without restarting, and change users with the guard an office
needs (an admin cannot lock themselves out).

The TOML file seeds a new database; from then on the copy in the database (edited here) wins.
A change that would strand people is refused: removing a service or a preferential group that
still has tickets in line, or a counter with a ticket in hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from server.auth import Principal, Role
from server.config import OfficeConfig, config_from_dict
from server.errors import ConfigError, ConfigInvalid, Conflict
from server.queue.model import ACTIVE_STATUSES, Status
from server.queue.public_holidays import colombian_holidays
from server.services.accounts import Accounts
from server.services.office import Office, store_config
from server.storage import Store, Tx

SOURCE = "configuración"


# --------------------------------------------------------------------------- readable problems

_SECTIONS = {"services": "Servicio", "counters": "Ventanilla", "groups": "Grupo preferencial",
             "boards": "Pantalla"}
_KEYS = {
    "code": "código", "name": "nombre", "description": "descripción",
    "target_wait_min": "espera objetivo", "active": "activo", "default_service_min":
    "duración típica", "number": "número", "services": "servicios", "enabled": "habilitado",
    "counters": "ventanillas", "timezone": "zona horaria", "ticket_footer": "pie del tiquete",
    "board_message": "mensaje de pantalla", "mode": "modo",
    "preferential_in_row": "preferenciales seguidos", "max_wait_min": "espera máxima",
    "closed_dates": "fechas cerradas", "national_holidays": "festivos nacionales",
}
_DAYS = {"monday": "lunes", "tuesday": "martes", "wednesday": "miércoles",
         "thursday": "jueves", "friday": "viernes", "saturday": "sábado", "sunday": "domingo"}
_ITEM = re.compile(r"^(services|counters|groups|boards)\[([^\]]+)\](?:\.(\w+))?$")


def _label(where: str, data: dict[str, Any]) -> str:
    """'services[2].name' → 'Servicio «C» › nombre'; 'hours.monday' → 'Horario del lunes'."""
    m = _ITEM.match(where)
    if m:
        section, index, key = m.groups()
        ident = index
        items = data.get(section)
        if index.isdigit() and isinstance(items, list) and int(index) < len(items):
            item = items[int(index)]
            ident_key = "number" if section == "counters" else "code"
            if isinstance(item, dict) and item.get(ident_key) not in (None, ""):
                ident = str(item[ident_key])
            else:
                ident = f"n.º {int(index) + 1}"
        label = f"{_SECTIONS[section]} «{ident}»"
        return f"{label} › {_KEYS.get(key, key)}" if key else label
    section, _, key = where.partition(".")
    if section == "hours":
        return f"Horario del {_DAYS[key]}" if key in _DAYS else \
            f"Horario › {_KEYS.get(key, key)}"
    if section == "priority":
        return f"Prioridad › {_KEYS.get(key, key)}"
    if section == "office":
        return f"Oficina › {_KEYS.get(key, key)}"
    return {"services": "Servicios", "counters": "Ventanillas"}.get(where, where)


def readable(problems: list[str], data: dict[str, Any]) -> list[str]:
    """ConfigError lines ('configuración: services[0].code: msg') in words an admin reads."""
    out = []
    for p in problems:
        rest = p.split(": ", 1)[1] if p.startswith(SOURCE) and ": " in p else p
        where, sep, msg = rest.partition(": ")
        out.append(f"{_label(where, data)}: {msg}" if sep else rest)
    return out


def validate(data: Any) -> OfficeConfig:
    if not isinstance(data, dict):
        raise ConfigInvalid(["Se esperaba la configuración completa como objeto JSON"])
    try:
        return config_from_dict(data, source=SOURCE)
    except ConfigError as e:
        raise ConfigInvalid(readable(e.problems, data)) from None
    except (TypeError, ValueError, AttributeError) as e:  # shapes the validator did not expect
        raise ConfigInvalid([f"Datos con forma inesperada ({e})"]) from None


def _safe_change(old: OfficeConfig, new: OfficeConfig) -> Callable[[Tx], None]:
    """A check run in the saving transaction: refuse changes that would strand tickets."""

    def check(tx: Tx) -> None:
        active = tx.tickets_with_status(*ACTIVE_STATUSES)
        problems: list[str] = []
        for s in old.services:
            mine = [t for t in active if t.service == s.code]
            if not mine:
                continue
            if new.service(s.code) is None:
                problems.append(
                    f"No se puede eliminar el servicio «{s.name}»: tiene {len(mine)} turno(s) "
                    "en fila o en atención. Desactívelo (el quiosco deja de dar turnos) y "
                    "elimínelo cuando la fila esté vacía.")
            elif not any(s.code in c.services for c in new.counters) and any(
                    t.status == Status.WAITING for t in mine):
                problems.append(
                    f"El servicio «{s.name}» tiene turnos en espera y ninguna ventanilla lo "
                    "atendería. Deje al menos una ventanilla con ese servicio.")
        problems.extend(
            f"No se puede eliminar el grupo «{g.name}»: hay turnos de ese grupo en fila. "
            "Deshabilítelo en su lugar."
            for g in old.groups
            if new.group(g.code) is None and any(t.group == g.code for t in active))
        numbers = {c.number for c in new.counters}
        for c in old.counters:
            if c.number not in numbers:
                held = tx.in_hand(c.number)
                if held is not None:
                    problems.append(
                        f"No se puede eliminar la «{c.name}»: tiene el turno {held.number} en "
                        "mano. Finalícelo o transfiéralo primero.")
        if problems:
            raise Conflict(" ".join(problems))

    return check


class OfficeAdmin:
    def __init__(self, store: Store, office: Office, accounts: Accounts) -> None:
        self.store = store
        self.office = office
        self.accounts = accounts

    @staticmethod
    def national_holidays() -> list[dict[str, str]]:
        """Colombia's public holidays the office closes on (when ``national_holidays`` is
        on), for the years around this one: what the admin page lists beside the local
        dates."""
        return [{"date": d.isoformat(), "name": name}
                for d, name in colombian_holidays().items()]

    def config(self) -> dict[str, Any]:
        """The office configuration in the TOML shape (as JSON)."""
        return self.office.config.to_dict()

    async def save_config(self, data: Any, actor: Principal) -> dict[str, Any]:
        """Validate like the TOML file, refuse unsafe removals, store, and use at once. The
        check runs in the saving transaction, so nothing slips in between check and change."""
        new = validate(data)
        check = _safe_change(self.office.config, new)

        def save(tx: Tx) -> None:
            check(tx)
            now = self.office.clock()
            store_config(tx, new, now)
            tx.record("config.changed", now, {"office": {"name": new.name}}, actor=actor.name,
                      actor_role=str(actor.role), detail={})

        await self.store.run(save)
        self.office.use(new)
        return new.to_dict()

    async def update_user(self, user_id: int, actor: Principal, *, role: str | None = None,
                          active: bool | None = None, display_name: str | None = None,
                          password: str | None = None) -> dict[str, Any]:
        """An admin may not disable or demote themselves: the office would be left without
        anyone able to administer it."""
        if actor.user_id == user_id and (active is False or (role is not None
                                                             and role != str(Role.ADMIN))):
            raise Conflict("No puede desactivarse ni quitarse el rol de administrador a sí "
                           "mismo. Pida a otro administrador que lo haga.")
        return await self.accounts.update_user(user_id, role=role, active=active,
                                               display_name=display_name, password=password)
