"""bondkit.runner.pipeline: ``run`` and ``run_campaign``.

Expected values come from hand calculation (a 100,000 $ bullet at 4 % pays 5 x 4,000 $),
from the example TOML files read with ``tomllib`` (not through bondkit's scenario layer),
from an all-in cost solved here by bisection on the dated flows, and from identities every
schedule must satisfy whatever its terms.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bondkit.runner import run
from bondkit.runner.pipeline import run_campaign
from bondkit.scenario import list_examples, load_example, starter_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
EXAMPLES = list_examples()
MONEY = ["opening_balance", "interest", "principal", "payment", "closing_balance"]


def fast(sc):
    """``sc`` with few simulated campaigns and paths (only for the tables it has)."""
    changes = {}
    if sc.campaign is not None:
        changes["campaign.simulations"] = 200
    if sc.risk is not None:
        changes["risk.paths"] = 200
    return sc.with_changes(changes) if changes else sc


def fiscal_year(d: dt.date, fiscal_year_end: str) -> int:
    """The fiscal year of ``d``, named by the calendar year it ends in (written here)."""
    month, day = (int(x) for x in fiscal_year_end.split("-"))
    return d.year if (d.month, d.day) <= (month, day) else d.year + 1


@pytest.fixture(scope="module")
def bullet():
    """The starter issue, its terms written out: 100,000 $ for 5 years at 4 %, annual."""
    sc = starter_scenario().with_changes(
        amount=100_000,
        face_value=1_000,
        annual_rate=0.04,
        term_years=5,
        repayment="bullet",
        frequency="annual",
        day_count="30/360",
        issue_date=dt.date(2027, 1, 15),
    )
    return sc, run(sc)


@pytest.fixture(scope="module")
def examples():
    """Every packaged example, made fast, and its result."""
    out = {}
    for name in EXAMPLES:
        sc = fast(load_example(name))
        out[name] = (sc, run(sc))
    return out


@pytest.fixture(scope="module")
def costumier():
    """Le Grand Costumier (campaign, capacity and risk), fast; run with its seed and with 7."""
    sc = fast(load_example("grand-costumier-2016"))
    return sc, run(sc), run(sc, seed=7)


# ---------------------------------------------------------------- a bullet by hand


def test_bullet_key_figures_by_hand(bullet):
    sc, res = bullet
    assert res.total_principal == 10_000_000  # 100,000 $ in cents
    assert res.total_interest == 5 * 400_000 == 2_000_000  # 5 x 4,000 $
    assert res.max_annual_debt_service == 10_400_000  # 104,000 $ in the maturity year
    assert res.upfront_costs == 500_000  # [costs] upfront = 5,000 $
    assert res.annual_admin_total == 5 * 50_000  # 500 $ on each of 5 anniversaries
    assert (res.campaign, res.capacity, res.risk) == (None, None, None)


def test_bullet_schedule_by_hand(bullet):
    _, res = bullet
    s = res.schedule
    assert s["series"].tolist() == ["A"] * 5
    assert s["period"].tolist() == [1, 2, 3, 4, 5]
    assert [d.date() for d in s["date"]] == [dt.date(y, 1, 15) for y in range(2028, 2033)]
    assert s["interest"].tolist() == [400_000] * 5
    assert s["principal"].tolist() == [0, 0, 0, 0, 10_000_000]
    assert s["payment"].tolist() == [400_000] * 4 + [10_400_000]
    assert s["closing_balance"].tolist() == [10_000_000] * 4 + [0]


def test_bullet_debt_service_by_fiscal_year(bullet):
    _, res = bullet
    # years end on December 31; one payment each January 15, 2028 to 2032
    by_year = dict(zip(res.fiscal["fiscal_year"], res.fiscal["debt_service"], strict=True))
    assert {y: v for y, v in by_year.items() if v} == {
        2028: 400_000,
        2029: 400_000,
        2030: 400_000,
        2031: 400_000,
        2032: 10_400_000,
    }


def test_bullet_all_in_cost_solved_by_hand(bullet):
    """The issuer nets 95,000 $ and pays 4,500 $ a year then 104,500 $ (interest, admin,
    principal), on dated flows with t = days / 365 (scenario-format.md)."""
    _, res = bullet
    issue = dt.date(2027, 1, 15)
    flows = [(dt.date(2027 + k, 1, 15), 4_500.0) for k in range(1, 5)]
    flows.append((dt.date(2032, 1, 15), 104_500.0))

    def npv(r: float) -> float:
        return -95_000.0 + sum(cf / (1 + r) ** ((d - issue).days / 365) for d, cf in flows)

    low, high = 0.0, 0.2
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if npv(mid) > 0 else (low, mid)
    assert res.issuer_all_in_cost == pytest.approx(low, abs=1e-10)


def test_run_does_not_change_the_scenario(bullet):
    sc, res = bullet
    assert res.scenario is sc
    assert [t.amount_cents for t in res.series] == [10_000_000]


# ---------------------------------------------------------------- the seed


def test_seed_changes_only_the_simulated_parts(costumier):
    sc, base, other = costumier
    assert sc.seed == 2016 and base.scenario.seed == 2016
    pd.testing.assert_frame_equal(other.schedule, base.schedule)
    pd.testing.assert_frame_equal(other.fiscal, base.fiscal)
    pd.testing.assert_frame_equal(other.issuer_flows, base.issuer_flows)
    pd.testing.assert_frame_equal(other.coverage, base.coverage)  # capacity draws nothing
    for key in (
        "total_principal",
        "total_interest",
        "max_annual_debt_service",
        "upfront_costs",
        "annual_admin_total",
        "issuer_all_in_cost",
    ):
        assert getattr(other, key) == getattr(base, key), key
    # the campaign and the redemptions are drawn again
    assert not np.array_equal(
        other.campaign.simulation.community, base.campaign.simulation.community
    )
    assert not other.campaign_band.equals(base.campaign_band)


def test_seed_is_recorded_in_the_result_and_the_summary(costumier):
    sc, base, other = costumier
    assert other.scenario.seed == 7
    assert sc.seed == 2016  # the scenario given is left as it was
    d = other.to_dict()
    assert d["seed"] == 7
    assert d["campaign"]["seed"] == 7
    assert d["risk"]["seed"] == 7
    assert base.to_dict()["seed"] == 2016


def test_seed_equal_to_the_scenarios_gives_the_same_run(costumier):
    sc, base, _ = costumier
    again = run(sc, seed=2016)
    assert again.scenario.seed == 2016
    assert np.array_equal(again.campaign.simulation.community, base.campaign.simulation.community)
    pd.testing.assert_frame_equal(again.liquidity, base.liquidity)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "7", 2.0])
def test_invalid_seed_raises_value_error(bullet, seed):
    sc, _ = bullet
    with pytest.raises(ValueError, match="seed"):
        run(sc, seed=seed)


# ---------------------------------------------------------------- every example


@pytest.mark.parametrize("name", EXAMPLES)
def test_total_principal_is_the_sum_of_the_series_amounts_in_the_file(examples, name):
    _, res = examples[name]
    data = tomllib.loads((SCENARIOS / f"{name}.toml").read_text(encoding="utf-8"))
    cents = sum(Decimal(str(s["amount"])) * 100 for s in data["series"])
    assert res.total_principal == int(cents)
    assert [t.id for t in res.series] == [s["id"] for s in data["series"]]


@pytest.mark.parametrize("name", EXAMPLES)
def test_schedule_identities(examples, name):
    _, res = examples[name]
    s = res.schedule
    for col in MONEY:
        assert s[col].dtype == np.int64, col
    assert (s["interest"] + s["principal"] == s["payment"]).all()
    assert (s["opening_balance"] - s["principal"] == s["closing_balance"]).all()
    assert (s[MONEY] >= 0).all().all()
    for t in res.series:
        own = s[s["series"] == t.id]
        assert int(own["principal"].sum()) == t.amount_cents, t.id
        assert int(own["closing_balance"].iloc[-1]) == 0, t.id
        assert int(own["opening_balance"].iloc[0]) == t.amount_cents, t.id
        assert own["period"].tolist() == list(range(1, len(own) + 1)), t.id
        # each period opens on the balance the previous one closed on
        assert own["opening_balance"].iloc[1:].tolist() == own["closing_balance"].iloc[:-1].tolist()


@pytest.mark.parametrize("name", EXAMPLES)
def test_fiscal_debt_service_adds_up_to_the_schedule(examples, name):
    sc, res = examples[name]
    s = res.schedule
    assert int(res.fiscal["debt_service"].sum()) == int(s["payment"].sum())
    assert int(res.fiscal["interest"].sum()) == int(s["interest"].sum()) == res.total_interest
    assert int(res.fiscal["principal"].sum()) == int(s["principal"].sum()) == res.total_principal
    # the fiscal years grouped here, from the payment dates and the fiscal year end
    by_year: dict[int, int] = defaultdict(int)
    for d, pay in zip(s["date"], s["payment"], strict=True):
        by_year[fiscal_year(d.date(), sc.issuer.fiscal_year_end)] += int(pay)
    table = dict(zip(res.fiscal["fiscal_year"], res.fiscal["debt_service"], strict=True))
    assert {y: int(v) for y, v in table.items() if v} == {y: v for y, v in by_year.items() if v}
    assert res.max_annual_debt_service == max(by_year.values())


@pytest.mark.parametrize("name", EXAMPLES)
def test_series_results_add_up(examples, name):
    _, res = examples[name]
    assert list(res.series_results) == [t.id for t in res.series]
    assert sum(r.total_interest for r in res.series_results.values()) == res.total_interest
    assert sum(r.total_payment for r in res.series_results.values()) == int(
        res.schedule["payment"].sum()
    )


# ---------------------------------------------------------------- run_campaign


def test_run_campaign_is_the_campaign_of_run(costumier):
    sc, base, _ = costumier
    series = tuple(sc.series_terms())
    camp = run_campaign(
        sc.campaign_terms(),
        series,
        sc.cost_terms(),
        sc.seed,
        sc.issuer.legal_form,
        sc.currency,
    )
    assert np.array_equal(camp.simulation.community, base.campaign.simulation.community)
    assert camp.median_cost == base.campaign.median_cost
    assert camp.median_total_interest == base.campaign.median_total_interest


def test_run_campaign_prices_the_median_campaign(costumier):
    sc, base, _ = costumier
    camp = base.campaign
    sim = camp.simulation
    m = sim.median_path
    planned = tuple(sc.series_terms())
    raised = {t.id: int(sim.by_series[m, j]) for j, t in enumerate(planned)}
    assert {t.id: t.amount_cents for t in camp.median_series} == {
        k: v for k, v in raised.items() if v > 0
    }
    # the planned issue is left as written
    assert [t.amount_cents for t in base.series] == [t.amount_cents for t in planned]
    sched = camp.median_schedule
    for t in camp.median_series:
        own = sched[sched["series"] == t.id]
        assert int(own["principal"].sum()) == t.amount_cents
    assert camp.median_total_interest == int(sched["interest"].sum())
    assert camp.median_cost == int(sim.cost[m])


def test_run_campaign_adds_the_match_loan_of_the_median_campaign():
    sc = fast(load_example("grand-costumier-2016")).with_changes(
        {
            "campaign.match.ratio": 1,
            "campaign.match.max_amount": 5_000,
            "campaign.match.annual_rate": 0.03,
            "campaign.match.term_years": 5,
        }
    )
    camp = run(sc).campaign
    sim = camp.simulation
    m = sim.median_path
    match = int(sim.match[m])
    assert 0 < match <= 500_000  # at most 5,000 $
    [loan] = [t for t in camp.median_series if t.id == "match"]
    assert loan.amount_cents == match
    assert loan.issue_date == dt.date(2016, 9, 1)  # the earliest issue date
    assert loan.maturity == dt.date(2021, 9, 1)
    assert loan.annual_rate == Decimal("0.03")
    sched = camp.median_schedule
    assert int(sched.loc[sched["series"] == "match", "principal"].sum()) == match
