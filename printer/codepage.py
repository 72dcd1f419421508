"""Which character table the printer uses, and how Spanish text is turned into its bytes.

ESC/POS printers do not speak UTF-8: each byte above 0x7F is looked up in the *code page*
selected with ``ESC t n``.  After ``ESC @`` (initialise) the printer falls back to page 0
(CP437), which lacks Á É Í Ó Ú, so every ticket selects its page explicitly right after the
initialise command.

Default: **CP850** ("PC850 Multilingual"), ``ESC t 2``.  It holds every Spanish letter and sign
(á é í ó ú ü ñ Á É Í Ó Ú Ü Ñ ¿ ¡) and is number 2 on Epson and on nearly every compatible
printer.  CP858 (``ESC t 19`` on Epson) is CP850 with the euro sign; CP1252 (``ESC t 16``) also
works.  If a printer numbers its tables differently, the profile may carry ``codepage_number``
to send another ``n`` for the same table.

Characters the page lacks are replaced by a close ASCII form (typographic dash → ``-``, quotes →
``"``, and as a last resort the letter without its accent) instead of the library's ``?``.
"""

from __future__ import annotations

import unicodedata

from escpos.capabilities import get_profile
from escpos.codepages import CodePages

DEFAULT_CODEPAGE = "CP850"

#: Typographic characters people paste into office names and footers, with a plain stand-in.
_ASCII_STAND_INS = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u202f": "\u00a0",  # narrow no-break space (as in "8:00 a.\u202fm.")
    }
)


def known_codepages() -> dict[str, int]:
    """Code page names python-escpos knows, with their usual ``ESC t`` number."""
    table = get_profile("default").get_code_pages()
    return {name: int(n) for name, n in table.items() if _python_codec(name) is not None}


def codepage_number(name: str) -> int:
    """The usual ``ESC t n`` number for ``name`` (e.g. ``CP850`` → 2)."""
    pages = known_codepages()
    try:
        return pages[name.upper()]
    except KeyError:
        raise ValueError(
            f"Página de códigos desconocida {name!r}; use una de: {', '.join(sorted(pages))}"
        ) from None


def python_codec(name: str) -> str:
    """Python's codec for code page ``name`` (for example ``cp850``)."""
    codec = _python_codec(name.upper())
    if codec is None:
        raise ValueError(f"Página de códigos desconocida {name!r}")
    return codec


def fit_to_codepage(text: str, codepage: str) -> str:
    """Return ``text`` with every character the code page cannot print replaced.

    Why: python-escpos prints ``?`` for an unknown character; on a ticket "ATENCI?N" reads worse
    than "ATENCION".  Newlines and other control characters are turned into spaces, since a
    stray control byte would be taken as a printer command.  A no-break space (U+00A0) is kept
    so that :func:`printer.layout.wrap` can keep "12 min" on one line; the layout prints it as an
    ordinary space.
    """
    codec = python_codec(codepage)
    out = []
    for char in text.translate(_ASCII_STAND_INS):
        if ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(" ")
        elif _encodable(char, codec):
            out.append(char)
        else:
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(plain if plain and _encodable(plain, codec) else "?")
    return "".join(out)


def encode(text: str, codepage: str) -> bytes:
    """Bytes of ``text`` in ``codepage`` after :func:`fit_to_codepage` (used by tests/docs)."""
    return fit_to_codepage(text, codepage).encode(python_codec(codepage))


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _python_codec(name: str) -> str | None:
    try:
        codec: str | None = CodePages.get_encoding(name).get("python_encode")
    except KeyError:
        return None
    return codec
