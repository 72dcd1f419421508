"""Files a browser downloads (exports): one response shape for streamed chunks and for a
finished temporary file, here and in the central server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
from fastapi.responses import StreamingResponse

from server.services import export


def attachment(chunks: Iterator[bytes], media_type: str, filename: str,
               size: int | None = None) -> StreamingResponse:
    """``chunks`` as a download named ``filename``; with ``size``, its length is sent too
    (the browser shows the progress)."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type=media_type, headers=headers)


async def finished_file(path: Path, media_type: str, filename: str) -> StreamingResponse:
    """A finished temporary file as a download; it leaves the folder at once
    (``export.sent_once``, in a worker thread: file system calls block), so no copy stays
    behind however the download ends."""
    chunks, size = await anyio.to_thread.run_sync(export.sent_once, path)
    return attachment(chunks, media_type, filename, size)
