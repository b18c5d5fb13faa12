"""Sculpted repayment (issue #12 §1): each fiscal year's debt service is that year's cash
flow divided by one constant coverage k, and k is solved so that the amount is repaid.

Expected values come from closed forms computed here with fractions (annual 30/360: k is
the present value of the cash flows at the rate ÷ the amount), from the capacity model's
sculpted sizing (sizing at the largest sculpted debt for a target coverage gives k = the
target), and from an independent recomputation of the balance recursion in numpy floating
point with its own fiscal years and weights; never from bondkit's own sculpting.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bondkit.core.conventions import BUSINESS_DAYS, DAY_COUNTS, FREQUENCIES, round_half_up
from bondkit.core.metrics import investor_yield
from bondkit.core.schedule import (
    annual_debt_service,
    by_fiscal_year,
    level_amounts,
    periods,
    sculpted_coverage,
    sculpting,
    series_schedule,
)
from bondkit.core.terms import CapacityTerms, SeriesTerms
from bondkit.models.capacity import assess, sculpted_capacity

PROPERTY = settings(max_examples=150, deadline=None)


def sculpted(amount, rate, cash, issue=dt.date(2025, 12, 31), term=None, **kw) -> SeriesTerms:
    """A sculpted series; ``cash`` the cash flow by fiscal year, a dict or a list from the
    fiscal year after the issue's (12-31 fiscal years)."""
    if not isinstance(cash, dict):
        cash = {issue.year + 1 + k: c for k, c in enumerate(cash)}
    return SeriesTerms(
        "S",
        amount,
        Decimal("0.01"),
        rate,
        issue,
        term_years=term if term is not None else (None if "maturity_date" in kw else len(cash)),
        repayment="sculpted",
        sculpt_cash_flow=cash,
        **kw,
    )


def npv(cash_cents: list[int], rate: Fraction) -> Fraction:
    """Present value of year-end flows at ``rate`` (exact)."""
    return sum((Fraction(c) / (1 + rate) ** (j + 1) for j, c in enumerate(cash_cents)), Fraction(0))


def repays_principal_every_year(cash_cents: list[int], rate: Fraction) -> bool:
    """Whether each year's cash flow covers the rate on the present value of the later ones
    (so that no year pays interest only): the condition of the closed form."""
    return all(
        cash_cents[j] >= rate * npv(cash_cents[j + 1 :], rate) for j in range(len(cash_cents))
    )


annual_plans = st.tuples(
    st.integers(100_000, 100_000_000),  # amount [cents]
    st.integers(0, 1500).map(lambda n: Fraction(n, 10_000)),  # 0 to 15 %, 4 decimals
    st.lists(st.integers(100_000, 10_000_000), min_size=1, max_size=25),  # cash [cents]
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 28)).filter(lambda d: d.day <= 28),
)


# ---------------------------------------------------------------- the closed form


@PROPERTY
@given(annual_plans)
def test_annual_30360_coverage_is_the_npv_of_the_cash_flows_over_the_amount(plan):
    amount, rate, cash, issue = plan
    assume(repays_principal_every_year(cash, rate))
    s = sculpted(Decimal(amount) / 100, Decimal(rate.numerator) / rate.denominator,
                 [Decimal(c) / 100 for c in cash], issue=issue)  # fmt: skip
    k = npv(cash, rate) / amount
    assert sculpted_coverage(s) == k  # exactly, as a fraction
    sc = sculpting(s)
    assert sc.interest_only == ()
    assert list(sc.payments) == [round_half_up(Fraction(c) / k) for c in cash]


@PROPERTY
@given(annual_plans)
def test_each_payment_is_the_cash_flow_over_k_and_the_last_absorbs_the_residue(plan):
    amount, rate, cash, issue = plan
    assume(repays_principal_every_year(cash, rate))
    s = sculpted(Decimal(amount) / 100, Decimal(rate.numerator) / rate.denominator,
                 [Decimal(c) / 100 for c in cash], issue=issue)  # fmt: skip
    k = npv(cash, rate) / amount
    sched = series_schedule(s)
    pay = sched["payment"].tolist()
    assert pay[:-1] == [round_half_up(Fraction(c) / k) for c in cash[:-1]]
    last = sched.iloc[-1]
    assert last["payment"] == last["interest"] + last["opening_balance"]
    assert int(sched["principal"].sum()) == amount
    assert (sched[["interest", "principal", "payment", "closing_balance"]] >= 0).all().all()
    # the residue: each period's interest and payment are rounded once (at most a cent
    # between them), and what is left over grows at the rate until the end
    n = len(cash)
    bound = sum((1 + rate) ** (n - 1 - j) for j in range(n))
    assert abs(pay[-1] - Fraction(cash[-1]) / k) <= bound


