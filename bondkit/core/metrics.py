"""Figures an issuer and an investor ask about: yields, cost of funds, life, duration.

Dated rates follow Excel's XIRR: annual effective, with t = days since the first flow / 365.
Money is in cents (int), schedules are those of :mod:`bondkit.core.schedule`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pandas as pd

from bondkit.core.conventions import add_years, round_half_up, to_cents, year_fraction
from bondkit.core.rates import xirr
from bondkit.core.schedule import (
    accumulated_interest,
    annual_debt_service,
    periods,
    series_schedule,
)
from bondkit.core.terms import CostTerms, SeriesTerms

__all__ = [
    "bond_cash_flows",
    "investor_yield",
    "issuer_cash_flows",
    "issuer_all_in_cost",
    "total_interest",
    "max_annual_debt_service",
    "weighted_average_life",
    "macaulay_duration",
    "accrued_interest",
    "simple_vs_compound",
]


def _none_if_nan(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _dated_rate(dates: Sequence[dt.date], amounts_cents: Sequence[int]) -> float | None:
    d = np.array(dates, dtype="datetime64[D]")
    t = (d - d.min()).astype(np.int64) / 365.0
    return _none_if_nan(xirr(np.asarray(amounts_cents, dtype=float), times=t))


def bond_cash_flows(terms: SeriesTerms) -> pd.DataFrame:
    """What one bond of ``face_value`` pays its holder, and when [cents].

    The first row is the purchase at face value on the issue date (negative). Columns:
    date (Timestamp), amount [cents].

    One 500 $ bond of a 3-year 4 % bullet series pays 20 $ a year and 500 $ back:

    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> flows = bond_cash_flows(s)
    >>> flows["date"].dt.year.tolist(), flows["amount"].tolist()
    ([2025, 2026, 2027, 2028], [-50000, 2000, 2000, 52000])
    """
    one = series_schedule(terms.with_amount(terms.face_value))
    dates = [terms.issue_date, *(d.date() for d in one["date"])]
    amounts = [-terms.face_value_cents, *one["payment"].tolist()]
    return pd.DataFrame(
        {"date": pd.to_datetime(dates), "amount": np.array(amounts, dtype=np.int64)}
    )


def investor_yield(terms: SeriesTerms) -> float | None:
    """Annual effective yield of one bond bought at face value on its issue date.

    Computed on the cent amounts one bond is paid, t = days / 365 (Excel's XIRR);
    ``None`` when it cannot be solved.

    >>> s = SeriesTerms("A", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> round(investor_yield(s), 6)
    0.019989
    """
    flows = bond_cash_flows(terms)
    return _dated_rate([d.date() for d in flows["date"]], flows["amount"].tolist())


def issuer_cash_flows(
    series: Sequence[SeriesTerms], costs: CostTerms, schedule: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The issuer's dated flows [cents]: proceeds (+), costs and debt service (−).

    Columns: date, kind (proceeds | upfront_costs | annual_admin | debt_service), series
    (empty for costs), amount.
    Upfront costs fall on the earliest issue date; annual admin on each anniversary of it
    (unadjusted, clamped to the month's end) up to the latest contractual maturity.

    A 100,000 $ 3-year 4 % bullet issue, 2,000 $ of upfront costs and 500 $ a year of
    administration:

    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> flows = issuer_cash_flows([s], CostTerms(upfront=2000, annual_admin=500))
    >>> flows["kind"].tolist()[:4]
    ['proceeds', 'upfront_costs', 'annual_admin', 'debt_service']
    >>> flows["amount"].tolist()  # cents
    [10000000, -200000, -50000, -400000, -50000, -400000, -50000, -10400000]
    """
    if schedule is None:
        schedule = pd.concat([series_schedule(t) for t in series], ignore_index=True)
    first = min(t.issue_date for t in series)
    last = max(t.maturity for t in series)
    total = sum(t.amount_cents for t in series)
    rows: list[tuple[dt.date, str, str, int]] = [
        (t.issue_date, "proceeds", t.id, t.amount_cents) for t in series
    ]
    upfront = costs.upfront_cents(total)
    if upfront:
        rows.append((first, "upfront_costs", "", -upfront))
    admin = to_cents(costs.annual_admin)
    k = 1
    while admin and add_years(first, k) <= last:
        rows.append((add_years(first, k), "annual_admin", "", -admin))
        k += 1
    for d, sid, amount in zip(
        schedule["date"], schedule["series"], schedule["payment"], strict=True
    ):
        if amount:
            rows.append((d.date(), "debt_service", sid, -int(amount)))
    df = pd.DataFrame(rows, columns=["date", "kind", "series", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    df["amount"] = df["amount"].astype(np.int64)
    return df.sort_values("date", kind="stable", ignore_index=True)


def issuer_all_in_cost(
    series: Sequence[SeriesTerms], costs: CostTerms, schedule: pd.DataFrame | None = None
) -> float | None:
    """The issuer's all-in cost of funds: annual effective rate (XIRR) of its dated flows.

    Net proceeds (amounts minus upfront costs) against debt service plus annual admin,
    t = days since the earliest issue date / 365. ``None`` when it cannot be solved.
    The result is a fraction per year (0.0524 is 5.24 %).

    The 4 % issue above costs more once 2,000 $ upfront and 500 $ a year are counted: the
    rate r with 98,000 = 4,500 / (1 + r) + 4,500 / (1 + r)^2 + 104,500 / (1 + r)^3:

    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> round(issuer_all_in_cost([s], CostTerms(upfront=2000, annual_admin=500)), 6)
    0.052377
    >>> round(issuer_all_in_cost([s], CostTerms()), 6)  # no costs: the coupon rate
    0.04
    """
    flows = issuer_cash_flows(series, costs, schedule)
    return _dated_rate([d.date() for d in flows["date"]], flows["amount"].tolist())


def total_interest(schedule: pd.DataFrame) -> int:
    """Total interest paid over the schedule [cents].

    Three years of 4 % on 100,000 $, paid yearly:

    >>> from bondkit.core.schedule import series_schedule
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> total_interest(series_schedule(s))
    1200000
    """
    return int(schedule["interest"].sum())


def max_annual_debt_service(schedule: pd.DataFrame, fiscal_year_end: str = "12-31") -> int:
    """The largest total of interest plus principal paid in one fiscal year [cents].

    ``fiscal_year_end`` is ``"MM-DD"``. 100,000 $ at 4 % repaid in three equal yearly
    instalments of principal: the first year pays the most, 33,333.33 $ + 4,000 $:

    >>> from bondkit.core.schedule import series_schedule
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3,
    ...                 repayment="level-principal")
    >>> max_annual_debt_service(series_schedule(s))
    3733333
    """
    return int(annual_debt_service(schedule, fiscal_year_end)["debt_service"].max())


def weighted_average_life(schedule: pd.DataFrame, issue_date: dt.date) -> float:
    """Weighted average life [yr]: principal-weighted time of repayment, t = days / 365.

    ``issue_date`` is a date. A 3-year bullet repays everything after 1,095 days; three
    equal instalments repay on average after two years:

    >>> from bondkit.core.schedule import series_schedule
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> weighted_average_life(series_schedule(s), s.issue_date)
    3.0
    >>> lp = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3,
    ...                  repayment="level-principal")
    >>> round(weighted_average_life(series_schedule(lp), lp.issue_date), 4)
    2.0
    """
    t = (schedule["date"] - pd.Timestamp(issue_date)).dt.days.to_numpy() / 365.0
    w = schedule["principal"].to_numpy(dtype=float)
    return float((t * w).sum() / w.sum())


def macaulay_duration(terms: SeriesTerms, yield_: float | None = None) -> float | None:
    """Macaulay duration of one bond [yr], at its investor yield unless ``yield_`` is given.

    Present-value-weighted time of the holder's receipts, t = days / 365. ``yield_`` is an
    annual effective rate as a fraction (0.05 is 5 %).

    A 3-year 4 % annual bullet bought at par: (1 x 20/1.04 + 2 x 20/1.04^2 + 3 x 520/1.04^3)
    / 500 = 2.8861 years; at a 5 % yield, 2.8844 years:

    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> round(macaulay_duration(s), 4), round(macaulay_duration(s, 0.05), 4)
    (2.8861, 2.8844)
    """
    y = investor_yield(terms) if yield_ is None else yield_
    if y is None:
        return None
    flows = bond_cash_flows(terms).iloc[1:]
    t = (flows["date"] - pd.Timestamp(terms.issue_date)).dt.days.to_numpy() / 365.0
    pv = flows["amount"].to_numpy(dtype=float) * (1.0 + y) ** -t
    return float((t * pv).sum() / pv.sum())


def accrued_interest(terms: SeriesTerms, at: dt.date) -> int:
    """Interest earned but not yet paid on the whole series at date ``at`` [cents].

    Bullet and amortising series: the balance of the current period times its rate and the
    year fraction since the period started (zero on a payment date, after the payment).
    Accumulating series: all interest since issue (compounded over completed periods).
    Outside the life of the series it is zero. ``at`` is a date.

    Half a year into a 100,000 $ 4 % annual bullet: 100,000 x 0.04 x 0.5 = 2,000 $; on a
    payment date, nothing. Two and a half years into a 2 % compound accumulating series:
    100,000 x (1.02^2 x 1.01 - 1) = 5,080.40 $:

    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2025, 1, 15), term_years=3)
    >>> accrued_interest(s, dt.date(2025, 7, 15)), accrued_interest(s, dt.date(2026, 1, 15))
    (200000, 0)
    >>> c = SeriesTerms("C", 100_000, 500, 0.02, dt.date(2025, 1, 15), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> accrued_interest(c, dt.date(2027, 7, 15))
    508040
    """
    p = periods(terms)
    if at <= terms.issue_date or at >= p.end[-1]:
        return 0
    k = next(i for i, end in enumerate(p.end) if at < end)
    if terms.repayment == "accumulating":
        amount = terms.amount_cents
        if terms.interest == "compound":
            growth = Fraction(1)
            for yf, rate in zip(p.year_fraction[:k], p.rate[:k], strict=True):
                growth *= 1 + rate * yf
            growth *= 1 + p.rate[k] * year_fraction(p.accrual_start[k], at, terms.day_count)
            return round_half_up(amount * growth - amount)
        total, start, year = Fraction(0), terms.issue_date, 1
        while start < at:
            end = min(add_years(terms.issue_date, year), at)
            total += amount * terms.rate_at(start) * year_fraction(start, end, terms.day_count)
            start, year = end, year + 1
        return round_half_up(total)
    balance = int(series_schedule(terms)["opening_balance"].iloc[k])
    return round_half_up(
        balance * p.rate[k] * year_fraction(p.accrual_start[k], at, terms.day_count)
    )


def simple_vs_compound(terms: SeriesTerms) -> pd.DataFrame:
    """What one bond held to each anniversary earns with simple or compound interest [cents].

    For every bond year (the last line ends at the series maturity), the interest one bond of
    ``face_value`` at the series rate(s) would pay if everything were paid at that date:
    simple, or compounded at the series frequency. Dates unadjusted. Columns: year, date,
    simple, compound.

    >>> s = SeriesTerms("A", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                 repayment="bullet")
    >>> simple_vs_compound(s)[["simple", "compound"]].iloc[-1].to_numpy().tolist()
    [5000, 5204]
    """
    one = replace(
        terms.with_amount(terms.face_value),
        repayment="accumulating",
        interest="simple",
        interest_only_years=0,
        business_day="unadjusted",
        term_years=None,
        maturity_date=terms.maturity,
    )
    rows = []
    year = 1
    while True:
        horizon = min(add_years(terms.issue_date, year), terms.maturity)
        h = replace(one, maturity_date=horizon)
        compound = replace(h, interest="compound")
        rows.append((year, horizon, accumulated_interest(h), accumulated_interest(compound)))
        if horizon >= terms.maturity:
            break
        year += 1
    df = pd.DataFrame(rows, columns=["year", "date", "simple", "compound"])
    df["date"] = pd.to_datetime(df["date"])
    return df
