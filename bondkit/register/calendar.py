"""What is owed, to whom: each holding's payment calendar, the payment runs, and the
difference from the plan (issue #13, booklet 3, moment 4 "Gestion").

**A holding is a little series of its own.** Its calendar follows its series' terms
(periods, rates, day count, repayment style) on its own principal, ``bonds x face
value``, from its own interest start, rounded per holding half up to the cent:

- every period's interest is ``principal x rate x year fraction``, in integers: the rate
  as written in the scenario is a decimal (an exact fraction), so is the year fraction;
  ``cents x n / d`` is rounded half up as ``(2 x cents x n + d) // (2 x d)``, in int64
  when ``2 x largest principal x n + d`` stays below 2**63 (it does for any ordinary
  issue), else with Python's integers (:func:`mul_round`);
- a holding whose interest starts on another day than its first period's start (the
  subscription date, under the ``subscription-date`` rule) accrues that period from its
  interest start, on the series' day count (41 days before the issue date at 4 % on
  30/360: 41/360 of a year more); a start after a period's end leaves that period out;
- amortising series (level payment, level principal, sculpted) repay principal each
  period: the holding's principal is amortised by the core's own kernel
  (:func:`bondkit.core.schedule.amortize`, vectorised over the holdings) as a series of
  its own amount, so its instalments add up to its principal exactly (the last absorbs
  the residue). A sculpted holding aims at its share of the series' sculpted payments,
  ``principal x payment / amount``, rounded per holding. The principal of each period is
  that of the regular periods; an earlier interest start adds interest only;
- accumulating series pay principal and interest at maturity only: the holding's
  principal times the series' growth (simple: the sum of rate x year fraction over the
  bond years; compound: the product of 1 + rate x year fraction over the periods, less
  1), its first piece from its interest start, rounded once per holding.

Holdings of one series share the periods: the computation is one numpy pass per period
over all of them (and one per distinct interest start), never a Python loop over holdings.
Bonds are those given by subscriptions, transfers, redemptions and corrections; the
runs' own repayments do not change a calendar.

**The register is the legal truth; the plan rounds once.** The plan's schedule
(:func:`bondkit.core.schedule.series_schedule`) computes each series on its whole amount
and rounds each amount once; the register rounds per holding. :meth:`PaymentsMixin.
plan_difference` shows, by series and payment date, the register's total, the plan's, and
the difference split into its three causes, exactly (they add up to it):

- ``unsold_cents``: the plan on the bonds held minus the plan on the whole series (bonds
  not sold, or no longer held);
- ``rounding_cents``: the holdings, all from the issue date, minus the plan on the bonds
  held (rounding per holding);
- ``interest_start_cents``: the register minus the holdings all from the issue date
  (interest starts other than the issue date).

**A payment run** (:meth:`PaymentsMixin.payment_run`) is what one payment date pays, by
holding; :meth:`PaymentsMixin.pay` records it in one transaction: a ``payment_runs`` row
per series due that day, then for each holding an ``interest_accrued`` event (on the due
date), an ``interest_paid`` event and, when principal is due, a ``principal_repaid`` event
(both on the day paid; at final maturity the bonds go too), each with its run's number.
A series is never paid twice on one date.

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> tmp = tempfile.TemporaryDirectory()
>>> reg = Register.create(pathlib.Path(tmp.name) / "a.db", load_example("building-purchase-2010"))
>>> h = reg.add_subscription(name="Café du Coin", series="A", bonds=2,
...                          subscribed_on="2010-06-15", reason="form")
>>> cal = reg.calendars()
>>> cal[["period", "due_on", "interest_cents", "principal_cents"]].tail(2)
   period     due_on  interest_cents  principal_cents
3       4 2014-07-01            8000                0
4       5 2015-07-01            8000           200000
>>> reg.payment_run("2011-07-01")[["holding_id", "interest_cents", "total_cents"]]
   holding_id  interest_cents  total_cents
0           1            8000         8000
>>> reg.pay("2011-07-01", reason="first interest")
[1]
>>> int(reg.holdings().loc[0, "cash_cents"])
-8000
>>> reg.close(); tmp.cleanup()
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message, Problem
from bondkit.register import intake
from bondkit.register.recording import stamp
from bondkit.register.store import RegisterError, read_series
from bondkit.register.store import payments as pay_store
from bondkit.register.terms import series_terms

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from bondkit.core.schedule import Periods
    from bondkit.core.terms import SeriesTerms

__all__ = [
    "PaymentsMixin",
    "Calendar",
    "series_calendar",
    "mul_round",
    "CALENDAR_COLUMNS",
    "RUN_COLUMNS",
    "DIFFERENCE_COLUMNS",
]

#: the columns of :meth:`PaymentsMixin.calendars`
CALENDAR_COLUMNS: tuple[str, ...] = (
    "holding_id",
    "holder_id",
    "series_id",
    "period",
    "due_on",
    "accrual_start",
    "accrual_end",
    "interest_cents",
    "principal_cents",
    "total_cents",
)
#: the columns of :meth:`PaymentsMixin.payment_run`
RUN_COLUMNS: tuple[str, ...] = (
    "holder_id",
    "name",
    "holding_id",
    "series_id",
    "period",
    "due_on",
    "bonds",
    "interest_cents",
    "principal_cents",
    "total_cents",
    "payment_method",
    "final",
    "run_id",
)
#: the columns of :meth:`PaymentsMixin.plan_difference`
DIFFERENCE_COLUMNS: tuple[str, ...] = (
    "series_id",
    "due_on",
    "register_cents",
    "plan_cents",
    "difference_cents",
    "unsold_cents",
    "rounding_cents",
    "interest_start_cents",
)

_INT64_MAX = 2**63 - 1
#: how many of the next payment dates a refused date names
_NEXT = 3


def mul_round(cents: Any, q: Fraction) -> np.ndarray:
    """``cents x q`` rounded half up to the cent, exactly, for each entry (``cents`` >= 0,
    ``q`` >= 0): in int64 when no intermediate can pass 2**63, else in Python integers.

    >>> import numpy as np
    >>> mul_round(np.array([100_000, 150, 50]), Fraction(1, 100)).tolist()  # 1 %
    [1000, 2, 1]
    >>> mul_round(np.array([10**12]), Fraction(10**7 + 1, 3 * 10**7)).tolist()  # past int64
    [333333366667]
    """
    import numpy as np

    cents = np.asarray(cents, dtype=np.int64)
    num, den = q.numerator, q.denominator
    if cents.size == 0:
        return cents.copy()
    if 2 * int(cents.max()) * num + den <= _INT64_MAX:
        return (2 * num * cents + den) // (2 * den)
    wide = cents.astype(object)
    return ((2 * num * wide + den) // (2 * den)).astype(np.int64)


@dataclass(frozen=True)
class Calendar:
    """The calendars of the holdings of one series: a row per holding, a column per
    payment date of the series (one, at maturity, for an accumulating series).

    ``first[h]`` is the first column of holding ``h`` (the period its interest starts in;
    the columns before it are zero), ``starts[h]`` its interest start.
    """

    series_id: str
    due_on: tuple[dt.date, ...]
    period_start: tuple[dt.date, ...]
    starts: np.ndarray  # datetime64[D], one per holding
    first: np.ndarray  # int64, one per holding
    interest: np.ndarray  # int64 [holdings, columns], cents
    principal: np.ndarray  # int64 [holdings, columns], cents

    @property
    def total(self) -> np.ndarray:
        """Interest plus principal, per holding and column [cents]."""
        return self.interest + self.principal


def _styles() -> dict[str, int]:
    from bondkit.core import schedule

    return {
        "bullet": schedule.BULLET,
        "level-payment": schedule.LEVEL_PAYMENT,
        "level-principal": schedule.LEVEL_PRINCIPAL,
        "sculpted": schedule.SCULPTED,
    }


def series_calendar(terms: SeriesTerms, principal: Any, starts: Any) -> Calendar:
    """The calendars of holdings of ``terms`` with these principals [cents] and interest
    starts (dates), each rounded per holding (see the module's text).

    Two bonds of 500 $ at 4 % on 30/360, paid yearly: 40.00 $ a year; a holding whose
    interest starts 41 days before the issue date earns 41/360 of a year more at first
    (1,000 x 4 % x 401/360 = 44.56 $):

    >>> import numpy as np
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 10_000, 500, 0.04, dt.date(2026, 3, 2), term_years=3)
    >>> cal = series_calendar(s, [100_000, 100_000],
    ...                       [dt.date(2026, 3, 2), dt.date(2026, 1, 21)])
    >>> cal.interest.tolist(), cal.principal[:, -1].tolist()
    ([[4000, 4000, 4000], [4456, 4000, 4000]], [100000, 100000])
    """
    import numpy as np

    from bondkit.core.schedule import periods

    principal = np.asarray(principal, dtype=np.int64).reshape(-1)
    starts = np.asarray(starts, dtype="datetime64[D]").reshape(-1)
    p = periods(terms)
    uniq, inv = np.unique(starts, return_inverse=True)
    inv = inv.reshape(-1)
    days = [d.astype(dt.date) for d in uniq]
    if terms.repayment == "accumulating":
        return _accumulating(terms, p, principal, starts, days, inv)
    n, ends = len(p), list(p.end)
    first_of = np.array([min(bisect.bisect_right(ends, d), n - 1) for d in days], dtype=np.int64)
    first = first_of[inv] if len(inv) else np.zeros(0, dtype=np.int64)
    interest = np.zeros((len(principal), n), dtype=np.int64)
    repaid = np.zeros((len(principal), n), dtype=np.int64)
    shares = _sculpted_shares(terms, p) if terms.repayment == "sculpted" else None
    for f in np.unique(first).tolist():
        rows = np.flatnonzero(first == f)
        out = _amortize(terms, p, principal[rows], f, shares)
        interest[rows, f:] = out["interest"]
        repaid[rows, f:] = out["principal"]
    for j, day in enumerate(days):  # a first period that starts on another day
        f = int(first_of[j])
        if day == p.accrual_start[f]:
            continue
        yf = max(Fraction(0), Fraction(_year_fraction(day, p.end[f], terms.day_count)))
        rows = np.flatnonzero(inv == j)
        interest[rows, f] = mul_round(principal[rows], p.rate[f] * yf)
    return Calendar(terms.id, tuple(p.end), tuple(p.accrual_start), starts, first, interest, repaid)


def _year_fraction(a: dt.date, b: dt.date, day_count: str) -> Fraction:
    from bondkit.core.conventions import year_fraction

    return year_fraction(a, b, day_count)


def _sculpted_shares(terms: SeriesTerms, p: Periods) -> list[Fraction]:
    """Each period's sculpted payment per cent of principal, exact: payment_j / amount."""
    from bondkit.core.schedule import sculpting

    sc = sculpting(terms, p)
    return [w / (sc.coverage * terms.amount_cents) for w in sc.weights]


