"""Redemption and renewal risk against closed forms and exact laws, and properties on every path."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from bondkit.core.conventions import add_months, fiscal_year
from bondkit.core.terms import RiskTerms, SeriesTerms
from bondkit.models.risk import (
    Holders,
    equal_holders,
    holders_from_register,
    shortfall,
    simulate_risk,
)

ISSUE = dt.date(2020, 1, 1)


def bullet(amount=100_000, years=6, face=100, sid="A", issue=ISSUE) -> SeriesTerms:
    return SeriesTerms(sid, amount, face, 0.04, issue, term_years=years, repayment="bullet")


def uneven(series, n, seed=0) -> Holders:
    """``n`` holders of uneven whole-bond amounts adding up to the series amount."""
    rng = np.random.default_rng(seed)
    total = series.amount_cents // series.face_value_cents
    cuts = np.sort(rng.choice(np.arange(1, total), n - 1, replace=False))
    bonds = np.diff(np.concatenate([[0], cuts, [total]]))
    return Holders(
        np.zeros(n, dtype=np.int64),
        np.array([None] * n, dtype=object),
        bonds * series.face_value_cents,
    )


def closed_form(terms: RiskTerms, s: SeriesTerms, holders: Holders, fye: str = "12-31"):
    """Expected early outflow by fiscal year and expected maturity repayment, by the formulas."""
    p, q, ps = terms.annual_probability, terms.stress_probability, terms.stress_annual_probability
    h = (1 - q) * p + q * max(ps, p)  # each year's chance, stress or not, independent across years
    term = (s.maturity.year - s.issue_date.year) * 12 + s.maturity.month - s.issue_date.month
    y0, y1 = terms.lock_in_years + 1, math.ceil(term / 12) - 1
    early: dict[int, float] = {}
    total = float(holders.amount.sum())
    late, survive = 0.0, 1.0
    for y in range(y0, y1 + 1):
        p_year = survive * h
        for m in range(12):
            month = 12 * (y - 1) + m + terms.notice_months
            if month >= term:
                late += p_year / 12
            else:
                fy = fiscal_year(add_months(s.issue_date, month), fye)
                early[fy] = early.get(fy, 0.0) + total * p_year / 12
        survive *= 1 - h
    maturity = total * (late + survive * (1 - terms.renewal_rate))
    return early, maturity


@pytest.mark.parametrize(
    "terms",
    [
        RiskTerms(annual_probability=0.04, lock_in_years=1, renewal_rate=0.65, paths=20_000),
        RiskTerms(
            annual_probability=0.03,
            lock_in_years=2,
            notice_months=5,
            stress_probability=0.1,
            stress_annual_probability=0.2,
            renewal_rate=0.5,
            paths=20_000,
        ),
    ],
    ids=["plain", "stress-notice"],
)
def test_expected_outflow_matches_the_closed_form(terms):
    s = bullet()
    holders = uneven(s, 120)
    sim = simulate_risk(terms, [s], holders, seed=3)
    early, maturity = closed_form(terms, s, holders)
    for k, fy in enumerate(sim.years):
        got = sim.early[:, k]
        se = got.std(ddof=1) / math.sqrt(sim.paths) + 1e-9
        assert abs(got.mean() - early.get(int(fy), 0.0)) < 4.5 * se, fy
    got = sim.maturity.sum(axis=1)
    se = got.std(ddof=1) / math.sqrt(sim.paths)
    assert abs(got.mean() - maturity) < 4.5 * se


def test_quantiles_of_a_homogeneous_case_equal_the_binomial_mixture():
    """200 equal holders, bond years = fiscal years, no notice: the first eligible year's
    requests are Binomial(200, p) in a normal year and Binomial(200, p_s) in a stress year."""
    H, p, q, ps = 200, 0.05, 0.1, 0.3
    s = bullet(amount=200 * 500, face=500)
    holders = Holders(
        np.zeros(H, dtype=np.int64), np.array([None] * H, dtype=object), np.full(H, 50_000)
    )
    terms = RiskTerms(
        annual_probability=p,
        lock_in_years=1,
        stress_probability=q,
        stress_annual_probability=ps,
        paths=100_000,
    )
    sim = simulate_risk(terms, [s], holders, seed=7)
    k = list(sim.years).index(2021)  # bond year 2 = fiscal year 2021
    counts = sim.early[:, k] // 50_000

    def pmf(n, prob):
        return [math.comb(n, j) * prob**j * (1 - prob) ** (n - j) for j in range(n + 1)]

    mix = (1 - q) * np.array(pmf(H, p)) + q * np.array(pmf(H, ps))
    cdf = np.cumsum(mix)
    for level in (0.5, 0.95, 0.99):
        exact = int(np.searchsorted(cdf, level))
        got = int(np.quantile(counts, level, method="inverted_cdf"))
        assert abs(got - exact) <= 1, (level, got, exact)  # one atom of sampling slack at most
    assert counts.mean() == pytest.approx(H * ((1 - q) * p + q * ps), rel=0.01)


@pytest.mark.parametrize("cap", [None, 0.03])
def test_money_conserved_lock_in_and_cap_on_every_path(cap):
    a, b = bullet(sid="A", years=6), bullet(amount=50_000, sid="B", years=4)
    holders = Holders(
        np.array([0] * 60 + [1] * 30),
        np.array([None] * 90, dtype=object),
        np.concatenate([uneven(a, 60).amount, uneven(b, 30, seed=1).amount]),
    )
    terms = RiskTerms(
        annual_probability=0.08,
        lock_in_years=2,
        notice_months=3,
        annual_cap=cap,
        stress_probability=0.2,
        stress_annual_probability=0.4,
        paths=5_000,
    )
    sim = simulate_risk(terms, [a, b], holders, seed=1)
    assert (sim.early + sim.maturity + sim.renewed).sum(axis=1).tolist() == [sim.issued] * sim.paths
    assert sim.issued == 15_000_000
    assert (sim.early >= 0).all() and (sim.maturity >= 0).all() and (sim.renewed >= 0).all()
    # nothing is paid early before the lock-in ends (2022-01-01): fiscal years 2020 and 2021
    assert (sim.early[:, :2] == 0).all()
    if cap is not None:
        assert (sim.early <= math.floor(0.03 * 15_000_000)).all()
        assert (sim.early.sum(axis=1) <= sim.requested.sum(axis=1)).all()
        # what was requested is paid early or at maturity, never lost
        no_cap = simulate_risk(replace(terms, annual_cap=None), [a, b], holders, seed=1)
        assert np.array_equal(no_cap.requested, sim.requested)
        assert np.array_equal(no_cap.renewed, sim.renewed)


def test_same_seed_same_numbers():
    s = bullet()
    terms = RiskTerms(
        annual_probability=0.05, stress_probability=0.1, stress_annual_probability=0.3, paths=1_000
    )
    h = uneven(s, 50)
    one, two = simulate_risk(terms, [s], h, seed=5), simulate_risk(terms, [s], h, seed=5)
    assert np.array_equal(one.early, two.early) and np.array_equal(one.maturity, two.maturity)
    assert not np.array_equal(simulate_risk(terms, [s], h, seed=6).early, one.early)


def test_no_redemption_means_renewal_only():
    s = bullet()
    terms = RiskTerms(annual_probability=0.0, renewal_rate=0.65, paths=20_000)
    sim = simulate_risk(terms, [s], uneven(s, 100), seed=2)
    assert (sim.early == 0).all()
    repaid = sim.maturity.sum(axis=1)
    assert repaid.mean() == pytest.approx(0.35 * sim.issued, rel=0.01)


def test_holders():
    s = bullet(amount=10_050, face=50)
    eq = equal_holders([s], 1_000)
    assert (
        eq.amount.sum() == s.amount_cents
        and set(eq.amount[:-1]) == {100_000}
        and eq.amount[-1] == 5_000
    )
    reg = pd.DataFrame(
        {"series": ["A", "A", "B"], "segment": ["m", "n", "m"], "amount": [30_000, 20_000, 99]}
    )
    h = holders_from_register(reg, [s], 1_000)
    assert h.amount.sum() == s.amount_cents
    assert h.amount[:4].tolist() == [30_000, 20_000, 30_000, 20_000] and list(h.segment[:2]) == [
        "m",
        "n",
    ]


def test_shortfall_and_reserve_by_hand():
    class Sim:  # two paths, three years: outflows of principal
        outflow = np.array([[0, 100, 0], [0, 300, 0]])

    planned = np.array([0, 0, 0])
    cash_end = np.array([200, 200, 200])
    out = shortfall(Sim, planned, cash_end, minimum_cash=50, level=0.5)
    # path 2: cash 200 - 300 = -100 < 50: short by 150; path 1: 100 >= 50
    assert out["p_shortfall"] == 0.5
    assert out["p_shortfall_by_year"].tolist() == [0.0, 0.5, 0.5]
    assert out["recommended_reserve"] == 0  # the median path needs nothing
    assert shortfall(Sim, planned, cash_end, 50, level=0.01)["recommended_reserve"] == 150


def amortising(kind="level-payment", years=6) -> SeriesTerms:
    return SeriesTerms(
        "L", 60_000, 100, 0.05, ISSUE, term_years=years, repayment=kind, frequency="quarterly"
    )


@pytest.mark.parametrize("kind", ["level-payment", "level-principal"])
def test_amortising_series_without_redemption_pays_exactly_the_plan(kind):
    """No early request and no renewal: every path pays the schedule's principal, year by year."""
    from bondkit.core.schedule import annual_debt_service, series_schedule

    s = amortising(kind)
    planned = annual_debt_service(series_schedule(s)).set_index("fiscal_year")["principal"]
    sim = simulate_risk(
        RiskTerms(annual_probability=0.0, renewal_rate=0.0, paths=50), [s], uneven(s, 40), seed=1
    )
    expected = planned.reindex(sim.years, fill_value=0).to_numpy()
    assert (sim.outflow == expected[None, :]).all()
    assert (sim.renewed == 0).all()