def test_sizing_at_the_largest_sculpted_debt_gives_k_equal_to_the_target():
    """The capacity model's sculpted sizing: the present value, at the rate, of each year's
    cash flow ÷ the target coverage. A series of that amount (whole cents: the sizing rounds
    down) is covered k = the target, to the cent: target x (1 + at most a cent / amount)."""
    rng = random.Random(12)
    for _ in range(200):
        years = rng.randint(1, 30)
        rate = Fraction(rng.randint(0, 1200), 10_000)
        target = Fraction(rng.randint(100, 300), 100)
        cash = [rng.randint(2_000_000, 6_000_000) for _ in range(years)]
        if not repays_principal_every_year(cash, rate):
            continue
        largest = int(
            np.floor(sculpted_capacity(np.array(cash), float(rate), years, float(target)))
        )
        s = sculpted(Decimal(largest) / 100, Decimal(rate.numerator) / rate.denominator,
                     [Decimal(c) / 100 for c in cash])  # fmt: skip
        k = sculpted_coverage(s)
        assert target * (1 - Fraction(1, largest)) <= k <= target * (1 + Fraction(2, largest))


def test_sized_exactly_the_coverage_is_exactly_the_target():
    """Cash flows of 1.25 x 25,000 $ x 1.04^j: each year carries 25,000 $ of present value
    at 4 % and coverage 1.25, 100,000 $ over four years: sized at that, a series of
    100,000 $ is covered 1.25 exactly, and pays 25,000 x 1.04^j a year."""
    target, rate = Fraction(5, 4), Fraction(1, 25)
    cash = [target * 2_500_000 * (1 + rate) ** j for j in range(1, 5)]
    assert [int(c) for c in cash] == [3_250_000, 3_380_000, 3_515_200, 3_655_808]
    assert sculpted_capacity(np.array(cash, dtype=float), 0.04, 4, 1.25) == pytest.approx(10**7)
    s = sculpted(100_000, Decimal("0.04"), [Decimal(int(c)) / 100 for c in cash])
    assert sculpted_coverage(s) == target
    assert series_schedule(s)["payment"].tolist() == [2_600_000, 2_704_000, 2_812_160, 2_924_646]


def test_step_rates_discount_each_year_at_its_own_rate():
    """4 % for two years, then 6 %: k = sum of cash_j / prod (1 + r_i) over i <= j / amount."""
    cash = [3_000_000, 3_100_000, 3_200_000, 3_300_000, 3_400_000]
    rates = [Fraction(4, 100)] * 2 + [Fraction(6, 100)] * 3
    s = sculpted(120_000, Decimal("0.04"), [Decimal(c) / 100 for c in cash],
                 step_rates=({"from_year": 3, "annual_rate": Decimal("0.06")},))  # fmt: skip
    discount, pv = Fraction(1), Fraction(0)
    for c, r in zip(cash, rates, strict=True):
        discount /= 1 + r
        pv += c * discount
    assert sculpted_coverage(s) == pv / 12_000_000
    sched = series_schedule(s)
    assert sched["annual_rate"].tolist() == [0.04, 0.04, 0.06, 0.06, 0.06]
    assert int(sched["closing_balance"].iloc[-1]) == 0


def test_a_zero_rate_repays_the_cash_flows_in_proportion():
    s = sculpted(90_000, 0, [Decimal(20_000), Decimal(30_000), Decimal(50_000)])
    assert sculpted_coverage(s) == Fraction(100_000, 90_000)
    assert series_schedule(s)["payment"].tolist() == [1_800_000, 2_700_000, 4_500_000]


# ---------------------------------------------------------------- fiscal years and weights


