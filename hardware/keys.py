"""Key presses from a button port: bytes in, key codes out. Pure (``now`` is passed in).

A keypad or wireless receiver sends a byte or a short sequence per key, often followed by CR/LF.
``KeyDecoder`` cuts the stream into the configured codes; anything else (line noise, a code
nobody configured, a sequence cut short for longer than ``timeout_s``) comes out as garbage to
log and ignore. ``Debouncer`` drops a code repeated within ``debounce_s`` of the previous one,
so a bouncing contact or a stuck key acts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    data: bytes
    known: bool


class KeyDecoder:
    def __init__(self, codes: Iterable[bytes], ignore: bytes = b"\r\n",
                 timeout_s: float = 0.5) -> None:
        self.codes = frozenset(codes)
        self.prefixes = frozenset(c[:n] for c in self.codes for n in range(1, len(c)))
        self.ignore = frozenset(ignore)
        self.timeout_s = timeout_s
        self._buffer = b""
        self._since = 0.0

    def feed(self, data: bytes, now: float) -> list[Decoded]:
        out = self.expire(now)
        for byte in data:
            if byte in self.ignore:
                if self._buffer:
                    out.append(Decoded(self._buffer, False))
                    self._buffer = b""
                continue
            out += self._push(bytes([byte]), now)
        return _merge_garbage(out)

    def _push(self, byte: bytes, now: float) -> list[Decoded]:
        out: list[Decoded] = []
        candidate = self._buffer + byte
        if candidate not in self.codes and candidate not in self.prefixes and self._buffer:
            out.append(Decoded(self._buffer, False))  # what came before cannot be a code
            candidate = byte
        if candidate in self.codes:
            out.append(Decoded(candidate, True))
            self._buffer = b""
        elif candidate in self.prefixes:
            if not self._buffer:
                self._since = now
            self._buffer = candidate
        else:
            out.append(Decoded(candidate, False))
            self._buffer = b""
        return out

    def expire(self, now: float) -> list[Decoded]:
        """A sequence left incomplete for too long is garbage."""
        if self._buffer and now - self._since > self.timeout_s:
            stale, self._buffer = self._buffer, b""
            return [Decoded(stale, False)]
        return []


def _merge_garbage(items: list[Decoded]) -> list[Decoded]:
    """Adjacent garbage is one fault: one log line, not one per byte."""
    out: list[Decoded] = []
    for item in items:
        if out and not item.known and not out[-1].known:
            out[-1] = Decoded(out[-1].data + item.data, False)
        else:
            out.append(item)
    return out


class Debouncer:
    def __init__(self, debounce_s: float = 0.3) -> None:
        self.debounce_s = debounce_s
        self._last: dict[bytes, float] = {}

    def accept(self, code: bytes, now: float) -> bool:
        """True for a real press. Every repeat pushes the window on: a stuck key that keeps
        sending acts only once."""
        last = self._last.get(code)
        self._last[code] = now
        return last is None or now - last >= self.debounce_s


def describe(data: bytes) -> str:
    """``4E 33 |N3|``: hex and printable text, for logs and ``--monitor``."""
    text = "".join(chr(b) if 32 <= b < 127 else "." for b in data)
    return f"{data.hex(' ').upper()} |{text}|"
