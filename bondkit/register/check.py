"""``bondkit register check``: the register recomputed from scratch and reconciled.

What is checked, in order (a damaged file stops at the first step):

1. the file: ``PRAGMA integrity_check``, every reference between rows (``PRAGMA
   foreign_key_check``), the schema's history, and the guards that keep the ledger
   append-only (a trigger dropped by hand is reported);
2. every event against the rules of its kind (:mod:`bondkit.register.ledger`): its
   postings' signs and count, money that moves between holdings adding up to zero, a
   subscription's principal equal to its bonds times the face value, a transfer within
   one series, a correction the exact opposite of the event it reverses;
3. every holding's balances, recomputed here from its postings, against the database's
   view of them, and never negative;
4. every series: the bonds held at most the bonds of the series, and the running totals
   stored by the database equal to the postings recomputed;
5. every payment run: its events are interest accrued, interest paid and principal
   repaid on holdings of its series, dated its due date or the day it was paid; the
   interest it accrued is the interest it paid, and the cash it paid out is that interest
   and the principal it repaid.

Problems are located by table and number (``events[12]``, ``holdings[7]``,
``series[A]``): never by a holder's name or any personal data.

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> with tempfile.TemporaryDirectory() as tmp:
...     reg = Register.create(pathlib.Path(tmp) / "issue.db", load_example("grand-costumier-2016"),
...                           by="Lucie")
...     report = reg.check()
...     reg.close()
>>> report.ok, report.counts["series"]
(True, 1)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from bondkit.errors import Message, Problem, format_problems
from bondkit.register import store
from bondkit.register.ledger import AMOUNTS, Posting, balances, reversal, shape_problems
from bondkit.register.schema import GUARDS, SCHEMA_VERSION
from bondkit.register.store import payments as pay_store

__all__ = ["CheckReport", "check_register"]

#: at most this many problems of one kind are listed (the rest are counted)
MOST = 50


@dataclass(frozen=True)
class CheckReport:
    """What ``check`` found: the schema version, how many rows of each kind, and the
    problems (none: the register reconciles)."""

    version: int
    counts: dict[str, int]
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def render(self, lang: str = "en") -> str:
        """The problems in ``lang``, one per line.

        >>> report = CheckReport(2, {}, (Problem("holdings[3]", Message("reg.check.negative",
        ...     amount="bonds", value=-1)),))
        >>> report.render("en")
        'holdings[3]: its balance of bonds is negative: -1'
        """
        return format_problems(self.problems, lang)


def check_register(conn: sqlite3.Connection) -> CheckReport:
    """Check the open register ``conn`` (run it inside a read transaction for one
    consistent snapshot).

    >>> import sqlite3
    >>> from bondkit.register import store
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> conn.row_factory = sqlite3.Row
    >>> with store.transaction(conn):
    ...     _ = store.migrate(conn, applied_at="2026-01-01T00:00:00Z", bondkit_version="0.1.0")
    >>> check_register(conn).ok
    True
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    try:
        damaged = [line for line in store.integrity(conn) if line != "ok"]
        if damaged:
            problems = [Problem("file", Message("reg.check.damaged", reason=d)) for d in damaged]
            return CheckReport(version, {}, tuple(problems))
        problems = [*_file_problems(conn, version)]
        series = {row["series_id"]: row for row in store.read_series(conn)}
        postings = store.read_postings(conn)
        problems += _event_problems(conn, series, postings)
        problems += _balance_problems(conn, series, postings)
        if version >= 3:
            problems += _run_problems(conn)
        return CheckReport(version, store.counts(conn), tuple(problems))
    except sqlite3.DatabaseError as exc:  # a page SQLite cannot even read
        return CheckReport(
            version, {}, (Problem("file", Message("reg.check.damaged", reason=str(exc))),)
        )


def _file_problems(conn: sqlite3.Connection, version: int) -> Iterator[Problem]:
    for table, rowid, parent in store.foreign_key_problems(conn)[:MOST]:
        yield Problem(f"{table}[{rowid}]", Message("reg.check.orphan", parent=parent))
    applied = store.history(conn)
    if applied != list(range(1, version + 1)):
        yield Problem(
            "schema_history",
            Message("reg.check.history", version=version),
            ", ".join(map(str, applied)),
        )
    if version == SCHEMA_VERSION:
        present = store.trigger_names(conn)
        for name, table, verb in GUARDS:
            if name not in present:
                yield Problem(table, Message("reg.check.guard", name=name, verb=verb))


