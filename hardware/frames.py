"""Frame templates: the bytes a LED display expects, written in the bridge's configuration so a
new vendor needs a config, not code. Pure: a template and values in, bytes out.

A template is Python format syntax over bytes::

    '\\x02{address:02d}{number:>6}\\x03{checksum}'

- Fields: ``{number}`` (``A-023``), ``{digits}`` (``023``), ``{letter}`` (``A``),
  ``{counter}``, ``{address}``, ``{line}`` (1-based line of a board), ``{text}`` (what is
  shown: the number, or the idle / pause text), each with an optional format spec
  (``{address:02d}``, ``{number:>6}``). A numeric spec on a text value (an empty board line)
  keeps only the width.
- Byte escapes in the literal parts: ``\\xNN``, ``\\r``, ``\\n``, ``\\t``, ``\\0``, ``\\\\``,
  so a TOML literal string (single quotes) works as well as TOML's own escapes. ``{{`` and
  ``}}`` are literal braces.
- ``{checksum}`` (at most once) appends the checksum of the bytes rendered before it, minus
  the first ``checksum_skip`` bytes; ``{checksum:hex}`` writes it as ASCII hex digits
  (upper case) for displays whose sheet says so. See ``checksums.py`` for each algorithm.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from hardware.checksums import ALGORITHMS

FIELDS = ("number", "digits", "letter", "counter", "address", "line", "text")
SAMPLE: dict[str, str | int] = {"number": "A-023", "digits": "023", "letter": "A",
                                "counter": 3, "address": 1, "line": 1, "text": "A-023"}

_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|[rnt0\\])")
_SIMPLE = {"r": "\r", "n": "\n", "t": "\t", "0": "\0", "\\": "\\"}
_WIDTH = re.compile(r"(?<![.\d])(\d+)")


class FrameError(ValueError):
    """A template that cannot be used, in plain Spanish."""


def unescape(text: str) -> str:
    """``\\x02`` and friends written literally (a TOML literal string) become the bytes."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return chr(int(code[1:], 16)) if code[0] == "x" else _SIMPLE[code]

    return _ESCAPE.sub(one, text)


def format_value(value: str | int, spec: str) -> str:
    """``format`` that does not fail on an empty board line given ``{counter:02d}``."""
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        if not isinstance(value, str) or not spec or spec[-1] not in "bcdoxXn":
            raise
        width = _WIDTH.search(spec)
        return value.rjust(int(width.group(1))) if width else value


@dataclass(frozen=True)
class _Literal:
    data: bytes


@dataclass(frozen=True)
class _Field:
    name: str
    spec: str


@dataclass(frozen=True)
class _Checksum:
    hex: bool


class FrameFormat:
    """One display protocol: a compiled template and its checksum rule."""

    def __init__(self, template: str, checksum: str = "none", checksum_skip: int = 0,
                 encoding: str = "latin-1") -> None:
        if checksum not in ALGORITHMS:
            raise FrameError(f"checksum {checksum!r} desconocido; use uno de: "
                             f"{', '.join(ALGORITHMS)}.")
        if checksum_skip < 0:
            raise FrameError("checksum_skip no puede ser negativo.")
        try:
            "".encode(encoding)
        except LookupError:
            raise FrameError(f"codificación {encoding!r} desconocida.") from None
        self.template = template
        self.algorithm = ALGORITHMS[checksum]
        self.checksum_name = checksum
        self.skip = checksum_skip
        self.encoding = encoding
        self._parts = self._compile(template)
        self.render(SAMPLE)  # a bad spec fails now, not at the first call

    def _compile(self, template: str) -> list[_Literal | _Field | _Checksum]:
        parts: list[_Literal | _Field | _Checksum] = []
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as e:
            raise FrameError(f"plantilla inválida ({e}); escriba {{{{ y }}}} para llaves "
                             "literales.") from None
        checksums = 0
        for literal, name, spec, conversion in parsed:
            if literal:
                parts.append(_Literal(unescape(literal).encode("latin-1", "replace")))
            if name is None:
                continue
            if conversion:
                raise FrameError(f"{{{name}!{conversion}}}: las conversiones con ! no se usan.")
            if name == "checksum":
                if spec not in ("", "hex"):
                    raise FrameError("{checksum} solo admite :hex.")
                checksums += 1
                parts.append(_Checksum(hex=spec == "hex"))
                continue
            if name not in FIELDS:
                raise FrameError(f"campo {{{name}}} desconocido; use: "
                                 f"{', '.join('{' + f + '}' for f in (*FIELDS, 'checksum'))}.")
            parts.append(_Field(name, spec or ""))
        if checksums > 1:
            raise FrameError("{checksum} solo puede aparecer una vez.")
        if self.checksum_name != "none" and not checksums:
            raise FrameError(f"checksum = {self.checksum_name!r} pero la plantilla no tiene "
                             "{checksum}: ¿dónde va?")
        return parts

    def render(self, values: Mapping[str, str | int]) -> bytes:
        out = bytearray()
        for part in self._parts:
            if isinstance(part, _Literal):
                out += part.data
            elif isinstance(part, _Field):
                try:
                    text = format_value(values.get(part.name, ""), part.spec)
                except (ValueError, TypeError) as e:
                    raise FrameError(f"{{{part.name}:{part.spec}}}: formato inválido ({e})"
                                     ) from None
                out += text.encode(self.encoding, "replace")
            else:
                value = self.algorithm(bytes(out[self.skip:]))
                out += value.hex().upper().encode() if part.hex else value
        return bytes(out)


def ticket_values(number: str) -> dict[str, str]:
    """``A-023`` → number, letter ``A``, digits ``023`` (any "letters-digits" shape)."""
    letter = "".join(c for c in number if c.isalpha())
    digits = "".join(c for c in number if c.isdigit())
    return {"number": number, "letter": letter, "digits": digits, "text": number}


def text_values(text: str) -> dict[str, str]:
    """What an idle or paused display shows: the text stands for number and digits."""
    return {"number": text, "digits": text, "letter": "", "text": text}