def _amortize(
    terms: SeriesTerms,
    p: Periods,
    principal: np.ndarray,
    f: int,
    shares: list[Fraction] | None,
) -> dict[str, np.ndarray]:
    """The core's kernel on holdings whose calendar starts at column ``f``: each one a
    series of its own principal over the periods from ``f`` on."""
    import numpy as np

    from bondkit.core.conventions import periods_per_year
    from bondkit.core.schedule import amortize

    m = len(p) - f
    rate_num = np.array([[r.numerator for r in p.rate[f:]]], dtype=np.int64)
    rate_den = np.array([[r.denominator for r in p.rate[f:]]], dtype=np.int64)
    yf_num = np.array([[y.numerator for y in p.year_fraction[f:]]], dtype=np.int64)
    yf_den = np.array([[y.denominator for y in p.year_fraction[f:]]], dtype=np.int64)
    target = None
    if shares is not None:
        target = np.stack([mul_round(principal, q) for q in shares[f:]], axis=1)
    return amortize(
        principal,
        rate_num,
        rate_den,
        yf_num,
        yf_den,
        m,
        _styles()[terms.repayment],
        max(0, p.first_amortising - f),
        periods_per_year(terms.frequency),
        np.array([p.step_starts[f:]], dtype=bool),
        target,
    )


