"""SQLite storage: the only package that writes SQL.

``store`` holds the writer thread, the transaction API (``Tx``) and the migrations; other
modules here add queries for one concern each (e.g. statistics).
"""

from server.storage.store import (
    MIGRATIONS,
    AuditRecord,
    CounterRow,
    SchemaTooNew,
    Store,
    TokenRow,
    Tx,
    UserRow,
    migrate,
)

__all__ = ["MIGRATIONS", "AuditRecord", "CounterRow", "SchemaTooNew", "Store", "TokenRow", "Tx",
           "UserRow", "migrate"]
