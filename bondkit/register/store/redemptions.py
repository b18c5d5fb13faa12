"""The queries of early redemption requests (:mod:`bondkit.register.redemptions`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from bondkit.register.store import rows

#: none: like store's own queries, these are the register package's, not an API
__all__: list[str] = []


def pending_requests(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The requests without an outcome, oldest first (asked on, then number), with their
    holding's holder, series, subscription, interest start and balances."""
    return rows(
        conn,
        "SELECT r.request_id, r.holding_id, r.bonds, r.asked_on, h.holder_id, h.series_id, "
        "h.subscribed_on, h.interest_start, b.bonds AS held, b.principal_cents, "
        "b.interest_cents FROM redemption_requests r "
        "JOIN holdings h ON h.holding_id = r.holding_id "
        "JOIN holding_balances b ON b.holding_id = r.holding_id "
        "WHERE r.request_id NOT IN (SELECT request_id FROM request_outcomes) "
        "ORDER BY r.asked_on, r.request_id",
    )


def request_row(conn: sqlite3.Connection, request_id: int) -> dict[str, Any] | None:
    """One request with its outcome (None when it has none), or None."""
    found = rows(
        conn,
        "SELECT r.*, o.outcome FROM redemption_requests r "
        "LEFT JOIN request_outcomes o ON o.request_id = r.request_id WHERE r.request_id = ?",
        (request_id,),
    )
    return found[0] if found else None


def issued_cents(conn: sqlite3.Connection) -> int:
    """The principal issued: every subscription's, less those corrected away."""
    (total,) = conn.execute(
        "SELECT COALESCE(SUM(p.principal_cents), 0) FROM postings p "
        "JOIN events e ON e.event_id = p.event_id "
        "WHERE e.kind = 'subscription' OR (e.kind = 'correction' AND e.reverses IN "
        "(SELECT event_id FROM events WHERE kind = 'subscription'))"
    ).fetchone()
    return int(total)


def redeemed_principal(conn: sqlite3.Connection, start: str, end: str) -> int:
    """The principal redeemed early between two dates (ISO, both included), net of the
    redemptions corrected away."""
    (total,) = conn.execute(
        "SELECT COALESCE(-SUM(p.principal_cents), 0) FROM postings p "
        "JOIN events e ON e.event_id = p.event_id "
        "WHERE (e.kind = 'early_redemption' OR (e.kind = 'correction' AND e.reverses IN "
        "(SELECT event_id FROM events WHERE kind = 'early_redemption'))) "
        "AND e.occurred_on BETWEEN ? AND ?",
        (start, end),
    ).fetchone()
    return int(total)
