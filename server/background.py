"""The server's background loops (closing days, live views, session expiry, daily backups)
run for its whole life. asyncio keeps a task's error until someone asks for it, and the
server asks only at shutdown: a loop that stopped on an unexpected error stopped its work
(the daily backups, say) with nothing in the log for months. ``keep_running`` logs such an
error at once and starts the loop again after a pause.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("turnero.background")

#: Pause before a loop that stopped is started again: long enough that a loop failing at
#: every start (a disk that stays full) logs once a minute, not in a tight loop.
RESTART_AFTER_S = 60.0


async def keep_running(name: str, loop: Callable[[], Coroutine[Any, Any, None]],
                       restart_after_s: float = RESTART_AFTER_S) -> None:
    """Run ``loop()`` until cancelled (the server stopping); when it returns or raises,
    log it under ``name`` and run it again ``restart_after_s`` later."""
    me = asyncio.current_task()
    while True:
        try:
            await loop()
            log.error("la tarea de fondo «%s» terminó; se inicia de nuevo en %.0f s", name,
                      restart_after_s)
        except asyncio.CancelledError:
            if me is None or me.cancelling():  # the server stopping: end here
                raise
            # a cancellation from inside the loop (a future it awaited), not ours
            log.exception("la tarea de fondo «%s» se canceló sola; se inicia de nuevo en "
                          "%.0f s", name, restart_after_s)
        except Exception:  # noqa: BLE001 - logged; the loop is started again
            log.exception("la tarea de fondo «%s» se detuvo por un error; se inicia de nuevo "
                          "en %.0f s", name, restart_after_s)
        await asyncio.sleep(restart_after_s)


def start(name: str, loop: Callable[[], Coroutine[Any, Any, None]],
          restart_after_s: float = RESTART_AFTER_S) -> asyncio.Task[None]:
    """``keep_running`` as a task named ``turnero-<name>`` (the server cancels it at shutdown)."""
    return asyncio.create_task(keep_running(name, loop, restart_after_s),
                               name=f"turnero-{name}")
