"""Every word the citizen reads or hears at the kiosk, in plain Spanish (lenguaje claro).

Kept in one place so an office can review the wording, and so another language is one more
dictionary (``--lang``). Pure: no Kivy.
"""

from __future__ import annotations

import re

ES: dict[str, str] = {
    "welcome": "Bienvenido",
    "touch_to_start": "Toque la pantalla para tomar su turno",
    "take_turn": "Tomar turno",
    "choose_service": "¿Qué necesita hacer hoy?",
    "choose_service_hint": "Toque el servicio que necesita",
    "preferential_question": "¿Pertenece a un grupo de atención preferencial?",
    "preferential_hint": "Si no pertenece a ninguno, toque «No»",
    "no": "No",
    "no_hint": "No pertenezco a ninguno de estos grupos",
    "back": "Volver",
    "done": "Listo",
    "your_turn": "Su turno es",
    "preferential": "Atención preferencial",
    "issuing": "Un momento, estamos dando su turno…",
    "printing": "Imprimiendo su tiquete…",
    "printed": "Tome su tiquete impreso.",
    "print_unknown": "Tome su tiquete de la impresora.",
    "print_failed": "No pudimos imprimir su tiquete",
    "print_failed_hint": "Su turno ya quedó registrado. Tome una foto de esta pantalla o escanee "
                         "el código con su celular para seguir su turno.",
    "connecting": "Conectando con el servidor…",
    "offline": "No hay conexión con el servidor. Estamos reintentando…",
    "offline_hint": "Si esto continúa, avise al personal de la oficina.",
    "closed_default": "La oficina está cerrada.",
    "closed_hint": "Vuelva en el horario de atención. ¡Gracias!",
    "error_title": "No fue posible dar el turno",
    "error_hint": "Intente de nuevo o avise al personal de la oficina.",
    "unauthorized": "Este quiosco no está autorizado en el servidor. Avise al personal de la "
                    "oficina.",
    "no_services": "En este momento no hay servicios disponibles. Avise al personal.",
    "touch_to_continue": "Toque la pantalla para continuar",
}

TEXTS: dict[str, dict[str, str]] = {"es": ES}


def texts(lang: str) -> dict[str, str]:
    return TEXTS[lang]


def people_ahead(n: int) -> str:
    if n <= 0:
        return "No hay personas antes que usted"
    if n == 1:
        return "Hay 1 persona antes que usted"
    return f"Hay {n} personas antes que usted"


def estimated_wait(minutes: int | None) -> str:
    """'' when the server gave no estimate: saying nothing beats a made-up number."""
    if minutes is None:
        return ""
    if minutes <= 1:
        return "Tiempo estimado de espera: menos de 2 minutos"
    if minutes < 60:
        return f"Tiempo estimado de espera: {minutes} minutos"
    hours, rest = divmod(minutes, 60)
    unit = "hora" if hours == 1 else "horas"
    return f"Tiempo estimado de espera: {hours} {unit}" + (f" y {rest} minutos" if rest else "")


def spoken_number(number: str) -> str:
    """'A-007' → 'A 7': how a person says it (espeak-ng would read 'A menos cero cero siete')."""
    m = re.match(r"^\s*([A-Za-z]+)\W*0*(\d+)\s*$", number)
    if not m:
        return number
    return f"{m.group(1).upper()} {m.group(2)}"