def _accumulating(
    terms: SeriesTerms,
    p: Periods,
    principal: np.ndarray,
    starts: np.ndarray,
    days: list[dt.date],
    inv: np.ndarray,
) -> Calendar:
    """Everything at maturity: principal x growth from each interest start, rounded once."""
    import numpy as np

    from bondkit.core.schedule import accrual_pieces

    pieces = accrual_pieces(terms, p)
    piece_ends = [start for start, _r, _y in pieces[1:]] + [p.end[-1]]
    interest = np.zeros((len(principal), 1), dtype=np.int64)
    for j, day in enumerate(days):
        kept = [(r, y, e) for (_s, r, y), e in zip(pieces, piece_ends, strict=True) if e > day]
        growth = Fraction(0)
        if kept:
            r0, _y0, e0 = kept[0]
            parts = [(r0, max(Fraction(0), _year_fraction(day, e0, terms.day_count)))]
            parts += [(r, y) for r, y, _e in kept[1:]]
            if terms.interest == "compound":
                product = Fraction(1)
                for r, y in parts:
                    product *= 1 + r * y
                growth = product - 1
            else:
                growth = sum((r * y for r, y in parts), Fraction(0))
        rows = np.flatnonzero(inv == j)
        interest[rows, 0] = mul_round(principal[rows], growth)
    return Calendar(
        terms.id,
        (p.end[-1],),
        (terms.issue_date,),
        starts,
        np.zeros(len(principal), dtype=np.int64),
        interest,
        principal.reshape(-1, 1).copy(),
    )


