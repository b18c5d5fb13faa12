"""Metrics against closed forms and the contract's example figures."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, getcontext
from fractions import Fraction

import pytest

from bondkit.core.metrics import (
    accrued_interest,
    bond_cash_flows,
    investor_yield,
    issuer_all_in_cost,
    issuer_cash_flows,
    macaulay_duration,
    max_annual_debt_service,
    weighted_average_life,
)
from bondkit.core.schedule import issue_schedule, series_schedule
from bondkit.core.terms import CostTerms, SeriesTerms

getcontext().prec = 50


def cinema(**changes) -> SeriesTerms:
    base = dict(
        id="A",
        amount=100_000,
        face_value=500,
        annual_rate=0.02,
        issue_date=dt.date(2017, 2, 1),
        term_years=5,
        repayment="accumulating",
        interest="compound",
    )
    return SeriesTerms(**{**base, **changes})


def test_contract_example_figures():
    """scenario-format.md: investor_yield 0.019989, issuer_all_in_cost 0.0311 (rounded)."""
    s = cinema()
    costs = CostTerms(upfront=3_000, annual_admin=500)
    assert round(investor_yield(s), 6) == 0.019989
    assert round(issuer_all_in_cost([s], costs), 4) == 0.0311


def test_investor_yield_zero_coupon_closed_form():
    # one bond: -500 on issue, +552.04 at maturity (500 x 1.02^5 rounded), t = days/365
    s = cinema()
    days = (dt.date(2022, 2, 1) - dt.date(2017, 2, 1)).days
    expected = (552.04 / 500) ** (365 / days) - 1
    assert investor_yield(s) == pytest.approx(expected, rel=1e-12)


def test_all_in_cost_solves_the_dated_flows():
    """NPV of the issuer's flows at the all-in cost is zero (Excel XNPV convention)."""
    s = cinema()
    costs = CostTerms(upfront=3_000, annual_admin=500)
    r = issuer_all_in_cost([s], costs)
    flows = issuer_cash_flows([s], costs)
    t0 = flows["date"].min()
    npv = sum(
        a / (1 + r) ** ((d - t0).days / 365)
        for d, a in zip(flows["date"], flows["amount"], strict=True)
    )
    assert abs(npv) < 1e-4  # cents
    # flows by hand: +100000 -3000 on issue, -500 on five anniversaries, -110408.08 at maturity
    assert flows["amount"].sum() == 10_000_000 - 300_000 - 5 * 50_000 - 11_040_808


def test_all_in_cost_without_costs_equals_investor_yield_of_whole_series():
    s = cinema(face_value=100_000)  # one bond = the whole series, so the cents agree
    assert issuer_all_in_cost([s], CostTerms()) == pytest.approx(investor_yield(s), abs=1e-12)


def test_bullet_yield_at_par_is_the_effective_annual_rate():
    # annual 30/360 bullet with anniversaries 365/366 days apart: yield close to, not exactly, 4 %
    s = cinema(repayment="bullet", interest=None, annual_rate=0.04, face_value=1_000)
    y = investor_yield(s)
    assert y == pytest.approx(0.04, abs=5e-5)
    # semi-annual 4 %: effective (1.02)^2 - 1 = 4.04 %
    s2 = cinema(
        repayment="bullet",
        interest=None,
        annual_rate=0.04,
        face_value=1_000,
        frequency="semi-annual",
    )
    assert investor_yield(s2) == pytest.approx(1.02**2 - 1, abs=5e-5)


def test_weighted_average_life_and_duration_of_a_zero_coupon():
    s = cinema()
    sched = series_schedule(s)
    t = (dt.date(2022, 2, 1) - dt.date(2017, 2, 1)).days / 365
    assert weighted_average_life(sched, s.issue_date) == pytest.approx(t)
    assert macaulay_duration(s) == pytest.approx(t)


def test_level_principal_wal_closed_form():
    # 5 equal annual instalments on a 30/360 annual schedule; WAL = mean of payment times
    s = cinema(repayment="level-principal", interest=None)
    sched = series_schedule(s)
    times = [(dt.date(2017 + k, 2, 1) - dt.date(2017, 2, 1)).days / 365 for k in range(1, 6)]
    assert weighted_average_life(sched, s.issue_date) == pytest.approx(sum(times) / 5)


def test_accrued_interest_closed_forms():
    s = cinema()
    # compound, two full years: 100000 x (1.02^2 - 1) = 4040.00
    assert accrued_interest(s, dt.date(2019, 2, 1)) == 404_000
    # compound, 2 years and 3 months (30/360): 100000 x (1.02^2 x (1 + 0.02 x 0.25) - 1)
    exact = Decimal(100_000) * (Decimal("1.0404") * Decimal("1.005") - 1)
    assert accrued_interest(s, dt.date(2019, 5, 1)) == int(
        (exact * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    # simple: 100000 x 0.02 x 2.5
    simple = cinema(interest="simple")
    assert accrued_interest(simple, dt.date(2019, 8, 1)) == 500_000
    # bullet annual: on a payment date nothing is accrued; half-way, half a coupon
    bullet = cinema(repayment="bullet", interest=None)
    assert accrued_interest(bullet, dt.date(2019, 2, 1)) == 0
    assert accrued_interest(bullet, dt.date(2019, 8, 1)) == 100_000
    assert accrued_interest(bullet, dt.date(2016, 1, 1)) == 0
    assert accrued_interest(bullet, dt.date(2023, 1, 1)) == 0


def test_max_annual_debt_service_by_fiscal_year():
    a = cinema(id="A", repayment="bullet", interest=None, annual_rate=0.03, term_years=3)
    b = cinema(
        id="B", repayment="bullet", interest=None, annual_rate=0.04, term_years=5, amount=200_000
    )
    sched = issue_schedule([a, b])
    # FY = calendar: 2020 holds A's last payment (103000) and B's coupon (8000) = 111000;
    assert max_annual_debt_service(sched, "12-31") == 20_800_000  # 2022: B's principal + coupon
    # FY ending 01-31: every Feb-1 payment falls in the FY ending the next January
    assert max_annual_debt_service(sched, "01-31") == 20_800_000


def test_bond_cash_flows_one_bond():
    s = cinema()
    flows = bond_cash_flows(s)
    assert flows["amount"].tolist() == [-50_000, 55_204]
    # 500 x 1.02^5 = 552.0404016 -> 552.04
    assert round(Fraction(500) * Fraction(102, 100) ** 5, 2) == Fraction("552.04")
