"""The queries of imported subscription lists (:mod:`bondkit.register.importing`).

>>> conn = example_connection()
>>> holder_identities(conn), principal_by_holder(conn), imported_keys(conn)
([{'holder_id': 1, 'name': 'Café du Coin', 'email': 'cafe@example.org', 'sin': None}], {1: 100000}, {'k1'})
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from bondkit.register.store import rows

#: none: like store's own queries, these are the register package's, not an API
__all__: list[str] = []


def holder_identities(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """What tells holders apart (personal data, kept in memory only): number, name,
    e-mail and SIN of every holder, by number.

    >>> [h["holder_id"] for h in holder_identities(example_connection())]
    [1]
    """
    return rows(conn, "SELECT holder_id, name, email, sin FROM holders ORDER BY holder_id")


def principal_by_holder(conn: sqlite3.Connection) -> dict[int, int]:
    """The principal each holder holds today, all series together, in cents.

    >>> principal_by_holder(example_connection())
    {1: 100000}
    """
    found = conn.execute(
        "SELECT h.holder_id, SUM(b.principal_cents) FROM holdings h "
        "JOIN holding_balances b ON b.holding_id = h.holding_id GROUP BY h.holder_id"
    )
    return {int(r[0]): int(r[1]) for r in found}


def imported_keys(conn: sqlite3.Connection) -> set[str]:
    """The keys of every row imported so far, from any file.

    >>> imported_keys(example_connection())
    {'k1'}
    """
    return {r[0] for r in conn.execute("SELECT row_key FROM import_rows")}


def insert_import_rows(
    conn: sqlite3.Connection, imported: Iterable[tuple[str, int, str, str, int, str]]
) -> None:
    """Rows imported: (row key, holding, source name, source SHA-256, row number, when).

    >>> conn = example_connection()
    >>> insert_import_rows(conn, [("k2", 1, "list.csv", "0" * 64, 3, "2026-01-01T00:00:00Z")])
    >>> sorted(imported_keys(conn))
    ['k1', 'k2']
    """
    conn.executemany(
        "INSERT INTO import_rows (row_key, holding_id, source_name, source_sha256, row_number, "
        "imported_at) VALUES (?, ?, ?, ?, ?, ?)",
        imported,
    )


def example_connection() -> sqlite3.Connection:  # pragma: no cover (the examples' register)
    """A register in memory for the examples: one holder, one holding of 1 000 $ imported
    from row 2 of a file (key ``k1``)."""
    from bondkit.register.store import insert_postings, insert_row, migrate, transaction

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    at = "2026-01-01T00:00:00Z"
    with transaction(conn):
        migrate(conn, applied_at=at, bondkit_version="0")
        insert_row(conn, "series", {"series_id": "A", "position": 1, "amount_cents": 2_000_000,
                   "face_value_cents": 100_000, "bonds": 20, "annual_rate": "0.02",
                   "issue_date": "2026-03-02", "maturity": "2031-03-02", "repayment": "bullet",
                   "frequency": "annual", "day_count": "ACT/ACT", "interest_only_years": 0,
                   "business_day": "none", "step_rates": "[]", "sculpt_cash_flow": "[]",
                   "fiscal_year_end": "12-31"})  # fmt: skip
        insert_row(conn, "holders", {"name": "Café du Coin", "email": "cafe@example.org",
                   "created_at": at})  # fmt: skip
        insert_row(conn, "holdings", {"holder_id": 1, "series_id": "A", "created_at": at,
                   "subscribed_on": "2026-01-20", "interest_start": "2026-03-02"})  # fmt: skip
        event = insert_row(conn, "events", {"kind": "subscription", "occurred_on": "2026-01-20",
                           "recorded_at": at, "recorded_by": "Lucie", "reason": "form"})  # fmt: skip
        insert_postings(conn, event, [(1, 1, 100_000, 0, 0)])
        insert_import_rows(conn, [("k1", 1, "list.csv", "0" * 64, 2, at)])
    return conn