# ---------------------------------------------------------------- the register's face


def _as_date(value: Any, where: str) -> dt.date:
    on = intake.as_date(value)
    if on is None:
        raise RegisterError(
            Message("reg.err.refused"),
            [Problem(where, Message("reg.pay.bad_date"), str(value))],
        )
    return on


@dataclass
class _Snapshot:
    """What one read of the register gives the calendars: its series (rows and terms)
    and the holdings that hold bonds (numbers, holders, series, starts, bonds)."""

    series: list[dict[str, Any]]
    terms: dict[str, SeriesTerms]
    held: pd.DataFrame


def _snapshot(conn: Any, on: dt.date | None = None) -> _Snapshot:
    import pandas as pd

    series = read_series(conn)
    rows = pay_store.holdings_with_bonds(conn, None if on is None else on.isoformat())
    held = pd.DataFrame.from_records(
        rows, columns=["holding_id", "holder_id", "series_id", "interest_start", "bonds"]
    )
    held["interest_start"] = pd.to_datetime(held["interest_start"], format="%Y-%m-%d")
    return _Snapshot(series, {s["series_id"]: series_terms(s) for s in series}, held)


def _calendars(snap: _Snapshot, at_issue: bool = False) -> list[tuple[Calendar, pd.DataFrame]]:
    """Each series' calendar with its holdings (in the series' order); ``at_issue``: as
    if every interest started on the series' issue date."""
    import numpy as np

    out = []
    for row in snap.series:
        sid, terms = row["series_id"], snap.terms[row["series_id"]]
        mine = snap.held[snap.held["series_id"] == sid]
        principal = mine["bonds"].to_numpy(dtype=np.int64) * row["face_value_cents"]
        starts = mine["interest_start"].to_numpy().astype("datetime64[D]")
        if at_issue:
            starts = np.full(len(mine), np.datetime64(terms.issue_date, "D"))
        out.append((series_calendar(terms, principal, starts), mine))
    return out


