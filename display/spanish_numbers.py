"""Spanish words for the board's spoken announcements: "Turno A veintitrés, ventanilla tres".

People hear numbers the way they say them ("veintitrés", not "dos tres"), and a ticket's leading
zeros are padding for the printed number, never read aloud ("A-007" is "A siete"). Service
letters are spelled with their Colombian names ("be larga", "ve corta", "i griega", "doble ve")
so the synthetic voice says a clear syllable and B never sounds like V.

Pure stdlib, no I/O: the phrase is built here and only here, so the speech endpoint can refuse
anything that is not one of our own phrases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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

#: Letter names as Colombians say them. Vowels stay as the bare letter (the voice reads them as
#: the vowel). B and V sound the same in Latin American Spanish, so the call says "be larga" and
#: "ve corta"; an office may shorten them (``[speech] letters``) as long as they stay apart.
LETTER_NAMES = {
    "A": "A", "B": "be larga", "C": "ce", "D": "de", "E": "E", "F": "efe", "G": "ge",
    "H": "hache", "I": "I", "J": "jota", "K": "ka", "L": "ele", "M": "eme", "N": "ene", "O": "O",
    "P": "pe", "Q": "cu", "R": "erre", "S": "ese", "T": "te", "U": "U", "V": "ve corta",
    "W": "doble ve", "X": "equis", "Y": "i griega", "Z": "zeta",
}


def sounds_like(words: str) -> str:
    """The words as a Latin American listener hears them: B and V are one sound, so are S, Z and
    soft C, LL and Y; H, accents and case are silent ("be" and "ve" sound alike; "be larga"
    and "ve corta" do not)."""
    plain = words.lower().translate(str.maketrans("áéíóúüvz", "aeiouubs"))
    plain = re.sub(r"c(?=[ei])", "s", plain).replace("ll", "y")
    return re.sub(r"h", "", plain)


def letter_names(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The letter names with an office's ``overrides`` applied ({"V": "ve"}).

    Refused (ValueError, Spanish message) when two letters would sound the same: a citizen who
    hears "be" cannot tell B-012 from V-012."""
    names = dict(LETTER_NAMES)
    for letter, name in (overrides or {}).items():
        key = letter.strip().upper()
        if key not in LETTER_NAMES:
            raise ValueError(f"«{letter}» no es una letra de servicio (A a Z).")
        spoken = " ".join(str(name).split())
        if not spoken or len(spoken) > 30 or not re.fullmatch(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ ]+", spoken):
            raise ValueError(f"El nombre de la letra {key} debe tener solo letras "
                             "(hasta 30).")
        names[key] = spoken
    heard: dict[str, str] = {}
    for letter, name in names.items():
        other = heard.setdefault(sounds_like(name), letter)
        if other != letter:
            raise ValueError(f"Las letras {other} y {letter} sonarían igual («{names[other]}» y "
                             f"«{name}»); use nombres distintos, por ejemplo «be larga» y "
                             "«ve corta».")
    return names


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


def letter_name(letter: str, names: Mapping[str, str] = LETTER_NAMES) -> str:
    """The spoken name of a service letter ("B" → "be larga"); ``names`` from
    :func:`letter_names` when the office set its own."""
    try:
        return names[letter.upper()]
    except KeyError:
        raise ValueError(f"not a service letter: {letter!r}") from None


def spoken_ticket(number: str, names: Mapping[str, str] = LETTER_NAMES) -> str:
    """ "A-023" → "A veintitrés" (leading zeros are padding, not words)."""
    match = TICKET_NUMBER.match(number)
    if match is None:
        raise ValueError(f"not a ticket number: {number!r}")
    letter, digits = match.groups()
    return f"{letter_name(letter, names)} {number_to_words(int(digits))}"


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


def announcement_text(number: str, counter: int, counter_name: str | None = None,
                      names: Mapping[str, str] = LETTER_NAMES) -> str:
    """The whole phrase: "Turno A veintitrés, ventanilla tres"."""
    return f"Turno {spoken_ticket(number, names)}, {spoken_counter(counter, counter_name)}"
