"""Offline speech for the board: espeak-ng renders each phrase to a WAV once, then it is served
from a cache folder on disk.

Why on the server: TV browsers and headless kiosks often have no speech voices, and an online
voice fails the day the internet does. espeak-ng takes ~10-50 ms per phrase, so the first call
of a number costs little and every repeat is a file read.

Safety: the text only ever comes from ``display.spanish_numbers`` (validated ticket number and a
configured counter), it is handed to espeak-ng on standard input with an argument list (never a
shell), and voice and speed are checked against fixed ranges.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import math
import os
import shutil
import struct
import wave
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

VOICES = ("es", "es-419")
DEFAULT_VOICE = "es-419"
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 80, 260, 150
#: Old files are pruned beyond this many (each phrase is ~100 KB): bounded disk use even if a
#: client asks for many different numbers.
MAX_CACHED_FILES = 2000
ESPEAK_TIMEOUT_S = 10.0


class SpeechUnavailable(Exception):
    """espeak-ng is missing or failed; the board then plays only the chime."""


@dataclass
class SpeechCache:
    folder: Path
    espeak: str = "espeak-ng"
    max_files: int = MAX_CACHED_FILES
    #: One phrase at a time: bursts of calls never start a storm of processes.
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    generated: int = 0

    def path_for(self, text: str, voice: str, speed: int) -> Path:
        key = hashlib.sha256(f"{voice}|{speed}|{text}".encode()).hexdigest()[:32]
        return self.folder / f"{key}.wav"

    async def wav(self, text: str, voice: str = DEFAULT_VOICE, speed: int = DEFAULT_SPEED
                  ) -> Path:
        """The WAV file for ``text``, generated on first use."""
        check_voice(voice, speed)
        path = self.path_for(text, voice, speed)
        if path.exists():
            return path
        async with self._lock:
            if path.exists():  # another request made it while we waited
                return path
            await self._generate(text, voice, speed, path)
            self.generated += 1
        await asyncio.to_thread(self._prune)
        return path

    async def _generate(self, text: str, voice: str, speed: int, path: Path) -> None:
        program = shutil.which(self.espeak)
        if program is None:
            raise SpeechUnavailable("espeak-ng no está instalado en el servidor.")
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        process = await asyncio.create_subprocess_exec(
            program, "-v", voice, "-s", str(speed), "-w", str(partial), "--stdin",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _, err = await asyncio.wait_for(process.communicate(text.encode()),
                                            ESPEAK_TIMEOUT_S)
        except TimeoutError:
            process.kill()
            await process.wait()
            partial.unlink(missing_ok=True)
            raise SpeechUnavailable("espeak-ng no respondió a tiempo.") from None
        if process.returncode != 0 or not partial.exists() or partial.stat().st_size <= 44:
            partial.unlink(missing_ok=True)
            raise SpeechUnavailable(f"espeak-ng falló: {err.decode(errors='replace')[:200]}")
        partial.replace(path)  # atomic: a reader never sees half a file

    def _prune(self) -> None:
        files = list(self.folder.glob("*.wav"))
        if len(files) <= self.max_files:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.max_files]:
            old.unlink(missing_ok=True)


def check_voice(voice: str, speed: int) -> None:
    if voice not in VOICES:
        raise ValueError(f"Voz desconocida; use una de: {', '.join(VOICES)}.")
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"La velocidad debe estar entre {MIN_SPEED} y {MAX_SPEED} "
                         "palabras por minuto.")


@cache
def chime_wav() -> bytes:
    """A soft two-tone "ding-dong" (E6 then C6, 0.45 s each with a bell-like decay), made once.

    Generated rather than shipped so there is no binary asset to license or lose."""
    rate = 22050
    frames = bytearray()
    for freq, seconds in ((1318.5, 0.45), (1046.5, 0.65)):
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            attack = min(1.0, i / (0.01 * rate))
            envelope = attack * math.exp(-4.0 * t)
            sample = envelope * (0.8 * math.sin(2 * math.pi * freq * t)
                                 + 0.2 * math.sin(4 * math.pi * freq * t))
            frames += struct.pack("<h", int(sample * 0.6 * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buffer.getvalue()
