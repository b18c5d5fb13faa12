"""Payment schedules of a series and of an issue, exact to the cent.

The numeric heart is :func:`amortize`, a kernel vectorised over many schedules at once
(one row per schedule, a loop over periods). Money is carried as whole cents (int64).
Each period's interest ``balance x rate x year fraction`` is computed in floating point
and rounded half up; the few results that fall within floating-point error of a
half-cent are recomputed exactly with integers, so every cent equals the exact decimal
result. Level payments are rounded the same way.

Rules (scenario-format.md): dates are generated backward from maturity (a short first
period when the term is odd); interest-only periods come first; a level payment is the
annuity of the balance at annual_rate / payments per year over the remaining periods,
recomputed when a step rate starts; a sculpted payment is the cash flow of its fiscal year
divided by one constant coverage, solved exactly (:func:`sculpting`); the final payment
absorbs any residue, so principal repaid equals the amount and no balance goes negative.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bondkit.columns import SCHEDULE_COLUMNS
from bondkit.core.conventions import (
    add_years,
    adjust,
    fiscal_year,
    period_end_dates,
    periods_per_year,
    round_half_up,
    to_cents,
    year_fraction,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bondkit.core.terms import SeriesTerms

__all__ = [
    "Periods",
    "periods",
    "amortize",
    "level_payment_cents",
    "series_schedule",
    "issue_schedule",
    "accumulated_interest",
    "accrual_pieces",
    "level_amounts",
    "Sculpting",
    "sculpting",
    "sculpted_coverage",
    "by_date",
    "by_fiscal_year",
    "annual_debt_service",
]

BULLET, LEVEL_PAYMENT, LEVEL_PRINCIPAL, SCULPTED = 0, 1, 2, 3
_STYLE_CODES = {
    "bullet": BULLET,
    "level-payment": LEVEL_PAYMENT,
    "level-principal": LEVEL_PRINCIPAL,
    "sculpted": SCULPTED,
}


# ---------------------------------------------------------------- periods of a series


@dataclass(frozen=True)
class Periods:
    """The accrual periods of a series (dates adjusted for business days)."""

    accrual_start: tuple[dt.date, ...]  # first one is issue_date, as given
    end: tuple[dt.date, ...]  # payment dates = accrual ends (adjusted)
    unadjusted_end: tuple[dt.date, ...]
    year_fraction: tuple[Fraction, ...]
    rate: tuple[Fraction, ...]  # annual rate in force at each accrual start
    first_amortising: int  # index of the first amortising period
    step_starts: tuple[bool, ...]  # True where a step rate comes into force at the accrual start

    def __len__(self) -> int:
        return len(self.end)


def periods(terms: SeriesTerms) -> Periods:
    """The periods of ``terms``: backward from maturity, adjusted, with year fractions and rates.

    Dates are :class:`datetime.date`; year fractions [years] and annual rates [fraction per
    year] are exact :class:`~fractions.Fraction` values. An odd term gives a short first
    period; here 15 March to 1 July 2024 on 30/360 is 106 days of 360:

    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 3, 15),
    ...                 maturity_date=dt.date(2026, 1, 1), frequency="semi-annual")
    >>> p = periods(s)
    >>> len(p), p.end[0], p.end[-1]
    (4, datetime.date(2024, 7, 1), datetime.date(2026, 1, 1))
    >>> [str(f) for f in p.year_fraction], str(p.rate[0])
    (['53/180', '1/2', '1/2', '1/2'], '1/25')
    """
    unadjusted = period_end_dates(terms.issue_date, terms.maturity, terms.frequency)
    ends = [adjust(d, terms.business_day) for d in unadjusted]
    # a short stub whose end a business-day rule moves onto or before the issue date is
    # merged into the next period (a long first period), as QuantLib's Schedule does
    while len(ends) > 1 and ends[0] <= terms.issue_date:
        ends, unadjusted = ends[1:], unadjusted[1:]
    if ends[-1] <= terms.issue_date:  # a few-day term: never pay before the money comes in
        ends[-1] = adjust(unadjusted[-1], "following")
    starts = [terms.issue_date, *ends[:-1]]
    yfs = tuple(year_fraction(a, b, terms.day_count) for a, b in zip(starts, ends, strict=True))
    rates = tuple(terms.rate_at(a) for a in starts)
    in_force = [sum(a >= terms.year_start(s.from_year) for s in terms.step_rates) for a in starts]
    step_starts = tuple(k > 0 and in_force[k] != in_force[k - 1] for k in range(len(starts)))
    io_end = add_years(terms.issue_date, terms.interest_only_years)
    first = 0
    if terms.interest_only_years:
        first = next((k for k, a in enumerate(starts) if a >= io_end), len(starts) - 1)
    return Periods(tuple(starts), tuple(ends), tuple(unadjusted), yfs, rates, first, step_starts)


# ---------------------------------------------------------------- the vectorised kernel


def _tolerance(x: np.ndarray, relative: float) -> np.ndarray:
    return np.abs(x) * relative + 1e-9


def _round_checked(x: np.ndarray, relative: float, exact_at) -> np.ndarray:
    """Round float cents half up; entries within float error of a half are recomputed exactly.

    ``exact_at(indices)`` returns the exact values (Fractions or ints) at those indices.
    """
    out = np.floor(x + 0.5)
    ambiguous = np.abs(x - np.floor(x) - 0.5) <= _tolerance(x, relative)
    if ambiguous.any():
        idx = np.flatnonzero(ambiguous)
        out[idx] = [round_half_up(v) for v in exact_at(idx)]
    return out.astype(np.int64)


def _annuity_cents(balance, rate_num, rate_den, ppy, remaining) -> np.ndarray:
    """Level payment in cents: annuity of ``balance`` at rate/ppy over ``remaining`` periods."""
    i = rate_num / (rate_den * ppy)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = balance * i / -np.expm1(-remaining * np.log1p(i))
    x = np.where(i == 0, balance / remaining, annuity)

    def exact_at(idx):
        for j in idx:
            b, m = int(balance[j]), int(remaining[j])
            ie = Fraction(int(rate_num[j]), int(rate_den[j]) * int(ppy[j]))
            if ie == 0:
                yield Fraction(b, m)
            else:
                growth = (1 + ie) ** m
                yield b * ie * growth / (growth - 1)

    return _round_checked(x, 1e-11, exact_at)


def amortize(
    balance: np.ndarray,
    rate_num: np.ndarray,
    rate_den: np.ndarray,
    yf_num: np.ndarray,
    yf_den: np.ndarray,
    n_periods: np.ndarray,
    style: np.ndarray,
    first_amortising: np.ndarray,
    periods_per_year: np.ndarray,
    restart: np.ndarray | None = None,
    target: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Schedules of many series at once, in whole cents.

    Row ``s`` is one schedule; column ``k`` one period. Rates and year fractions are given as
    exact integer ratios so that half-cent ties are resolved exactly.

    Parameters
    ----------
    balance : int[S] — principal [cents]
    rate_num, rate_den : int[S, n] — annual rate of each period = num / den [1/yr]
    yf_num, yf_den : int[S, n] — year fraction of each period = num / den [yr]
    n_periods : int[S] — periods used in each row (later columns are ignored)
    style : int[S] — 0 bullet, 1 level-payment, 2 level-principal, 3 sculpted
    first_amortising : int[S] — index of the first amortising period (interest-only before)
    periods_per_year : int[S] — payments per year, for the annuity rate [1/yr]
    restart : bool[S, n] or None — periods where a step rate starts, so a level payment is
        recomputed over the remaining periods; by default wherever the rate changes
    target : int[S, n] or None — the payment each period of a sculpted row aims at
        [cents] (:func:`sculpting`); its principal is the target minus the interest,
        clipped to [0, balance], as a level payment's. Required when a row is sculpted.

    Returns
    -------
    dict of int64[S, n] arrays [cents]: opening_balance, interest, principal, payment,
    closing_balance (zero beyond ``n_periods``).

    Examples
    --------
    A 100,000 $ loan at 4 % a year (4/100), repaid in 4 equal annual instalments of
    principal (level-principal, style 2); interest is 4 % of the opening balance:

    >>> out = amortize(np.array([10_000_000]), np.array([[4, 4, 4, 4]]), 100, 1, 1,
    ...                np.array([4]), np.array([2]), np.array([0]), np.array([1]))
    >>> out["interest"][0].tolist()
    [400000, 300000, 200000, 100000]
    >>> out["payment"][0].tolist(), int(out["closing_balance"][0, -1])
    ([2900000, 2800000, 2700000, 2600000], 0)
    """
    balance = np.asarray(balance, dtype=np.int64)
    S = balance.shape[0]
    rate_num, rate_den, yf_num, yf_den = (
        np.broadcast_to(np.asarray(a, dtype=np.int64), (S, np.shape(rate_num)[-1]))
        for a in (rate_num, rate_den, yf_num, yf_den)
    )
    n = rate_num.shape[1]
    n_periods, style, first_amortising, ppy = (
        np.broadcast_to(np.asarray(a, dtype=np.int64), (S,))
        for a in (n_periods, style, first_amortising, periods_per_year)
    )
    if (balance < 0).any() or (rate_num < 0).any():
        raise ValueError("balances and rates must not be negative")
    if (n_periods > n).any() or (n_periods < 1).any():
        raise ValueError("n_periods must be between 1 and the number of columns")
    accrual = (rate_num / rate_den) * (yf_num / yf_den)
    is_lp, is_lpr = style == LEVEL_PAYMENT, style == LEVEL_PRINCIPAL
    any_lp, any_lpr = bool(is_lp.any()), bool(is_lpr.any())
    is_sc = style == SCULPTED
    any_sc = bool(is_sc.any())
    if any_sc:
        if target is None:
            raise ValueError("a sculpted row needs its target payments")
        target = np.broadcast_to(np.asarray(target, dtype=np.int64), (S, n))
    # a level payment is recomputed where a step rate starts after amortisation began
    if restart is None:
        restart = np.zeros((S, n), dtype=bool)
        restart[:, 1:] = rate_num[:, 1:] * rate_den[:, :-1] != rate_num[:, :-1] * rate_den[:, 1:]
    restart = np.broadcast_to(np.asarray(restart, dtype=bool), (S, n))

    opening = np.zeros((S, n), dtype=np.int64)
    interest = np.zeros((S, n), dtype=np.int64)
    principal = np.zeros((S, n), dtype=np.int64)
    level = np.zeros(S, dtype=np.int64)  # current level payment or instalment
    B = balance.copy()
    for k in range(n):
        active = k < n_periods
        opening[:, k] = B
        x = B * accrual[:, k]

        def exact_interest(idx, k=k, B=B):
            for j in idx:
                yield Fraction(
                    int(B[j]) * int(rate_num[j, k]) * int(yf_num[j, k]),
                    int(rate_den[j, k]) * int(yf_den[j, k]),
                )

        i_k = _round_checked(x, 1e-14, exact_interest)
        amortising = active & (k >= first_amortising)
        p_k = np.zeros(S, dtype=np.int64)
        if any_lp:
            lp = amortising & is_lp
            again = lp & ((k == first_amortising) | restart[:, k])
            if again.any():
                level[again] = _annuity_cents(
                    B[again],
                    rate_num[again, k],
                    rate_den[again, k],
                    ppy[again],
                    n_periods[again] - k,
                )
            p_k = np.where(lp, np.clip(level - i_k, 0, B), p_k)
        if any_lpr:
            lpr = amortising & is_lpr
            start = lpr & (k == first_amortising)
            if start.any():
                m = n_periods[start] - k
                level[start] = (2 * B[start] + m) // (2 * m)  # B / m rounded half up
            p_k = np.where(lpr, np.minimum(level, B), p_k)
        if any_sc:
            sc = amortising & is_sc
            p_k = np.where(sc, np.clip(target[:, k] - i_k, 0, B), p_k)
        p_k = np.where(k == n_periods - 1, B, p_k)
        i_k = np.where(active, i_k, 0)
        p_k = np.where(active, p_k, 0)
        interest[:, k] = i_k
        principal[:, k] = p_k
        B = B - p_k
    opening[~(np.arange(n) < n_periods[:, None])] = 0
    closing = opening - principal
    return {
        "opening_balance": opening,
        "interest": interest,
        "principal": principal,
        "payment": interest + principal,
        "closing_balance": closing,
    }


