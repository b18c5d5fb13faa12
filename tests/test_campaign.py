"""The campaign model against hand calculations, exact laws and properties that must hold."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondkit.core.terms import (
    ArrivalShape,
    Backstop,
    CampaignCosts,
    CampaignTerms,
    Segment,
    SeriesTerms,
)
from bondkit.models.allocation import allocate
from bondkit.models.campaign import (
    arrival_density,
    expected_path,
    funnel,
    simulate,
    ticket_bounds,
    ticket_distribution,
)

ISSUE = dt.date(2017, 2, 1)


def series(amount=100_000, face=500, sid="A", rate=0.02) -> SeriesTerms:
    return SeriesTerms(sid, amount, face, rate, ISSUE, term_years=5, repayment="bullet")


def campaign(segments, **kw) -> CampaignTerms:
    base = dict(
        opens=dt.date(2016, 11, 15),
        closes=dt.date(2017, 1, 31),
        minimum=60_000,
        target=100_000,
        segments=tuple(segments),
        simulations=4_000,
    )
    return CampaignTerms(**{**base, **kw})


MEMBERS = Segment("Membres", 2_000, reached=0.8, supporting=0.5, conversion=0.25, ticket_median=500, ticket_spread=0.7, pledged=0.1)  # fmt: skip
NEIGHBOURS = Segment("Voisins", 5_000, reached=0.3, supporting=0.5, conversion=0.05, ticket_median=1_000, ticket_spread=0.0)  # fmt: skip


# ---------------------------------------------------------------- the funnel by hand


def test_funnel_by_hand_with_fixed_tickets():
    # 5 000 people x 0.3 x 0.5 x 0.05 = 37.5 subscribers; each buys 1 000 $ = 2 bonds of 500 $
    f = funnel(campaign([NEIGHBOURS]), [series()])
    row = f.iloc[0]
    assert row["subscribers"] == pytest.approx(37.5)
    assert row["reached"] == pytest.approx(1_500)
    assert row["supporting"] == pytest.approx(750)
    assert row["average_ticket"] == pytest.approx(1_000)
    assert row["demand"] == pytest.approx(37_500)


def test_fixed_ticket_is_rounded_half_up_to_whole_bonds_and_bounded():
    seg = replace(NEIGHBOURS, ticket_median=1_250)  # 2.5 bonds of 500 -> 3 bonds
    assert funnel(campaign([seg]), [series()]).iloc[0]["average_ticket"] == pytest.approx(1_500)
    capped = campaign([seg], max_per_investor=1_000)  # at most 2 bonds
    assert funnel(capped, [series()]).iloc[0]["average_ticket"] == pytest.approx(1_000)
    floor = campaign([replace(seg, ticket_median=100)], min_subscription=900)  # at least 2 bonds
    assert funnel(floor, [series()]).iloc[0]["average_ticket"] == pytest.approx(1_000)


def test_lognormal_ticket_law_matches_an_independent_integration():
    """Bin probabilities from the standard library's NormalDist, not bondkit's CDF."""
    median, spread, face, k_lo, k_hi = 500.0, 0.7, 500.0, 1, 20
    law = NormalDist(math.log(median), spread)
    expected = 0.0
    for k in range(k_lo, k_hi + 1):
        lo = 0.0 if k == k_lo else law.cdf(math.log((k - 0.5) * face))
        hi = 1.0 if k == k_hi else law.cdf(math.log((k + 0.5) * face))
        expected += k * face * (hi - lo)
    values, p = ticket_distribution(median * 100, spread, int(face * 100), k_lo, k_hi)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert float((values * p).sum()) / 100 == pytest.approx(expected, rel=1e-12)


def test_two_series_split_by_shares():
    a, b = series(60_000, 500, "A"), series(40_000, 1_000, "B")
    seg = replace(NEIGHBOURS, ticket_median=1_000, series_shares=(("A", 0.25), ("B", 0.75)))
    path = expected_path(campaign([seg]), [a, b])
    by = path.groupby("series")["subscribers"].sum()
    assert by["A"] == pytest.approx(37.5 * 0.25) and by["B"] == pytest.approx(37.5 * 0.75)
    # default: in proportion to the series amounts (60/40)
    path = expected_path(campaign([NEIGHBOURS]), [a, b])
    by = path.groupby("series")["subscribers"].sum()
    assert by["A"] / by.sum() == pytest.approx(0.6)


def test_expected_path_adds_up_to_the_funnel_and_pledges_come_first():
    c = campaign([MEMBERS, NEIGHBOURS])
    path, f = expected_path(c, [series()]), funnel(c, [series()])
    assert path["amount"].sum() == pytest.approx(f["demand"].sum(), rel=1e-12)
    assert path["subscribers"].sum() == pytest.approx(f["subscribers"].sum(), rel=1e-12)
    members = path[path["segment"] == "Membres"].groupby("week")["subscribers"].sum()
    # week 1 = pledges (10 %) + 90 % x (the whole start share of 30 % over 7 days)
    assert members[1] == pytest.approx(200 * (0.1 + 0.9 * 0.30))
    assert path["week_start"].iloc[0] == dt.date(2016, 11, 15)


def test_arrival_density_shape():
    c = campaign([MEMBERS])  # 78 days: 7 start, 64 lull, 7 final
    d = arrival_density(c)
    assert len(d) == 78 and d.sum() == pytest.approx(1.0)
    assert d[0] == pytest.approx(0.30 / 7) and d[-1] == pytest.approx(0.35 / 7)
    assert d[40] == pytest.approx(0.35 / 64)
    short = campaign(
        [MEMBERS], closes=dt.date(2016, 11, 28), arrivals=ArrivalShape(7, 0.3, 7, 0.35)
    )
    assert arrival_density(short).sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- Monte Carlo against the law


def test_monte_carlo_mean_demand_and_subscribers_within_standard_errors():
    c = campaign([MEMBERS, NEIGHBOURS], simulations=6_000)
    f = funnel(c, [series()])
    sim = simulate(c, [series()], seed=11)
    demand = sim.demand / 100
    se = demand.std(ddof=1) / math.sqrt(sim.n)
    assert abs(demand.mean() - f["demand"].sum()) < 4 * se
    subs = sim.applicants
    se_n = subs.std(ddof=1) / math.sqrt(sim.n)
    assert abs(subs.mean() - f["subscribers"].sum()) < 4 * se_n


def test_same_seed_same_register_other_seed_other_numbers():
    c = campaign([MEMBERS, NEIGHBOURS], simulations=500)
    a, b = simulate(c, [series()], seed=5), simulate(c, [series()], seed=5)
    pd.testing.assert_frame_equal(a.register, b.register)
    assert np.array_equal(a.community, b.community) and a.median_path == b.median_path
    assert not np.array_equal(simulate(c, [series()], seed=6).demand, a.demand)


def test_register_is_the_median_campaign():
    c = campaign([MEMBERS, NEIGHBOURS], simulations=501)
    sim = simulate(c, [series()], seed=3)
    reg = sim.register
    assert reg["amount"].sum() == sim.community[sim.median_path]
    assert reg["amount"].sum() == np.sort(sim.community)[250]
    assert (reg["demanded"] == reg["amount"] + reg["refunded"]).all()
    assert reg["subscription_date"].is_monotonic_increasing
    assert reg["subscriber"].is_unique and len(reg) == sim.applicants[sim.median_path]
    assert (reg["amount"] % 50_000 == 0).all()


def test_below_the_minimum_everyone_is_refunded():
    tiny = Segment("Few", 20, reached=1, conversion=0.5, ticket_median=500, ticket_spread=0)
    sim = simulate(campaign([tiny], minimum=60_000), [series()], seed=1)
    assert not sim.went_ahead.any()
    assert (sim.community == 0).all() and (sim.by_series == 0).all()
    assert (sim.register["amount"] == 0).all()
    assert (sim.register["refunded"] == sim.register["demanded"]).all()
    assert np.isnan(sim.days_to_minimum).all()


def test_band_is_monotone_capped_and_ends_at_the_capped_demand():
    c = campaign([MEMBERS, NEIGHBOURS], simulations=2_000, cap=100_000)
    sim = simulate(c, [series()], seed=2)
    cols = ["p05", "p25", "p50", "p75", "p95"]
    band = sim.band[cols].to_numpy()
    assert (np.diff(band, axis=0) >= 0).all() and (band <= 10_000_000).all()
    assert (np.diff(band, axis=1) >= 0).all()
    assert band[-1, 2] == pytest.approx(np.median(np.minimum(sim.demand, 10_000_000)))


def test_days_to_minimum_is_when_capped_subscriptions_cross_it():
    c = campaign([MEMBERS], simulations=300)
    sim = simulate(c, [series()], seed=4)
    reg = sim.register  # median campaign, in order of subscription
    assert sim.went_ahead[sim.median_path]  # ~144 000 $ expected against a 60 000 $ minimum
    cum = reg["demanded"].cumsum()
    day = (reg["subscription_date"][cum >= 6_000_000].iloc[0] - pd.Timestamp(c.opens)).days
    assert math.floor(sim.days_to_minimum[sim.median_path]) == day


# ---------------------------------------------------------------- backstops, costs, rules


def test_match_and_underwriter():
    few = Segment(
        "Few", 100, reached=1, conversion=0.4, ticket_median=1_000, ticket_spread=0
    )  # 40 x 1000
    match = Backstop("match", max_amount=15_000, annual_rate=0.03, term_years=5)
    c = campaign([few], minimum=60_000, target=60_000, match=match, simulations=1_000)
    sim = simulate(c, [series()], seed=9)
    ok = sim.went_ahead
    assert (sim.match[ok] == np.minimum(sim.community[ok], 1_500_000)).all()
    assert (sim.match[~ok] == 0).all()
    assert ((sim.community + sim.match)[ok] >= 6_000_000).all()
    under = Backstop(
        "underwriter",
        max_amount=10_000,
        annual_rate=0.06,
        term_years=5,
        counts_toward_minimum=False,
    )
    sim2 = simulate(replace(c, underwriter=under), [series()], seed=9)
    assert sim2.went_ahead.mean() >= sim.went_ahead.mean()
    called = sim2.underwriter > 0
    assert (sim2.underwriter <= 1_000_000).all()
    assert ((sim2.community + sim2.match + sim2.underwriter)[called] == 6_000_000).all()


def test_costs_by_hand_and_pre_issue_interest():
    costs = CampaignCosts(
        fixed=2_000, staff_hours=10, hourly_cost=30, per_subscriber=5, payment_fee_rate=0.01
    )
    c = campaign([MEMBERS], costs=costs, simulations=200)
    sim = simulate(c, [series()], seed=8)
    # the median campaign, by hand from its register: fixed 2 000 $ + 10 h x 30 $ + 5 $ per
    # subscriber allotted + 1 % of the money raised
    reg, m = sim.register, sim.median_path
    allotted = reg[reg["amount"] > 0]
    by_hand = (
        200_000 + 30_000 + 500 * len(allotted) + math.floor(allotted["amount"].sum() * 0.01 + 0.5)
    )
    assert sim.went_ahead[m] and sim.cost[m] == by_hand
    # a cancelled campaign: fixed costs and every applicant processed, no fees (nothing kept)
    tiny = Segment("Few", 20, reached=1, conversion=0.5, ticket_median=500, ticket_spread=0)
    lost = simulate(replace(c, segments=(tiny,)), [series()], seed=8)
    assert not lost.went_ahead.any()
    assert (lost.cost == 230_000 + 500 * lost.applicants).all()
    later = simulate(replace(c, interest_start="subscription-date"), [series()], seed=8)
    m = sim.median_path
    reg = later.register
    days = (pd.Timestamp(ISSUE) - reg["subscription_date"]).dt.days
    interest = sum(
        math.floor(Fraction(int(a)) * Fraction(2, 100) * d / 365 + Fraction(1, 2))
        for a, d in zip(reg["amount"], days, strict=True)
    )
    assert later.cost[m] - sim.cost[m] == interest


def test_a_per_investor_maximum_below_one_bond_is_refused():
    with pytest.raises(ValueError, match="per-investor maximum"):
        ticket_bounds(campaign([MEMBERS], max_per_investor=400), [series()])


# ---------------------------------------------------------------- allocation properties


@st.composite
def demands(draw):
    n_groups = draw(st.integers(1, 4))
    n = draw(st.integers(1, 40))
    face = np.array(
        draw(st.lists(st.sampled_from([10_000, 50_000, 100_000]), min_size=n, max_size=n))
    )
    bonds = np.array(draw(st.lists(st.integers(1, 30), min_size=n, max_size=n)))
    group = np.sort(np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n, max_size=n))))
    key = np.array(draw(st.lists(st.floats(0, 100), min_size=n, max_size=n)))
    cap = draw(st.integers(0, 300)) * 50_000
    return bonds * face, face, group, key, cap, n_groups


@given(demands(), st.sampled_from(["first-come", "lottery", "pro-rata"]))
@settings(max_examples=300, deadline=None)
def test_allocation_conserves_money_and_respects_caps(d, rule):
    tickets, face, group, key, cap, n = d
    alloc = allocate(tickets, face, group, key, cap, rule, n)
    refused = tickets - alloc
    assert (alloc >= 0).all() and (refused >= 0).all()  # nobody above what they asked
    assert (alloc % face == 0).all()  # whole bonds
    assert ((alloc + refused) == tickets).all()
    per_group = np.bincount(group, weights=alloc, minlength=n)
    demand = np.bincount(group, weights=tickets, minlength=n)
    assert (per_group <= cap).all()
    for g in range(n):
        mine = group == g
        if demand[g] <= cap:
            assert (alloc[mine] == tickets[mine]).all()
        elif rule == "pro-rata":
            # those kept (a share of at least one bond) share the cap in proportion
            kept = mine & (alloc > 0)
            if int(tickets[kept].sum()) <= cap:  # after refusals the others fit in full
                assert (alloc[kept] == tickets[kept]).all()
                continue
            share = tickets[kept] * Fraction(cap) / int(tickets[kept].sum())
            assert all(
                abs(Fraction(int(a)) - s) < f
                for a, s, f in zip(alloc[kept], share, face[kept], strict=True)
            )
            assert cap - per_group[g] < face[mine].max()  # what is left buys no further bond
        else:
            order = np.lexsort((key[mine], np.zeros(mine.sum())))
            got = alloc[mine][order]
            full = got == tickets[mine][order]
            # first-come: a run of full tickets, at most one partial, then nothing
            first_short = int(np.argmin(full)) if not full.all() else len(full)
            assert (got[first_short + 1 :] == 0).all()


def test_pro_rata_by_hand():
    # demand 3 x 10 bonds of 100 $ = 3 000 $ against a cap of 2 000 $: 6.67 bonds each ->
    # 6 bonds each (1 800 $), 200 $ left: the two largest remainders (ties: earliest) get one more
    tickets = np.array([100_000, 100_000, 100_000])
    alloc = allocate(
        tickets,
        np.full(3, 10_000),
        np.zeros(3, int),
        np.array([3.0, 1.0, 2.0]),
        200_000,
        "pro-rata",
    )
    assert alloc.tolist() == [60_000, 70_000, 70_000]
    # first-come on the same demand: the first two full, nothing for the third
    alloc = allocate(
        tickets,
        np.full(3, 10_000),
        np.zeros(3, int),
        np.array([3.0, 1.0, 2.0]),
        200_000,
        "first-come",
    )
    assert alloc.tolist() == [0, 100_000, 100_000]


@given(demands(), st.sampled_from(["first-come", "lottery", "pro-rata"]), st.data())
@settings(max_examples=300, deadline=None)
def test_nobody_is_allotted_less_than_the_minimum_subscription(d, rule, data):
    tickets, face, group, key, cap, n = d
    least = np.array([data.draw(st.integers(1, 4)) for _ in tickets]) * face
    least = np.minimum(least, tickets)  # a ticket is at least the minimum subscription
    alloc = allocate(tickets, face, group, key, cap, rule, n, minimum=least)
    assert ((alloc == 0) | (alloc >= least)).all()
    assert (alloc <= tickets).all() and (alloc % face == 0).all()
    per_group = np.bincount(group, weights=alloc, minlength=n)
    assert (per_group <= cap).all()
    if rule == "pro-rata":
        for g in range(n):
            kept = (group == g) & (alloc > 0)
            demand = int(tickets[kept].sum())
            if demand > cap:  # the subscribers kept share the cap in proportion
                share = tickets[kept] * Fraction(cap) / demand
                assert all(
                    abs(Fraction(int(a)) - s) < f
                    for a, s, f in zip(alloc[kept], share, face[kept], strict=True)
                )
            else:
                assert (alloc[kept] == tickets[kept]).all()


def test_pro_rata_below_the_minimum_by_hand():
    # 4 subscribers of 10 bonds of 100 $ against a cap of 1 000 $, minimum 3 bonds each.
    # Round 1: 2.5 bonds each -> 2 bonds each, and the 200 $ left gives one more bond to the
    # first two (equal remainders: earlier first): 3, 3, 2, 2. The two at 2 bonds are refused.
    # Round 2: the two kept share 1 000 $: 5 bonds each.
    tickets = np.full(4, 100_000)
    alloc = allocate(
        tickets, np.full(4, 10_000), np.zeros(4, int), np.arange(4.0), 100_000, "pro-rata",
        minimum=np.full(4, 30_000),
    )  # fmt: skip
    assert alloc.tolist() == [50_000, 50_000, 0, 0]


def test_expected_cost_includes_the_interest_before_issue():
    """One segment, everyone pledged (all subscribe on opening day): the expected interest is
    demand x rate x (days from opening to issue) / 365, on top of the other costs."""
    from bondkit.models.campaign import expected_cost

    seg = replace(NEIGHBOURS, pledged=1.0)  # 37.5 subscribers x 1 000 $ on 2016-11-15
    c = campaign([seg], interest_start="subscription-date", cap=150_000)
    f = funnel(c, [series()])
    days = (ISSUE - dt.date(2016, 11, 15)).days
    by_hand = 37_500 * 0.02 * days / 365
    base = expected_cost(replace(c, interest_start="issue-date"), [series()], f)
    assert expected_cost(c, [series()], f) - base == round(by_hand * 100)
