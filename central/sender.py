"""Office side: the background sender that delivers the office's ticket records to the
central server.

A plain thread, never on the event loop. It reads what changed through its own read-only
SQLite connection (so it never holds the writer, and a slow or absent link never slows
issuing and calling), posts one batch at a time in change order, and only when the centre
acknowledged a batch moves the cursor (one short job on the store's writer). A batch whose
answer was lost is sent again: records are keyed by (office, ticket), so the replay changes
nothing at the centre. Failures back off exponentially (with jitter) up to ``max_backoff_s``;
after days offline the office catches up oldest first.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from central.catalog import catalog_of
from central.records import record_of
from server.config import CentralLink, OfficeConfig
from server.storage import Store, Tx
from server.storage import central_outbox as outbox
from server.storage.reader import open_reader

log = logging.getLogger("turnero.central")

BATCH = 500


class SendFailed(Exception):
    """The centre did not acknowledge a batch (no link, an error, a refusal)."""


@dataclass
class SenderState:
    office: str | None = None
    last_success_at: float | None = None
    last_attempt_at: float | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt_at: float | None = None


class CentralSender:
    def __init__(self, link: CentralLink, db_path: Path, store: Store,
                 config: Callable[[], OfficeConfig], *, batch: int = BATCH,
                 idle_s: float = 2.0, min_backoff_s: float = 0.5, max_backoff_s: float = 60.0,
                 timeout_s: float = 15.0) -> None:
        self.link = link
        self.db_path = db_path
        self.store = store
        self.config = config
        self.batch = batch
        self.idle_s = idle_s
        self.min_backoff_s = min_backoff_s
        self.max_backoff_s = max_backoff_s
        self.timeout_s = timeout_s
        self.state = SenderState()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        with closing(open_reader(db_path)) as conn:
            self.state.last_success_at = outbox.cursor(conn)[1]

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="central-sender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout_s + 5)

    def _run(self) -> None:
        with httpx.Client(base_url=self.link.url, timeout=self.timeout_s, headers={
                "Authorization": f"Bearer {self.link.token}"}) as client:
            while not self._stop.is_set():
                try:
                    sent = self.send_once(client)
                except SendFailed as e:
                    self._failed(str(e))
                    continue
                except Exception as e:  # noqa: BLE001 - the thread must survive anything
                    log.exception("central sender")
                    self._failed(f"Error inesperado: {e}")
                    continue
                if sent == 0:
                    self._sleep(self.idle_s)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _failed(self, message: str) -> None:
        st = self.state
        st.failures += 1
        delay = min(self.max_backoff_s, self.min_backoff_s * 2 ** (st.failures - 1))
        delay *= random.uniform(0.8, 1.0)  # noqa: S311 - jitter, not security
        st.last_error = message
        st.next_attempt_at = time.time() + delay
        if st.failures in (1, 10) or st.failures % 100 == 0:
            log.warning("central: %s (intento %d; nuevo intento en %.0f s)", message,
                        st.failures, delay)
        self._sleep(delay)

    # ------------------------------------------------------------------ one batch

    def _post(self, client: httpx.Client, method: str, path: str, **kw: Any) -> Any:
        try:
            r = client.request(method, path, **kw)
        except httpx.HTTPError as e:
            raise SendFailed(f"Sin conexión con la central ({type(e).__name__}).") from None
        if r.status_code != 200:
            try:
                detail = r.json().get("detail", r.text)
            except ValueError:
                detail = r.text[:200]
            raise SendFailed(f"La central respondió {r.status_code}: {detail}")
        return r.json()

    def send_once(self, client: httpx.Client) -> int:
        """Send the next batch; returns how many records the centre acknowledged (0: none
        were waiting). Raises SendFailed when the centre did not acknowledge."""
        st = self.state
        if st.office is None:
            st.office = str(self._post(client, "GET", "/api/v1/central/office")["code"])
        with closing(open_reader(self.db_path)) as conn:
            after = outbox.cursor(conn)[0]
            changes = outbox.next_changes(conn, after, self.batch)
            if not changes:
                self._succeeded(None)
                return 0
            rows, answers = outbox.ticket_rows(conn, [tid for tid, _ in changes])
            clerks = outbox.clerk_names(conn)
        body = {"office": st.office, "catalog": catalog_of(self.config(), clerks),
                "records": [record_of(r, answers.get(r[0], {})) for r in rows]}
        st.last_attempt_at = time.time()
        self._post(client, "POST", "/api/v1/central/records", json=body)
        last = changes[-1][1]
        now = time.time()

        def save(tx: Tx) -> None:
            outbox.save_cursor(tx.conn, last, now)

        self.store.run_sync(save)
        self._succeeded(now)
        return len(rows)

    def _succeeded(self, at: float | None) -> None:
        st = self.state
        if at is not None:
            st.last_success_at = at
        st.failures, st.last_error, st.next_attempt_at = 0, None, None

    # ------------------------------------------------------------------ status

    def status(self) -> dict[str, Any]:
        """What /supervisor and the health check show (reads the outbox: call it from a
        worker thread)."""
        with closing(open_reader(self.db_path)) as conn:
            after, _ = outbox.cursor(conn)
            pending = outbox.pending_count(conn, after)
        return status_body(self.link.url, pending, self.state)


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def status_body(url: str | None, pending: int | None, st: SenderState) -> dict[str, Any]:
    return {"configured": url is not None, "url": url, "office": st.office,
            "pending": pending, "last_success_at": _iso(st.last_success_at),
            "last_attempt_at": _iso(st.last_attempt_at), "last_error": st.last_error,
            "failures": st.failures, "next_attempt_at": _iso(st.next_attempt_at)}


def not_configured() -> dict[str, Any]:
    return status_body(None, None, SenderState())


def link_for(url: str | None, token: str | None, from_file: CentralLink | None
             ) -> CentralLink | None:
    """The command line (``--central-url``, ``--central-token``) overrides the office file."""
    if url or token:
        base = from_file or CentralLink("", "")
        link = CentralLink((url or base.url).rstrip("/"), token or base.token)
        return link if link.url and link.token else None
    return from_file
