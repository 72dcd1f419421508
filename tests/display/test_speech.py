"""Offline speech: espeak-ng renders a real WAV once, then the cache serves it."""

from __future__ import annotations

import asyncio
import io
import shutil
import wave
from pathlib import Path

from display.speech import SpeechCache, chime_wav
from tests.conftest import LiveServer, need


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        assert w.getnchannels() == 1
        assert w.getsampwidth() == 2
        return w.getnframes() / w.getframerate()


def test_espeak_wav_is_valid_and_cached(tmp_path: Path) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng")
    cache = SpeechCache(tmp_path / "voz")

    async def twice() -> tuple[Path, float, Path]:
        first = await cache.wav("Turno A veintitrés, ventanilla tres", "es-419", 150)
        made = first.stat().st_mtime_ns
        second = await cache.wav("Turno A veintitrés, ventanilla tres", "es-419", 150)
        return first, made, second

    first, made, second = asyncio.run(twice())
    assert 1.0 < wav_seconds(first.read_bytes()) < 6.0  # a real spoken phrase
    assert second == first
    assert second.stat().st_mtime_ns == made  # not generated again
    assert cache.generated == 1
    assert [p.name for p in (tmp_path / "voz").iterdir()] == [first.name]  # no temp files left


def test_voice_and_speed_make_different_files(tmp_path: Path) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng")
    cache = SpeechCache(tmp_path)

    async def three() -> list[Path]:
        text = "Turno be uno, ventanilla dos"
        return [await cache.wav(text, "es", 150), await cache.wav(text, "es-419", 150),
                await cache.wav(text, "es-419", 200)]

    paths = asyncio.run(three())
    assert len(set(paths)) == 3
    # Faster speech is shorter.
    assert wav_seconds(paths[2].read_bytes()) < wav_seconds(paths[1].read_bytes())


def test_cache_stays_bounded(tmp_path: Path) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng")
    cache = SpeechCache(tmp_path, max_files=3)

    async def many() -> None:
        for n in range(1, 6):
            await cache.wav(f"Turno A {n}, ventanilla uno")

    asyncio.run(many())
    assert len(list(tmp_path.glob("*.wav"))) == 3


def test_chime_is_a_short_wav() -> None:
    assert 0.5 < wav_seconds(chime_wav()) < 2.0


def test_announcement_endpoint_speaks_and_caches(live_server: LiveServer) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng")
    cache_dir = live_server.db.parent / "speech-cache"
    with live_server.client(live_server.display_token) as c:
        first = c.get("/api/v1/announcements/A-023/3.wav")
        assert first.status_code == 200, first.text
        assert first.headers["content-type"] == "audio/wav"
        assert first.headers["x-announcement-text"] == "Turno A veintitrés, ventanilla tres"
        assert wav_seconds(first.content) > 1.0
        files = list(cache_dir.glob("*.wav"))
        assert len(files) == 1
        made = files[0].stat().st_mtime_ns

        second = c.get("/api/v1/announcements/A-023/3.wav")
        assert second.status_code == 200
        assert second.content == first.content
        assert files[0].stat().st_mtime_ns == made
        assert len(list(cache_dir.glob("*.wav"))) == 1

        chime = c.get("/display/chime.wav")
        assert chime.status_code == 200 and chime.headers["content-type"] == "audio/wav"


def test_announcement_refuses_anything_but_our_phrases(live_server: LiveServer) -> None:
    with live_server.client(live_server.display_token) as c:
        cases = {
            "/api/v1/announcements/A-02x/3.wav": 422,
            "/api/v1/announcements/hola%20mundo/3.wav": 422,
            "/api/v1/announcements/A-023/99.wav": 404,
            "/api/v1/announcements/A-023/tres.wav": 422,
            "/api/v1/announcements/A-023/3.wav?voice=en": 422,
            "/api/v1/announcements/A-023/3.wav?speed=999": 422,
            "/api/v1/announcements/A-023/3.wav?speed=rapido": 422,
        }
        for path, status in cases.items():
            r = c.get(path)
            assert r.status_code == status, (path, r.text)
            assert r.json()["detail"]  # plain Spanish, never a traceback
