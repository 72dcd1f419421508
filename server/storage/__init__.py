"""SQLite storage: the only package that writes SQL.

- ``writer``: the ``Store``, one writer thread with group commit (``Tx`` functions).
- ``reader``: the ``ReadPool`` of read-only connections (``Reader`` functions).
- ``connection``: ``Reader`` and ``Tx``, the one API style (methods), assembled from one query
  module per concern: ``tickets``, ``audit``, ``counters``, ``accounts``, ``settings``,
  ``feedback``, ``stats``.
- ``migrations``: every schema change in one ``MIGRATIONS`` list (append only).
- ``rows``: the row types handed out; ``bulk``: the fast loader of generated history.
"""

from server.errors import SchemaTooNew
from server.storage.connection import Reader, Tx
from server.storage.migrations import MIGRATIONS, migrate, prepare
from server.storage.reader import ReadPool
from server.storage.rows import AuditRecord, CommittedEvent, CounterRow, TokenRow, UserRow
from server.storage.writer import Store

__all__ = ["MIGRATIONS", "AuditRecord", "CommittedEvent", "CounterRow", "ReadPool", "Reader",
           "SchemaTooNew", "Store", "TokenRow", "Tx", "UserRow", "migrate", "prepare"]