def test_payments_of_one_fiscal_year_share_its_cash_flow_evenly():
    """Semi-annual from 30 June 2025, fiscal years ending 31 December: fiscal 2025 holds
    one payment (31 December), 2026 to 2029 two each, 2030 one (30 June). Each fiscal
    year's debt service is its cash flow ÷ k, shared evenly among its payments."""
    cash = {2025: 10_000, 2026: 22_000, 2027: 24_000, 2028: 26_000, 2029: 28_000, 2030: 15_000}
    s = sculpted(100_000, Decimal("0.05"), cash, issue=dt.date(2025, 6, 30), term=5,
                 frequency="semi-annual")  # fmt: skip
    sc = sculpting(s)
    assert sc.fiscal_years == (2025, 2026, 2026, 2027, 2027, 2028, 2028, 2029, 2029, 2030)
    assert sc.weights == (1_000_000, 1_100_000, 1_100_000, 1_200_000, 1_200_000,
                          1_300_000, 1_300_000, 1_400_000, 1_400_000, 1_500_000)  # fmt: skip
    fy = by_fiscal_year(series_schedule(s))
    paid = dict(zip(fy["fiscal_year"], fy["payment"], strict=True))
    k = float(sc.coverage)
    for year, c in cash.items():  # cents: each payment rounded once; the last one absorbs
        assert paid[year] == pytest.approx(c * 100 / k, abs=2 if year < 2030 else 10)


def test_a_payment_moved_into_the_next_fiscal_year_takes_that_year_s_cash_flow():
    """31 December 2028 is a Sunday: with following, it is paid on 2 January 2029, in
    fiscal 2029, which then holds two payments sharing its cash flow, and 2028 none."""
    cash = {2026: 30_000, 2027: 30_000, 2028: 30_000, 2029: 40_000, 2030: 30_000}
    s = sculpted(100_000, Decimal("0.03"), cash, term=5, business_day="following")
    sc = sculpting(s)
    assert sc.fiscal_years == (2026, 2027, 2029, 2029, 2030)
    assert sc.weights[2:4] == (2_000_000, 2_000_000)


def test_a_year_whose_payment_would_not_cover_its_interest_pays_interest_only():
    """A weak first year against strong later ones: its cash flow ÷ k is below the interest
    on the whole amount, so it pays the interest only, and k is the present value of the
    later years at the rate: (60,000 / 1.08 + 90,000 / 1.08^2) / 100,000."""
    s = sculpted(100_000, Decimal("0.08"), [Decimal(5_000), Decimal(60_000), Decimal(90_000)])
    sc = sculpting(s)
    k = (
        Fraction(60_000) / Fraction(108, 100) + Fraction(90_000) / Fraction(108, 100) ** 2
    ) / 100_000
    assert sc.interest_only == (0,) and sc.coverage == k
    sched = series_schedule(s)
    assert sched["principal"].tolist()[0] == 0
    assert sched["payment"].tolist()[0] == 800_000  # 8 % of 100,000 $
    assert sched["payment"].tolist()[1] == round_half_up(6_000_000 / k)


def test_long_act_months_at_a_high_rate_pay_interest_only_as_a_level_payment_does():
    """100 years monthly on ACT/ACT at 12 % against a flat cash flow: a 31-day month's
    interest exceeds a level twelfth of the year's cash flow while much is still owed, as
    with a level payment; those months repay nothing (which leaves more to discount, so
    some 30-day months follow), and the amount is still repaid. An annuity at 12 % over
    100 years would repay only about 2 % of its principal in its first 67 years anyway."""
    cash = {y: 120_000 for y in range(2025, 2126)}
    s = sculpted(900_000, Decimal("0.12"), cash, issue=dt.date(2025, 1, 31), term=100,
                 frequency="monthly", day_count="ACT/ACT")  # fmt: skip
    start = time.perf_counter()
    sched = series_schedule(s)
    assert time.perf_counter() - start < 5
    sc = sculpting(s)
    io = list(sc.interest_only)
    assert io and max(io) < 67 * 12
    assert (sched["principal"].to_numpy()[io] == 0).all()
    assert (sched["payment"].to_numpy()[io] == sched["interest"].to_numpy()[io]).all()
    assert int(sched["principal"].sum()) == 90_000_000
    assert (sched["closing_balance"] >= 0).all()


# ---------------------------------------------------------------- against the capacity model


