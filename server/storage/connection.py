"""The two faces of the database the services see, with one API style: methods.

- ``Reader``: every read query, on a read connection of the ``ReadPool`` (or inside the write
  transaction, since ``Tx`` is a ``Reader`` too).
- ``Tx``: the write transaction handed to functions run by the writer thread (``Store``);
  reads see the transaction's own writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from server.storage.accounts import AccountReads, AccountWrites
from server.storage.audit import AuditReads, AuditWrites
from server.storage.counters import CounterReads, CounterWrites
from server.storage.feedback import FeedbackReads, FeedbackWrites
from server.storage.hardware import HardwareReads, HardwareWrites
from server.storage.rows import CommittedEvent
from server.storage.settings import SettingReads, SettingWrites
from server.storage.stats import StatsReads
from server.storage.stats_rollups import RollupReads, RollupWrites
from server.storage.ticket_text import TicketTextReads
from server.storage.tickets import TicketReads, TicketWrites


class Reader(TicketReads, AuditReads, CounterReads, AccountReads, SettingReads, FeedbackReads,
             RollupReads, StatsReads, TicketTextReads, HardwareReads):
    """Typed reads on one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


@dataclass(init=False)
class Tx(Reader, TicketWrites, AuditWrites, CounterWrites, AccountWrites, SettingWrites,
         FeedbackWrites, HardwareWrites, RollupWrites):
    """What a write function sees: typed reads and writes inside the current transaction.
    ``events`` collects what ``record`` wrote, published after commit."""

    events: list[CommittedEvent] = field(default_factory=list)

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.events = []
