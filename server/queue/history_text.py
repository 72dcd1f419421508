"""A ticket's audit trail told in plain Spanish for a supervisor ("why was X called before
me?"): one sentence per recorded moment, with who acted, where, and the rule that chose the
ticket at each call. Pure code: the records and the office's names come in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_ROLE = {"kiosk": "el quiosco", "clerk": "", "supervisor": "", "admin": "", "system": "",
         "hardware": "el puente de hardware"}


def _who(actor: str | None, role: str | None, names: Mapping[str, str]) -> str:
    if not actor or role == "system":
        return "el sistema"
    if role in ("kiosk", "hardware"):
        return f"{_ROLE[role]} «{actor}»"
    return names.get(actor, actor)


#: Sentences that need only who acted and where ("{who}", "{at}").
_SIMPLE = {
    "ticket.recalled": "Llamado de nuevo{at} por {who}.",
    "ticket.started": "Inició la atención{at} ({who}).",
    "ticket.finished": "Atendido{at}; finalizó {who}.",
    "ticket.no_show": "Marcado como «No se presentó»{at} por {who}.",
    "ticket.reactivated": "Reactivado por {who}: volvió a la fila en su lugar original.",
    "ticket.cancelled": "Cancelado por {who}.",
}


def describe(kind: str, counter: int | None, actor: str | None, role: str | None,
             detail: Mapping[str, Any], names: Mapping[str, str],
             service_name: Callable[[str], str], group_name: Callable[[str], str] = str
             ) -> str:
    """One sentence for one audit record (``names``: user → "Name (user)")."""
    who = _who(actor, role, names)
    at = f" en la ventanilla {counter}" if counter is not None else ""
    if kind in _SIMPLE:
        return _SIMPLE[kind].format(who=who, at=at)
    if kind == "ticket.issued":
        where = (f" en la ventanilla {detail['issued_at_counter']}"
                 if detail.get("issued_at_counter") else "")
        pref = f", preferencial ({group_name(str(detail['group']))})" if detail.get("group") \
            else ""
        return f"Emitido por {who}{where} para {service_name(str(detail.get('service')))}{pref}."
    if kind == "ticket.called":
        reason = detail.get("reason")
        return f"Llamado{at} por {who}." + (f" Por qué: {reason}" if reason else "")
    if kind == "ticket.returned":
        why = detail.get("why")
        return (f"Devuelto a la fila en su lugar original{at} por {who}"
                + (f" ({why})." if why else "."))
    if kind == "ticket.transferred":
        return (f"Pasado de {service_name(str(detail.get('from_service')))} a "
                f"{service_name(str(detail.get('to_service')))} por {who}, conservando su "
                "lugar en la fila.")
    if kind == "ticket.not_attended":
        return f"No se atendió: {detail.get('why', 'cierre del día')} ({who})."
    if kind == "printer.failed":
        return f"No se imprimió en {who}: {detail.get('message', '')}".rstrip(": ") + "."
    return f"{kind}{at} ({who})."
