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
from typing import TYPE_CHECKING

from bondkit.errors import Message, Problem, format_problems
from bondkit.register import store
from bondkit.register.ledger import AMOUNTS, SHAPES, SIGNS, Posting, reversal, shape_problems
from bondkit.register.schema import GUARDS, SCHEMA_VERSION
from bondkit.register.store import payments as pay_store

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

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
        ledger = _Ledger.read(conn)
        problems += _event_problems(conn, series, ledger)
        problems += _balance_problems(conn, series, ledger)
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


@dataclass
class _Ledger:
    """Every posting, read once, as arrays: event, kind, holding, series (by event, then
    posting) and the four amounts; and the events (number, kind, event reversed)."""

    event: np.ndarray
    kind: np.ndarray
    holding: np.ndarray
    series: np.ndarray
    amounts: np.ndarray  # int64 [postings, 4], in the order of AMOUNTS
    events: list[tuple]

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> _Ledger:
        import numpy as np

        rows = store.posting_tuples(conn)
        table = np.array(rows, dtype=object).reshape(-1, 8)
        return cls(
            event=table[:, 0].astype(np.int64),
            kind=table[:, 1].astype(str),
            holding=table[:, 2].astype(np.int64),
            series=table[:, 3].astype(str),
            amounts=table[:, 4:].astype(np.int64).reshape(-1, 4),
            events=store.event_tuples(conn),
        )

    def rows(self, index: np.ndarray) -> list[dict]:
        """Some postings as the mappings the rules of :mod:`~bondkit.register.ledger` read."""
        return [
            {
                "event_id": int(self.event[i]),
                "holding_id": int(self.holding[i]),
                "series_id": str(self.series[i]),
                **{name: int(v) for name, v in zip(AMOUNTS, self.amounts[i], strict=True)},
            }
            for i in index
        ]


def _suspects(ledger: _Ledger, series: dict[str, dict]) -> set[int]:
    """The events that may break a rule of their kind, screened with numpy over every
    posting at once: each rule of :data:`bondkit.register.ledger.SHAPES` (signs, equal
    amounts, something moved, how many postings, sums to zero, one posting per holding),
    a subscription's face value, a transfer within one series. Every event found here,
    and every correction, is then checked one by one, so that what is reported is what
    the rules say; an event the screen passes breaks none of them."""
    import numpy as np

    if not len(ledger.event):
        return set()
    a, kind = ledger.amounts, ledger.kind
    col = {name: i for i, name in enumerate(AMOUNTS)}
    starts = np.flatnonzero(np.r_[True, ledger.event[1:] != ledger.event[:-1]])
    count = np.diff(np.r_[starts, len(kind)])
    first_kind = kind[starts]
    bad = np.zeros(len(starts), dtype=bool)
    bad_row = np.zeros(len(kind), dtype=bool)
    for name, shape in SHAPES.items():
        rows = kind == name
        if not rows.any():
            continue
        x = a[rows]
        ok = np.ones(len(x), dtype=bool)
        for i, sign in enumerate(shape.signs):
            ok &= np.asarray(SIGNS[sign](x[:, i]), dtype=bool)
        for target, parts in shape.equal:
            ok &= x[:, col[target]] == sum(x[:, col[p]] for p in parts)
        ok &= (x != 0).any(axis=1)
        bad_row[rows] = ~ok
        events = first_kind == name
        n = count[events]
        bad[events] |= (n < shape.least) | ((n > shape.most) if shape.most else False)
        sums = np.add.reduceat(a, starts, axis=0)[events]
        for total in shape.balanced:
            if total == "owed":
                bad[events] |= (
                    sums[:, col["principal_cents"]] + sums[:, col["interest_cents"]]
                ) != 0
            else:
                bad[events] |= sums[:, col[total]] != 0
    bad |= np.logical_or.reduceat(bad_row, starts)
    bad |= ~np.isin(first_kind, list(SHAPES))  # a correction, or a kind with no shape
    # one event of several kinds, or one holding twice in an event
    bad |= np.logical_or.reduceat(kind != np.repeat(first_kind, count), starts)
    order = np.lexsort((ledger.holding, ledger.event))
    twice = (ledger.event[order][1:] == ledger.event[order][:-1]) & (
        ledger.holding[order][1:] == ledger.holding[order][:-1]
    )
    suspects = set(ledger.event[order][1:][twice].tolist())
    # a subscription's principal is its bonds times the face value of its series
    subs = np.flatnonzero(kind == "subscription")
    face = np.array(
        [series[s]["face_value_cents"] if s in series else -1 for s in ledger.series[subs]]
    )
    wrong = a[subs, col["principal_cents"]] != a[subs, col["bonds"]] * face
    suspects |= set(ledger.event[subs[wrong]].tolist())
    # a transfer stays within one series
    moves = np.isin(first_kind, ("transfer", "estate_transfer"))
    codes = np.unique(ledger.series, return_inverse=True)[1].reshape(-1)
    spread = np.maximum.reduceat(codes, starts) != np.minimum.reduceat(codes, starts)
    bad |= moves & spread
    return suspects | set(ledger.event[starts[bad]].tolist())


def _event_problems(
    conn: sqlite3.Connection, series: dict[str, dict], ledger: _Ledger
) -> list[Problem]:
    import numpy as np

    problems: list[Problem] = []
    events = {e[0]: {"event_id": e[0], "kind": e[1], "reverses": e[2]} for e in ledger.events}
    for event_id in store.events_without_postings(conn)[:MOST]:
        problems.append(Problem(f"events[{event_id}]", Message("reg.check.no_postings")))
    suspects = _suspects(ledger, series)
    targets = {events[e]["reverses"] for e in suspects if events.get(e, {}).get("reverses")}
    wanted = np.isin(ledger.event, sorted(suspects | targets))
    by_event: dict[int, list[dict]] = {}
    for row in ledger.rows(np.flatnonzero(wanted)):
        by_event.setdefault(row["event_id"], []).append(row)
    for event_id in sorted(suspects):
        event = events[event_id]
        rows = by_event.get(event_id, [])
        if not rows:  # reported above: an event without postings
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
    conn: sqlite3.Connection, series: dict[str, dict], ledger: _Ledger
) -> list[Problem]:
    import numpy as np

    problems: list[Problem] = []
    ids, where_of = np.unique(ledger.holding, return_inverse=True)
    sums = np.zeros((len(ids), 4), dtype=np.int64)
    np.add.at(sums, where_of.reshape(-1), ledger.amounts)
    recomputed = {
        int(h): (int(b), int(p), int(i), int(c)) for h, (b, p, i, c) in zip(ids, sums, strict=True)
    }
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
    names, n = np.unique(ledger.series, return_counts=True)
    for sid, count in zip(names.tolist(), n.tolist(), strict=True):
        held.setdefault(sid, [0, 0, 0, 0, 0])[4] += count
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