def test_amortising_series_early_redemption_pays_the_remaining_balance():
    """A holder leaving early is paid what the schedule still owed it, and nothing after."""
    from bondkit.core.schedule import series_schedule

    s = amortising("level-principal")
    holders = uneven(s, 60)
    terms = RiskTerms(annual_probability=0.1, lock_in_years=1, renewal_rate=0.5, paths=8_000)
    sim = simulate_risk(terms, [s], holders, seed=4)
    # money conserved on every path, and no path pays more than the issue
    assert (sim.outflow.sum(axis=1) + sim.renewed.sum(axis=1) == sim.issued).all()
    # by hand: the expected total paid out = issued - expected renewed; renewed only from the last
    # instalment of holders who never asked (each year of the window: 10 %), half of them renewing
    sched = series_schedule(s)
    last = int(sched["principal"].iloc[-1]) / s.amount_cents
    stay = 0.9 ** (6 - 1 - 1)  # bond years 2..5 may ask
    expected_renewed = sim.issued * last * stay * 0.5
    got = sim.renewed.sum(axis=1)
    assert abs(got.mean() - expected_renewed) < 4.5 * got.std(ddof=1) / math.sqrt(sim.paths) + 1


def test_accumulating_bonds_redeemed_early_are_paid_their_capitalised_interest():
    """The interest paid with early redemptions, and not paid at maturity, by the formula."""
    from bondkit.core.metrics import accrued_interest
    from bondkit.core.schedule import series_schedule

    s = SeriesTerms(
        "C", 60_000, 100, 0.05, ISSUE, term_years=6, repayment="accumulating", interest="compound"
    )
    holders = uneven(s, 80)
    terms = RiskTerms(annual_probability=0.06, lock_in_years=1, renewal_rate=0.5, paths=20_000)
    sim = simulate_risk(terms, [s], holders, seed=9)
    total, p = float(holders.amount.sum()), 0.06
    expected: dict[int, float] = {}
    survive, asked = 1.0, 0.0
    for y in range(2, 6):  # bond years after the lock-in, before the last
        p_year = survive * p
        for m in range(12):
            month = 12 * (y - 1) + m
            fy = add_months(ISSUE, month).year
            share = accrued_interest(s, add_months(ISSUE, month)) / s.amount_cents
            expected[fy] = expected.get(fy, 0.0) + total * p_year / 12 * share
        asked += p_year
        survive *= 1 - p
    final = int(series_schedule(s)["interest"].iloc[-1]) / s.amount_cents
    expected[2026] = expected.get(2026, 0.0) - total * asked * final
    for k, fy in enumerate(sim.years):
        got = sim.interest_shift[:, k]
        se = got.std(ddof=1) / math.sqrt(sim.paths) + 1e-9
        assert abs(got.mean() - expected.get(int(fy), 0.0)) < 4.5 * se, fy
    assert (sim.early + sim.maturity + sim.renewed).sum(axis=1).tolist() == [sim.issued] * sim.paths


