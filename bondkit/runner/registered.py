"""The real register of holders a run reads: :class:`RegisterSnapshot`, read once.

``bondkit run SCENARIO --register DB`` (:func:`bondkit.runner.run` with ``register=``)
reads from the register of the issue (:class:`bondkit.register.Register`) a small
immutable snapshot: the holdings that hold bonds, the totals by series, the redemption
requests waiting and the next payment of each series, all on one date. The redemption-risk
model then takes the register's holdings as its holders (instead of the simulated
campaign's), and the workbook shows the snapshot as real data beside the plan.

No personal data is read: holdings and holders are numbers, never names.

*Decided*:

- the register's date (``as_of``) is the date of its last event (the latest
  ``occurred_on`` of its ledger, or the day a request still waiting was made, when later;
  the day the register was created when it has neither), or the date given, which may not
  come before it (the balances are those of every event recorded);
- a register whose series are not the scenario's is refused (:class:`RegisterMismatch`,
  naming both issues and their series); series added to the register later by a renewal
  (``renews``) are left out of the plan (their holdings are counted apart);
- a register created from another text of the scenario file (its SHA-256 differs from the
  scenario's ``input_sha256``), or whose series' terms differ from the scenario's, only
  gets a warning (:attr:`RegisterSnapshot.warnings`): a scenario is edited after its
  register is created (a rate, a cost); the plan then uses the scenario's terms, the
  register's figures its own.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.errors import BondkitError, Message

if TYPE_CHECKING:
    import pandas as pd

    from bondkit.register import Register
    from bondkit.scenario import Scenario

__all__ = [
    "WaitingRequest",
    "RegisteredHolding",
    "SeriesHeld",
    "RegisterSnapshot",
    "RegisterMismatch",
    "read_register",
]


class RegisterMismatch(BondkitError):
    """A register that is not the scenario's issue (its series differ); exit 2.

    >>> err = RegisterMismatch(Message("runreg.err.other_issue", file="a.db",
    ...     register="Cinéma du Parc 2016", register_series="A", scenario="Solar",
    ...     scenario_series="A-3y, B-5y"))
    >>> err.exit_code, "Cinéma du Parc 2016" in str(err) and "Solar" in str(err)
    (2, True)
    """

    exit_code = 2


@dataclass(frozen=True)
class RegisteredHolding:
    """One holding that holds bonds: its number, its series, its bonds and principal
    outstanding [cents], when it was subscribed and when its interest starts."""

    holding_id: int
    series_id: str
    bonds: int
    principal_cents: int
    subscribed_on: dt.date
    interest_start: dt.date


@dataclass(frozen=True)
class WaitingRequest:
    """A redemption request waiting on the register's date: its holding and series, the
    bonds and principal it would be paid [cents] (for a request only partly under the
    annual cap, the part that fits), and the day it is due."""

    holding_id: int
    series_id: str
    bonds: int
    principal_cents: int
    due_on: dt.date


@dataclass(frozen=True)
class SeriesHeld:
    """One series of the register on its date: the bonds of the series and those held,
    the principal outstanding [cents], holders and holdings counted, the end of the
    lock-in (None without one), the next payment (date, total [cents], holdings paid;
    None and 0 when nothing is left to pay) and the redemption requests waiting (number,
    bonds, principal [cents], how many are due that day)."""

    series_id: str
    bonds: int
    bonds_held: int
    principal_cents: int
    holders: int
    holdings: int
    lock_in_ends: dt.date | None
    next_payment: dt.date | None
    next_payment_cents: int
    next_payment_holdings: int
    requests: int
    requested_bonds: int
    requested_cents: int
    requests_due: int


@dataclass(frozen=True)
class RegisterSnapshot:
    """What a run reads of the register of holders (see the module): its file name (not
    the path), the issue's name, its date, the holdings with bonds, one
    :class:`SeriesHeld` per series of the scenario (in its order), the holders counted,
    whether it was created from this very scenario file (None when the scenario has no
    file), and warnings (:class:`~bondkit.errors.Message`) to show."""

    file_name: str
    issue_name: str
    as_of: dt.date
    holdings: tuple[RegisteredHolding, ...]
    series: tuple[SeriesHeld, ...]
    holders: int
    same_scenario: bool | None
    #: holdings of series a renewal added to the register (not in the scenario's plan)
    renewal_holdings: int = 0
    warnings: tuple[Message, ...] = ()
    #: the redemption requests waiting on the register's date, oldest first
    waiting: tuple[WaitingRequest, ...] = ()

    @property
    def principal_cents(self) -> int:
        """The principal outstanding of every holding [cents]."""
        return sum(h.principal_cents for h in self.holdings)

    def risk_register(self) -> pd.DataFrame:
        """The holdings as the risk model takes a register: ``series``, ``segment`` (None:
        a real holder has no campaign segment), ``amount`` (the principal outstanding
        [cents], less what a request waiting will take: those bonds are not drawn again),
        one row per holding that holds something more.

        >>> h = RegisteredHolding(1, "A", 2, 100_000, dt.date(2026, 2, 1), dt.date(2026, 3, 2))
        >>> snap = RegisterSnapshot("a.db", "Issue", dt.date(2026, 4, 1), (h,), (), 1, None)
        >>> snap.risk_register().to_dict("list")
        {'series': ['A'], 'segment': [None], 'amount': [100000]}
        >>> asked = WaitingRequest(1, "A", 1, 50_000, dt.date(2026, 10, 1))
        >>> RegisterSnapshot("a.db", "Issue", dt.date(2026, 4, 1), (h,), (), 1, None,
        ...                  waiting=(asked,)).risk_register()["amount"].tolist()
        [50000]
        """
        import pandas as pd

        taken: dict[int, int] = {}
        for w in self.waiting:
            taken[w.holding_id] = taken.get(w.holding_id, 0) + w.principal_cents
        left = [
            (h.series_id, h.principal_cents - taken.get(h.holding_id, 0)) for h in self.holdings
        ]
        left = [(sid, amount) for sid, amount in left if amount > 0]
        return pd.DataFrame(
            {
                "series": [sid for sid, _ in left],
                "segment": pd.Series([None] * len(left), dtype=object),
                "amount": pd.Series([amount for _, amount in left], dtype="int64"),
            }
        )

    def risk_waiting(self, issue_dates: dict[str, dt.date]) -> pd.DataFrame:
        """The requests waiting as the risk model takes them: ``series``, ``amount``
        [cents] and ``month``, the whole months from the series' issue (``issue_dates``
        by series id) to the day each is due; series not in ``issue_dates`` left out.

        >>> asked = WaitingRequest(1, "A", 1, 50_000, dt.date(2027, 4, 1))
        >>> snap = RegisterSnapshot("a.db", "Issue", dt.date(2026, 4, 1), (), (), 1, None,
        ...                         waiting=(asked,))
        >>> snap.risk_waiting({"A": dt.date(2026, 3, 2)}).to_dict("list")
        {'series': ['A'], 'amount': [50000], 'month': [12]}
        """
        import pandas as pd

        def months(start: dt.date, end: dt.date) -> int:
            return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)

        mine = [w for w in self.waiting if w.series_id in issue_dates]
        return pd.DataFrame(
            {
                "series": [w.series_id for w in mine],
                "amount": pd.Series([w.principal_cents for w in mine], dtype="int64"),
                "month": pd.Series(
                    [months(issue_dates[w.series_id], w.due_on) for w in mine], dtype="int64"
                ),
            }
        )

    def summary(self) -> dict[str, Any]:
        """The snapshot for the summary JSON: money in currency units, dates ISO, counts.

        >>> snap = RegisterSnapshot("a.db", "Issue", dt.date(2026, 4, 1), (), (), 0, True)
        >>> snap.summary()["as_of"], snap.summary()["holdings"]
        ('2026-04-01', 0)
        """
        from bondkit.core.conventions import money

        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d is not None else None

        return {
            "file": self.file_name,
            "issue": self.issue_name,
            "as_of": self.as_of.isoformat(),
            "same_scenario": self.same_scenario,
            "holdings": len(self.holdings),
            "holders": self.holders,
            "principal_outstanding": money(self.principal_cents),
            "renewal_holdings": self.renewal_holdings,
            "series": {
                s.series_id: {
                    "holders": s.holders,
                    "holdings": s.holdings,
                    "bonds": s.bonds,
                    "bonds_held": s.bonds_held,
                    "principal_outstanding": money(s.principal_cents),
                    "lock_in_ends": day(s.lock_in_ends),
                    "next_payment_date": day(s.next_payment),
                    "next_payment": money(s.next_payment_cents),
                    "requests_waiting": s.requests,
                    "requested_bonds": s.requested_bonds,
                    "requested_principal": money(s.requested_cents),
                    "requests_due": s.requests_due,
                }
                for s in self.series
            },
        }


def read_register(
    register: str | os.PathLike | Register,
    scenario: Scenario,
    as_of: dt.date | str | None = None,
) -> RegisterSnapshot:
    """Read the snapshot of ``register`` (a path, opened and closed here, or an open
    :class:`~bondkit.register.Register`) for a run of ``scenario``; see the module for
    what is refused and what is only a warning.

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Register.create(pathlib.Path(tmp) / "costumier.db", sc) as reg:
    ...         _ = reg.add_subscriptions([
    ...             {"name": "Café du Coin", "series": "A", "bonds": 3, "subscribed_on": "2016-07-15"},
    ...             {"name": "Lucie", "series": "A", "bonds": 2, "subscribed_on": "2016-08-02"}],
    ...             reason="forms")
    ...         snap = read_register(reg, sc)
    >>> snap.file_name, snap.as_of, len(snap.holdings), snap.principal_cents  # cents
    ('costumier.db', datetime.date(2016, 8, 2), 2, 500000)
    >>> s = snap.series[0]
    >>> s.series_id, s.bonds_held, s.bonds, s.holders, s.next_payment, s.next_payment_cents
    ('A', 5, 20, 2, datetime.date(2021, 9, 1), 550000)
    """
    from bondkit.register import Register

    if isinstance(register, Register):
        return _snapshot(register, scenario, as_of)
    with Register(register) as reg:
        return _snapshot(reg, scenario, as_of)


def _day(x: Any) -> dt.date:
    return x.date() if isinstance(x, dt.datetime) else dt.date.fromisoformat(str(x)[:10])


def _snapshot(reg: Register, scenario: Scenario, as_of: dt.date | str | None) -> RegisterSnapshot:
    from bondkit.core.conventions import add_months

    issue = reg.issue
    file_name = Path(reg.path).name
    series = reg.series()
    renewal = series["renews"].notna() if "renews" in series else series["series_id"].isna()
    own_ids = [str(x) for x in series.loc[~renewal, "series_id"]]
    ids = [t.id for t in scenario.series_terms()]
    if own_ids != ids:
        raise RegisterMismatch(
            Message(
                "runreg.err.other_issue",
                file=file_name,
                register=issue["name"],
                register_series=", ".join(own_ids),
                scenario=scenario.name,
                scenario_series=", ".join(ids),
            )
        )
    events = reg.events()
    last = _day(events["occurred_on"].max()) if not events.empty else _day(issue["created_at"])
    waiting = reg.redemption_queue(last)  # a request waiting is recorded on the day it is made
    if not waiting.empty:
        last = max(last, _day(waiting["asked_on"].max()))
    if as_of is None:
        when = last
    else:
        when = _day(as_of) if not isinstance(as_of, dt.date) else as_of
        if when < last:
            raise RegisterMismatch(
                Message(
                    "runreg.err.before_last",
                    file=file_name,
                    as_of=when.isoformat(),
                    last=last.isoformat(),
                )
            )
    warnings: list[Message] = []
    sha = scenario.input_sha256
    same = (
        None if sha is None or issue["scenario_sha256"] is None else sha == issue["scenario_sha256"]
    )
    if same is False:
        warnings.append(Message("runreg.warn.other_text", file=file_name))
    terms = dict(zip(own_ids, reg.series_terms()[: len(own_ids)], strict=True))
    differ = [t.id for t in scenario.series_terms() if terms[t.id] != t]
    if differ:
        warnings.append(Message("runreg.warn.terms", file=file_name, series=", ".join(differ)))

    held = reg.holdings()
    held = held[held["bonds"] > 0]
    mine = held[held["series_id"].isin(ids)]
    holdings = tuple(
        RegisteredHolding(
            int(r.holding_id),
            str(r.series_id),
            int(r.bonds),
            int(r.principal_cents),
            _day(r.subscribed_on),
            _day(r.interest_start),
        )
        for r in mine.itertuples(index=False)
    )
    overview = reg.overview(when)
    queue = reg.redemption_queue(when)
    lock = issue["lock_in_years"]
    by_id = {row["series_id"]: row for row in overview["series"]}
    nxt = {p["series_id"]: p for p in overview["next_payments"]}
    issued = dict(zip(series["series_id"], series["issue_date"], strict=True))
    out = []
    for sid in ids:
        row, pay = by_id[sid], nxt.get(sid)
        own = mine[mine["series_id"] == sid]
        asked = queue[queue["series_id"] == sid]
        out.append(
            SeriesHeld(
                series_id=sid,
                bonds=int(row["bonds"]),
                bonds_held=int(row["bonds_held"]),
                principal_cents=int(row["principal_cents"]),
                holders=int(row["holders"]),
                holdings=len(own),
                lock_in_ends=add_months(_day(issued[sid]), 12 * lock) if lock else None,
                next_payment=_day(pay["date"]) if pay else None,
                next_payment_cents=int(pay["total_cents"]) if pay else 0,
                next_payment_holdings=int(pay["holdings"]) if pay else 0,
                requests=len(asked),
                requested_bonds=int(asked["bonds"].sum()),
                requested_cents=int(asked["principal_cents"].sum()),
                requests_due=int(asked["status"].isin(["to pay", "part"]).sum()),
            )
        )
    return RegisterSnapshot(
        file_name=file_name,
        issue_name=str(issue["name"]),
        as_of=when,
        holdings=holdings,
        series=tuple(out),
        holders=int(mine["holder_id"].nunique()),
        same_scenario=same,
        renewal_holdings=len(held) - len(mine),
        warnings=tuple(warnings),
        waiting=tuple(
            WaitingRequest(
                int(r.holding_id),
                str(r.series_id),
                int(r.bonds),
                int(r.principal_cents),
                _day(r.due_on),
            )
            for r in queue.itertuples(index=False)
            if str(r.series_id) in ids
        ),
    )
