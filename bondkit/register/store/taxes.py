"""The queries of annual statements and tax slips (:mod:`bondkit.register.taxes`).

Read as plain tuples (many rows): the postings that matter for interest and principal,
the holdings' identities, and the holders' tax flags. No name, address, e-mail or SIN is
read: only whether a SIN is known.
"""

from __future__ import annotations

import sqlite3

#: none: like store's own queries, these are the register package's, not an API
__all__: list[str] = []

#: the event kinds whose postings the tax engine reads (interest accrued and cash received
#: move nothing it reports; a correction cancels its target, read apart)
TAX_KINDS = (
    "subscription",
    "interest_paid",
    "principal_repaid",
    "early_redemption",
    "transfer",
    "estate_transfer",
    "renewal",
)


def _tuples(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    cur = conn.cursor()
    cur.row_factory = None
    return cur.execute(sql, params).fetchall()


def tax_postings(
    conn: sqlite3.Connection, until: str, since: str | None = None, whole: tuple[str, ...] = ()
) -> list[tuple]:
    """(event, kind, occurred on, holding, bonds, principal, interest, cash) of every
    posting of the kinds in :data:`TAX_KINDS` that happened on or before ``until`` (ISO)
    and that no correction reverses, by date, event and posting: from ``since`` on (None:
    all), except for the holdings of the series ``whole``, read from the start."""
    marks = ", ".join("?" * len(TAX_KINDS))
    keep = ", ".join("?" * len(whole))
    when = "" if since is None else f"AND (e.occurred_on >= ? OR h.series_id IN ({keep}))"
    params = () if since is None else (since, *whole)
    return _tuples(
        conn,
        "SELECT e.event_id, e.kind, e.occurred_on, p.holding_id, p.bonds, p.principal_cents, "
        "p.interest_cents, p.cash_cents FROM postings p JOIN events e ON e.event_id = p.event_id "
        f"JOIN holdings h ON h.holding_id = p.holding_id WHERE e.kind IN ({marks}) "
        f"AND e.occurred_on <= ? {when} AND e.event_id NOT IN "
        "(SELECT reverses FROM events WHERE reverses IS NOT NULL) "
        "ORDER BY e.occurred_on, e.event_id, p.posting_id",
        (*TAX_KINDS, until, *params),
    )


def tax_balances(conn: sqlite3.Connection, since: str, until: str) -> list[tuple]:
    """(holding, bonds held before ``since``, bonds and principal held on ``until``) of
    every holding with a posting by then, counting every event but those a correction
    cancels, and the corrections themselves."""
    return _tuples(
        conn,
        "SELECT p.holding_id, SUM(CASE WHEN e.occurred_on < ? THEN p.bonds ELSE 0 END), "
        "SUM(p.bonds), SUM(p.principal_cents) FROM postings p "
        "JOIN events e ON e.event_id = p.event_id WHERE e.occurred_on <= ? "
        "AND e.kind != 'correction' AND e.event_id NOT IN "
        "(SELECT reverses FROM events WHERE reverses IS NOT NULL) "
        "GROUP BY p.holding_id ORDER BY p.holding_id",
        (since, until),
    )


def tax_holdings(conn: sqlite3.Connection) -> list[tuple]:
    """(holding, holder, series, interest start, origin holding) of every holding."""
    return _tuples(
        conn,
        "SELECT holding_id, holder_id, series_id, interest_start, origin_holding_id "
        "FROM holdings ORDER BY holding_id",
    )


def tax_holders(conn: sqlite3.Connection) -> list[tuple]:
    """(holder, kind, joint, country, estate of, SIN known) of every holder: flags only."""
    return _tuples(
        conn,
        "SELECT holder_id, kind, co_holder IS NOT NULL, country, estate_of, sin IS NOT NULL "
        "FROM holders ORDER BY holder_id",
    )


def filed_slips(conn: sqlite3.Connection, country: str, year: int) -> list[tuple]:
    """(slip, holder, change, amount) of the last slip filed for each recipient and slip
    type of ``country``'s ``year``, by slip and holder (a cancelled one included: it says
    that nothing stands filed)."""
    return _tuples(
        conn,
        "SELECT f.slip, f.holder_id, f.change, f.amount_cents FROM filed_slips f "
        "WHERE f.country = ? AND f.year = ? AND f.filing_id = (SELECT MAX(g.filing_id) "
        "FROM filed_slips g WHERE g.country = f.country AND g.year = f.year "
        "AND g.slip = f.slip AND g.holder_id = f.holder_id) ORDER BY f.slip, f.holder_id",
        (country, year),
    )


def filing_dates(conn: sqlite3.Connection, country: str, year: int) -> list[str]:
    """The days slips of ``country``'s ``year`` were filed on, in order."""
    return [
        d
        for (d,) in _tuples(
            conn,
            "SELECT DISTINCT filed_on FROM filed_slips WHERE country = ? AND year = ? "
            "ORDER BY filed_on",
            (country, year),
        )
    ]


def insert_filed_slips(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Record slips filed: (country, year, slip, holder, change, amount, filed on, reason,
    recorded at, by) each."""
    conn.executemany(
        "INSERT INTO filed_slips (country, year, slip, holder_id, change, amount_cents, "
        "filed_on, reason, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