def test_the_numbers_do_not_depend_on_the_threads(monkeypatch):
    import bondkit.models.risk as risk

    s = bullet()
    terms = RiskTerms(
        annual_probability=0.05, stress_probability=0.1, stress_annual_probability=0.3, paths=3_000
    )
    h = uneven(s, 400)  # several blocks of paths
    monkeypatch.setattr(risk, "CHUNK", 100_000)
    monkeypatch.setattr(risk, "THREADS", 1)
    one = simulate_risk(terms, [s], h, seed=5)
    monkeypatch.setattr(risk, "THREADS", 2)
    two = simulate_risk(terms, [s], h, seed=5)
    assert np.array_equal(one.early, two.early) and np.array_equal(one.maturity, two.maturity)
    assert np.array_equal(one.renewed, two.renewed)


def test_segments_are_grouped_by_their_exact_names():
    """Issue #11, 3: numpy's fixed-width strings drop a trailing NUL, so "M\\x00" matched
    "M": one segment's holders were simulated twice and the other's not at all. Here the
    holders of "M" (70 % of the issue) never redeem and those of "M\\x00" (30 %) always
    do: exactly 30,000 $ goes early on every path (70,000 $ with the old grouping)."""
    s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    register = pd.DataFrame(
        {"series": ["A", "A"], "segment": ["M", "M\x00"], "amount": [700_000, 300_000]}
    )
    holders = holders_from_register(register, [s], 1_000)
    terms = RiskTerms(
        annual_probability=0.5,
        segment_probability=(("M", 0.0), ("M\x00", 1.0)),
        renewal_rate=0.0,
    )
    sim = simulate_risk(terms, [s], holders, seed=3, paths=50)
    assert (sim.early.sum(axis=1) == 3_000_000).all()


