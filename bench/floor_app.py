"""The floor a ticket issue is compared with: a FastAPI request and one durable SQLite commit.

One POST with a small JSON body, one INSERT committed on one writer thread (WAL,
``synchronous=FULL``, the settings Turnero's store uses), a small JSON answer; served by
uvicorn with the same defaults ``turnero serve`` uses. No auth, no rules, no audit, no event:
what is left of an issue once everything Turnero adds is taken out.

    python -m bench.floor_app DB PORT
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Body(BaseModel):
    service: str


def create_app(db: str) -> FastAPI:
    writer = ThreadPoolExecutor(max_workers=1)
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, service TEXT, at REAL)")
    app = FastAPI()

    def commit(service: str) -> int:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute("INSERT INTO t (service, at) VALUES (?, ?)", (service, time.time()))
        conn.execute("COMMIT")
        return int(cur.lastrowid or 0)

    @app.post("/floor", status_code=201)
    async def floor(body: Body) -> dict[str, object]:
        row = await asyncio.wrap_future(writer.submit(commit, body.service))
        return {"id": row, "service": body.service}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),
                log_level="warning", workers=1)
