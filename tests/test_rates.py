"""Tests of bondkit.core.rates against independent sources.

References: numpy-financial 1.0 (pmt, npv, irr), closed forms, the examples of Microsoft's
Excel documentation (XIRR, XNPV), and QuantLib's ``CashFlows.yieldRate`` (Actual/365F,
annual compounding), a test-only dependency.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondkit.core.rates import irr, npv, pmt, xirr, xnpv
from bondkit.errors import BondkitError

# Microsoft Excel documentation, "XIRR function" and "XNPV function" (same cash flows):
# https://support.microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d
# https://support.microsoft.com/office/xnpv-function-1b42bbf6-370f-4532-a0eb-d67c16b664b7
EXCEL_AMOUNTS = [-10_000.0, 2_750.0, 4_250.0, 3_250.0, 2_750.0]
EXCEL_DATES = [
    dt.date(2008, 1, 1),
    dt.date(2008, 3, 1),
    dt.date(2008, 10, 30),
    dt.date(2009, 2, 15),
    dt.date(2009, 4, 1),
]
EXCEL_XIRR = 0.373362535  # shown to 9 decimals in the XIRR documentation
# Excel stops iterating when XIRR is "accurate within 0.000001 percent" (its documentation):
# its figure is 1.5e-9 from the exact root, which QuantLib's yieldRate puts at 0.37336253352.
EXCEL_XIRR_ACCURACY = 1e-8
EXCEL_XIRR_QUANTLIB = 0.3733625335188312  # CashFlows.yieldRate, Actual365Fixed, Annual, 1e-14
EXCEL_XNPV_AT_9PCT = 2086.647602  # shown to 6 decimals in the XNPV documentation


def assert_same_rates(actual, desired):
    """Equal up to rounding: sums over rows of other lengths are added in another order."""
    np.testing.assert_allclose(actual, desired, rtol=1e-13, atol=1e-15)


def conventional_series(rng: np.random.Generator, n: int, n_periods: int) -> np.ndarray:
    """``n`` loan-like series: one outflow at t = 0, then ``n_periods - 1`` noisy inflows."""
    principal = rng.uniform(1e3, 1e6, n)
    rate = rng.uniform(-0.01, 0.03, n)  # per period
    k = n_periods - 1
    annuity = np.where(rate == 0, 1 / k, rate / (1 - (1 + rate) ** -k))
    out = np.empty((n, n_periods))
    out[:, 0] = -principal
    out[:, 1:] = (principal * annuity)[:, None] * rng.uniform(0.5, 1.5, (n, k))
    return out


# ---------------------------------------------------------------- pmt and npv


def test_pmt_rate_zero_is_straight_repayment():
    # a co-op borrows 12,000 $ interest-free over 24 months: 500 $ a month
    assert pmt(0.0, 24, 12_000) == -500.0
    assert pmt(0.0, 24, 12_000, when="begin") == -500.0
    # with a balloon of 2,000 $ left to repay (fv is what the borrower still owes: negative)
    assert pmt(0.0, 10, 12_000, fv=-2_000) == pytest.approx(-1_000.0, abs=1e-12)
    out = pmt(np.array([0.0, 0.0]), np.array([4, 8]), 1_000.0)
    np.testing.assert_array_equal(out, [-250.0, -125.0])


def test_pmt_matches_numpy_financial_with_broadcasting():
    rng = np.random.default_rng(1)
    rate = np.r_[0.0, rng.uniform(-0.05, 0.2, 9)][:, None, None]  # (10, 1, 1), with a zero
    nper = rng.integers(1, 360, 7)[None, :, None]  # (1, 7, 1)
    pv = rng.uniform(-1e6, 1e6, 5)  # (5,)
    fv = rng.uniform(-1e5, 1e5, 5)
    for when in ("end", "begin", 0, 1):
        got = pmt(rate, nper, pv, fv, when=when)
        ref = npf.pmt(rate, nper, pv, fv, when=when)
        assert got.shape == (10, 7, 5)
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-9)
    when = np.array([0, 1, 1, 0, 1])
    np.testing.assert_allclose(
        pmt(rate, nper, pv, fv, when=when), npf.pmt(rate, nper, pv, fv, when=when), rtol=1e-12
    )


def test_pmt_scalar_inputs_give_a_float():
    got = pmt(0.075 / 12, 12 * 15, 200_000)
    assert isinstance(got, float)
    assert got == pytest.approx(-1854.0247200054619, rel=1e-14)  # numpy-financial's docstring


def test_pmt_rejects_unknown_when():
    with pytest.raises(ValueError, match="when"):
        pmt(0.05, 10, 1_000, when="middle")


def test_npv_matches_numpy_financial_1d_and_2d():
    rng = np.random.default_rng(2)
    values = conventional_series(rng, 20, 13)
    rates = rng.uniform(-0.5, 0.5, 20)
    for row, r in zip(values, rates, strict=True):
        assert npv(r, row) == pytest.approx(npf.npv(r, row), rel=1e-12, abs=1e-6)
    np.testing.assert_allclose(
        npv(rates, values),
        [npf.npv(r, v) for r, v in zip(rates, values, strict=True)],
        rtol=1e-12,
        atol=1e-6,
    )
    np.testing.assert_allclose(
        npv(0.03, values), [npf.npv(0.03, v) for v in values], rtol=1e-12, atol=1e-6
    )
    # several rates against one series
    np.testing.assert_allclose(
        npv(rates[:4], values[0]), [npf.npv(r, values[0]) for r in rates[:4]], rtol=1e-12, atol=1e-6
    )


def test_npv_rate_zero_is_the_sum_and_nan_is_no_flow():
    assert npv(0.0, [-100.0, 30.0, 80.0]) == pytest.approx(10.0)
    assert npv(0.1, [-100.0, 110.0, np.nan]) == pytest.approx(0.0, abs=1e-12)
    assert np.isnan(npv(-1.0, [-100.0, 110.0]))


def test_npv_rejects_a_rate_per_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="rate"):
        npv([0.1, 0.2, 0.3], np.ones((2, 4)))


# ---------------------------------------------------------------- irr


def test_irr_matches_numpy_financial_on_random_conventional_series():
    rng = np.random.default_rng(3)
    checked = 0
    for n_periods in (2, 3, 5, 12, 25, 60):
        values = conventional_series(rng, 50, n_periods)
        got = irr(values)
        ref = np.array([npf.irr(v) for v in values])
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-9)
        assert_same_rates([irr(v) for v in values[:5]], got[:5])  # 1-D calls, one by one
        checked += len(values)
    assert checked == 300


@pytest.mark.parametrize(
    ("pv", "fv", "n"),
    [(10_000.0, 12_000.0, 3), (10_000.0, 8_000.0, 7), (1.0, 1e6, 2), (5_000.0, 5_000.0, 10)],
)
def test_irr_single_outflow_and_inflow_closed_form(pv, fv, n):
    values = np.zeros(n + 1)
    values[0], values[n] = -pv, fv
    expected = (fv / pv) ** (1 / n) - 1
    assert irr(values) == pytest.approx(expected, rel=1e-12, abs=1e-13)


def test_irr_known_numpy_financial_examples():
    # numpy-financial's docstring examples (one root each, except the last where npf and
    # bondkit both find the root near the 5 % guess)
    assert round(irr([-100, 39, 59, 55, 20]), 5) == 0.28095
    assert round(irr([-100, 0, 0, 74]), 5) == -0.0955
    assert round(irr([-100, 100, 0, -7]), 5) == -0.0833
    assert round(irr([-100, 100, 0, 7]), 5) == 0.06206
    assert round(irr([-5, 10.5, 1, -8, 1]), 5) == 0.0886


def test_irr_several_roots_prefers_the_one_reached_from_the_guess():
    # -100 + 230 v - 132 v^2 = 0 has the roots r = 10 % and r = 20 %
    values = [-100.0, 230.0, -132.0]
    assert irr(values) == pytest.approx(0.10, abs=1e-12)
    assert irr(values, guess=0.25) == pytest.approx(0.20, abs=1e-12)
    # the bisection fallback (no Newton step at all) picks the bracket nearest the guess
    assert irr(values, maxiter=0) == pytest.approx(0.10, abs=1e-11)
    assert irr(values, guess=0.3, maxiter=0) == pytest.approx(0.20, abs=1e-11)


def test_irr_bisection_fallback_matches_newton():
    rng = np.random.default_rng(4)
    values = conventional_series(rng, 40, 24)
    np.testing.assert_allclose(irr(values, maxiter=0), irr(values), rtol=0, atol=1e-11)


def test_irr_2d_rows_equal_1d_results_and_padding_changes_nothing():
    rng = np.random.default_rng(5)
    lengths = [2, 4, 9, 13, 30]
    width = max(lengths) + 3
    rows = [conventional_series(rng, 1, n)[0] for n in lengths]
    rows.append(np.array([-100.0, 230.0, -132.0]))  # two roots: still row by row
    rows.append(np.array([5.0, 7.0]))  # no sign change
    zero_padded = np.zeros((len(rows), width))
    nan_padded = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        zero_padded[i, : len(r)] = r
        nan_padded[i, : len(r)] = r
    one_by_one = np.array([irr(r) for r in rows])
    assert np.isnan(one_by_one[-1])
    assert_same_rates(irr(zero_padded), one_by_one)
    assert_same_rates(irr(nan_padded), one_by_one)
    # mixed padding within a row, and a row padded alone
    assert_same_rates(irr(np.r_[rows[2], 0.0, np.nan, 0.0]), one_by_one[2])


def test_irr_no_sign_change_is_nan_or_error():
    assert np.isnan(irr([100.0, 50.0, 25.0]))
    assert np.isnan(irr([-100.0, 0.0, -5.0]))
    assert np.isnan(irr([0.0, 0.0]))
    with pytest.raises(BondkitError, match="never change sign"):
        irr([100.0, 50.0], raise_on_failure=True)
    with pytest.raises(BondkitError, match=r"1 of 2 series:\nrow 1: .*never change sign"):
        irr([[-100.0, 110.0], [1.0, 2.0]], raise_on_failure=True)


def test_irr_sign_change_but_no_root_is_nan_or_error():
    # -100 + 50 v - 100 v^2 < 0 for every v: no rate of return
    values = [-100.0, 50.0, -100.0]
    assert np.isnan(irr(values))
    with pytest.raises(BondkitError, match="no sign change of the NPV was found"):
        irr(values, raise_on_failure=True)


def test_irr_rejects_bad_options_and_shapes():
    with pytest.raises(ValueError, match="guess"):
        irr([-1.0, 2.0], guess=-1.0)
    with pytest.raises(ValueError, match="1-D"):
        irr(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="infinite"):
        irr([-1.0, np.inf])


def test_irr_10000_series_of_121_periods_agree_with_numpy_financial_sample():
    rng = np.random.default_rng(6)
    n, n_periods = 10_000, 121
    principal = rng.uniform(1e3, 1e6, n)
    monthly = rng.uniform(0.0, 0.12, n) / 12
    annuity = np.where(monthly == 0, 1 / 120, monthly / (1 - (1 + monthly) ** -120))
    values = np.empty((n, n_periods))
    values[:, 0] = -principal
    values[:, 1:] = (principal * annuity)[:, None] * rng.uniform(0.9, 1.1, (n, 120))
    got = irr(values)
    assert got.shape == (n,)
    assert np.isfinite(got).all()
    sample = rng.choice(n, 50, replace=False)
    ref = np.array([npf.irr(values[i]) for i in sample])
    np.testing.assert_allclose(got[sample], ref, rtol=0, atol=1e-9)


# ---------------------------------------------------------------- xirr and xnpv


def test_xirr_excel_documentation_example():
    got = xirr(EXCEL_AMOUNTS, dates=EXCEL_DATES)
    assert got == pytest.approx(EXCEL_XIRR, rel=EXCEL_XIRR_ACCURACY)
    assert got == pytest.approx(EXCEL_XIRR_QUANTLIB, abs=1e-13)
    as_datetime64 = np.array(EXCEL_DATES, dtype="datetime64[D]")
    assert xirr(EXCEL_AMOUNTS, dates=as_datetime64) == got


def test_xnpv_excel_documentation_example():
    assert xnpv(0.09, EXCEL_AMOUNTS, dates=EXCEL_DATES) == pytest.approx(
        EXCEL_XNPV_AT_9PCT, abs=5e-7
    )


def test_xnpv_uses_the_earliest_date_as_the_first_date():
    order = [3, 0, 4, 1, 2]
    amounts = [EXCEL_AMOUNTS[i] for i in order]
    dates = [EXCEL_DATES[i] for i in order]
    assert xnpv(0.09, amounts, dates=dates) == pytest.approx(EXCEL_XNPV_AT_9PCT, abs=5e-7)
    assert xirr(amounts, dates=dates) == pytest.approx(EXCEL_XIRR_QUANTLIB, abs=1e-13)


@pytest.mark.parametrize(
    ("principal", "final", "end"),
    [
        (10_000.0, 10_600.0, dt.date(2025, 7, 1)),
        (10_000.0, 9_000.0, dt.date(2024, 2, 29)),
        (2_500.0, 4_000.0, dt.date(2030, 12, 31)),
        (1.0, 5.0, dt.date(2024, 1, 31)),  # a huge rate: Newton beyond the fallback grid
    ],
)
def test_xirr_single_outflow_and_inflow_closed_form(principal, final, end):
    start = dt.date(2024, 1, 1)
    days = (end - start).days
    expected = (final / principal) ** (365 / days) - 1
    got = xirr([-principal, final], dates=[start, end])
    assert got == pytest.approx(expected, rel=1e-11)
    assert xirr([-principal, final], [0.0, days / 365]) == pytest.approx(expected, rel=1e-11)


def test_irr_is_xirr_with_integer_times():
    rng = np.random.default_rng(7)
    values = conventional_series(rng, 30, 10)
    np.testing.assert_allclose(xirr(values, np.arange(10.0)), irr(values), rtol=0, atol=1e-13)


def test_xirr_matches_quantlib_yield_on_random_dated_series():
    ql = pytest.importorskip("QuantLib")
    rng = np.random.default_rng(8)
    start = dt.date(2024, 3, 15)
    for _ in range(20):
        k = int(rng.integers(1, 15))
        offsets = np.sort(rng.choice(np.arange(1, 3_650), k, replace=False))
        dates = [start] + [start + dt.timedelta(days=int(d)) for d in offsets]
        principal = 10_000.0
        amounts = np.r_[-principal, rng.uniform(0.2, 2.0, k) * principal / k]
        ql_start = ql.Date(start.day, start.month, start.year)
        leg = [
            ql.SimpleCashFlow(float(a), ql.Date(d.day, d.month, d.year))
            for a, d in zip(amounts[1:], dates[1:], strict=True)
        ]
        ref = ql.CashFlows.yieldRate(
            leg,
            principal,
            ql.Actual365Fixed(),
            ql.Compounded,
            ql.Annual,
            False,
            ql_start,
            ql_start,
            1e-14,
            1_000,
            0.05,
        )
        assert xirr(amounts, dates=dates) == pytest.approx(ref, abs=1e-9)


def test_xirr_2d_shared_dates_per_row_dates_and_padding():
    rng = np.random.default_rng(9)
    start = np.datetime64("2024-01-01")
    n, width = 6, 8
    amounts = np.full((n, width), np.nan)
    dates = np.full((n, width), np.datetime64("NaT"), dtype="datetime64[D]")
    expected = []
    for i in range(n):
        k = int(rng.integers(2, width + 1))
        d = start + np.r_[0, np.sort(rng.choice(np.arange(1, 2_000), k - 1, replace=False))]
        a = np.r_[-1_000.0, rng.uniform(100.0, 400.0, k - 1)]
        amounts[i, :k], dates[i, :k] = a, d + int(rng.integers(0, 400))  # rows start apart
        expected.append(xirr(a, dates=dates[i, :k]))
    got = xirr(amounts, dates=dates)
    assert_same_rates(got, expected)
    # 1-D dates shared by all rows, rows padded with zeros
    shared = start + np.arange(width) * 91
    padded = np.where(np.isnan(amounts), 0.0, amounts)
    one_by_one = [xirr(row, dates=shared) for row in padded]
    assert_same_rates(xirr(padded, dates=shared), one_by_one)
    assert_same_rates(xirr(amounts, dates=shared), one_by_one)
    # times broadcast: one row of times for every series
    t = np.arange(width) * 0.25
    assert_same_rates(xirr(padded, t), [xirr(row, t) for row in padded])


def test_xnpv_2d_with_one_rate_per_row():
    amounts = np.array([EXCEL_AMOUNTS, EXCEL_AMOUNTS])
    got = xnpv([0.09, 0.0], amounts, dates=EXCEL_DATES)
    np.testing.assert_allclose(got, [EXCEL_XNPV_AT_9PCT, sum(EXCEL_AMOUNTS)], rtol=0, atol=5e-7)


def test_xirr_no_sign_change_and_input_errors():
    assert np.isnan(xirr([100.0, 50.0], [0.0, 1.0]))
    with pytest.raises(BondkitError, match="never change sign"):
        xirr([100.0, 50.0], [0.0, 1.0], raise_on_failure=True)
    with pytest.raises(ValueError, match="either times"):
        xirr([-1.0, 2.0])
    with pytest.raises(ValueError, match="either times"):
        xirr([-1.0, 2.0], [0.0, 1.0], dates=EXCEL_DATES[:2])
    with pytest.raises(ValueError, match="do not match"):
        xirr([-1.0, 2.0], dates=EXCEL_DATES)
    with pytest.raises(ValueError, match="no valid time"):
        xirr([-1.0, 2.0], [0.0, np.nan])


@settings(max_examples=200, deadline=None)
@given(
    principal=st.floats(100.0, 1e7),
    flows=st.lists(
        st.tuples(st.integers(90, 40 * 365), st.floats(0.5, 3.0)), min_size=1, max_size=40
    ),
)
def test_xnpv_at_the_xirr_is_zero(principal, flows):
    # a co-op lends `principal` and gets back between 50 % and 300 % of it, from 90 days on.
    # (So the rate stays above -94 %: closer to -100 % a float rate holds too few digits
    # of 1 + r for the NPV at the rate to be small, whatever the solver.)
    days = np.array([0] + [d for d, _ in flows])
    amounts = np.array([-principal] + [principal * share / len(flows) for _, share in flows])
    dates = np.datetime64("2020-06-30") + days
    rate = xirr(amounts, dates=dates, raise_on_failure=True)
    assert rate > -1
    residual = xnpv(rate, amounts, dates=dates)
    # the scale of the flows at that rate: the sum of their discounted sizes
    scale = xnpv(rate, np.abs(amounts), dates=dates)
    assert abs(residual) <= 1e-9 * scale


# ---------------------------------------------------------------- flows at the same time


def test_xirr_has_no_root_at_infinity_when_flows_at_t0_cancel():
    # 1000 in and 1000 out at t = 0 are no flow at all; then only outflows: no rate. The NPV
    # only tends to 0 as the rate grows, which Newton once took for a root (r ~ 1.9e15).
    amounts, times = [1000.0, -1000.0, -50.0, -1050.0], [0.0, 0.0, 1.0, 2.0]
    assert np.isnan(xirr(amounts, times))
    with pytest.raises(BondkitError, match="netted at each date, never change sign"):
        xirr(amounts, times, raise_on_failure=True)
    dates = [dt.date(2020, 1, 1), dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)]
    assert np.isnan(xirr(amounts, dates=dates))
    # the same row among others, in a 2-D call, and cancelling only up to float rounding
    rows = [[0.1, 0.2, -0.3, -50.0, -1050.0], [-1000.0, 0.0, 0.0, 50.0, 1050.0]]
    got = xirr(rows, [0.0, 0.0, 0.0, 1.0, 2.0])
    assert np.isnan(got[0]) and got[1] == pytest.approx(0.05, abs=1e-12)


def test_xirr_nets_flows_at_the_same_time_before_solving():
    # net flows: -50 at t = 1, +1050 at t = 2: 1 + r = 1050 / 50
    assert xirr([1000.0, -1000.0, -50.0, 1050.0], [0.0, 0.0, 1.0, 2.0]) == pytest.approx(20.0)
    # equal times anywhere in the row, in any order, give the rate of the netted flows
    netted = xirr([-1000.0, 30.0, 1080.0], [0.0, 0.5, 1.5])
    assert xirr([1080.0, -600.0, 10.0, -400.0, 20.0], [1.5, 0.0, 0.5, 0.0, 0.5]) == pytest.approx(
        netted, abs=1e-13
    )


@settings(max_examples=300, deadline=None)
@given(
    flows=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from([-1050.0, -1000.0, -50.0, 50.0, 1000.0])),
        min_size=2,
        max_size=8,
    )
)
def test_a_rate_is_returned_only_where_the_npv_changes_sign(flows):
    # few distinct times and amounts, so flows often cancel at a time or never change sign
    times = np.array([t for t, _ in flows], dtype=float)
    amounts = np.array([a for _, a in flows])
    rate = xirr(amounts, times)
    if np.isnan(rate):
        return
    x = np.log1p(rate)
    lo, hi = (xnpv(np.expm1(x + s * 1e-4 * max(1.0, abs(x))), amounts, times) for s in (-1, 1))
    assert lo * hi < 0, (rate, lo, hi)
