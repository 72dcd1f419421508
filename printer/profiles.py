"""Paper profiles: what the layout needs to know about the roll and the printer.

A profile is configuration, not code: the kiosk picks ``PAPER_58`` or ``PAPER_80`` (or builds
its own with :func:`dataclasses.replace`) from its settings.  Widths are for font A (12×24 dots)
on a 203 dpi head: 32 characters on 58 mm paper (384 dots), 48 on 80 mm paper (576 dots).
"""

from __future__ import annotations

from dataclasses import dataclass

from printer.codepage import DEFAULT_CODEPAGE, codepage_number


@dataclass(frozen=True)
class PaperProfile:
    """How to lay a ticket out on one kind of paper and printer.

    ``codepage`` names the character table the ticket selects (see :mod:`printer.codepage`);
    ``codepage_number`` overrides the ``ESC t n`` number for printers that number it differently.
    A logo is printed only if it is already stored in the printer (never sent per ticket):
    ``logo_slot`` prints NV bit image *n* with ``FS p n 0`` (older and most compatible printers);
    ``logo_key`` prints NV graphics with key code *kc1 kc2* via ``GS ( L`` fn 69 (newer Epson).
    """

    name: str
    columns: int  # characters per line, font A
    dots: int  # printable width in dots
    max_number_size: int = 6  # magnification of the turn number (1–8), if it fits
    qr_max_module: int = 8  # largest QR module size in dots (1–16)
    codepage: str = DEFAULT_CODEPAGE
    codepage_number: int | None = None
    logo_slot: int | None = None
    logo_key: str | None = None

    def __post_init__(self) -> None:
        if self.columns < 16 or self.dots < 192:
            raise ValueError(f"Perfil {self.name!r}: ancho de papel demasiado pequeño")
        if not 1 <= self.max_number_size <= 8:
            raise ValueError(f"Perfil {self.name!r}: max_number_size debe estar entre 1 y 8")
        if not 1 <= self.qr_max_module <= 16:
            raise ValueError(f"Perfil {self.name!r}: qr_max_module debe estar entre 1 y 16")
        codepage_number(self.codepage)  # raises ValueError naming the known pages
        if self.codepage_number is not None and not 0 <= self.codepage_number <= 255:
            raise ValueError(f"Perfil {self.name!r}: codepage_number debe estar entre 0 y 255")
        if self.logo_slot is not None and self.logo_key is not None:
            raise ValueError(f"Perfil {self.name!r}: use logo_slot o logo_key, no ambos")
        if self.logo_slot is not None and not 1 <= self.logo_slot <= 255:
            raise ValueError(f"Perfil {self.name!r}: logo_slot debe estar entre 1 y 255")
        if self.logo_key is not None and not (
            len(self.logo_key) == 2 and all(32 <= ord(c) <= 126 for c in self.logo_key)
        ):
            raise ValueError(f"Perfil {self.name!r}: logo_key son dos letras ASCII, p. ej. 'LG'")

    @property
    def escpos_codepage_number(self) -> int:
        """The ``n`` sent in ``ESC t n``."""
        if self.codepage_number is not None:
            return self.codepage_number
        return codepage_number(self.codepage)


PAPER_58 = PaperProfile(name="58mm", columns=32, dots=384, max_number_size=6, qr_max_module=6)
PAPER_80 = PaperProfile(name="80mm", columns=48, dots=576, max_number_size=6, qr_max_module=8)

PROFILES = {"58": PAPER_58, "80": PAPER_80}


def paper_profile(paper: str | int) -> PaperProfile:
    """The built-in profile for ``58`` or ``80`` (mm)."""
    try:
        return PROFILES[str(paper).removesuffix("mm")]
    except KeyError:
        raise ValueError(f"Ancho de papel {paper!r} no soportado; use 58 o 80") from None