def _event_problems(
    conn: sqlite3.Connection, series: dict[str, dict], postings: list[dict]
) -> list[Problem]:
    problems: list[Problem] = []
    events = {e["event_id"]: e for e in store.read_events(conn)}
    by_event: dict[int, list[dict]] = {}
    for row in postings:
        by_event.setdefault(row["event_id"], []).append(row)
    for event_id in store.events_without_postings(conn)[:MOST]:
        problems.append(Problem(f"events[{event_id}]", Message("reg.check.no_postings")))
    for event_id, event in events.items():
        rows = by_event.get(event_id, [])
        if not rows:
            continue
        kind, where = event["kind"], f"events[{event_id}]"
        postings = [Posting.from_row(r) for r in rows]
        found = [Problem(where, m) for m in shape_problems(kind, postings)]
        if kind == "subscription" and not found:
            face = series[rows[0]["series_id"]]["face_value_cents"]
            if rows[0]["principal_cents"] != rows[0]["bonds"] * face:
                found.append(Problem(where, Message("reg.check.face", face=face)))
        if kind in ("transfer", "estate_transfer") and len({r["series_id"] for r in rows}) > 1:
            found.append(Problem(where, Message("reg.check.one_series")))
        if kind == "correction":
            target = events.get(event["reverses"])
            if target is None or target["kind"] == "correction":
                found.append(Problem(where, Message("reg.check.reverses", n=event["reverses"])))
            else:
                expected = reversal(
                    Posting.from_row(r) for r in by_event.get(target["event_id"], [])
                )
                if sorted(postings, key=_key) != sorted(expected, key=_key):
                    found.append(Problem(where, Message("reg.check.reverses", n=event["reverses"])))
        problems += found
        if len(problems) >= MOST:
            break
    return problems


def _key(p: Posting) -> tuple[int, ...]:
    return (p.holding_id, *p.amounts())


def _balance_problems(
    conn: sqlite3.Connection, series: dict[str, dict], postings: list[dict]
) -> list[Problem]:
    problems: list[Problem] = []
    recomputed = balances(postings)
    held: dict[str, list[int]] = {sid: [0, 0, 0, 0, 0] for sid in series}
    for row in store.read_holdings(conn):
        hid, where = row["holding_id"], f"holdings[{row['holding_id']}]"
        mine = recomputed.get(hid, (0, 0, 0, 0))
        view = tuple(row[name] for name in AMOUNTS)
        if view != mine:
            problems.append(Problem(where, Message("reg.check.view", view=view, recomputed=mine)))
        for name, value in zip(AMOUNTS[:3], mine[:3], strict=True):
            if value < 0:
                problems.append(
                    Problem(where, Message("reg.check.negative", amount=name, value=value))
                )
        acc = held.setdefault(row["series_id"], [0, 0, 0, 0, 0])
        for i, value in enumerate(mine):
            acc[i] += value
    for row in postings:
        held.setdefault(row["series_id"], [0, 0, 0, 0, 0])[4] += 1
    for sid, terms in series.items():
        bonds, principal = held[sid][0], held[sid][1]
        if bonds > terms["bonds"]:
            problems.append(
                Problem(
                    f"series[{sid}]", Message("reg.check.over", held=bonds, total=terms["bonds"])
                )
            )
        if principal > terms["amount_cents"]:
            problems.append(
                Problem(
                    f"series[{sid}]",
                    Message("reg.check.over_amount", held=principal, total=terms["amount_cents"]),
                )
            )
    stored = {row["series_id"]: row for row in store.read_series_totals(conn)}
    for sid in sorted(set(stored) | set(series)):
        row = stored.get(sid)
        mine = held.get(sid, [0, 0, 0, 0, 0])
        names = (*AMOUNTS, "postings")
        if row is None:
            problems.append(Problem(f"series_totals[{sid}]", Message("reg.check.totals_missing")))
            continue
        for name, value in zip(names, mine, strict=True):
            if row[name] != value:
                problems.append(
                    Problem(
                        f"series_totals[{sid}].{name}",
                        Message("reg.check.totals", stored=row[name], recomputed=value),
                    )
                )
    return problems[: 4 * MOST]


#: the kinds of events a payment run records
_RUN_KINDS = ("interest_accrued", "interest_paid", "principal_repaid")


def _run_problems(conn: sqlite3.Connection) -> list[Problem]:
    """Each payment run against what a run records (see :mod:`bondkit.register.calendar`)."""
    problems: list[Problem] = []
    sums: dict[int, dict[str, dict]] = {}
    for row in pay_store.run_sums(conn):
        sums.setdefault(row["run_id"], {})[row["kind"]] = row
    for run in pay_store.read_runs(conn):
        where, kinds = f"payment_runs[{run['run_id']}]", sums.get(run["run_id"], {})
        for kind, row in kinds.items():
            if kind not in _RUN_KINDS:
                problems.append(Problem(where, Message("reg.pay.check.kind", kind=kind)))
            if row["other_series"]:
                problems.append(Problem(where, Message("reg.pay.check.series")))
            if row["other_dates"]:
                problems.append(Problem(where, Message("reg.pay.check.dates")))
        accrued = kinds.get("interest_accrued", {}).get("interest_cents") or 0
        paid = -(kinds.get("interest_paid", {}).get("interest_cents") or 0)
        if accrued != paid:
            problems.append(
                Problem(where, Message("reg.pay.check.interest", accrued=accrued, paid=paid))
            )
        cash = -sum(row["cash_cents"] or 0 for row in kinds.values())
        owed = paid - (kinds.get("principal_repaid", {}).get("principal_cents") or 0)
        if cash != owed:
            problems.append(Problem(where, Message("reg.pay.check.cash", cash=cash, owed=owed)))
        if len(problems) >= MOST:
            break
    return problems
