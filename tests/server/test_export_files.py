"""An export written to a temporary file (every XLSX, a long range's tickets CSV) never stays
behind on disk: not when the request is cancelled while it is written, not when the client
leaves halfway through the download (the removal after sending never ran then, and a year's
CSV is 35 MB of a Raspberry Pi's /tmp)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
import uuid
from pathlib import Path

import anyio
import pytest

from server.services import export
from tests.conftest import eventually


def leftovers(prefix: str) -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob(f"{prefix}*"))


def open_handles(path: Path) -> int:
    """This process's open descriptors on ``path`` (removed from its folder meanwhile)."""
    links = []
    for fd in list(Path("/proc/self/fd").iterdir()):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            links.append(os.readlink(fd))
    return sum(1 for link in links if link in (str(path), f"{path} (deleted)"))


class SlowWriter:
    """Writes the file (opening the path again, as a workbook library does) once told to."""

    def __init__(self) -> None:
        self.started, self.go_on, self.finished = (threading.Event(), threading.Event(),
                                                   threading.Event())

    def __call__(self, path: Path) -> None:
        self.started.set()
        assert self.go_on.wait(10)
        path.write_bytes(b"Turno;Fecha\r\n")
        self.finished.set()


def test_an_export_cancelled_while_written_leaves_no_file() -> None:
    prefix = f"turnero-test-{uuid.uuid4().hex}-"

    write = SlowWriter()

    async def main() -> None:
        task = asyncio.create_task(export.written_file(write, prefix, ".csv"))
        await asyncio.to_thread(write.started.wait, 10)
        task.cancel()  # the client left while the file was being written
        with pytest.raises(asyncio.CancelledError):
            await task  # the request ends at once; its writer thread goes on
        write.go_on.set()  # and only now writes the file: after the request's cleanup

    asyncio.run(main())
    assert write.finished.wait(10)  # the thread outlives the request, then cleans up after it
    eventually(lambda: leftovers(prefix), lambda left: left == [], "files left", timeout=3)


def test_an_export_whose_scope_times_out_leaves_no_file() -> None:
    prefix = f"turnero-test-{uuid.uuid4().hex}-"

    write = SlowWriter()

    async def main() -> None:
        with anyio.move_on_after(0.05) as scope:
            # a loop timer like the scope's deadline, later: the timeout always comes first
            asyncio.get_running_loop().call_later(0.1, write.go_on.set)
            await export.written_file(write, prefix, ".xlsx")
        assert scope.cancelled_caught  # the timeout reached the caller, not lost

    asyncio.run(main())
    assert write.finished.wait(10)  # the thread outlives the request, then cleans up after it
    eventually(lambda: leftovers(prefix), lambda left: left == [], "files left", timeout=3)


def test_a_finished_file_leaves_the_folder_as_soon_as_it_is_being_sent(tmp_path: Path) -> None:
    path = tmp_path / "turnos.csv"
    path.write_bytes(b"x" * (export.FILE_CHUNK + 10))
    chunks, size = export.sent_once(path)
    assert not path.exists() and size == export.FILE_CHUNK + 10
    first = next(chunks)
    assert open_handles(path) == 1
    chunks.close()  # the client left after the first chunk: the handle closes with it
    assert len(first) == export.FILE_CHUNK and open_handles(path) == 0
    path.write_bytes(b"abc")
    chunks, size = export.sent_once(path)
    assert b"".join(chunks) == b"abc" and size == 3 and list(tmp_path.iterdir()) == []
