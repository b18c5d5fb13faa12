"""Every February: what each holder was paid, credited or must report for a tax year, from
the register (issue #14). The rules are data (:mod:`bondkit.data.tax_rules`: Canada's T5
and RL-3, the United Kingdom's return of gross interest, the United States' 1099-INT),
each with the year it was read; **an accountant confirms them** before anything is filed.
The slips and statements themselves are written from :class:`TaxYear` by the report layer.

**Lines.** :func:`tax_lines` gives one row per holding and reason (:data:`LINE_COLUMNS`),
computed from the ledger and the calendar, never stored:

- ``interest_paid``: interest paid in cash: the ``interest_paid`` events, and the interest
  an ``early_redemption`` pays, on the day paid;
- ``interest_credited``: interest rolled into a renewal (the ``renewal`` event's interest);
- ``accrued_12_4`` (Canada, Income Tax Act s. 12(4), rules of 2025): a holding of an
  accumulating series (an "investment contract") reports the interest accrued to each
  anniversary day (:func:`~bondkit.data.tax_rules.anniversary_day`) and to a day it gives
  bonds away (a transfer, an estate transfer at death), less what was already reported
  for the same bonds. The accrual is the calendar's own (:func:`accrued_growth`, rounded
  half up per holding), so it adds up at maturity to what the payment run pays; what is
  paid at maturity or at an early redemption, or credited at a renewal, is reported net
  of what was already reported (a line of its own kind), never twice;
- ``penalty``: an early redemption that pays less interest than was already reported for
  its bonds never gives a negative amount: the line is 0 and a ``penalty`` line records
  the difference, which the holder deducts under s. 20(21) (the slip does not show it).

Decided: anniversaries are those of the series' issue date (every holding of a series
shares them); a holding received by a transfer starts from what was reported to the
holding it came from (the buyer is reported only what accrues after the purchase); no
12(4) accrual for corporations (they accrue interest themselves, s. 12(3)): they are
reported what is paid or credited, net of what was reported before they received the
bonds, and flagged; rules without an annual accrual (UK, US) report accumulating
interest when it is paid or credited. A correction cancels the event it reverses: both
are left out, as if neither had happened.

**The year** (:func:`compute_tax_year`, :meth:`~bondkit.register.filings.TaxesMixin.tax_year`): the lines dated in
the rule set's period, one row per holder (:data:`HOLDER_COLUMNS` and a pair of columns
per slip type: ``{key}_cents``, ``issued_{key}``; a slip is issued from its threshold,
each slip type on its own), one statement row per holding held at any time in the period
(:data:`STATEMENT_COLUMNS`), the filing deadline, electronic filing per slip type (above 5
slips of a type in Canada), and warnings (holders by number, never by name): slips without
a SIN, corporations, non-residents, penalties, holdings flagged for a form not computed
(US 1099-OID), values to confirm. An estate is reported its own amounts from its estate
transfer on, the deceased's up to that day (the accrual to the day of death is reported to
the deceased); joint holders get one slip for the holding, flagged ``joint``.

Not covered: provinces other than Québec, withholding for non-residents (flagged only),
trusts, the slips' XML, amended slips (compute the past year again and compare).

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> tmp = tempfile.TemporaryDirectory()
>>> reg = Register.create(pathlib.Path(tmp.name) / "a.db", load_example("cinema-du-parc-2016"))
>>> h = reg.add_subscription(name="Lucie Tremblay", series="A", bonds=20,
...                          subscribed_on="2016-12-01", reason="form")
>>> ty = reg.tax_year(2018)     # 10,000 $ at 2 % compound since 2017-02-01, to 2018-01-31
>>> ty.lines[["on", "kind", "amount_cents"]]
          on          kind  amount_cents
0 2018-01-31  accrued_12_4         20000
>>> ty.by_holder[["holder_id", "t5_cents", "issued_t5", "missing_sin"]]
   holder_id  t5_cents  issued_t5  missing_sin
0          1     20000       True         True
>>> ty.deadline, ty.electronic
(datetime.date(2019, 2, 28), {'t5': False, 'rl3': False})
>>> [str(w) for w in ty.warnings][:1]
['no SIN for holders 1: their slips show zeros in its place; ask them for it']
>>> reg.close(); tmp.cleanup()
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bondkit.data.tax_rules import TaxRules, anniversary_day
from bondkit.errors import Message
from bondkit.register.ledger import AMOUNTS
from bondkit.register.store import read_series
from bondkit.register.store import taxes as tax_store
from bondkit.register.terms import series_terms

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from bondkit.core.terms import SeriesTerms

__all__ = [
    "TaxYear",
    "TaxData",
    "read_tax_data",
    "tax_lines",
    "compute_tax_year",
    "accrued_growth",
    "LINE_COLUMNS",
    "HOLDER_COLUMNS",
    "FLAG_COLUMNS",
    "STATEMENT_COLUMNS",
    "LINE_KINDS",
]

#: the columns of :attr:`TaxYear.lines` (and of :func:`tax_lines`)
LINE_COLUMNS = (
    "holder_id",
    "holding_id",
    "series_id",
    "mode",
    "kind",
    "on",
    "amount_cents",
    "note",
)
#: the kinds of line, in the order they are listed on a day
LINE_KINDS: tuple[str, ...] = ("accrued_12_4", "interest_paid", "interest_credited", "penalty")
#: the amounts of :attr:`TaxYear.by_holder`; then ``{key}_cents`` and ``issued_{key}`` per
#: slip type of the rules, then :data:`FLAG_COLUMNS`
HOLDER_COLUMNS: tuple[str, ...] = (
    "holder_id",
    "interest_paid_cents",
    "interest_credited_cents",
    "accrued_cents",
    "penalty_cents",
    "reportable_cents",
)
#: the flags of :attr:`TaxYear.by_holder` (``accumulating``: holds an accumulating series)
FLAG_COLUMNS = ("missing_sin", "corporation", "non_resident", "estate", "joint", "accumulating")
#: the columns of :attr:`TaxYear.statements`
STATEMENT_COLUMNS: tuple[str, ...] = (
    "holder_id",
    "holding_id",
    "series_id",
    "mode",
    "interest_paid_cents",
    "interest_accrued_reported_cents",
    "principal_outstanding_cents",
    "next_payment_on",
    "next_payment_cents",
    "interest_credited_cents",
)

_POSTING_COLUMNS = ["event_id", "kind", "on", "holding_id", *AMOUNTS]


@dataclass(frozen=True)
class TaxData:
    """What the tax engine reads of a register, in one transaction (:func:`read_tax_data`):
    the series' rows, the holdings (``holding_id, holder_id, series_id, interest_start,
    origin_holding_id``), the holders' flags (``holder_id, kind, joint, country,
    estate_of, has_sin``: no personal data), the postings that matter, up to ``until``
    and without the events a correction cancels (``event_id, kind, on, holding_id, bonds,
    principal_cents, interest_cents, cash_cents``, by date and event; from ``since`` on
    for the series that pay interest), and each holding's ``balances`` (``bonds_before``
    ``since``, ``bonds`` and ``principal_cents`` on ``until``)."""

    series: list[dict[str, Any]]
    holdings: pd.DataFrame
    holders: pd.DataFrame
    postings: pd.DataFrame
    until: dt.date
    balances: pd.DataFrame
    since: dt.date | None = None


@dataclass(frozen=True)
class TaxYear:
    """A tax year under one country's rules (see the module's text): ``lines``,
    ``by_holder``, ``statements`` (DataFrames), the filing ``deadline``, ``electronic``
    filing per slip type, ``warnings`` (holders by number), ``period``, ``country``, ``rules``.

    >>> TaxYear.__dataclass_fields__.keys() >= {"lines", "by_holder", "statements"}
    True
    """

    year: int
    country: str
    rules: TaxRules
    period: tuple[dt.date, dt.date]
    deadline: dt.date
    electronic: dict[str, bool]
    lines: pd.DataFrame
    by_holder: pd.DataFrame
    statements: pd.DataFrame
    warnings: list[Message] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def read_tax_data(conn: Any, until: dt.date, since: dt.date | None = None) -> TaxData:
    """Read what :func:`tax_lines` needs from an open register connection (inside the
    caller's transaction), up to ``until``; the postings of the series that pay interest
    from ``since`` on only (None: all), those of accumulating series from the start.

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("grand-costumier-2016")) as reg:
    ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=2,
    ...                                  subscribed_on="2016-07-15", reason="form")
    ...         data = reg._read(read_tax_data, dt.date(2016, 12, 31))
    >>> data.postings[["kind", "holding_id", "principal_cents"]]
               kind  holding_id  principal_cents
    0  subscription           1           200000
    """
    import pandas as pd

    series = read_series(conn)
    whole = tuple(r["series_id"] for r in series if r["repayment"] == "accumulating")
    first = None if since is None else since.isoformat()
    post = pd.DataFrame.from_records(
        tax_store.tax_postings(conn, until.isoformat(), first, whole), columns=_POSTING_COLUMNS
    )
    post["on"] = pd.to_datetime(post["on"], format="%Y-%m-%d").astype("datetime64[s]")
    for col in _POSTING_COLUMNS:
        if col not in ("kind", "on"):
            post[col] = post[col].astype("int64")
    hold = pd.DataFrame.from_records(
        tax_store.tax_holdings(conn),
        columns=["holding_id", "holder_id", "series_id", "interest_start", "origin_holding_id"],
    )
    hold["interest_start"] = pd.to_datetime(hold["interest_start"], format="%Y-%m-%d").dt.date
    holders = pd.DataFrame.from_records(
        tax_store.tax_holders(conn),
        columns=["holder_id", "kind", "joint", "country", "estate_of", "has_sin"],
    )
    for col in ("joint", "has_sin"):
        holders[col] = holders[col].astype(bool)
    balances = pd.DataFrame.from_records(
        tax_store.tax_balances(conn, first or "0001-01-01", until.isoformat()),
        columns=["holding_id", "bonds_before", "bonds", "principal_cents"],
        index="holding_id",
    ).astype("int64")
    return TaxData(series, hold, holders, post, until, balances, since)


# ---------------------------------------------------------------- the accrual


class _Growth:
    """The growth of one cent of an accumulating series from an interest start to a day,
    exactly as the calendar computes it to maturity (:mod:`bondkit.register.calendar`),
    cut at the day; cached by (start, day)."""

    def __init__(self, terms: SeriesTerms) -> None:
        from bondkit.core.schedule import accrual_pieces, periods

        p = periods(terms)
        pieces = accrual_pieces(terms, p)
        ends = [s for s, _r, _y in pieces[1:]] + [p.end[-1]]
        self.pieces = [(s, e, r, y) for (s, r, y), e in zip(pieces, ends, strict=True)]
        self.compound = terms.interest == "compound"
        self.day_count = terms.day_count
        self.last = p.end[-1]
        self.cache: dict[tuple[dt.date, dt.date], Fraction] = {}

    def __call__(self, start: dt.date, at: dt.date) -> Fraction:
        key = (start, at)
        if key not in self.cache:
            self.cache[key] = self._compute(start, min(at, self.last))
        return self.cache[key]

    def _compute(self, start: dt.date, at: dt.date) -> Fraction:
        from bondkit.core.conventions import year_fraction

        kept = [piece for piece in self.pieces if piece[1] > start and piece[0] < at]
        parts = []
        for i, (s, e, r, y) in enumerate(kept):
            a, b = (start if i == 0 else s), min(e, at)
            if a >= b:
                continue
            yf = y if (i > 0 and b == e) else Fraction(year_fraction(a, b, self.day_count))
            parts.append((r, max(Fraction(0), yf)))
        if self.compound:
            product = Fraction(1)
            for r, yf in parts:
                product *= 1 + r * yf
            return product - 1
        return sum((r * yf for r, yf in parts), Fraction(0))


def accrued_growth(terms: SeriesTerms, start: dt.date, at: dt.date) -> Fraction:
    """Interest accrued per unit of principal of an accumulating series by ``at``, for a
    holding whose interest starts on ``start`` (the calendar's growth, cut at ``at``; at
    maturity and after, all of it).

    500 $ at 2 % compound, annual, 30/360, issued 2021-10-29: to the first anniversary day,
    2022-10-28, 359/360 of a year (2 % x 359/360); to maturity, 1.02^5 - 1:

    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 10_000, 500, 0.02, dt.date(2021, 10, 29), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> accrued_growth(s, s.issue_date, dt.date(2022, 10, 28))
    Fraction(359, 18000)
    >>> accrued_growth(s, s.issue_date, s.maturity) == Fraction(102, 100) ** 5 - 1
    True
    """
    return _Growth(terms)(start, at)


def _times(cents: int, g: Fraction) -> int:
    """``cents x g`` rounded half up (both >= 0), as the calendar's mul_round."""
    return (2 * g.numerator * cents + g.denominator) // (2 * g.denominator)


