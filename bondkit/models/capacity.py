"""Can the enterprise pay? Coverage of debt service, sizing, sinking fund and reserve.

Everything is by fiscal year (named by the calendar year in which it ends) and in cents.

- **Coverage** of a year = cash flow available for debt service ÷ *periodic* debt service:
  the issue's interest, scheduled amortisation and sinking-fund deposits, plus other debt
  service. What falls due at the final maturity of a bullet series (its principal) or of
  an accumulating series (principal and capitalised interest) is not periodic debt service:
  it has its own test, the **maturity test** = (cash at the start of the maturity year +
  sinking fund + that year's cash flow less everything else paid that year + expected
  renewals) ÷ what falls due. The reserve is part of the cash. A year without periodic
  debt service has no coverage (NaN, ``null`` in JSON), never an infinite one, and a year
  whose cash flow is zero or negative has none either: it is listed in
  ``years_without_capacity``, never given a negative coverage.
- **Cash path**: opening cash + cash flow − debt service − other debt service − sinking
  deposits + withdrawals − the issue's costs (upfront, campaign, yearly admin) in the
  fiscal year they fall.
- **Sizing**: the largest principal the cash flow carries at a target coverage, with level
  annual payments (limited by the weakest year) and with payments shaped to the cash flow
  (sculpted: the present value of each year's capacity). A year whose capacity is zero or
  negative carries no debt and is reported as such.
- **Sinking fund**: for each maturity of a bullet or accumulating series, equal deposits at
  the end of each fiscal year before the maturity year, earning a rate, accumulate exactly
  the principal due (the last deposit absorbs the rounding).
- **Reserve**: a cash reserve whose target is the largest annual debt service or some
  months of the next year's debt service; a year is covered when its closing cash is at
  least the minimum cash plus the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from bondkit.core.conventions import exact, fiscal_year, money, round_half_up, to_cents
from bondkit.core.terms import CapacityTerms, SeriesTerms

__all__ = [
    "cash_flow_by_year",
    "level_payment_capacity",
    "sculpted_capacity",
    "sinking_fund_schedule",
    "CapacityResult",
    "assess",
]


def cash_flow_by_year(terms: CapacityTerms, years: Sequence[int]) -> np.ndarray:
    """Cash flow available for debt service in each fiscal year of ``years`` [cents].

    From the table, or ``base x (1 + growth)^k`` rounded half up to the cent, year k counted
    from ``first_fiscal_year``. Raises ValueError when the table does not cover the years.
    ``years`` are fiscal years (ints); the table and base are in currency units a year.

    A co-op expecting 30,000 $ a year, growing 2 % a year:

    >>> from bondkit.core.terms import CapacityTerms
    >>> cash_flow_by_year(CapacityTerms(cash_flow_base=30_000, cash_flow_growth=0.02),
    ...                   [2027, 2028, 2029]).tolist()
    [3000000, 3060000, 3121200]
    >>> cash_flow_by_year(CapacityTerms(cash_flow=(25_000, 28_000), first_fiscal_year=2027),
    ...                   [2027, 2028]).tolist()
    [2500000, 2800000]
    """
    first = years[0] if terms.first_fiscal_year is None else terms.first_fiscal_year
    out = []
    for y in years:
        k = y - first
        if terms.cash_flow:
            if not 0 <= k < len(terms.cash_flow):
                raise ValueError(
                    f"the cash_flow table covers fiscal years {first} to {first + len(terms.cash_flow) - 1}, "
                    f"but the issue runs to {years[-1]}"
                )
            out.append(to_cents(terms.cash_flow[k]))
        else:
            growth = (1 + exact(terms.cash_flow_growth)) ** max(k, 0)
            out.append(round_half_up(exact(terms.cash_flow_base) * 100 * growth))
    return np.array(out, dtype=np.int64)


def other_debt_service_by_year(terms: CapacityTerms, years: Sequence[int]) -> np.ndarray:
    """Other debt service (e.g. a mortgage) in each fiscal year [cents]; one number = every year."""
    first = years[0] if terms.first_fiscal_year is None else terms.first_fiscal_year
    values = terms.other_debt_service
    if not values:
        return np.zeros(len(years), dtype=np.int64)
    if len(values) == 1:
        return np.full(len(years), to_cents(values[0]), dtype=np.int64)
    out = []
    for y in years:
        k = y - first
        if not 0 <= k < len(values):
            raise ValueError(
                f"the other_debt_service table covers fiscal years {first} to {first + len(values) - 1}, "
                f"but the issue runs to {years[-1]}"
            )
        out.append(to_cents(values[k]))
    return np.array(out, dtype=np.int64)


def level_payment_capacity(available: np.ndarray, rate: float, years: int, target: float) -> float:
    """Largest principal repaid by level annual payments at ``target`` coverage [cents].

    The payment is limited by the weakest of the first ``years`` years:
    ``min(available) / target`` x annuity factor. Zero when a year has no capacity.
    ``available`` is in cents a year, ``rate`` a fraction a year (0.04 is 4 %), ``years``
    a number of years and ``target`` a coverage ratio.

    30,000 $ a year at a coverage of 1.25 carries 24,000 $ of payments; over 5 years at
    4 %: 24,000 x (1 - 1.04^-5) / 0.04 = 106,843.74 $. A weak year limits every year:

    >>> level_payment_capacity(np.full(5, 3_000_000), 0.04, 5, 1.25)  # doctest: +ELLIPSIS
    10684373.594...
    >>> round(level_payment_capacity(np.array([3_000_000, 2_000_000, 3_000_000]), 0.04, 3, 1.25))
    4440146
    """
    a = np.asarray(available[:years], dtype=float) / target
    payment = float(a.min()) if len(a) else 0.0
    if payment <= 0:
        return 0.0
    factor = years if rate == 0 else (1 - (1 + rate) ** -years) / rate
    return payment * factor


def sculpted_capacity(available: np.ndarray, rate: float, years: int, target: float) -> float:
    """Largest principal repaid by payments shaped to the cash flow [cents].

    Each year pays ``available / target`` (nothing in a year without capacity); the
    principal is the present value of those payments at ``rate``. ``available`` is in
    cents a year, ``rate`` a fraction a year, ``target`` a coverage ratio.

    25,000, 30,000 and 35,000 $ at a coverage of 1.25 pay 20,000, 24,000 and 28,000 $;
    their present value at 4 % is 66,312.02 $:

    >>> round(sculpted_capacity(np.array([2_500_000, 3_000_000, 3_500_000]), 0.04, 3, 1.25))
    6631202
    """
    a = np.maximum(np.asarray(available[:years], dtype=float) / target, 0.0)
    discount = (1 + rate) ** -np.arange(1, len(a) + 1)
    return float((a * discount).sum())


def sinking_fund_schedule(due: int, deposits: int, rate: Fraction) -> tuple[list[int], list[int]]:
    """Equal year-end deposits that grow to ``due`` cents after ``deposits`` years.

    Returns (deposits, balances) in cents. Each year the balance earns ``rate`` (rounded half
    up to the cent) and then receives the deposit ``due x rate / ((1 + rate)^n - 1)``
    (``due / n`` at 0 %), rounded half up; the last deposit absorbs the rounding so the
    final balance is exactly ``due``. ``rate`` is an exact fraction a year.

    Saving 100,000 $ over 5 years at 1.5 %: 100,000 x 0.015 / (1.015^5 - 1) = 19,408.93 $
    a year; the second year's balance is 19,408.93 + 291.13 of interest + 19,408.93:

    >>> from fractions import Fraction
    >>> deposits, balances = sinking_fund_schedule(10_000_000, 5, Fraction(3, 200))
    >>> deposits
    [1940893, 1940893, 1940893, 1940893, 1940895]
    >>> balances
    [1940893, 3910899, 5910455, 7940005, 10000000]
    """
    if deposits <= 0:
        return [], []
    if rate == 0:
        level = round_half_up(Fraction(due, deposits))
    else:
        level = round_half_up(due * rate / ((1 + rate) ** deposits - 1))
    pays, balances, balance = [], [], 0
    for k in range(deposits):
        balance += round_half_up(balance * rate)
        pay = level if k < deposits - 1 else due - balance
        balance += pay
        pays.append(pay)
        balances.append(balance)
    return pays, balances


@dataclass(frozen=True)
class CapacityResult:
    """Capacity by fiscal year (money in cents; coverage NaN in a year without debt service)."""

    terms: CapacityTerms
    table: pd.DataFrame
    maturities: (
        pd.DataFrame
    )  # fiscal_year, due, cash_start, sinking_fund, cash_flow, renewals, coverage
    max_debt_level_payment: int
    max_debt_sculpted: int
    sizing_rate: float
    sizing_years: int
    years_without_capacity: tuple[int, ...]

    @property
    def min_dscr(self) -> float | None:
        c = self.table["coverage"].dropna()
        return float(c.min()) if len(c) else None

    @property
    def maturity_coverage(self) -> float | None:
        """The lowest maturity test over the maturity years of bullet and accumulating
        series (None without one)."""
        c = self.maturities["coverage"].dropna()
        return float(c.min()) if len(c) else None

    @property
    def average_dscr(self) -> float | None:
        c = self.table["coverage"].dropna()
        return float(c.mean()) if len(c) else None

    @property
    def years_below_threshold(self) -> list[int]:
        t = self.table
        return [int(y) for y in t.loc[t["below_threshold"], "fiscal_year"]]

    @property
    def sinking_fund_deposit(self) -> int:
        """The largest total deposit of one fiscal year [cents]."""
        return int(self.table["sinking_deposit"].max())

    def summary(self) -> dict:
        """The key figures for the summary JSON: money in currency units (rounded to the
        cent), coverage as ratios, fiscal years as ints (``maturity_coverage`` keyed by
        the year as text), None where there is no coverage.

        A 100,000 $ 4 % 5-year bullet and 30,000 $ a year of cash flow (see :func:`assess`):

        >>> import datetime as dt
        >>> from bondkit.core.schedule import annual_debt_service, series_schedule
        >>> from bondkit.core.terms import CapacityTerms, SeriesTerms
        >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
        >>> schedule = series_schedule(s)
        >>> summary = assess(CapacityTerms(cash_flow=(30_000,) * 6), [s],
        ...                  annual_debt_service(schedule), schedule).summary()
        >>> summary["min_dscr"], summary["years_below_threshold"], summary["maturity_coverage"]
        (7.5, [], 1.6)
        >>> summary["maturity_coverage_by_year"]
        {'2032': 1.6}
        >>> summary["max_debt_level_payment"], summary["min_cash"]
        (106843.74, 30000.0)
        """
        return {
            "min_dscr": self.min_dscr,
            "maturity_coverage": self.maturity_coverage,
            "average_dscr": self.average_dscr,
            "coverage_threshold": float(self.terms.coverage_threshold),
            "years_below_threshold": self.years_below_threshold,
            "max_debt_level_payment": money(self.max_debt_level_payment),
            "max_debt_sculpted": money(self.max_debt_sculpted),
            "sizing_rate": self.sizing_rate,
            "sizing_years": self.sizing_years,
            "years_without_capacity": list(self.years_without_capacity),
            "sinking_fund_deposit": money(self.sinking_fund_deposit),
            "maturity_coverage_by_year": {
                str(int(r.fiscal_year)): (None if np.isnan(r.coverage) else float(r.coverage))
                for r in self.maturities.itertuples(index=False)
            },
            "min_cash": money(int(self.table["cash_end"].min())),
            "years_reserve_not_covered": [
                int(y) for y in self.table.loc[~self.table["reserve_covered"], "fiscal_year"]
            ],
        }


def _at_maturity(series: Sequence[SeriesTerms]) -> list[SeriesTerms]:
    return [s for s in series if s.repayment in ("bullet", "accumulating")]


def assess(
    terms: CapacityTerms,
    series: Sequence[SeriesTerms],
    fiscal: pd.DataFrame,
    schedule: pd.DataFrame,
    fiscal_year_end: str = "12-31",
    costs: np.ndarray | None = None,
    renewal_rate: float = 0.0,
) -> CapacityResult:
    """Coverage, maturity test, cash, sinking fund, reserve and sizing for an issue.

    ``fiscal`` is the issue's debt service by fiscal year (bondkit.core.schedule.annual_debt_service)
    and ``schedule`` its payment schedule [cents]. ``costs`` are the issue's costs by fiscal
    year of ``fiscal`` (upfront, campaign, admin) [cents], paid from the cash; ``renewal_rate``
    the expected share of the principal due at a maturity that holders roll over (a
    fraction; 0 without a redemption-risk table). Money in the result is in cents,
    coverage a ratio.

    A 100,000 $ 4 % 5-year bullet issued in January 2027 by a co-op with 30,000 $ a year:
    the coverage is 30,000 / 4,000 = 7.5 every year, the maturity year included (its coupon
    is periodic, its principal is not). The maturity test counts the 134,000 $ saved by
    then (30,000 $ in 2027, then 26,000 $ a year for four years) and the maturity year's
    26,000 $ left after its coupon, against the 100,000 $ of principal: 160,000 / 100,000:

    >>> import datetime as dt
    >>> from bondkit.core.schedule import annual_debt_service, series_schedule
    >>> from bondkit.core.terms import CapacityTerms, SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> schedule = series_schedule(s)
    >>> r = assess(CapacityTerms(cash_flow=(30_000,) * 6), [s],
    ...            annual_debt_service(schedule), schedule)
    >>> r.table["coverage"].round(4).tolist()
    [nan, 7.5, 7.5, 7.5, 7.5, 7.5]
    >>> float(r.maturities["coverage"].iloc[0]), r.min_dscr
    (1.6, 7.5)
    >>> r.max_debt_level_payment, r.sizing_years  # cents, at 4 % over 5 years
    (10684374, 5)
    """
    years = [int(y) for y in fiscal["fiscal_year"]]
    if terms.first_fiscal_year is not None and terms.first_fiscal_year > years[0]:
        raise ValueError(
            f"first_fiscal_year {terms.first_fiscal_year} is after the issue's first fiscal year {years[0]}"
        )
    cf = cash_flow_by_year(terms, years)
    other = other_debt_service_by_year(terms, years)
    ds = fiscal["debt_service"].to_numpy(dtype=np.int64)
    n = len(years)
    paid_costs = np.zeros(n, dtype=np.int64) if costs is None else np.asarray(costs, np.int64)

    # what falls due at the final maturity of bullet and accumulating series: a bullet's
    # principal, an accumulating series' whole payment (principal and capitalised interest)
    due = np.zeros(n, dtype=np.int64)
    due_principal = np.zeros(n, dtype=np.int64)
    for s in _at_maturity(series):
        last = schedule.loc[schedule["series"] == s.id].iloc[-1]
        k = years.index(fiscal_year(last["date"].date(), fiscal_year_end))
        whole = s.repayment == "accumulating"
        due[k] += int(last["payment"] if whole else last["principal"])
        due_principal[k] += int(last["principal"])
    periodic = ds - due

    # sinking fund: one per maturity of a bullet or accumulating series
    deposit = np.zeros(n, dtype=np.int64)
    balance = np.zeros(n, dtype=np.int64)
    withdrawal = np.zeros(n, dtype=np.int64)
    fund_at_start = np.zeros(n, dtype=np.int64)
    if terms.sinking_fund is not None:
        rate = exact(terms.sinking_fund.rate)
        for s in _at_maturity(series):
            pay_date = schedule.loc[schedule["series"] == s.id, "date"].iloc[-1].date()
            m = years.index(fiscal_year(pay_date, fiscal_year_end))
            # deposits at the end of each fiscal year from the series' issue to the one before
            # its maturity (none when it matures in the fiscal year it is issued)
            first = years.index(fiscal_year(s.issue_date, fiscal_year_end))
            pays, bals = sinking_fund_schedule(s.amount_cents, m - first, rate)
            deposit[first:m] += pays
            balance[first:m] += bals
            if m > first:
                fund_at_start[m] += s.amount_cents
                withdrawal[m] += s.amount_cents

    # reserve target
    if terms.reserve is None:
        target = np.zeros(n, dtype=np.int64)
    elif terms.reserve.target == "max-annual-debt-service":
        target = np.full(n, int(ds.max()), dtype=np.int64)
    else:
        nxt = np.append(ds[1:], 0)
        target = np.array(
            [round_half_up(Fraction(int(v) * terms.reserve.months, 12)) for v in nxt],
            dtype=np.int64,
        )

    total_ds = ds + other
    cash = np.cumsum(cf - total_ds - deposit + withdrawal - paid_costs) + to_cents(
        terms.opening_cash
    )
    # coverage on periodic debt service (interest, amortisation, sinking-fund deposits, other debt)
    service = periodic + other + deposit
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(service > 0, cf / np.where(service > 0, service, 1), np.nan)
    # a year whose cash flow is zero or negative has no capacity: no coverage, never a
    # negative one (it is listed in years_without_capacity)
    coverage = np.where(cf > 0, coverage, np.nan)
    threshold = float(terms.coverage_threshold)
    table = pd.DataFrame(
        {
            "fiscal_year": np.array(years, dtype=np.int64),
            "cash_flow": cf,
            "debt_service": ds,
            "due_at_maturity": due,
            "periodic_debt_service": periodic,
            "other_debt_service": other,
            "total_debt_service": total_ds,
            "sinking_deposit": deposit,
            "coverage": coverage,
            "below_threshold": np.nan_to_num(coverage, nan=np.inf) < threshold,
            "no_capacity": (cf - other <= 0) & (service > 0),
            "sinking_withdrawal": withdrawal,
            "sinking_balance": balance,
            "costs": paid_costs,
            "reserve_target": target,
            "cash_end": cash,
            "reserve_covered": cash >= to_cents(terms.minimum_cash) + target,
        }
    )
    table["maturity_year"] = due > 0

    rows = []
    cash_start = np.concatenate([[to_cents(terms.opening_cash)], cash[:-1]])
    for k in np.flatnonzero(due > 0):
        # everything else paid that year (coupons, other series, deposits, costs) comes first
        left = int(cf[k] - other[k] - periodic[k] - deposit[k] - paid_costs[k])
        renewals = round_half_up(exact(renewal_rate) * int(due_principal[k]))
        have = int(cash_start[k] + fund_at_start[k]) + left + renewals
        rows.append(
            {
                "fiscal_year": years[k],
                "due": int(due[k]),
                "cash_start": int(cash_start[k]),
                "sinking_fund": int(fund_at_start[k]),
                "cash_flow": left,
                "renewals": renewals,
                "coverage": max(have, 0) / int(due[k]),
            }
        )
    maturities = pd.DataFrame(
        rows,
        columns=[
            "fiscal_year", "due", "cash_start", "sinking_fund", "cash_flow", "renewals", "coverage"
        ],
    )  # fmt: skip

    # sizing
    if terms.sizing_rate is not None:
        rate = float(terms.sizing_rate)
    else:
        total = sum(s.amount_cents for s in series)
        rate = float(sum(s.rate * s.amount_cents for s in series) / total)
    if terms.sizing_term_years is not None:
        size_years = terms.sizing_term_years
    else:
        size_years = max((s.maturity.year - s.issue_date.year) for s in series)
    # a new loan taken in the first fiscal year is repaid over the fiscal years that follow;
    # a cash flow given by base and growth is extended past the issue when the sizing needs it
    available = (cf - other).astype(float)[1 : 1 + size_years]
    if len(available) < size_years and terms.cash_flow_base is not None:
        longer = list(range(years[0], years[0] + size_years + 1))
        try:
            more = cash_flow_by_year(terms, longer) - other_debt_service_by_year(terms, longer)
            available = more.astype(float)[1:]
        except ValueError:  # an other_debt_service table that stops with the issue
            pass
    level = level_payment_capacity(available, rate, len(available), threshold)
    sculpted = sculpted_capacity(available, rate, len(available), threshold)
    # years with debt service but no capacity, and years of the sizing window without any
    no_cap = {int(y) for y in table.loc[table["no_capacity"], "fiscal_year"]}
    no_cap |= {years[0] + 1 + k for k, c in enumerate(available) if c <= 0}
    no_cap = tuple(sorted(no_cap))
    return CapacityResult(
        terms=terms,
        table=table,
        maturities=maturities,
        # to the cent, half up (the workbook's ROUND: no engine truncates a float the same)
        max_debt_level_payment=int(np.floor(level + 0.5)),
        max_debt_sculpted=int(np.floor(sculpted + 0.5)),
        sizing_rate=rate,
        sizing_years=len(available),
        years_without_capacity=no_cap,
    )
