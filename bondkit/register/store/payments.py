"""The queries of calendars and payment runs (:mod:`bondkit.register.calendar`).

Bonds are counted from the postings of the events that are not part of a payment run
(``events.run_id`` is null): subscriptions, transfers, redemptions, corrections. A run
repays bonds only at final maturity, and a holding's calendar is that of the bonds it
was given, whatever runs have paid since.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from bondkit.register.store import rows

#: none: like store's own queries, these are the register package's, not an API
__all__: list[str] = []


def _tuples(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of a query as plain tuples (no ``sqlite3.Row``: many rows, read fast)."""
    cur = conn.cursor()
    cur.row_factory = None
    return cur.execute(sql, params).fetchall()


def holdings_with_bonds(conn: sqlite3.Connection, on: str | None = None) -> list[tuple]:
    """(holding, holder, series, interest start, bonds) of each holding that holds bonds,
    counted without the payment runs' events, from the events that happened on or before
    ``on`` (ISO; None: all of them); by holding number."""
    when = "" if on is None else "AND e.occurred_on <= ?"
    params: tuple = () if on is None else (on,)
    return _tuples(
        conn,
        "SELECT h.holding_id, h.holder_id, h.series_id, h.interest_start, SUM(p.bonds) AS b "
        "FROM holdings h JOIN postings p ON p.holding_id = h.holding_id "
        f"JOIN events e ON e.event_id = p.event_id WHERE e.run_id IS NULL {when} "
        "GROUP BY h.holding_id HAVING b > 0 ORDER BY h.holding_id",
        params,
    )


def payees(conn: sqlite3.Connection) -> list[tuple[int, str, str | None]]:
    """(holder, name, payment method) of every holder, by number (never the SIN)."""
    return _tuples(conn, "SELECT holder_id, name, payment_method FROM holders ORDER BY holder_id")


def read_runs(conn: sqlite3.Connection, due_on: str | None = None) -> list[dict[str, Any]]:
    """The payment runs recorded (of one due date, or all), by number."""
    where, params = ("WHERE due_on = ?", (due_on,)) if due_on is not None else ("", ())
    return rows(conn, f"SELECT * FROM payment_runs {where} ORDER BY run_id", params)


def insert_run(conn: sqlite3.Connection, row: dict[str, Any]) -> int:
    """Record a payment run (series, due on, paid on, when, by whom); its number."""
    cur = conn.execute(
        "INSERT INTO payment_runs (series_id, due_on, paid_on, recorded_at, recorded_by) "
        "VALUES (:series_id, :due_on, :paid_on, :recorded_at, :recorded_by)",
        row,
    )
    return int(cur.lastrowid)


def next_event_id(conn: sqlite3.Connection) -> int:
    """The number the next event gets (inside a write transaction: nobody else writes)."""
    (last,) = conn.execute("SELECT COALESCE(MAX(event_id), 0) FROM events").fetchone()
    return int(last) + 1


def insert_run_events(
    conn: sqlite3.Connection,
    events: Sequence[tuple[int, str, str, str, str, str, int]],
    postings: Iterable[tuple[int, int, int, int, int, int]],
) -> None:
    """The events of payment runs, numbered by the caller: (event, kind, occurred on,
    recorded at, by, reason, run) each; then their postings: (event, holding, bonds,
    principal, interest, cash) each."""
    conn.executemany(
        "INSERT INTO events (event_id, kind, occurred_on, recorded_at, recorded_by, reason, "
        "run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        events,
    )
    conn.executemany(
        "INSERT INTO postings (event_id, holding_id, bonds, principal_cents, interest_cents, "
        "cash_cents) VALUES (?, ?, ?, ?, ?, ?)",
        postings,
    )


def run_sums(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """For each payment run and each kind of its events: how many events, the holdings'
    series that differ from the run's, and the sums of their postings."""
    return rows(
        conn,
        "SELECT r.run_id, r.series_id, r.due_on, r.paid_on, e.kind, "
        "COUNT(DISTINCT e.event_id) AS events, "
        "SUM(h.series_id != r.series_id) AS other_series, "
        "SUM(e.occurred_on NOT IN (r.due_on, r.paid_on)) AS other_dates, "
        "SUM(p.bonds) AS bonds, SUM(p.principal_cents) AS principal_cents, "
        "SUM(p.interest_cents) AS interest_cents, SUM(p.cash_cents) AS cash_cents "
        "FROM payment_runs r JOIN events e ON e.run_id = r.run_id "
        "JOIN postings p ON p.event_id = e.event_id "
        "JOIN holdings h ON h.holding_id = p.holding_id "
        "GROUP BY r.run_id, e.kind ORDER BY r.run_id, e.kind",
    )


def balances(
    conn: sqlite3.Connection, series: Sequence[str] | None = None
) -> list[tuple[int, int, int, int]]:
    """(holding, bonds, principal, interest) of every holding (of the ``series`` given
    only, when given), from the postings, by number."""
    where = "" if series is None else f"WHERE h.series_id IN ({', '.join('?' * len(series))})"
    return _tuples(
        conn,
        "SELECT h.holding_id, COALESCE(SUM(p.bonds), 0), COALESCE(SUM(p.principal_cents), 0), "
        "COALESCE(SUM(p.interest_cents), 0) FROM holdings h "
        f"LEFT JOIN postings p ON p.holding_id = h.holding_id {where} "
        "GROUP BY h.holding_id ORDER BY h.holding_id",
        tuple(series or ()),
    )