def _rate_ratio(rates: np.ndarray, scale: int = 10**8) -> tuple[np.ndarray, int]:
    """Float rates as exact integer ratios over ``scale`` (the decimals a user wrote).

    A float whose shortest decimal has at most 8 decimals round-trips through ``scale``;
    anything finer is refused rather than silently changed.
    """
    rates = np.asarray(rates, dtype=float)
    num = np.rint(rates * scale).astype(np.int64)
    if not np.array_equal(num / scale, rates):
        raise ValueError("rates must have at most 8 decimals")
    return num, scale


def level_payment_cents(
    amount_cents: np.ndarray,
    annual_rate: np.ndarray,
    n_periods: int,
    frequency: str = "monthly",
) -> dict[str, np.ndarray]:
    """Many regular level-payment schedules at once, on 30/360 (rate / periods a year each period).

    amount_cents : int[S] — principal of each loan [cents]
    annual_rate : float[S] — nominal annual rates, at most 8 decimals [1/yr]
    n_periods : int — number of payments
    frequency : str — annual | semi-annual | quarterly | monthly

    A solar co-op compares two 10-year monthly loans of 50,000 $:

    >>> out = level_payment_cents(np.array([5_000_000, 5_000_000]), np.array([0.04, 0.05]), 120)
    >>> out["payment"][:, 0].tolist(), int(out["principal"].sum(axis=1)[0])
    ([50623, 53033], 5000000)
    """
    amount_cents = np.asarray(amount_cents, dtype=np.int64)
    S = amount_cents.shape[0]
    ppy = periods_per_year(frequency)
    num, den = _rate_ratio(annual_rate)
    return amortize(
        amount_cents,
        np.broadcast_to(num.reshape(S, 1), (S, n_periods)),
        den,
        1,
        ppy,
        np.full(S, n_periods),
        np.full(S, LEVEL_PAYMENT),
        np.zeros(S, dtype=np.int64),
        np.full(S, ppy),
    )