# ---------------------------------------------------------------- the lines


#: the note of a day's payment, from the events that made it (the last in this order wins)
_NOTES = {
    "interest_paid": "paid",
    "principal_repaid": "maturity",
    "early_redemption": "redemption",
    "renewal": "renewal",
}
_NOTE_RANK = ("paid", "maturity", "redemption", "renewal")


def _paid_lines(post: pd.DataFrame) -> list[tuple]:
    """Lines of the series that pay interest at least yearly: what was paid or credited,
    one line per holding, day and kind (a renewal's last coupon and the run of maturity on
    the same day make one)."""
    import pandas as pd

    parts = []
    for event_kind, kind in (
        ("interest_paid", "interest_paid"),
        ("early_redemption", "interest_paid"),
        ("renewal", "interest_credited"),
    ):
        sel = post[(post["kind"] == event_kind) & (post["interest_cents"] < 0)]
        parts.append(
            pd.DataFrame(
                {
                    "holding_id": sel["holding_id"],
                    "on": sel["on"],
                    "kind": kind,
                    "amount": -sel["interest_cents"],
                    "rank": _NOTE_RANK.index(_NOTES[event_kind]),
                }
            )
        )
    lines = pd.concat(parts).groupby(["holding_id", "on", "kind"], as_index=False, sort=False)
    lines = lines.agg(amount=("amount", "sum"), rank=("rank", "max"))
    return list(
        zip(
            lines["holding_id"].tolist(),
            lines["on"].tolist(),
            lines["kind"].tolist(),
            lines["amount"].tolist(),
            [_NOTE_RANK[r] for r in lines["rank"].tolist()],
            strict=True,
        )
    )


