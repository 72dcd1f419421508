"""How many tickets wait, per service and class, kept by the database itself.

Counting the line through an index still reads every waiting ticket (0.5 ms for a call and
1.4 ms for a board's overview with 10,000 waiting); triggers keep ``line_counts`` exact in
the same transaction as every change to a ticket, so a call and a snapshot read a handful of
rows whatever the length of the line. ``preferential`` is ``group_code IS NOT NULL``.
"""

from __future__ import annotations

import sqlite_utils

_KEY_NEW = "NEW.service, NEW.group_code IS NOT NULL"
_KEY_OLD = "OLD.service, OLD.group_code IS NOT NULL"


def _add(key: str) -> str:
    return (f"INSERT INTO line_counts (service, preferential, waiting) VALUES ({key}, 1) "
            "ON CONFLICT (service, preferential) DO UPDATE SET waiting = waiting + 1;")


def _remove(key: str) -> str:
    service, preferential = key.split(", ", 1)
    return (f"UPDATE line_counts SET waiting = waiting - 1 "
            f"WHERE service = {service} AND preferential = ({preferential});")


def m_line_counts(db: sqlite_utils.Database) -> None:
    """The ``line_counts`` table, filled from the tickets waiting now, and its triggers."""
    db.execute(
        """CREATE TABLE line_counts (
            service TEXT NOT NULL,
            preferential INTEGER NOT NULL,
            waiting INTEGER NOT NULL,
            PRIMARY KEY (service, preferential)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """INSERT INTO line_counts (service, preferential, waiting)
           SELECT service, group_code IS NOT NULL, COUNT(*) FROM tickets
           WHERE status = 'waiting' GROUP BY 1, 2"""
    )
    db.execute(f"""CREATE TRIGGER line_counts_insert AFTER INSERT ON tickets
                   WHEN NEW.status = 'waiting' BEGIN {_add(_KEY_NEW)} END""")
    db.execute(f"""CREATE TRIGGER line_counts_delete AFTER DELETE ON tickets
                   WHEN OLD.status = 'waiting' BEGIN {_remove(_KEY_OLD)} END""")
    db.execute(f"""CREATE TRIGGER line_counts_leave AFTER UPDATE OF status, service, group_code
                   ON tickets WHEN OLD.status = 'waiting' BEGIN {_remove(_KEY_OLD)} END""")
    db.execute(f"""CREATE TRIGGER line_counts_join AFTER UPDATE OF status, service, group_code
                   ON tickets WHEN NEW.status = 'waiting' BEGIN {_add(_KEY_NEW)} END""")