def test_a_register_date_starts_the_requests_there():
    """With the date of a register of holders, the bond years already over draw no request
    (they are in the register): a 5-year bullet, 5 % a year in bond years 2 to 4, seen from
    bond year 3 leaves years 3 and 4: 100,000 $ x (1 - 0.95^2) = 9,750 $ expected; seen
    from its last year, nothing."""
    import datetime as dt

    from bondkit.core.terms import RiskTerms, SeriesTerms
    from bondkit.models.risk import equal_holders, simulate_risk

    s = SeriesTerms("A", 100_000, 500, 0.04, dt.date(2027, 1, 15), term_years=5)
    terms = RiskTerms(annual_probability=0.05, lock_in_years=1, renewal_rate=0.6)
    holders = equal_holders([s], 1_000)
    whole = simulate_risk(terms, [s], holders, seed=4, paths=4000)
    later = simulate_risk(terms, [s], holders, seed=4, paths=4000, as_of=dt.date(2029, 3, 1))
    late = simulate_risk(terms, [s], holders, seed=4, paths=4000, as_of=dt.date(2031, 2, 1))
    mean = float(later.early.sum(axis=1).mean()) / 100
    # one path's sd is 1,000 x sqrt(100 x 0.0975 x 0.9025) = 2,966 $: 47 $ over 4,000 paths
    assert abs(mean - 9_750) < 200, mean
    assert abs(float(whole.early.sum(axis=1).mean()) / 100 - 14_262.5) < 250
    assert int(late.early.sum()) == 0
    # the day before the issue date's anniversary is still the bond year before it
    edge = simulate_risk(terms, [s], holders, seed=4, paths=4000, as_of=dt.date(2029, 1, 14))
    assert abs(float(edge.early.sum(axis=1).mean()) / 100 - 14_262.5) < 250