class _Accumulating:
    """The lines of one accumulating series, event by event and anniversary by anniversary
    (see the module's text). State per holding: principal held ``P``, the amount reported
    and not yet paid ``R``, and the last day it was reported to (``LP``, -1: none)."""

    def __init__(self, terms: SeriesTerms, ids: list[int], starts: list[dt.date], accrues: Any):
        import numpy as np

        self.terms, self.growth = terms, _Growth(terms)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.pos = {h: i for i, h in enumerate(ids)}
        self.starts = starts
        uniq = sorted(set(starts))
        self.start_days = uniq
        self.start_code = np.array([uniq.index(s) for s in starts], dtype=np.int64)
        self.accrues = np.asarray(accrues, dtype=bool)
        n = len(ids)
        self.P = np.zeros(n, dtype=np.int64)
        self.R = np.zeros(n, dtype=np.int64)
        self.LP: list[dt.date | None] = [None] * n
        self.out: list[tuple] = []

    def A(self, i: int, principal: int, at: dt.date | None) -> int:
        return (
            0
            if at is None or principal <= 0
            else _times(principal, self.growth(self.starts[i], at))
        )

    def emit(self, i: int, on: dt.date, kind: str, amount: int, note: str) -> None:
        """A line, never negative: below zero it is 0 and the rest a penalty line."""
        hid = int(self.ids[i])
        self.out.append((hid, on, kind, max(0, amount), note))
        if amount < 0:
            self.out.append((hid, on, "penalty", -amount, "s20_21"))

    def run(self, post: pd.DataFrame, until: dt.date) -> list[tuple]:
        t = self.terms
        anniversaries, n = [], 1
        while (d := anniversary_day(t.issue_date, n)) < t.maturity and d <= until:
            anniversaries.append(d)
            n += 1
        days: dict[dt.date, list[tuple]] = {}
        cols = [post["on"].dt.date if c == "on" else post[c] for c in _POSTING_COLUMNS]
        for row in zip(*(c.tolist() for c in cols), strict=True):
            days.setdefault(row[2], []).append(row)
        for d in sorted(set(days) | set(anniversaries)):
            if d in days:
                self.day(d, days[d])
            if d in anniversaries:
                self.anniversary(d)
        return self.out

    def day(self, d: dt.date, rows: list[tuple]) -> None:
        """The events of one day: moves at once, in their order; what is paid, repaid or
        rolled over, per holding, at the end of the day."""
        realised: dict[int, list] = {}  # holding -> [principal out, paid, credited, note]
        events: dict[int, list[tuple]] = {}
        for row in rows:
            events.setdefault(row[0], []).append(row)
        for postings in events.values():
            kind = postings[0][1]
            if kind in ("transfer", "estate_transfer"):
                self.move(d, postings, "estate" if kind == "estate_transfer" else "transfer")
                continue
            for _e, _k, _on, hid, _b, principal, interest, _c in postings:
                i = self.pos[hid]
                if kind == "subscription" or (kind == "renewal" and principal > 0):
                    self.P[i] += principal
                    continue
                got = realised.setdefault(i, [0, 0, 0, "paid"])
                got[0] -= principal
                got[2 if kind == "renewal" else 1] -= interest
                got[3] = max(got[3], _NOTES[kind], key=_NOTE_RANK.index)
        for i, (out, paid, credited, note) in realised.items():
            base = self.release(i, out)
            from_credit = min(base, credited)
            rest = base - from_credit
            if credited:
                self.emit(i, d, "interest_credited", credited - from_credit, note)
            if paid or rest or not credited:
                self.emit(i, d, "interest_paid", paid - rest, note)

    def release(self, i: int, out: int) -> int:
        """``out`` cents of principal leave holding ``i``: what was reported for them."""
        before = int(self.P[i])
        after = before - out
        keep = self.A(i, after, self.LP[i]) if after > 0 else 0
        base = int(self.R[i]) - keep
        self.P[i], self.R[i] = after, keep
        return base

    def move(self, d: dt.date, postings: list[tuple], note: str) -> None:
        """A transfer: the seller is reported the accrual to the day for the bonds it gives
        (when the accrual applies to it); the buyer starts from what was reported."""
        gives = [p for p in postings if p[5] < 0]
        gets = [p for p in postings if p[5] > 0]
        reported, last = 0, None
        for p in gives:
            i, out = self.pos[p[3]], -p[5]
            base, last = self.release(i, out), self.LP[i]
            if self.accrues[i]:
                now = self.A(i, out, d)
                self.emit(i, d, "accrued_12_4", now - base, note)
                base, last = now, d
            reported += base
        for p in gets:  # one buyer in practice; shared in proportion otherwise
            j = self.pos[p[3]]
            share = reported if len(gets) == 1 else reported * p[5] // sum(g[5] for g in gets)
            self.P[j] += p[5]
            self.R[j] += share
            self.LP[j] = last

    def anniversary(self, d: dt.date) -> None:
        """Every holding that accrues and holds principal is reported its accrual to ``d``
        less what was reported before (numpy, by interest start)."""
        import numpy as np

        from bondkit.register.calendar import mul_round

        idx = np.flatnonzero((self.P > 0) & self.accrues)
        if not len(idx):
            return
        now = np.zeros(len(idx), dtype=np.int64)
        codes = self.start_code[idx]
        for c in np.unique(codes).tolist():
            sel = codes == c
            now[sel] = mul_round(self.P[idx[sel]], self.growth(self.start_days[c], d))
        amount = now - self.R[idx]
        self.R[idx] = now
        for i in idx.tolist():
            self.LP[i] = d
        if (amount < 0).any():  # rounding only: kept exact by a penalty line
            for k in np.flatnonzero(amount < 0).tolist():
                self.emit(int(idx[k]), d, "accrued_12_4", int(amount[k]), "anniversary")
            keep = amount >= 0
            idx, amount = idx[keep], amount[keep]
        self.out += zip(
            self.ids[idx].tolist(),
            [d] * len(idx),
            ["accrued_12_4"] * len(idx),
            amount.tolist(),
            ["anniversary"] * len(idx),
            strict=True,
        )


