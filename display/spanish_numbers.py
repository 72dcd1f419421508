"""Spanish words for the board's spoken announcements: "Turno A veintitrés, ventanilla tres".

People hear numbers the way they say them ("veintitrés", not "dos tres"), and a ticket's leading
zeros are padding for the printed number, never read aloud ("A-007" is "A siete"). Service
letters are spelled with their Spanish names so the synthetic voice says a clear syllable.

Pure stdlib, no I/O: the phrase is built here and only here, so the speech endpoint can refuse
anything that is not one of our own phrases.
"""

from __future__ import annotations

import re

_UNITS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
          "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
          "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
          "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho",
          "veintinueve")
_TENS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta",
         8: "ochenta", 9: "noventa"}
_HUNDREDS = {1: "ciento", 2: "doscientos", 3: "trescientos", 4: "cuatrocientos",
             5: "quinientos", 6: "seiscientos", 7: "setecientos", 8: "ochocientos",
             9: "novecientos"}

#: Spanish letter names. Vowels stay as the bare letter (the voice reads them as the vowel);
#: V is "uve" so it is never confused with B ("be") when both services exist.
LETTER_NAMES = {
    "A": "A", "B": "be", "C": "ce", "D": "de", "E": "E", "F": "efe", "G": "ge", "H": "hache",
    "I": "I", "J": "jota", "K": "ka", "L": "ele", "M": "eme", "N": "ene", "O": "O", "P": "pe",
    "Q": "cu", "R": "erre", "S": "ese", "T": "te", "U": "U", "V": "uve", "W": "doble ve",
    "X": "equis", "Y": "ye", "Z": "zeta",
}

#: A printed ticket number: one service letter, a dash, three or more digits ("A-023").
TICKET_NUMBER = re.compile(r"^([A-Z])-(\d{1,6})$")
MAX_NUMBER = 999_999


def _below_hundred(n: int) -> str:
    if n < 30:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] if unit == 0 else f"{_TENS[tens]} y {_UNITS[unit]}"


def _below_thousand(n: int) -> str:
    if n == 100:
        return "cien"
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_hundred(rest)
    return _HUNDREDS[hundreds] if rest == 0 else f"{_HUNDREDS[hundreds]} {_below_hundred(rest)}"


def _apocope(words: str) -> str:
    """'uno' becomes 'un' before 'mil' ("veintiún mil", "treinta y un mil")."""
    if words == "uno":
        return "un"
    if words.endswith("veintiuno"):
        return words[: -len("veintiuno")] + "veintiún"
    if words.endswith(" uno"):
        return words[:-3] + "un"
    return words


def number_to_words(n: int) -> str:
    """0 … 999 999 in Spanish words: 23 → "veintitrés", 101 → "ciento uno", 1000 → "mil"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("number_to_words needs an int")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"number out of range 0..{MAX_NUMBER}: {n}")
    thousands, rest = divmod(n, 1000)
    if thousands == 0:
        return _below_thousand(rest)
    head = "mil" if thousands == 1 else f"{_apocope(_below_thousand(thousands))} mil"
    return head if rest == 0 else f"{head} {_below_thousand(rest)}"


def letter_name(letter: str) -> str:
    """The Spanish name of a service letter ("B" → "be")."""
    try:
        return LETTER_NAMES[letter.upper()]
    except KeyError:
        raise ValueError(f"not a service letter: {letter!r}") from None


def spoken_ticket(number: str) -> str:
    """ "A-023" → "A veintitrés" (leading zeros are padding, not words)."""
    match = TICKET_NUMBER.match(number)
    if match is None:
        raise ValueError(f"not a ticket number: {number!r}")
    letter, digits = match.groups()
    return f"{letter_name(letter)} {number_to_words(int(digits))}"


def spoken_counter(counter: int, counter_name: str | None = None) -> str:
    """ "Ventanilla 3" → "ventanilla tres"; a name without digits is read as written
    ("Caja preferencial"); no name → "ventanilla N"."""
    if not counter_name or not counter_name.strip():
        return f"ventanilla {number_to_words(counter)}"
    name = counter_name.strip()
    if not re.search(r"\d", name):
        return name
    spoken = re.sub(r"\d+", _digits_to_words, name)
    if spoken[:1].isupper() and spoken[1:2].islower():  # "Ventanilla" mid-sentence
        spoken = spoken[:1].lower() + spoken[1:]
    return spoken


def _digits_to_words(match: re.Match[str]) -> str:
    value = int(match.group())
    return number_to_words(value) if value <= MAX_NUMBER else match.group()


def announcement_text(number: str, counter: int, counter_name: str | None = None) -> str:
    """The whole phrase: "Turno A veintitrés, ventanilla tres"."""
    return f"Turno {spoken_ticket(number)}, {spoken_counter(counter, counter_name)}"