def test_every_fiscal_year_of_a_sculpted_issue_is_covered_k_times():
    """Two sculpted series on one cash flow, no other debt: the capacity model's coverage
    of each fiscal year with payments is k, to the cent."""
    cash = (35_000, 52_000, 55_000, 61_000, 58_000, 64_000, 70_000)
    a = SeriesTerms("A", 150_000, 500, 0.045, dt.date(2025, 3, 31), term_years=6,
                    repayment="sculpted", frequency="quarterly", day_count="ACT/365F",
                    sculpt_cash_flow={2025 + k: c for k, c in enumerate(cash)})  # fmt: skip
    b = SeriesTerms("B", 80_000, 500, 0.045, dt.date(2025, 3, 31), term_years=6,
                    repayment="sculpted", frequency="quarterly", day_count="ACT/365F",
                    sculpt_cash_flow={2025 + k: c for k, c in enumerate(cash)})  # fmt: skip
    from bondkit.core.schedule import issue_schedule

    sched = issue_schedule([a, b])
    result = assess(CapacityTerms(cash_flow=cash), [a, b], annual_debt_service(sched), sched)
    ka, kb = float(sculpted_coverage(a)), float(sculpted_coverage(b))
    k = 1 / (1 / ka + 1 / kb)  # cash / (cash/ka + cash/kb)
    for rec in result.table.itertuples():
        if rec.debt_service:
            payments = len(sched[sched["date"].dt.year == rec.fiscal_year])
            assert rec.coverage == pytest.approx(k, abs=k * payments / rec.debt_service)


def test_k_scales_with_the_amount_and_a_bond_of_the_series_gets_its_share():
    s = sculpted(100_000, Decimal("0.04"), [Decimal(30_000), Decimal(40_000), Decimal(50_000)])
    assert sculpted_coverage(s.with_amount(50_000)) == 2 * sculpted_coverage(s)
    one = series_schedule(s.with_amount(Decimal("0.01")))  # one bond of a cent
    assert int(one["principal"].sum()) == 1
    bond = SeriesTerms("S", 100_000, 1_000, 0.04, dt.date(2025, 12, 31), term_years=3,
                       repayment="sculpted", sculpt_cash_flow=s.sculpt_cash_flow)  # fmt: skip
    assert investor_yield(bond) == pytest.approx(0.04, abs=1e-4)
    # the terms are plain data: the other styles ignore the cash flow
    assert series_schedule(bond.with_amount(5_000)).shape[0] == 3


def test_level_amounts_are_the_sculpted_payments():
    s = sculpted(60_000, Decimal("0.04"), [Decimal(26_000), Decimal(27_040), Decimal("28121.60")])
    assert level_amounts(s) == [2_080_000, 2_163_200, 2_249_728]


# ---------------------------------------------------------------- what is refused


def test_a_sculpted_series_needs_a_positive_cash_flow_in_every_year_it_pays_in():
    with pytest.raises(ValueError, match="needs sculpt_cash_flow"):
        SeriesTerms("S", 1_000, 10, 0.04, dt.date(2025, 1, 1), term_years=2, repayment="sculpted")
    with pytest.raises(ValueError, match="no cash flow for fiscal year 2027"):
        sculpting(sculpted(1_000, Decimal("0.04"), {2026: 500}, issue=dt.date(2025, 1, 1), term=2))
    with pytest.raises(ValueError, match="fiscal year 2027 must be positive"):
        series_schedule(sculpted(1_000, Decimal("0.04"), {2026: 500, 2027: 0},
                                 issue=dt.date(2025, 1, 1), term=2))  # fmt: skip
    with pytest.raises(ValueError, match="interest_only_years applies to level"):
        sculpted(1_000, Decimal("0.04"), [Decimal(500), Decimal(500)], interest_only_years=1)


# ---------------------------------------------------------------- an independent recomputation