# ---------------------------------------------------------------- one series, one issue


def _frame(rows: dict[str, list], terms_id: str) -> pd.DataFrame:
    n = len(rows["date"])
    df = pd.DataFrame(
        {
            "series": pd.Series([terms_id] * n, dtype=object),
            "period": np.arange(1, n + 1, dtype=np.int64),
            "accrual_start": pd.to_datetime(rows["accrual_start"]),
            "date": pd.to_datetime(rows["date"]),
            "year_fraction": np.array([float(f) for f in rows["year_fraction"]]),
            "annual_rate": np.array([float(r) for r in rows["annual_rate"]]),
            **{
                key: np.asarray(rows[key], dtype=np.int64)
                for key in (
                    "opening_balance",
                    "interest",
                    "principal",
                    "payment",
                    "closing_balance",
                )
            },
        }
    )
    return df[list(SCHEDULE_COLUMNS)]


def accumulated_interest(terms: SeriesTerms, p: Periods | None = None) -> int:
    """Interest an accumulating series pays at maturity [cents], without building a schedule.

    Simple: amount x the sum over bond years of (rate in force x year fraction), the last
    year ending at maturity. Compound: amount x the product over the periods of
    (1 + rate x year fraction), minus the amount. Rounded half up once, when paid.

    A 100,000 $ simple-interest bond, 3 % a year for three years then 4 % for two
    (100,000 x (3 x 0.03 + 2 x 0.04) = 17,000 $), and a 2 % compound one over five years
    (100,000 x (1.02^5 - 1) = 10,408.08 $):

    >>> from bondkit.core.terms import SeriesTerms, StepRate
    >>> simple = SeriesTerms("A", 100_000, 500, 0.03, dt.date(2024, 6, 30), term_years=5,
    ...                      repayment="accumulating", interest="simple",
    ...                      step_rates=(StepRate(4, 0.04),))
    >>> accumulated_interest(simple)
    1700000
    >>> compound = SeriesTerms("B", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                        repayment="accumulating", interest="compound")
    >>> accumulated_interest(compound)
    1040808
    """
    p = periods(terms) if p is None else p
    amount = terms.amount_cents
    pieces = accrual_pieces(terms, p)
    if terms.interest == "compound":
        growth = Fraction(1)
        for _start, rate, yf in pieces:
            growth *= 1 + rate * yf
        return round_half_up(amount * growth - amount)
    return round_half_up(sum(amount * rate * yf for _start, rate, yf in pieces))