def tax_lines(
    data: TaxData,
    rules: TaxRules,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Every line of every holding (:data:`LINE_COLUMNS`) computed from the register's
    history up to ``data.until``, those dated from ``start`` to ``end`` (default: all),
    by holder, holding, day and kind. Over the life of a holding and the holdings its
    bonds went to by transfers, the lines less the penalties add up to the interest paid
    and credited, to the cent.

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.data.tax_rules import CANADA
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:   # 2 % simple, at maturity 2021-09-01
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("grand-costumier-2016")) as reg:
    ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=2,
    ...                                  subscribed_on="2016-07-15", reason="form")
    ...         _ = reg.pay("2021-09-01", reason="maturity")
    ...         lines = tax_lines(reg._read(read_tax_data, dt.date(2021, 12, 31)), CANADA)
    >>> lines[["on", "kind", "amount_cents", "note"]].tail(2)
              on           kind  amount_cents         note
    4 2021-08-31   accrued_12_4          4000  anniversary
    5 2021-09-01  interest_paid             0     maturity
    >>> int(lines["amount_cents"].sum())   # 2,000 $ x 2 % x 5, one full year to each Aug. 31
    20000
    """
    import numpy as np
    import pandas as pd

    terms = {row["series_id"]: series_terms(row) for row in data.series}
    hold = data.holdings
    series_of = dict(zip(hold["holding_id"].tolist(), hold["series_id"].tolist(), strict=True))
    post = data.postings
    post_series = post["holding_id"].map(series_of)
    accumulating = [sid for sid, t in terms.items() if t.repayment == "accumulating"]
    out = _paid_lines(post[~post_series.isin(accumulating)])
    kind_of = dict(zip(data.holders["holder_id"], data.holders["kind"], strict=True))
    for sid in accumulating:
        mine = hold[hold["series_id"] == sid]
        if mine.empty:
            continue
        corporate = mine["holder_id"].map(kind_of).eq("corporation").to_numpy()
        accrues = np.full(len(mine), rules.accrual is not None) & (
            ~corporate | rules.accrual_corporations
        )
        engine = _Accumulating(
            terms[sid], mine["holding_id"].tolist(), mine["interest_start"].tolist(), accrues
        )
        out += engine.run(post[post_series == sid], data.until)
    frame = pd.DataFrame.from_records(
        out, columns=["holding_id", "on", "kind", "amount_cents", "note"]
    )
    frame["on"] = pd.to_datetime(frame["on"]).astype("datetime64[s]")
    if start is not None:
        frame = frame[frame["on"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["on"] <= pd.Timestamp(end)]
    holder_of = dict(zip(hold["holding_id"].tolist(), hold["holder_id"].tolist(), strict=True))
    frame = frame.assign(
        holder_id=frame["holding_id"].map(holder_of).astype("int64"),
        series_id=frame["holding_id"].map(series_of).astype(object),
        mode=frame["holding_id"]
        .map(series_of)
        .map(lambda s: "accumulating" if s in accumulating else "paid")
        .astype(object),
        amount_cents=frame["amount_cents"].astype("int64"),
        holding_id=frame["holding_id"].astype("int64"),
        order=frame["kind"].map({k: i for i, k in enumerate(LINE_KINDS)}),
    )
    frame = frame.sort_values(["holder_id", "holding_id", "on", "order"], kind="stable")
    return frame[list(LINE_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------- the year


def _ids(values: Any) -> str:
    return ", ".join(str(int(v)) for v in sorted(values))


def _statements(data: TaxData, lines: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per holding held at any time in the period (:data:`STATEMENT_COLUMNS`)."""
    import numpy as np
    import pandas as pd

    from bondkit.register.calendar import series_calendar

    post, bal = data.postings, data.balances
    hold = data.holdings.set_index("holding_id")
    inside = post[post["on"] >= pd.Timestamp(start)]
    held = bal.index[bal["bonds_before"] > 0]
    ids = sorted(set(held) | set(inside["holding_id"]) | set(lines["holding_id"]))
    frame = pd.DataFrame({"holding_id": np.array(ids, dtype=np.int64)})
    frame["holder_id"] = hold["holder_id"].reindex(ids).to_numpy(dtype=np.int64)
    frame["series_id"] = hold["series_id"].reindex(ids).to_numpy(dtype=object)
    terms = {row["series_id"]: series_terms(row) for row in data.series}
    face = {row["series_id"]: row["face_value_cents"] for row in data.series}
    frame["mode"] = [
        "accumulating" if terms[s].repayment == "accumulating" else "paid"
        for s in frame["series_id"]
    ]

    def per_holding(sel: pd.DataFrame, col: str) -> np.ndarray:
        sums = sel.groupby("holding_id")[col].sum()
        return sums.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)

    paid = inside[inside["kind"].isin(("interest_paid", "early_redemption"))]
    credited = inside[inside["kind"] == "renewal"]
    accrued = lines[lines["kind"] == "accrued_12_4"]
    frame["interest_paid_cents"] = -per_holding(paid, "interest_cents")
    frame["interest_accrued_reported_cents"] = per_holding(accrued, "amount_cents")
    frame["principal_outstanding_cents"] = (
        bal["principal_cents"].reindex(ids, fill_value=0).to_numpy()
    )
    frame["interest_credited_cents"] = -per_holding(credited, "interest_cents")
    bonds = bal["bonds"].reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    next_on = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[D]")
    next_cents = np.zeros(len(ids), dtype=np.int64)
    for sid, rows in frame.groupby("series_id").groups.items():
        rows = np.asarray(rows)
        rows = rows[bonds[rows] > 0]
        if not len(rows):
            continue
        starts = hold["interest_start"].reindex(frame["holding_id"].to_numpy()[rows])
        cal = series_calendar(terms[sid], bonds[rows] * face[sid], list(starts))
        due = np.array(cal.due_on, dtype="datetime64[D]")
        later = due > np.datetime64(end, "D")
        total = np.where(later[None, :], cal.total, 0)
        has = (total > 0).any(axis=1)
        col = np.argmax(total > 0, axis=1)
        next_on[rows[has]] = due[col[has]]
        next_cents[rows[has]] = total[np.flatnonzero(has), col[has]]
    frame["next_payment_on"] = next_on.astype("datetime64[s]")
    frame["next_payment_cents"] = next_cents
    return frame[list(STATEMENT_COLUMNS)]