def _fiscal_year(d: dt.date, month: int, day: int) -> int:
    """The fiscal year of ``d`` (named by the year it ends in), day clamped to the month."""
    last = (dt.date(d.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return d.year if d <= dt.date(d.year, month, min(day, last)) else d.year + 1


def _numpy_schedule(terms: SeriesTerms, month: int, day: int) -> dict[str, np.ndarray]:
    """The sculpted schedule from the periods' dates, rates and year fractions only, in
    numpy floating point: fiscal years and weights, the present values backward (a period
    whose payment would not cover its interest pays interest only), k, and the balance
    recursion with half-up cents."""
    p = periods(terms)
    years = np.array([_fiscal_year(d, month, day) for d in p.end])
    cash = {y: float(c) * 100 for y, c in terms.sculpt_cash_flow}
    counts = {y: int((years == y).sum()) for y in set(years.tolist())}
    w = np.array([cash[y] / counts[y] for y in years.tolist()])
    g = np.array([float(r) * float(f) for r, f in zip(p.rate, p.year_fraction, strict=True)])
    n = len(w)
    pv = np.zeros(n + 1)
    for j in range(n - 1, -1, -1):
        pv[j] = max((w[j] + pv[j + 1]) / (1 + g[j]), pv[j + 1])
    amount = terms.amount_cents
    k = pv[0] / amount

    def cents(x: float) -> int:  # half up; an exact half computed a hair below still rounds up
        return int(np.floor(x + 0.5 + 1e-8))

    rows = {key: np.zeros(n, dtype=np.int64) for key in ("opening", "interest", "principal")}
    balance = amount
    for j in range(n):
        interest = cents(balance * float(p.rate[j]) * float(p.year_fraction[j]))
        target = cents(w[j] / k)
        principal = balance if j == n - 1 else min(max(target - interest, 0), balance)
        rows["opening"][j], rows["interest"][j], rows["principal"][j] = balance, interest, principal
        balance -= principal
    return {"k": k, **rows}


@pytest.mark.parametrize("seed", range(60))
def test_an_independent_numpy_recursion_gives_the_same_cents(seed):
    rng = random.Random(seed)
    fye = rng.choice(["12-31", "03-31", "06-30", "09-30", "02-29"])
    month, day = int(fye[:2]), int(fye[3:])
    year, month_of_issue = rng.randint(2020, 2030), rng.randint(1, 12)
    issue = dt.date(year, month_of_issue, rng.choice([1, 15, 28]))
    if rng.random() < 0.3:  # a month end
        issue = dt.date(year + (month_of_issue == 12), month_of_issue % 12 + 1, 1) - dt.timedelta(1)
    term = rng.randint(1, 12)
    frequency = rng.choice(list(FREQUENCIES))
    base = rng.randint(20_000, 200_000)
    # now and then a steep cash flow, whose first periods pay interest only
    growth = rng.uniform(-0.03, 0.06) if rng.random() < 0.7 else rng.uniform(0.2, 0.6)
    cash = {issue.year - 1 + y: Decimal(round(base * (1 + growth) ** y + rng.randint(0, 9_999), 2))
            for y in range(term + 3)}  # fmt: skip
    steps = ()
    if term > 2 and rng.random() < 0.5:
        steps = (
            {
                "from_year": rng.randint(2, term),
                "annual_rate": Decimal(rng.randint(0, 900)) / 10_000,
            },
        )
    s = SeriesTerms(
        "S",
        Decimal(rng.randint(1_000_000, 50_000_000)) / 100,
        Decimal("0.01"),
        Decimal(rng.randint(0, 1_200)) / 10_000,
        issue,
        term_years=term,
        repayment="sculpted",
        frequency=frequency,
        day_count=rng.choice(DAY_COUNTS),
        business_day=rng.choice(BUSINESS_DAYS),
        step_rates=steps,
        sculpt_cash_flow=cash,
        fiscal_year_end=fye,
    )
    ours = series_schedule(s)
    theirs = _numpy_schedule(s, month, day)
    assert float(sculpted_coverage(s)) == pytest.approx(theirs["k"], rel=1e-12)
    assert ours["opening_balance"].tolist() == theirs["opening"].tolist()
    assert ours["interest"].tolist() == theirs["interest"].tolist()
    assert ours["principal"].tolist() == theirs["principal"].tolist()


def test_the_summary_reports_k_and_the_coverage_is_k_every_year():
    """The summary JSON gives each sculpted series' k; with no other debt and no sinking
    fund, the capacity table's coverage equals k in every paying year, to the cents."""
    from bondkit.runner import run
    from bondkit.scenario import load_example

    sc = load_example("grand-costumier-2016").with_changes(
        {"repayment": "sculpted", "campaign.simulations": 200, "risk.paths": 200}
    )
    res = run(sc)
    k = res.to_dict()["series"]["A"]["sculpted_coverage"]
    assert k == float(sculpted_coverage(res.series[0]))
    paying = res.capacity.table.dropna(subset=["coverage"])
    assert len(paying) == 5
    # each year's debt service is cash flow / k rounded to the cent: a relative error of at
    # most a cent over the smallest payment
    for cov, ds in zip(paying["coverage"], paying["debt_service"], strict=True):
        assert abs(cov - k) / k <= 1 / ds + 1e-12
    plain = run(load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}))  # fmt: skip
    assert plain.to_dict()["series"]["A"]["sculpted_coverage"] is None