def accrual_pieces(
    terms: SeriesTerms, p: Periods | None = None
) -> list[tuple[dt.date, Fraction, Fraction]]:
    """How an accumulating series accrues: (start, annual rate, year fraction) of each piece.

    Compound: one piece per period, compounded. Simple: one piece per bond year, the last
    ending on the last payment date; the interest is amount x the sum of rate x fraction.
    Rates are fractions per year and year fractions are in years, both exact Fractions.

    A 3-year simple bond at 3 %, then 4 % from bond year 3:

    >>> from bondkit.core.terms import SeriesTerms, StepRate
    >>> s = SeriesTerms("A", 100_000, 500, 0.03, dt.date(2024, 6, 30), term_years=3,
    ...                 repayment="accumulating", interest="simple",
    ...                 step_rates=(StepRate(3, 0.04),))
    >>> [(start.isoformat(), str(rate), str(yf)) for start, rate, yf in accrual_pieces(s)]
    [('2024-06-30', '3/100', '1'), ('2025-06-30', '3/100', '1'), ('2026-06-30', '1/25', '1')]
    """
    p = periods(terms) if p is None else p
    if terms.interest == "compound":
        return list(zip(p.accrual_start, p.rate, p.year_fraction, strict=True))
    bounds = [terms.issue_date]
    while add_years(terms.issue_date, len(bounds)) < terms.maturity:
        bounds.append(add_years(terms.issue_date, len(bounds)))
    bounds.append(p.end[-1])
    return [
        (a, terms.rate_at(a), year_fraction(a, b, terms.day_count))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def level_amounts(terms: SeriesTerms, schedule: pd.DataFrame | None = None) -> list[int | None]:
    """The level payment (level-payment) or level instalment of principal (level-principal)
    in force at each period of ``terms``, or the payment a sculpted period aims at
    (:func:`sculpting`) [cents]; None before amortisation starts and for other styles.
    This is the amount the kernel aims at; a period's principal is it minus the interest
    (level payment, sculpted), clipped to [0, balance], and the last period repays the rest.

    100,000 $ at 4 % over 5 years: the annuity 100,000 x 0.04 / (1 - 1.04^-5) is
    22,462.71 $; with one interest-only year and level principal, 25,000 $ a year:

    >>> from bondkit.core.terms import SeriesTerms
    >>> lp = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                  repayment="level-payment")
    >>> level_amounts(lp)
    [2246271, 2246271, 2246271, 2246271, 2246271]
    >>> lpr = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                   repayment="level-principal", interest_only_years=1)
    >>> level_amounts(lpr)
    [None, 2500000, 2500000, 2500000, 2500000]
    """
    if terms.repayment == "sculpted":
        return list(sculpting(terms).payments)
    if terms.repayment not in ("level-payment", "level-principal"):
        return [None] * len(series_schedule(terms) if schedule is None else schedule)
    p = periods(terms)
    own = series_schedule(terms) if schedule is None else schedule
    opening = own["opening_balance"].to_numpy()
    n, ppy = len(p), periods_per_year(terms.frequency)
    out: list[int | None] = []
    level: int | None = None
    for k in range(n):
        if k < p.first_amortising:
            out.append(None)
            continue
        if terms.repayment == "level-principal":
            if k == p.first_amortising:
                m = n - k
                level = (2 * int(opening[k]) + m) // (2 * m)
        elif k == p.first_amortising or p.step_starts[k]:
            rate = p.rate[k]
            level = int(
                _annuity_cents(
                    np.array([int(opening[k])]),
                    np.array([rate.numerator]),
                    np.array([rate.denominator]),
                    np.array([ppy]),
                    np.array([n - k]),
                )[0]
            )
        out.append(level)
    return out


@dataclass(frozen=True)
class Sculpting:
    """How a sculpted series' payments follow the cash flow (see :func:`sculpting`).

    weights : each period's share of its fiscal year's cash flow [cents, exact Fractions]
    fiscal_years : the fiscal year of each payment date
    coverage : k = weight ÷ payment, the same for every period, exact [ratio]
    payments : weight ÷ k rounded half up, what each period aims at [cents]
    interest_only : indices of the periods whose weight ÷ k would not cover their interest
        (steep cash flows, long periods under ACT day counts): they pay interest only
    """

    weights: tuple[Fraction, ...]
    fiscal_years: tuple[int, ...]
    coverage: Fraction
    payments: tuple[int, ...]
    interest_only: tuple[int, ...]


def sculpting(terms: SeriesTerms, p: Periods | None = None) -> Sculpting:
    """The payments of a sculpted series: each one its weight ÷ one constant coverage k.

    A period's weight is the cash flow of the fiscal year of its payment date
    (``terms.sculpt_cash_flow``), shared evenly among the payments that fiscal year holds,
    so that each fiscal year's debt service is its cash flow ÷ k. k is solved exactly so
    that the amount is repaid under the interest rule (``g_j`` = rate x year fraction of
    period j, step rates included): backward, ``R_n = 0`` and ``R_(j-1) = max((w_j + R_j)
    / (1 + g_j), R_j)``, the present value of the weights still to pay; ``k = R_0 /
    amount``. The balance after period j is ``R_j / k``, so period j repays principal when
    ``w_j >= g_j x R_j``; if not, the max keeps ``R_j``: it pays its interest only and its
    weight does not count. Without such periods k is the present value of the weights at
    the period rates ÷ the amount (annual 30/360: the NPV of the cash flows at the rate ÷
    the amount), an exact fraction computed with integers. Raises ValueError when a fiscal
    year the series pays in has no cash flow, or one of zero or less.

    60,000 $ at 4 % over three years, against cash flows that grow 4 % a year: each is
    worth 25,000 $ today, 75,000 $ in all, so k = 75,000 / 60,000 = 1.25 and each year
    pays its cash flow ÷ 1.25:

    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("C", 60_000, 500, 0.04, dt.date(2025, 12, 31), term_years=3,
    ...                 repayment="sculpted",
    ...                 sculpt_cash_flow={2026: 26_000, 2027: 27_040, 2028: 28_121.60})
    >>> sc = sculpting(s)
    >>> sc.coverage, sc.payments, sc.interest_only  # payments in cents
    (Fraction(5, 4), (2080000, 2163200, 2249728), ())

    A first year too weak for the years after it pays its interest only (10 % of
    100,000 $), and the two others carry the whole principal: k = (50,000 / 1.1 +
    100,000 / 1.1^2) / 100,000 = 155/121; the last payment absorbs the cent:

    >>> steep = SeriesTerms("D", 100_000, 500, 0.10, dt.date(2025, 12, 31), term_years=3,
    ...                     repayment="sculpted",
    ...                     sculpt_cash_flow={2026: 1_000, 2027: 50_000, 2028: 100_000})
    >>> sc = sculpting(steep)
    >>> sc.interest_only, sc.coverage, sc.payments[1:]
    ((0,), Fraction(155, 121), (3903226, 7806452))
    >>> series_schedule(steep)["payment"].tolist()
    [1000000, 3903226, 7806451]
    """
    p = periods(terms) if p is None else p
    cash = dict(terms.sculpt_cash_flow)
    years = tuple(fiscal_year(d, terms.fiscal_year_end) for d in p.end)
    held = Counter(years)
    weights = []
    for y in years:
        if y not in cash:
            raise ValueError(
                f"series {terms.id!r}: sculpt_cash_flow has no cash flow for fiscal year {y}, "
                "in which the series pays"
            )
        cents = to_cents(cash[y])
        if cents <= 0:
            raise ValueError(
                f"series {terms.id!r}: the cash flow of fiscal year {y} must be positive to "
                f"carry a sculpted payment (it is {cash[y]})"
            )
        weights.append(Fraction(cents, held[y]))
    # integer weights W (the weights x their common denominator); R as num / den, never
    # reduced on the way (one gcd at the end instead of one per period)
    common = math.lcm(*(w.denominator for w in weights))
    whole = [w.numerator * (common // w.denominator) for w in weights]
    num, den = 0, 1
    interest_only = []
    for j in range(len(whole) - 1, -1, -1):
        g = p.rate[j] * p.year_fraction[j]
        gn, gd = g.numerator, g.denominator
        if whole[j] * gd * den >= gn * num:  # w_j >= g_j x R_j: it repays principal
            num, den = (whole[j] * den + num) * gd, den * (gd + gn)
        else:
            interest_only.append(j)
    amount = terms.amount_cents
    # payment_j = w_j / k = W_j x den x amount / num, rounded half up
    payments = tuple((2 * w * den * amount + num) // (2 * num) for w in whole)
    return Sculpting(
        weights=tuple(weights),
        fiscal_years=years,
        coverage=Fraction(num, den * common * amount),
        payments=payments,
        interest_only=tuple(sorted(interest_only)),
    )


def sculpted_coverage(terms: SeriesTerms) -> Fraction:
    """k, the coverage of a sculpted series' debt service by its cash flow in every fiscal
    year (the cents aside): the present value of the cash flows at the series' period
    rates ÷ the amount (see :func:`sculpting`), exact. Cash flows worth 75,000 $ at 4 %:

    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("C", 50_000, 500, 0.04, dt.date(2025, 12, 31), term_years=3,
    ...                 repayment="sculpted", sculpt_cash_flow={2026: 26_000, 2027: 27_040,
    ...                                                         2028: 28_121.60})
    >>> sculpted_coverage(s)  # 75,000 / 50,000
    Fraction(3, 2)
    """
    return sculpting(terms).coverage


def _accumulating(terms: SeriesTerms, p: Periods) -> dict[str, list]:
    """Everything paid at maturity, in one row."""
    amount = terms.amount_cents
    end = p.end[-1]
    interest = accumulated_interest(terms, p)
    return {
        "accrual_start": [terms.issue_date],
        "date": [end],
        "year_fraction": [year_fraction(terms.issue_date, end, terms.day_count)],
        "annual_rate": [terms.rate],
        "opening_balance": [amount],
        "interest": [interest],
        "principal": [amount],
        "payment": [amount + interest],
        "closing_balance": [0],
    }


def series_schedule(terms: SeriesTerms) -> pd.DataFrame:
    """The payment schedule of one series, the issuer's view, money in cents.

    One row per payment date (an accumulating series has one row, at maturity); columns
    are :data:`bondkit.columns.SCHEDULE_COLUMNS`.

    A co-op's 5-year 2 % compound bond of 100,000 $ pays everything at maturity:

    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 500, 0.02, dt.date(2017, 2, 1), term_years=5,
    ...                 repayment="accumulating", interest="compound")
    >>> series_schedule(s)[["interest", "payment"]].iloc[0].tolist()
    [1040808, 11040808]
    """
    p = periods(terms)
    if terms.repayment == "accumulating":
        return _frame(_accumulating(terms, p), terms.id)
    n = len(p)
    rate_num = np.array([[r.numerator for r in p.rate]], dtype=np.int64)
    rate_den = np.array([[r.denominator for r in p.rate]], dtype=np.int64)
    yf_num = np.array([[f.numerator for f in p.year_fraction]], dtype=np.int64)
    yf_den = np.array([[f.denominator for f in p.year_fraction]], dtype=np.int64)
    target = None
    if terms.repayment == "sculpted":
        target = np.array([sculpting(terms, p).payments], dtype=np.int64)
    out = amortize(
        np.array([terms.amount_cents]),
        rate_num,
        rate_den,
        yf_num,
        yf_den,
        np.array([n]),
        np.array([_STYLE_CODES[terms.repayment]]),
        np.array([p.first_amortising]),
        np.array([periods_per_year(terms.frequency)]),
        np.array([p.step_starts]),
        target,
    )
    rows: dict[str, list] = {key: out[key][0].tolist() for key in out}
    rows.update(
        accrual_start=list(p.accrual_start),
        date=list(p.end),
        year_fraction=list(p.year_fraction),
        annual_rate=list(p.rate),
    )
    return _frame(rows, terms.id)


def issue_schedule(series: Sequence[SeriesTerms]) -> pd.DataFrame:
    """All series' schedules, in the order given, then by date; money in cents.

    A co-op issues two 100,000 $ series at 4 % over 5 years, one level-payment, one
    level-principal after an interest-only year:

    >>> from bondkit.core.terms import SeriesTerms
    >>> a = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-payment")
    >>> b = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-principal", interest_only_years=1)
    >>> sch = issue_schedule([a, b])
    >>> len(sch), sch["series"].unique().tolist()
    (10, ['A', 'B'])
    >>> sch.groupby("series")["interest"].sum().tolist()  # cents
    [1231355, 1400000]
    """
    frames = [series_schedule(t) for t in series]
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- aggregation


_MONEY = ["interest", "principal", "payment"]


def by_date(schedule: pd.DataFrame) -> pd.DataFrame:
    """Total interest, principal and payment of all series on each payment date [cents].

    >>> from bondkit.core.terms import SeriesTerms
    >>> a = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-payment")
    >>> b = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-principal", interest_only_years=1)
    >>> d = by_date(issue_schedule([a, b]))
    >>> d["date"].dt.date.iloc[0], d["payment"].tolist()
    (datetime.date(2025, 6, 30), [2646271, 5146271, 5046271, 4946271, 4846271])
    """
    return schedule.groupby("date", sort=True)[_MONEY].sum().reset_index()


def by_fiscal_year(schedule: pd.DataFrame, fiscal_year_end: str = "12-31") -> pd.DataFrame:
    """Interest, principal and payment per fiscal year and series (long format) [cents].

    Every fiscal year from the first issue to the last payment appears for every series,
    with zeros where a series pays nothing that year, so totals and charts line up.
    ``fiscal_year_end`` is ``"MM-DD"``; a fiscal year is named by the year it ends in.

    Two 100,000 $ series issued on 30 June 2024 by a co-op whose year ends on 31 March
    (issued in fiscal 2025, first paid in fiscal 2026):

    >>> from bondkit.core.terms import SeriesTerms
    >>> a = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-payment")
    >>> b = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-principal", interest_only_years=1)
    >>> fy = by_fiscal_year(issue_schedule([a, b]), "03-31")
    >>> fy.columns.tolist()
    ['fiscal_year', 'series', 'interest', 'principal', 'payment']
    >>> fy.head(4).values.tolist()  # cents
    [[2025, 'A', 0, 0, 0], [2025, 'B', 0, 0, 0], [2026, 'A', 400000, 1846271, 2246271], [2026, 'B', 400000, 0, 400000]]
    """
    fy = np.array(
        [fiscal_year(d.date(), fiscal_year_end) for d in schedule["date"]], dtype=np.int64
    )
    df = schedule.assign(fiscal_year=fy)
    series = list(dict.fromkeys(schedule["series"]))
    years = np.array([], dtype=np.int64)
    if len(fy):
        first = fiscal_year(schedule["accrual_start"].min().date(), fiscal_year_end)
        years = np.arange(min(first, fy.min()), fy.max() + 1)
    full = pd.MultiIndex.from_product([years, series], names=["fiscal_year", "series"])
    out = (
        df.groupby(["fiscal_year", "series"], sort=False)[_MONEY].sum().reindex(full, fill_value=0)
    )
    return out.reset_index().astype({k: np.int64 for k in _MONEY})


def annual_debt_service(schedule: pd.DataFrame, fiscal_year_end: str = "12-31") -> pd.DataFrame:
    """All series together by fiscal year [cents]: interest, principal, debt_service, outstanding.

    ``outstanding`` is the principal still owed at the end of the fiscal year (accumulated
    interest not included). ``fiscal_year_end`` is ``"MM-DD"``.

    >>> from bondkit.core.terms import SeriesTerms
    >>> a = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-payment")
    >>> b = SeriesTerms("B", 100_000, 500, 0.04, dt.date(2024, 6, 30), term_years=5,
    ...                 repayment="level-principal", interest_only_years=1)
    >>> ds = annual_debt_service(issue_schedule([a, b]), "03-31")
    >>> ds["fiscal_year"].tolist()
    [2025, 2026, 2027, 2028, 2029, 2030]
    >>> ds["debt_service"].tolist()  # cents
    [0, 2646271, 5146271, 5046271, 4946271, 4846271]
    >>> ds["outstanding"].tolist()
    [20000000, 18153729, 13733607, 9236680, 4659876, 0]
    """
    long = by_fiscal_year(schedule, fiscal_year_end)
    total = long.groupby("fiscal_year")[["interest", "principal"]].sum()
    total["debt_service"] = total["interest"] + total["principal"]
    first = schedule.groupby("series", sort=False).first()
    issued_fy = np.array([fiscal_year(d.date(), fiscal_year_end) for d in first["accrual_start"]])
    issued = [int(first["opening_balance"][issued_fy <= y].sum()) for y in total.index]
    total["outstanding"] = np.array(issued, dtype=np.int64) - total["principal"].cumsum()
    return total.reset_index()