def _by_holder(
    data: TaxData, lines: pd.DataFrame, statements: pd.DataFrame, rules: TaxRules
) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    ids = sorted(set(statements["holder_id"]) | set(lines["holder_id"]))
    frame = pd.DataFrame({"holder_id": np.array(ids, dtype=np.int64)})

    def total(sel: pd.DataFrame) -> np.ndarray:
        sums = sel.groupby("holder_id")["amount_cents"].sum()
        return sums.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)

    kinds = {
        "interest_paid_cents": "interest_paid",
        "interest_credited_cents": "interest_credited",
        "accrued_cents": "accrued_12_4",
        "penalty_cents": "penalty",
    }
    for col, kind in kinds.items():
        frame[col] = total(lines[lines["kind"] == kind])
    frame["reportable_cents"] = (
        frame["interest_paid_cents"] + frame["interest_credited_cents"] + frame["accrued_cents"]
    )
    reported = lines[lines["kind"] != "penalty"]
    for slip in rules.slips:
        amount = total(reported[reported["mode"].isin(slip.modes)])
        frame[f"{slip.key}_cents"] = amount
        frame[f"issued_{slip.key}"] = amount >= slip.threshold_cents
    who = data.holders.set_index("holder_id").reindex(ids)
    country = who["country"].astype(object)
    frame["missing_sin"] = ~who["has_sin"].fillna(False).astype(bool).to_numpy()
    frame["corporation"] = (who["kind"] == "corporation").to_numpy()
    frame["non_resident"] = (
        country.notna() & (country.fillna("").str.upper() != rules.country)
    ).to_numpy()
    frame["estate"] = (who["kind"] == "estate").to_numpy()
    frame["joint"] = who["joint"].fillna(False).astype(bool).to_numpy()
    acc = statements.loc[statements["mode"] == "accumulating", "holder_id"]
    frame["accumulating"] = frame["holder_id"].isin(set(acc)).to_numpy()
    return frame.reset_index(drop=True)


