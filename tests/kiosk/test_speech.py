"""Spoken prompts with the real espeak-ng (offline Spanish voice)."""

from __future__ import annotations

import shutil
import time
import wave
from pathlib import Path

from kiosk.speech import DEFAULT_COMMAND, Speaker
from tests.conftest import need


def test_espeak_says_the_prompt_in_spanish(tmp_path: Path) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng (apt: espeak-ng)")
    out = tmp_path / "turno.wav"
    speaker = Speaker(True, "es", command=(*DEFAULT_COMMAND, "-w", str(out)))
    started = time.monotonic()
    speaker.say("Su turno es A 7. Hay 3 personas antes que usted.")
    returned_after = time.monotonic() - started
    speaker.wait(10)
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
    print(f"say() returned after {returned_after * 1000:.1f} ms; prompt lasts {seconds:.1f} s")
    assert returned_after < seconds  # it did not wait for the voice to finish
    assert seconds > 1.5  # a real sentence, not an empty file
    assert speaker.spoken == ["Su turno es A 7. Hay 3 personas antes que usted."]


def test_a_new_prompt_cuts_the_previous_one() -> None:
    """Touching the next screen stops the voice of the previous one at once."""
    speaker = Speaker(True, "es", command=("sh", "-c", "sleep 30", "sh"))  # a long prompt
    speaker.say("Le damos la bienvenida. Toque la pantalla para tomar su turno.")
    assert speaker._pending is not None
    speaker._pending.result(5)
    first = speaker._current
    speaker.say("¿Qué necesita hacer hoy?")
    assert first is not None and first.wait(5) == -15  # SIGTERM, not left talking
    speaker.stop()
    assert speaker._current is None


def test_disabled_or_missing_voice_stays_silent_but_remembers() -> None:
    speaker = Speaker(True, command=("no-existe-este-programa",))
    assert not speaker.enabled
    speaker.say("Hola")
    speaker.wait(1)
    assert speaker.spoken == ["Hola"]