def _calendar_frame(cals: list[tuple[Calendar, pd.DataFrame]]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    parts = []
    for cal, mine in cals:
        n = len(cal.due_on)
        h, k = np.nonzero(np.arange(n)[None, :] >= cal.first[:, None])
        due = np.array(cal.due_on, dtype="datetime64[D]")
        period_start = np.array(cal.period_start, dtype="datetime64[D]")
        accrual_start = np.where(k == cal.first[h], cal.starts[h], period_start[k])
        interest, principal = cal.interest[h, k], cal.principal[h, k]
        parts.append(
            pd.DataFrame(
                {
                    "holding_id": mine["holding_id"].to_numpy(dtype=np.int64)[h],
                    "holder_id": mine["holder_id"].to_numpy(dtype=np.int64)[h],
                    "series_id": np.full(len(h), cal.series_id, dtype=object),
                    "period": (k + 1 if n > 1 else np.ones(len(h), dtype=np.int64)).astype(
                        np.int64
                    ),
                    "due_on": due[k].astype("datetime64[s]"),
                    "accrual_start": accrual_start.astype("datetime64[s]"),
                    "accrual_end": due[k].astype("datetime64[s]"),
                    "interest_cents": interest,
                    "principal_cents": principal,
                    "total_cents": interest + principal,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(CALENDAR_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(CALENDAR_COLUMNS)]


def _plan_columns(terms: SeriesTerms, cents: int) -> Any:
    """The plan's payment on each payment date of ``terms``, on ``cents`` of principal."""
    import numpy as np

    from bondkit.core.schedule import series_schedule

    if cents <= 0:
        return None
    plan = series_schedule(terms.with_amount(Decimal(cents).scaleb(-2)))
    return plan["payment"].to_numpy(dtype=np.int64)


def _difference(snap: _Snapshot) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    now, at_issue = _calendars(snap), _calendars(snap, at_issue=True)
    parts = []
    for (cal, mine), (base, _m) in zip(now, at_issue, strict=True):
        terms = snap.terms[cal.series_id]
        n = len(cal.due_on)
        zero = np.zeros(n, dtype=np.int64)
        plan = _plan_columns(terms, terms.amount_cents)
        held = int(mine["bonds"].sum()) * terms.face_value_cents
        sold = _plan_columns(terms, held)
        plan = zero if plan is None else plan
        sold = zero if sold is None else sold
        register = cal.total.sum(axis=0)
        issue_dated = base.total.sum(axis=0)
        parts.append(
            pd.DataFrame(
                {
                    "series_id": [cal.series_id] * n,
                    "due_on": np.array(cal.due_on, dtype="datetime64[D]").astype("datetime64[s]"),
                    "register_cents": register,
                    "plan_cents": plan,
                    "difference_cents": register - plan,
                    "unsold_cents": sold - plan,
                    "rounding_cents": issue_dated - sold,
                    "interest_start_cents": register - issue_dated,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[list(DIFFERENCE_COLUMNS)]


def _next_dates(snap: _Snapshot, on: dt.date) -> list[dt.date]:
    from bondkit.core.schedule import periods

    dates = set()
    for terms in snap.terms.values():
        ends = periods(terms).end
        dates.update(ends[-1:] if terms.repayment == "accumulating" else ends)
    return sorted(d for d in dates if d > on)


def _due(snap: _Snapshot, on: dt.date) -> list[str]:
    """The series that pay on ``on``; RegisterError naming the next payment dates if none."""
    from bondkit.core.schedule import periods

    due = []
    for sid, terms in snap.terms.items():
        ends = periods(terms).end
        if on in (ends[-1:] if terms.repayment == "accumulating" else ends):
            due.append(sid)
    if not due:
        nxt = _next_dates(snap, on)[:_NEXT]
        if nxt:
            key, fields = "reg.pay.not_a_date", {"next": ", ".join(d.isoformat() for d in nxt)}
        else:
            key, fields = "reg.pay.no_next", {}
        raise RegisterError(Message(key, date=on.isoformat(), **fields))
    return due


def _run(conn: Any, on: dt.date) -> pd.DataFrame:
    """The payment run of ``on``, read inside the caller's transaction."""
    import numpy as np
    import pandas as pd

    snap = _snapshot(conn, on)
    due = _due(snap, on)
    snap.series = [s for s in snap.series if s["series_id"] in due]
    names = pd.DataFrame.from_records(
        pay_store.payees(conn), columns=["holder_id", "name", "payment_method"], index="holder_id"
    )
    runs = {r["series_id"]: r["run_id"] for r in pay_store.read_runs(conn, on.isoformat())}
    parts = []
    for cal, mine in _calendars(snap):
        k = cal.due_on.index(on)
        interest, principal = cal.interest[:, k], cal.principal[:, k]
        keep = np.flatnonzero(interest + principal > 0)
        holders = mine["holder_id"].to_numpy(dtype=np.int64)[keep]
        who = names.reindex(holders)
        parts.append(
            pd.DataFrame(
                {
                    "holder_id": holders,
                    "name": who["name"].to_numpy(dtype=object),
                    "holding_id": mine["holding_id"].to_numpy(dtype=np.int64)[keep],
                    "series_id": cal.series_id,
                    "period": k + 1,
                    "due_on": pd.Timestamp(on),
                    "bonds": mine["bonds"].to_numpy(dtype=np.int64)[keep],
                    "interest_cents": interest[keep],
                    "principal_cents": principal[keep],
                    "total_cents": interest[keep] + principal[keep],
                    "payment_method": who["payment_method"].to_numpy(dtype=object),
                    "final": k == len(cal.due_on) - 1,
                    "run_id": runs.get(cal.series_id),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)[list(RUN_COLUMNS)]
    frame["due_on"] = frame["due_on"].astype("datetime64[s]")
    for col in ("holder_id", "holding_id", "period", "bonds"):
        frame[col] = frame[col].astype("int64")
    frame["run_id"] = frame["run_id"].astype("Int64")
    frame["final"] = frame["final"].astype(bool)
    return frame


class PaymentsMixin:
    """Calendars, payment runs and the difference from the plan, for
    :class:`~bondkit.register.Register` (see :mod:`bondkit.register.calendar`)."""

    _read: Any
    _write: Any

    def calendars(self) -> pd.DataFrame:
        """Every payment of every holding that holds bonds: one row per holding and
        payment date (:data:`CALENDAR_COLUMNS`), money in cents, rounded per holding.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=3,
        ...                                  subscribed_on="2010-06-15", reason="form")
        ...         cal = reg.calendars()
        >>> int(cal["interest_cents"].sum()), int(cal["principal_cents"].sum())
        (60000, 300000)
        """
        return self._read(lambda conn: _calendar_frame(_calendars(_snapshot(conn))))

    def plan_difference(self, on: dt.date | str | None = None) -> pd.DataFrame:
        """By series and payment date (of ``on`` only, with the bonds held that day, when
        given): the register's total, the plan's, their difference and its three causes
        in cents (:data:`DIFFERENCE_COLUMNS`; see :mod:`bondkit.register.calendar`).

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=3,
        ...                                  subscribed_on="2010-06-15", reason="form")
        ...         diff = reg.plan_difference("2011-07-01")
        >>> diff[["register_cents", "plan_cents", "unsold_cents", "rounding_cents"]]
           register_cents  plan_cents  unsold_cents  rounding_cents
        0           12000     8000000      -7988000               0
        """
        when = None if on is None else _as_date(on, "date")

        def read(conn: Any) -> pd.DataFrame:
            import pandas as pd

            snap = _snapshot(conn, when)
            if when is not None:
                due = _due(snap, when)
                snap.series = [s for s in snap.series if s["series_id"] in due]
            diff = _difference(snap)
            if when is not None:
                diff = diff[diff["due_on"] == pd.Timestamp(when)].reset_index(drop=True)
            return diff

        return self._read(read)

    def payment_run(self, date: dt.date | str) -> pd.DataFrame:
        """What the payment date ``date`` pays, by holding (:data:`RUN_COLUMNS`): the
        holders with their name and payment method, the bonds they held that day, interest,
        principal and total in cents, whether it is the final payment, and the run's
        number once recorded. A date that is not a payment date of any series raises
        :class:`RegisterError` naming the next ones.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         try:
        ...             reg.payment_run("2011-07-02")
        ...         except RegisterError as err:
        ...             print(err)
        2011-07-02 is not a payment date of any series; the next ones: 2012-07-01, 2013-07-01, 2014-07-01
        """
        on = _as_date(date, "date")
        return self._read(lambda conn: _run(conn, on))

    def pay(
        self,
        date: dt.date | str,
        *,
        paid_on: dt.date | str | None = None,
        reason: str,
        by: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[int]:
        """Record the payment run of ``date`` (paid on ``paid_on``, default that day), in
        one transaction; the numbers of its runs, one per series paid. Refused, nothing
        recorded, when a series due that day was already paid on it, when nothing is due,
        or when a balance would go below zero.

        >>> import tempfile, pathlib
        >>> from bondkit.register import Register
        >>> from bondkit.scenario import load_example
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Register.create(pathlib.Path(tmp) / "a.db",
        ...                          load_example("building-purchase-2010")) as reg:
        ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=1,
        ...                                  subscribed_on="2010-06-15", reason="form")
        ...         print(reg.pay("2011-07-01", reason="run"))
        ...         try:
        ...             reg.pay("2011-07-01", reason="run")
        ...         except RegisterError as err:
        ...             print(err)
        [1]
        nothing was recorded:
        series[A]: the payment of 2011-07-01 is already recorded (run 1): a date is never paid twice
        """
        who, at, why = stamp(by, now, reason)
        on = _as_date(date, "date")
        paid = on if paid_on is None else _as_date(paid_on, "paid_on")
        return self._write(lambda conn: _record(conn, on, paid, at, who, why))


def _record(conn: Any, on: dt.date, paid: dt.date, at: str, who: str, why: str) -> list[int]:
    """Write the run of ``on`` (inside the caller's write transaction)."""
    import numpy as np

    run = _run(conn, on)
    done = run.dropna(subset=["run_id"]).drop_duplicates("series_id")
    if len(done):
        raise RegisterError(
            Message("reg.err.refused"),
            [
                Problem(
                    f"series[{r.series_id}]",
                    Message("reg.pay.paid_twice", date=on.isoformat(), run=int(r.run_id)),
                )
                for r in done.itertuples()
            ],
        )
    if run.empty:
        raise RegisterError(Message("reg.pay.nothing", date=on.isoformat()))
    holding = run["holding_id"].to_numpy(dtype=np.int64)
    interest = run["interest_cents"].to_numpy(dtype=np.int64)
    principal = run["principal_cents"].to_numpy(dtype=np.int64)
    bonds = np.where(run["final"].to_numpy(), run["bonds"].to_numpy(dtype=np.int64), 0)
    _check_balances(conn, holding, principal, bonds, list(dict.fromkeys(run["series_id"])))
    run_of = {
        sid: pay_store.insert_run(
            conn,
            {
                "series_id": sid,
                "due_on": on.isoformat(),
                "paid_on": paid.isoformat(),
                "recorded_at": at,
                "recorded_by": who,
            },
        )
        for sid in dict.fromkeys(run["series_id"])
    }
    runs = run["series_id"].map(run_of).to_numpy(dtype=np.int64)
    has_i, has_p = np.flatnonzero(interest > 0), np.flatnonzero(principal > 0)
    first = pay_store.next_event_id(conn)
    events: list[tuple] = []
    postings: list[tuple] = []
    blocks = (
        ("interest_accrued", on, has_i, lambda i: (0, 0, interest[i], 0)),
        ("interest_paid", paid, has_i, lambda i: (0, 0, -interest[i], -interest[i])),
        ("principal_repaid", paid, has_p, lambda i: (-bonds[i], -principal[i], 0, -principal[i])),
    )
    for kind, day, rows, amounts in blocks:
        ids = np.arange(first, first + len(rows), dtype=np.int64)
        first += len(rows)
        events += zip(
            ids.tolist(),
            [kind] * len(rows),
            [day.isoformat()] * len(rows),
            [at] * len(rows),
            [who] * len(rows),
            [why] * len(rows),
            runs[rows].tolist(),
            strict=True,
        )
        b, p, i, c = amounts(rows)
        postings += zip(
            ids.tolist(),
            holding[rows].tolist(),
            *(np.broadcast_to(x, rows.shape).tolist() for x in (b, p, i, c)),
            strict=True,
        )
    pay_store.insert_run_events(conn, events, postings)
    return list(run_of.values())


def _check_balances(
    conn: Any, holding: np.ndarray, principal: np.ndarray, bonds: np.ndarray, series: list[str]
) -> None:
    """Refuse a run that would leave a holding (of ``series``) with less than no principal
    or bonds."""
    import numpy as np

    if not (principal.any() or bonds.any()):
        return
    have = np.array(pay_store.balances(conn, series), dtype=np.int64).reshape(-1, 4)
    at = np.searchsorted(have[:, 0], holding)
    problems = []
    for name, col, minus in (("bonds", 1, bonds), ("principal_cents", 2, principal)):
        after = have[at, col] - minus
        for pos in np.flatnonzero(after < 0)[:50].tolist():
            problems.append(
                Problem(
                    f"holdings[{int(holding[pos])}]",
                    Message("reg.check.negative", amount=name, value=int(after[pos])),
                )
            )
    if problems:
        raise RegisterError(Message("reg.err.refused"), problems)