def _warnings(by: pd.DataFrame, rules: TaxRules) -> list[Message]:
    keys = [s.key for s in rules.slips]
    issued = by[[f"issued_{k}" for k in keys]].any(axis=1)
    out = []
    found = by.loc[issued & by["missing_sin"], "holder_id"]
    if len(found):
        out.append(Message("tax.warn.missing_sin", holders=_ids(found)))
    found = by.loc[by["corporation"] & by["accumulating"], "holder_id"]
    if rules.accrual and not rules.accrual_corporations and len(found):
        out.append(Message("tax.warn.corporation", holders=_ids(found), rule=rules.accrual))
    found = by.loc[by["non_resident"], "holder_id"]
    if len(found):
        out.append(Message("tax.warn.non_resident", holders=_ids(found)))
    found = by.loc[by["penalty_cents"] > 0, "holder_id"]
    if len(found):
        out.append(Message("tax.warn.penalty", holders=_ids(found)))
    found = by.loc[by["accumulating"], "holder_id"]
    if rules.accrual_flag and len(found):
        out.append(Message("tax.warn.flagged", form=rules.accrual_flag, holders=_ids(found)))
    for what in rules.to_confirm:
        out.append(Message("tax.warn.to_confirm", what=what, year=rules.year))
    return out


def compute_tax_year(data: TaxData, rules: TaxRules, year: int) -> TaxYear:
    """Tax year ``year`` under ``rules`` from what :func:`read_tax_data` read (up to the
    period's last day at least): see the module's text.

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.data.tax_rules import UNITED_STATES
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:   # 4 % a year, paid on July 1
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("building-purchase-2010")) as reg:
    ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=1,
    ...                                  subscribed_on="2010-06-15", reason="form")
    ...         _ = reg.pay("2011-07-01", reason="run")
    ...         ty = compute_tax_year(reg._read(read_tax_data, dt.date(2011, 12, 31)),
    ...                               UNITED_STATES, 2011)
    >>> ty.by_holder[["holder_id", "f1099_int_cents", "issued_f1099_int"]]
       holder_id  f1099_int_cents  issued_f1099_int
    0          1             4000              True
    >>> ty.statements[["holding_id", "interest_paid_cents", "next_payment_cents"]]
       holding_id  interest_paid_cents  next_payment_cents
    0           1                 4000                4000
    """
    start, end = rules.period(year)
    if data.until < end or (data.since is not None and data.since > start):
        raise ValueError(f"the data read ({data.since} to {data.until}) misses {start}-{end}")
    lines = tax_lines(data, rules, start, end)
    statements = _statements(data, lines, start, end)
    by = _by_holder(data, lines, statements, rules)
    electronic = {
        s.key: s.electronic_above is not None
        and int(by[f"issued_{s.key}"].sum()) > s.electronic_above
        for s in rules.slips
    }
    return TaxYear(
        year=year,
        country=rules.country,
        rules=rules,
        period=(start, end),
        deadline=rules.due_date(year),
        electronic=electronic,
        lines=lines,
        by_holder=by,
        statements=statements,
        warnings=_warnings(by, rules),
    )
