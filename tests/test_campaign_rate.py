"""The campaign's response to the rate offered (issue #12 §6): with a ``reference_rate``, each
segment's conversion responds to the spread of the rate it is offered over it; without one,
the campaign ignores the rate, exactly as before.

The response is the logistic of docs/conventions.md (Campaign: the rate offered), checked
here in closed form; the rest checks that it reaches the funnel, the path, the simulation,
the summary and the command line, and that nothing moves when the keys are absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bondkit.cli import main
from bondkit.core.terms import CampaignTerms, Segment, SeriesTerms, rate_response
from bondkit.models.campaign import (
    expected_path,
    funnel,
    offered_rates,
    simulate,
    subscribe_probabilities,
)
from bondkit.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
ISSUE = dt.date(2017, 2, 1)

# 5 000 neighbours x 0.3 reached x 0.5 supporting x 0.05 conversion = 37.5 subscribers at
# the reference rate, each buying a fixed 1 000 $ (2 bonds of 500 $): 37 500 $ of demand,
# which is also the minimum, so about half the campaigns reach it at the reference rate
NEIGHBOURS = Segment(
    "Voisins", 5_000, reached=0.3, supporting=0.5, conversion=0.05, ticket_median=1_000,
    ticket_spread=0.0, rate_sensitivity=0.3,
)  # fmt: skip


def series(rate: float, amount: int = 100_000, sid: str = "A") -> SeriesTerms:
    return SeriesTerms(sid, amount, 500, rate, ISSUE, term_years=5, repayment="bullet")


def campaign(segments=(NEIGHBOURS,), **kw) -> CampaignTerms:
    base = dict(
        opens=dt.date(2016, 11, 15),
        closes=dt.date(2017, 1, 31),
        minimum=37_500,
        target=60_000,
        segments=tuple(segments),
        simulations=4_000,
        reference_rate=0.02,
    )
    return CampaignTerms(**{**base, **kw})


def logistic_by_hand(c: float, beta: float, points: float) -> float:
    """odds x e^(beta x points), back to a probability: the formula of docs/conventions.md."""
    odds = c / (1 - c) * math.exp(beta * points)
    return odds / (1 + odds)


# ---------------------------------------------------------------- the response in closed form


@pytest.mark.parametrize(
    "c, beta, points, expected",
    [
        (0.1, 0.5, 1.0, 0.154828098960255),  # odds 1/9 x e^0.5 = 0.18319, / 1.18319
        (0.1, 0.5, -1.0, 0.063137326179187),  # odds 1/9 x e^-0.5 = 0.06738, / 1.06738
        (0.5, math.log(3), 1.0, 0.75),  # odds 1 x 3 = 3: 3 / 4
        (0.25, math.log(2), 2.0, 4 / 7),  # odds 1/3 x 4 = 4/3: (4/3) / (7/3)
        (0.2, 0.4, 2.5, 1 / (1 + 4 * math.exp(-1.0))),  # odds 1/4 x e^1
    ],
)
def test_the_response_at_a_few_points(c, beta, points, expected):
    assert rate_response(c, beta, points) == pytest.approx(expected, rel=1e-12)
    assert rate_response(c, beta, points) == pytest.approx(logistic_by_hand(c, beta, points))


def test_no_spread_or_no_sensitivity_keeps_the_conversion_exactly():
    for c in (0.0, 0.03, 0.11, 0.15, 1 / 3, 1.0):
        assert rate_response(c, 0.3, 0.0) == c  # the same float, not a rounded one
        assert rate_response(c, 0.0, 2.0) == c
    assert rate_response(0.0, 5.0, 100.0) == 0.0  # nobody converts, whatever the rate
    assert rate_response(1.0, 5.0, -100.0) == 1.0  # everybody converts, whatever the rate


@settings(max_examples=300, deadline=None)
@given(
    c=st.floats(0.0, 1.0),
    beta=st.floats(0.0, 5.0),
    a=st.floats(-100.0, 100.0),
    b=st.floats(-100.0, 100.0),
)
def test_the_response_is_a_share_and_never_falls_as_the_spread_rises(c, beta, a, b):
    low, high = sorted((a, b))
    r_low, r_high = rate_response(c, beta, low), rate_response(c, beta, high)
    assert 0.0 <= r_low <= r_high <= 1.0


@settings(max_examples=300, deadline=None)
@given(
    c=st.floats(0.01, 0.99),
    beta=st.floats(0.05, 1.0),
    a=st.floats(-5.0, 5.0),
    step=st.floats(0.05, 5.0),
)
def test_the_response_rises_strictly_where_it_is_not_saturated(c, beta, a, step):
    assert rate_response(c, beta, a) < rate_response(c, beta, a + step)


# ---------------------------------------------------------------- the rate each segment is offered


def test_a_segment_is_offered_the_rates_of_the_series_it_buys_weighted_by_its_shares():
    a, b = series(0.03, 60_000, "A"), series(0.05, 40_000, "B")
    chooser = replace(NEIGHBOURS, series_shares=(("A", 0.25), ("B", 0.75)))
    terms = campaign([NEIGHBOURS, chooser])
    # by default in proportion to the amounts: 0.6 x 3 % + 0.4 x 4 %; then 0.25 x 3 % + 0.75 x 5 %
    assert offered_rates(terms, [a, b]).tolist() == pytest.approx([0.038, 0.045], abs=1e-15)
    # the spread is exact: 1.8 points and 2.5 points over the 2 % reference
    p = subscribe_probabilities(terms, [a, b])
    assert p[0] == pytest.approx(0.3 * 0.5 * logistic_by_hand(0.05, 0.3, 1.8), rel=1e-12)
    assert p[1] == pytest.approx(0.3 * 0.5 * logistic_by_hand(0.05, 0.3, 2.5), rel=1e-12)


def test_the_funnel_by_hand_at_one_point_above_the_reference():
    f = funnel(campaign(), [series(0.03)]).iloc[0]
    conversion = logistic_by_hand(0.05, 0.3, 1.0)  # 0.0663
    assert f["offered_rate"] == 0.03
    assert f["conversion"] == pytest.approx(conversion, rel=1e-12)
    assert f["p_subscribe"] == pytest.approx(0.15 * conversion, rel=1e-12)
    assert f["subscribers"] == pytest.approx(5_000 * 0.15 * conversion, rel=1e-12)
    assert f["demand"] == pytest.approx(5_000 * 0.15 * conversion * 1_000, rel=1e-12)
    path = expected_path(campaign(), [series(0.03)])
    assert path["amount"].sum() == pytest.approx(f["demand"], rel=1e-12)


def test_a_segment_without_sensitivity_ignores_the_rate():
    members = replace(NEIGHBOURS, name="Membres", rate_sensitivity=0.0)
    f = funnel(campaign([NEIGHBOURS, members]), [series(0.05)])
    assert f["conversion"].tolist()[1] == 0.05
    assert f["conversion"].tolist()[0] > 0.05


# ---------------------------------------------------------------- paying more helps raise the money


def test_a_higher_offered_rate_gives_more_demand_and_a_better_chance_of_the_minimum():
    """Everything fixed (segments, seed, simulations) but the rate of the series."""
    rates = [0.01, 0.02, 0.025, 0.03, 0.04]
    demand = [funnel(campaign(), [series(r)])["demand"].sum() for r in rates]
    sims = [simulate(campaign(), [series(r)], seed=12) for r in rates]
    p_min = [float(s.went_ahead.mean()) for s in sims]
    assert all(x < y for x, y in zip(demand, demand[1:], strict=False)), demand
    assert all(x < y for x, y in zip(p_min, p_min[1:], strict=False)), p_min
    # well apart: the standard error of a chance near 0.5 over 4 000 campaigns is 0.008
    assert p_min[1] == pytest.approx(0.5, abs=0.05)  # at the reference rate, about half
    assert p_min[3] - p_min[1] > 0.3
    # the simulated demand follows the funnel at each rate
    for d, s in zip(demand, sims, strict=True):
        assert abs(s.demand.mean() / 100 - d) < 4 * s.demand.std(ddof=1) / 100 / math.sqrt(s.n)


def test_without_a_reference_rate_the_campaign_ignores_the_rate_as_before():
    """The behaviour the issue reports, kept when the scenario does not say how to respond."""
    plain = campaign([replace(NEIGHBOURS, rate_sensitivity=0.0)], reference_rate=None)
    low, high = (simulate(plain, [series(r)], seed=12) for r in (0.02, 0.04))
    assert np.array_equal(low.community, high.community)
    assert np.array_equal(low.went_ahead, high.went_ahead)


def test_at_the_reference_rate_every_number_is_the_same_as_without_the_keys():
    plain = campaign([replace(NEIGHBOURS, rate_sensitivity=0.0)], reference_rate=None)
    with_keys = campaign()  # 0.3 per point, reference 2 %
    for f in ("demand", "subscribers", "p_subscribe", "average_ticket"):
        a = funnel(plain, [series(0.02)])[f].tolist()
        assert a == funnel(with_keys, [series(0.02)])[f].tolist()
    one, two = simulate(plain, [series(0.02)], seed=3), simulate(with_keys, [series(0.02)], seed=3)
    for name in ("demand", "community", "applicants", "cost", "days_to_minimum", "went_ahead"):
        assert np.array_equal(getattr(one, name), getattr(two, name), equal_nan=True), name
    assert one.register.equals(two.register)


def test_a_sensitivity_without_a_reference_rate_is_refused_in_code():
    with pytest.raises(ValueError, match="needs a reference_rate"):
        campaign(reference_rate=None)
    with pytest.raises(ValueError, match="rate_sensitivity"):
        replace(NEIGHBOURS, rate_sensitivity=-0.1)


# ---------------------------------------------------------------- the examples are unchanged

#: the campaign model's numbers for the examples, computed by the code before the rate
#: response existed (commit 334c711): expected demand and subscribers (funnel), then over
#: the simulated campaigns the chance of the minimum, and the totals raised, asked for and spent
BEFORE = {
    "cinema-du-parc-2016": (
        114490.93112336996,
        103.00000000000001,
        1.0,
        98261700000,
        1030274,
        10344663000,
    ),  # fmt: skip
    "grand-costumier-2016": (
        20844.198915790395,
        15.39,
        0.9835,
        17931100000,
        153519,
        2635291000,
    ),  # fmt: skip
    "building-purchase-2010": (
        1447952.7243344034,
        81.6,
        0.9242,
        1365219500000,
        816498,
        61038330000,
    ),  # fmt: skip
}


@pytest.mark.parametrize("stem", BEFORE)
def test_the_examples_give_the_numbers_they_gave_before(stem):
    """Bit for bit: cinema and building purchase have no reference_rate; grand costumier has
    one, equal to the 2 % it offers, so its conversions hold as written."""
    sc = load_scenario(ROOT / "scenarios" / f"{stem}.toml")
    terms, issue = sc.campaign_terms(), tuple(sc.series_terms())
    f = funnel(terms, issue)
    sim = simulate(terms, issue, seed=sc.seed)
    now = (
        float(f["demand"].sum()),
        float(f["subscribers"].sum()),
        float(sim.went_ahead.mean()),
        int(sim.community.sum()),
        int(sim.applicants.sum()),
        int(sim.cost.sum()),
    )
    assert now == BEFORE[stem]


def test_the_summary_says_how_the_campaign_responded_only_when_asked():
    from bondkit.runner.pipeline import run_campaign

    sc = load_scenario(ROOT / "scenarios" / "grand-costumier-2016.toml").with_changes(
        {"campaign.simulations": 200, "series[1].annual_rate": 0.03}
    )
    res = run_campaign(sc.campaign_terms(), tuple(sc.series_terms()), sc.cost_terms(), sc.seed)
    response = res.summary()["rate_response"]
    assert response["reference_rate"] == 0.02
    members, customers, culture = response["segments"]
    assert members["segment"] == "Membres et bénévoles" and members["spread"] == 0.01
    assert (members["rate_sensitivity"], customers["rate_sensitivity"]) == (0.1, 0.3)
    assert culture["conversion"] == 0.15
    assert culture["conversion_at_offer"] == pytest.approx(logistic_by_hand(0.15, 0.5, 1.0))
    plain = load_scenario(ROOT / "scenarios" / "cinema-du-parc-2016.toml").with_changes(
        {"campaign.simulations": 200}
    )
    res = run_campaign(
        plain.campaign_terms(), tuple(plain.series_terms()), plain.cost_terms(), plain.seed
    )
    assert "rate_response" not in res.summary()


# ---------------------------------------------------------------- on the command line


def _with_rate(rate: str, name: str, tmp_path: Path) -> Path:
    text = (ROOT / "scenarios" / "grand-costumier-2016.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^annual_rate = 0\.02$", f"annual_rate = {rate}", text)
    text = re.sub(r'(?m)^name = "Le Grand Costumier 2016"$', f'name = "{name}"', text)
    text = text.replace(
        "max_per_investor = 5_000 ", "simulations = 2_000\nmax_per_investor = 5_000 "
    )
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_compare_at_two_rates_shows_two_chances_of_the_minimum(tmp_path):
    low, high = _with_rate("0.01", "a-1pct", tmp_path), _with_rate("0.04", "b-4pct", tmp_path)
    out = CliRunner().invoke(
        main, ["compare", str(low), str(high), "--out", str(tmp_path / "out"), "--lang", "en"]
    )
    assert out.exit_code == 0, out.output
    [row] = [line for line in out.output.splitlines() if "Chance of reaching the minimum" in line]
    chances = [float(x) for x in re.findall(r"([\d.]+)%", row)]
    assert len(chances) == 2 and chances[0] < chances[1], row


def test_sweep_over_annual_rate_shows_the_raise_trade_off(tmp_path):
    out = CliRunner().invoke(
        main,
        [
            "sweep",
            str(ROOT / "scenarios" / "grand-costumier-2016.toml"),
            "--vary", "annual_rate=0.01,0.02,0.04",
            "--vary", "campaign.simulations=2000",
            "--metric", "p_minimum_reached",
            "--out", str(tmp_path),
        ],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    with open(tmp_path / "sweep.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    chance = [float(r["p_minimum_reached"]) for r in rows]
    interest = [float(r["total_interest"]) for r in rows]
    assert chance[0] < chance[1] < chance[2]  # paying more raises the chance...
    assert interest[0] < interest[1] < interest[2]  # ...and costs more interest
