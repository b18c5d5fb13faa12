"""Capacity: coverage, sizing, sinking fund and reserve against closed forms."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondkit.core.schedule import annual_debt_service, issue_schedule
from bondkit.core.terms import CapacityTerms, Reserve, SeriesTerms, SinkingFund
from bondkit.models.capacity import (
    assess,
    cash_flow_by_year,
    level_payment_capacity,
    sculpted_capacity,
    sinking_fund_schedule,
)


def bullet(amount=100_000, rate=0.04, years=5, sid="A", **kw) -> SeriesTerms:
    return SeriesTerms(
        sid, amount, 500, rate, dt.date(2020, 3, 1), term_years=years, repayment="bullet", **kw
    )


def run(series, **kw):
    sched = issue_schedule(series)
    fiscal = annual_debt_service(sched)
    return assess(CapacityTerms(**kw), series, fiscal, sched), fiscal


def test_coverage_by_hand_and_null_without_debt_service():
    # 100 000 $ at 4 % bullet from 2020-03-01: 4 000 $ a year 2021-2024, 104 000 $ in 2025; 2020 pays nothing
    cf = (10_000, 10_000, 8_000, 10_000, 10_000, 150_000)
    res, _ = run([bullet()], cash_flow=cf, other_debt_service=(1_000,))
    t = res.table
    assert t["fiscal_year"].tolist() == list(range(2020, 2026))
    # 2020: only the other debt (1 000 $): 10 000 / 1 000
    assert t["coverage"][0] == pytest.approx(10.0)
    assert t["coverage"][2] == pytest.approx(8_000 / 5_000)
    # 2025: the principal falls due at maturity, not periodic: the coupon and the other debt
    assert t["coverage"][5] == pytest.approx(150_000 / 5_000)
    assert t["periodic_debt_service"][5] == 400_000 and t["due_at_maturity"][5] == 10_000_000
    assert res.min_dscr == pytest.approx(8_000 / 5_000)
    assert res.years_below_threshold == []
    res2, _ = run([bullet()], cash_flow=cf)
    assert math.isnan(res2.table["coverage"][0])  # no debt service at all in 2020
    assert res2.summary()["min_dscr"] == pytest.approx(8_000 / 4_000)


def test_issue_closed_form_bullet_coverage_and_maturity_test():
    """#12: a 5-year 4 % bullet of 100,000 $ with 10,000 $ a year of cash flow has a lowest
    coverage of 2.5; the maturity test by hand: cash saved 2020 (10,000, no coupon yet),
    2021-2024 (6,000 a year), the maturity year's 10,000 less its 4,000 coupon, against the
    100,000 $ principal: (10,000 + 24,000 + 6,000) / 100,000 = 0.40."""
    res, _ = run([bullet()], cash_flow=(10_000,) * 6)
    assert res.min_dscr == 2.5
    assert res.table["coverage"].dropna().tolist() == [2.5] * 5
    m = res.maturities.iloc[0]
    assert (m["due"], m["cash_start"], m["cash_flow"]) == (10_000_000, 3_400_000, 600_000)
    assert res.maturity_coverage == pytest.approx(0.40)
    # with 65 % of the holders expected to renew: (40,000 + 65,000) / 100,000
    sched = issue_schedule([bullet()])
    renewed = assess(
        CapacityTerms(cash_flow=(10_000,) * 6),
        [bullet()],
        annual_debt_service(sched),
        sched,
        renewal_rate=0.65,
    )
    assert renewed.maturities["renewals"].tolist() == [6_500_000]
    assert renewed.maturity_coverage == pytest.approx(1.05)


def test_a_level_payment_issue_keeps_its_coverage():
    """#12: nothing of a level-payment issue falls due at maturity: every payment is
    periodic, coverage = cash flow / debt service as before, and there is no maturity test."""
    lp = SeriesTerms(
        "A", 100_000, 500, 0.04, dt.date(2020, 3, 1), term_years=5, repayment="level-payment"
    )
    res, fiscal = run([lp], cash_flow=(30_000,) * 6)
    ds = fiscal["debt_service"].to_numpy()
    expected = [30_000_00 / d for d in ds if d > 0]
    assert res.table["coverage"].dropna().tolist() == pytest.approx(expected)
    assert res.maturities.empty and res.maturity_coverage is None
    assert (res.table["due_at_maturity"] == 0).all()


def test_costs_are_paid_from_the_cash_in_the_years_they_fall():
    costs = np.array([300_000, 50_000, 50_000, 50_000, 50_000, 50_000])
    sched = issue_schedule([bullet()])
    fiscal = annual_debt_service(sched)
    terms = CapacityTerms(cash_flow=(10_000,) * 6)
    base = assess(terms, [bullet()], fiscal, sched)
    paid = assess(terms, [bullet()], fiscal, sched, costs=costs)
    assert (base.table["cash_end"] - paid.table["cash_end"]).tolist() == np.cumsum(costs).tolist()
    assert paid.table["costs"].tolist() == costs.tolist()
    # the maturity test pays that year's cost first; coverage itself does not change
    m0, m1 = base.maturities.iloc[0], paid.maturities.iloc[0]
    assert (
        m1["cash_start"] == m0["cash_start"] - 500_000
        and m1["cash_flow"] == m0["cash_flow"] - 50_000
    )
    assert paid.min_dscr == base.min_dscr


def test_years_below_threshold_and_cash():
    res, _ = run(
        [bullet()],
        cash_flow=(0, 4_500, 4_500, 9_000, 9_000, 200_000),
        opening_cash=1_000,
        coverage_threshold=1.25,
    )
    assert res.years_below_threshold == [2021, 2022]  # 4 500 / 4 000 = 1.125
    # cash: 1 000 + cumulative (cash flow - debt service)
    expected = (
        np.cumsum(
            np.array([0, 4_500, 4_500, 9_000, 9_000, 200_000])
            - np.array([0, 4_000, 4_000, 4_000, 4_000, 104_000])
        )
        + 1_000
    )
    assert (res.table["cash_end"].to_numpy() == expected * 100).all()


def test_cash_flow_growth_rounded_to_the_cent():
    terms = CapacityTerms(cash_flow_base=1_000, cash_flow_growth=0.025)
    got = cash_flow_by_year(terms, [2020, 2021, 2022, 2023])
    assert got.tolist() == [
        100_000,
        102_500,
        105_063,
        107_689,
    ]  # 1000 x 1.025^k: 1050.625 -> 1050.63


def test_cash_flow_table_too_short():
    with pytest.raises(ValueError, match="covers fiscal years 2020 to 2022"):
        run([bullet()], cash_flow=(1, 2, 3))


@given(
    st.lists(st.integers(1, 100_000), min_size=1, max_size=10),
    st.sampled_from([0.0, 0.02, 0.05]),
    st.sampled_from([1.0, 1.25, 1.5]),
)
@settings(max_examples=100, deadline=None)
def test_sizing_closed_forms(available, rate, target):
    a = np.array(available, dtype=float)
    n = len(a)
    pmt = a.min() / target
    annuity = n if rate == 0 else (1 - (1 + rate) ** -n) / rate
    assert level_payment_capacity(a, rate, n, target) == pytest.approx(pmt * annuity)
    pv = sum(x / target / (1 + rate) ** (k + 1) for k, x in enumerate(available))
    assert sculpted_capacity(a, rate, n, target) == pytest.approx(pv)
    # a loan of that size at that rate is repaid by level payments that keep coverage at target
    size = level_payment_capacity(a, rate, n, target)
    payment = size / annuity
    assert (a / payment >= target - 1e-9).all()


def test_a_year_without_capacity_carries_no_level_debt():
    a = np.array([50_000.0, 0.0, 60_000.0])
    assert level_payment_capacity(a, 0.04, 3, 1.25) == 0.0
    assert sculpted_capacity(a, 0.04, 3, 1.25) == pytest.approx(40_000 / 1.04 + 48_000 / 1.04**3)
    res, _ = run([bullet()], cash_flow=(100_000, 100_000, -5_000, 100_000, 100_000, 100_000))
    assert res.years_without_capacity == (2022,)
    assert res.max_debt_level_payment == 0
    assert bool(res.table["no_capacity"][2])


@given(st.integers(1, 10**9), st.integers(1, 15), st.sampled_from(["0", "0.01", "0.015", "0.05"]))
@settings(max_examples=200, deadline=None)
def test_sinking_fund_reaches_exactly_the_principal(due, n, rate):
    r = Fraction(rate)
    pays, balances = sinking_fund_schedule(due, n, r)
    assert balances[-1] == due and len(pays) == n
    level = due / n if r == 0 else due * r / ((1 + r) ** n - 1)
    assert all(abs(p - level) <= 0.5 for p in pays[:-1])
    assert abs(pays[-1] - level) <= n  # the last absorbs at most a cent of rounding a year


def test_sinking_fund_in_the_assessment():
    s = [bullet(amount=100_000, rate=0.04, years=5)]
    res, _ = run(s, cash_flow=(50_000,) * 6, sinking_fund=SinkingFund(rate=0.02))
    t = res.table
    # deposits at the end of 2020..2024, withdrawn in 2025 when the principal is due
    level = 100_000 * 0.02 / (1.02**5 - 1)
    assert t["sinking_deposit"][:4].tolist() == [round(level * 100)] * 4
    assert abs(t["sinking_deposit"][4] - level * 100) <= 5  # the last absorbs the rounding
    assert t["sinking_balance"][4] == 10_000_000 and t["sinking_withdrawal"][5] == 10_000_000
    assert res.summary()["sinking_fund_deposit"] == round(level, 2)
    m = res.maturities.iloc[0]
    assert m["fiscal_year"] == 2025 and m["sinking_fund"] == 10_000_000
    # the deposits are periodic debt service: 50,000 / (4,000 + deposit) in 2021-2024
    assert t["coverage"][1] == pytest.approx(50_000_00 / (400_000 + t["sinking_deposit"][1]))
    # at maturity the principal (100,000 $) is due; the year's coupon is paid first
    assert m["due"] == 10_000_000
    assert m["coverage"] == pytest.approx((m["cash_start"] + 10_000_000 + 4_600_000) / 10_000_000)


def test_reserve_targets():
    s = [bullet()]
    res, fiscal = run(s, cash_flow=(50_000,) * 6, reserve=Reserve("months-of-next-year", months=6))
    ds = fiscal["debt_service"].tolist()
    assert res.table["reserve_target"].tolist() == [d // 2 for d in ds[1:]] + [0]
    res, fiscal = run(
        s, cash_flow=(50_000,) * 6, reserve=Reserve(), minimum_cash=1_000, opening_cash=200_000
    )
    assert (res.table["reserve_target"] == 10_400_000).all()
    covered = res.table["cash_end"] >= 100_000 + 10_400_000
    assert (res.table["reserve_covered"] == covered).all()


def test_maturity_coverage_counts_the_issues_other_payments_that_year():
    # A matures in 2025 (104 000 $ due); B keeps paying its 4 000 $ coupon that year
    a, b = bullet(sid="A", years=5), bullet(sid="B", years=7)
    res, fiscal = run([a, b], cash_flow=(60_000,) * 8, opening_cash=0)
    m = res.maturities.set_index("fiscal_year").loc[2025]
    assert m["due"] == 10_000_000  # A's principal; A's and B's coupons are periodic
    cash_start = int(res.table.set_index("fiscal_year").loc[2024, "cash_end"])
    assert m["coverage"] == pytest.approx((cash_start + 6_000_000 - 800_000) / 10_000_000)
    assert bool(res.table.set_index("fiscal_year").loc[2025, "maturity_year"])


def test_a_year_without_cash_flow_gets_no_coverage_never_a_negative_one():
    res, _ = run([bullet()], cash_flow=(10_000, -5_000, 0, 10_000, 10_000, 200_000))
    t = res.table.set_index("fiscal_year")
    assert math.isnan(t.loc[2021, "coverage"]) and math.isnan(t.loc[2022, "coverage"])
    assert bool(t.loc[2021, "no_capacity"]) and bool(t.loc[2022, "no_capacity"])
    assert res.years_without_capacity == (2021, 2022)
    # the minimum and the average are over the years that have capacity: 10 000 / 4 000 ...
    assert res.min_dscr == pytest.approx(min(10_000 / 4_000, 200_000 / 4_000))
    assert res.average_dscr == pytest.approx((2.5 + 2.5 + 200_000 / 4_000) / 3)
    # a cash deficit at maturity is a coverage of 0, not a negative one
    low, _ = run([bullet()], cash_flow=(-1_000,) * 6)
    assert low.maturities["coverage"].tolist() == [0.0]
    assert (low.table["coverage"].isna()).all()


def test_sinking_fund_deposits_start_when_the_series_is_issued():
    late = SeriesTerms(
        "B", 50_000, 500, 0.03, dt.date(2022, 3, 1), term_years=3, repayment="bullet"
    )
    res, _ = run([bullet(), late], cash_flow=(50_000,) * 6, sinking_fund=SinkingFund(rate=0))
    t = res.table.set_index("fiscal_year")
    # A: 100 000 over 2020..2024 (5 deposits); B: 50 000 over 2022..2024 (3 deposits)
    assert (
        t.loc[2020, "sinking_deposit"] == 2_000_000 and t.loc[2021, "sinking_deposit"] == 2_000_000
    )
    assert t.loc[2022, "sinking_deposit"] == 2_000_000 + round(5_000_000 / 3)
    assert t.loc[2025, "sinking_withdrawal"] == 15_000_000


def test_sizing_extends_a_growing_cash_flow_past_the_issue():
    res, _ = run(
        [bullet()],
        cash_flow_base=20_000,
        cash_flow_growth=0.0,
        sizing_term_years=10,
        sizing_rate=0.05,
    )
    assert res.sizing_years == 10
    annuity = (1 - 1.05**-10) / 0.05
    # to the cent, half up
    assert res.max_debt_level_payment == math.floor(20_000 / 1.25 * annuity * 100 + 0.5)
    # a table cannot be extended: the sizing uses the years it has (reported)
    table, _ = run([bullet()], cash_flow=(20_000,) * 6, sizing_term_years=10, sizing_rate=0.05)
    assert table.sizing_years == 5
