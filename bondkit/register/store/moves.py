"""The queries of transfers and estates (:mod:`bondkit.register.moves`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from bondkit.register.store import rows

#: none: like store's own queries, these are the register package's, not an API
__all__: list[str] = []


def read_holder(conn: sqlite3.Connection, holder_id: int) -> dict[str, Any] | None:
    """One holder's row, without the SIN (an estate does not inherit it), or None."""
    found = rows(
        conn,
        "SELECT holder_id, name, address, email, language, kind, co_holder, country, "
        "payment_method, estate_of FROM holders WHERE holder_id = ?",
        (holder_id,),
    )
    return found[0] if found else None


def holdings_of(conn: sqlite3.Connection, holder_id: int) -> list[dict[str, Any]]:
    """A holder's holdings that still hold bonds, with their balances, by number."""
    return rows(
        conn,
        "SELECT h.holding_id, h.series_id, h.subscribed_on, h.interest_start, b.bonds, "
        "b.principal_cents, b.interest_cents FROM holdings h "
        "JOIN holding_balances b ON b.holding_id = h.holding_id "
        "WHERE h.holder_id = ? AND b.bonds > 0 ORDER BY h.holding_id",
        (holder_id,),
    )
