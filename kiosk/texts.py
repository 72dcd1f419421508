"""Every word the citizen reads or hears at the kiosk, in plain Spanish (lenguaje claro).

Kept in one place so an office can review the wording, and so another language is one more
dictionary (``--lang``). Pure: no Kivy.
"""

from __future__ import annotations

from collections.abc import Iterable

from display.spanish_numbers import letter_names, spoken_ticket

# "3:05 p. m.": the kiosk's clock is the printed ticket's (one format for screen and paper,
# the same as the board and the phone page).
from printer.layout import clock_text as clock_text
from printer.layout import people_ahead_text, wait_line

ES: dict[str, str] = {
    "welcome": "Le damos la bienvenida",
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
    "unauthorized_title": "Este quiosco no está disponible por ahora",
    "unauthorized": "Personal de la oficina: el servidor no reconoce este quiosco. Cree un "
                    "token de quiosco en Administración › Dispositivos y escríbalo en la "
                    "configuración del quiosco (token o TURNERO_KIOSK_TOKEN).",
    "listen": "Escuchar",
    "large_text": "Letra grande",
    "large_text_off": "Letra normal",
    "high_contrast": "Alto contraste",
    "high_contrast_off": "Contraste normal",
    "no_services": "En este momento no hay servicios disponibles. Avise al personal.",
}

TEXTS: dict[str, dict[str, str]] = {"es": ES}


def texts(lang: str) -> dict[str, str]:
    return TEXTS[lang]


def people_ahead(n: int) -> str:
    """The same words the printed ticket uses (one wording for screen and paper)."""
    return people_ahead_text(n)


def estimated_wait(minutes: int | None, note: str | None = None) -> str:
    """As printed on the ticket: the estimate, or why there is none (``wait_note``)."""
    return wait_line(minutes, note)


def spoken_number(number: str, letters: Iterable[tuple[str, str]] = ()) -> str:
    """'A-007' → 'A siete', 'V-007' → 've corta siete', as the display board says it, with
    the office's own ``letters`` ([speech] letters, e.g. (("V", "ve"),)) applied by the same
    rule; anything else as written."""
    try:
        names = letter_names(dict(letters))
    except ValueError:  # the server checks them; a bad set here falls back to the defaults
        names = letter_names()
    try:
        return spoken_ticket(number, names)
    except ValueError:
        return number
