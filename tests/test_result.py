"""bondkit.runner.result: ``Result.to_dict`` (the summary JSON), ``summary``, the optional
tables, ``shortfall_curve`` and ``repr``.

Expected values come from the contract (/work/shared/scenario-format.md, "Summary JSON":
the keys that must exist), from the example files themselves (their bytes for
``input_sha256``, ``tomllib`` for names, seeds, series and maturities), from identities
between independent parts of the JSON (debt service by fiscal year against principal and
interest), and from closed forms for the all-in cost and the coverage shown by ``repr``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from bondkit.labels import LABELS
from bondkit.runner import run
from bondkit.runner.figures import FIGURES, JSON_FIGURES, SUMMARY_FIGURES
from bondkit.scenario import (
    list_examples,
    load_example,
    load_scenario,
    starter_scenario,
    starter_text,
)

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
EXAMPLES = list_examples()
#: the keys scenario-format.md says must exist ("more are welcome")
REQUIRED = (
    "scenario",
    "bondkit_version",
    "input_sha256",
    "seed",
    "total_principal",
    "total_interest",
    "max_annual_debt_service",
    "issuer_all_in_cost",
    "series",
)
REQUIRED_SERIES = ("investor_yield", "total_interest", "maturity_date")
MONEY_KEYS = (
    "total_principal",
    "total_interest",
    "max_annual_debt_service",
    "upfront_costs",
    "annual_admin_total",
)


def fast_text(text: str) -> str:
    """A scenario's TOML text with 200 simulated campaigns and paths (tables it has only)."""
    text = re.sub(r"^(simulations|paths)\s*=.*$", "", text, flags=re.M)
    text = re.sub(r"^\[campaign\]", "[campaign]\nsimulations = 200", text, flags=re.M)
    return re.sub(r"^\[risk\]", "[risk]\npaths = 200", text, flags=re.M)


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` plus whole years, 29 February clamped to the 28th (written here)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def cents(x: float) -> Decimal:
    """A JSON amount (currency units) as an exact Decimal of currency units."""
    return Decimal(repr(x))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Each example copied with fewer simulations: (path, its bytes, its TOML data, Result)."""
    folder = tmp_path_factory.mktemp("examples")
    out = {}
    for name in EXAMPLES:
        path = folder / f"{name}.toml"
        path.write_text(
            fast_text((SCENARIOS / f"{name}.toml").read_text(encoding="utf-8")), encoding="utf-8"
        )
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out[name] = (path, path.read_bytes(), data, run(load_scenario(path)))
    return out


@pytest.fixture(scope="module")
def costumier():
    """Le Grand Costumier, fast, and the same without each optional table."""
    sc = load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    return {
        "all": run(sc),
        "no campaign": run(sc.with_changes(campaign=None)),
        "no capacity": run(sc.with_changes(capacity=None)),
        "no risk": run(sc.with_changes(risk=None)),
        "none": run(sc.with_changes(campaign=None, capacity=None, risk=None)),
    }


def test_fast_copies_are_fast(files):
    for _, _, data, res in files.values():
        if "campaign" in data:
            assert res.campaign.simulation.n == 200
        if "risk" in data:
            assert res.to_dict()["risk"]["paths"] == 200


# ---------------------------------------------------------------- to_dict: the contract


@pytest.mark.parametrize("name", EXAMPLES)
def test_to_dict_has_every_key_the_contract_requires(files, name):
    path, raw, data, res = files[name]
    d = res.to_dict()
    for key in REQUIRED:
        assert key in d, key
    assert d["scenario"] == data["scenario"]["name"]
    assert d["seed"] == data["scenario"]["seed"]
    assert d["input_sha256"] == hashlib.sha256(raw).hexdigest()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert d["bondkit_version"] == version["project"]["version"]
    assert list(d["series"]) == [s["id"] for s in data["series"]]
    for s in data["series"]:
        entry = d["series"][s["id"]]
        for key in REQUIRED_SERIES:
            assert key in entry, (s["id"], key)
        maturity = s.get("maturity_date") or add_years(s["issue_date"], s["term_years"])
        assert entry["maturity_date"] == maturity.isoformat()
        assert cents(entry["amount"]) == Decimal(str(s["amount"]))


@pytest.mark.parametrize("name", EXAMPLES)
def test_to_dict_is_strict_json(files, name):
    *_, res = files[name]
    d = res.to_dict()
    text = json.dumps(d, allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == d


@pytest.mark.parametrize("name", EXAMPLES)
def test_to_dict_amounts_are_rounded_to_the_cent_and_add_up(files, name):
    *_, data, res = files[name]
    d = res.to_dict()
    for key in MONEY_KEYS:
        assert cents(d[key]) * 100 == int(cents(d[key]) * 100), key
    total = sum(Decimal(str(s["amount"])) for s in data["series"])
    assert cents(d["total_principal"]) == total
    by_year = {y: cents(v) for y, v in d["debt_service_by_fiscal_year"].items()}
    # every dollar of debt service is principal or interest, in one fiscal year
    assert sum(by_year.values()) == cents(d["total_principal"]) + cents(d["total_interest"])
    assert cents(d["max_annual_debt_service"]) == max(by_year.values())
    assert sum(cents(s["total_interest"]) for s in d["series"].values()) == cents(
        d["total_interest"]
    )
    first = min(s["issue_date"] for s in data["series"])
    assert d["first_issue_date"] == first.isoformat()
    assert d["last_maturity_date"] == max(s["maturity_date"] for s in d["series"].values())


@pytest.mark.parametrize("name", EXAMPLES)
def test_to_dict_parts_are_null_exactly_without_their_table(files, name):
    *_, data, res = files[name]
    d = res.to_dict()
    for part in ("campaign", "capacity", "risk"):
        assert (d[part] is None) == (part not in data), part


def test_input_sha256_of_a_scenario_parsed_from_text_or_changed():
    # parsed from text: the hash of its UTF-8 text; changed in code: no file behind it
    sc = starter_scenario()
    d = run(sc).to_dict()
    assert d["input_sha256"] == hashlib.sha256(starter_text().encode("utf-8")).hexdigest()
    changed = run(sc.with_changes(annual_rate=0.05)).to_dict()
    assert "input_sha256" in changed and changed["input_sha256"] is None
    assert json.loads(json.dumps(changed, allow_nan=False)) == changed


# ---------------------------------------------------------------- summary


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_rows_are_the_to_dict_values(files, name):
    *_, data, res = files[name]
    d = res.to_dict()
    summary = res.summary
    present = [k for k in SUMMARY_FIGURES if FIGURES[k].part in (None, *data)]
    assert summary.index.tolist() == present
    assert summary.columns.tolist() == ["label", "value", "unit"]
    lang = 1 if data["scenario"]["language"] == "fr" else 0
    for key in present:
        f = FIGURES[key]
        if f.part is None or key in JSON_FIGURES:
            expected = d[key]
        elif key == "years_below_count":
            expected = len(d[f.part]["years_below_threshold"])
        else:
            expected = d[f.part][key]
        value = summary.loc[key, "value"]
        assert value == expected, key
        assert summary.loc[key, "unit"] == f.kind, key
        assert summary.loc[key, "label"] == LABELS[f.label][lang], key


def test_summary_of_a_bullet_by_hand():
    summary = run(starter_scenario()).summary  # 100,000 $ at 4 % for 5 years
    assert summary.loc["total_principal", "value"] == 100_000.0
    assert summary.loc["total_interest", "value"] == 20_000.0
    assert summary.loc["max_annual_debt_service", "value"] == 104_000.0
    assert summary.loc["first_issue_date", "value"] == "2027-01-15"
    assert summary.loc["last_maturity_date", "value"] == "2032-01-15"
    assert "min_dscr" not in summary.index and "expected_raised" not in summary.index


# ---------------------------------------------------------------- optional tables


@pytest.mark.parametrize(
    ("variant", "campaign", "capacity", "risk"),
    [
        ("all", True, True, True),
        ("no campaign", False, True, True),
        ("no capacity", True, False, True),
        ("no risk", True, True, False),
        ("none", False, False, False),
    ],
)
def test_tables_are_none_exactly_when_missing(costumier, variant, campaign, capacity, risk):
    res = costumier[variant]
    assert (res.campaign_band is not None) == campaign
    assert (res.campaign_register is not None) == campaign
    assert (res.coverage is not None) == capacity
    assert (res.liquidity is not None) == risk
    if campaign:
        # the band runs over every day of the window, 1 July to 31 August 2016
        assert len(res.campaign_band) == 62
        # the register is the median campaign's: one row per applicant, and the amounts
        # allocated add up to what it raised
        register = res.campaign_register
        sim = res.campaign.simulation
        m = sim.median_path
        assert len(register) == int(sim.applicants[m])
        assert int((register["amount"] > 0).sum()) == int(sim.subscribers[m])
        assert int(register["amount"].sum()) == int(sim.community[m])
        assert (register["demanded"] == register["amount"] + register["refunded"]).all()
    if capacity:
        assert res.coverage["fiscal_year"].tolist() == [2017, 2018, 2019, 2020, 2021, 2022]


def test_shortfall_curve_needs_risk(costumier):
    for variant in ("no risk", "none"):
        with pytest.raises(ValueError, match=r"\[risk\]"):
            costumier[variant].shortfall_curve([0, 1_000])


def test_shortfall_curve_needs_capacity_too(costumier):
    with pytest.raises(ValueError):
        costumier["no capacity"].shortfall_curve([0, 1_000])


@pytest.mark.parametrize("name", ["building-purchase-2010", "cinema-du-parc-2016"])
def test_shortfall_curve_against_the_summary(files, name):
    *_, res = files[name]
    risk = res.to_dict()["risk"]
    reserve = risk["recommended_reserve"]
    curve = res.shortfall_curve([0, reserve / 2, reserve, reserve + 100_000])
    assert curve.columns.tolist() == ["reserve", "p_shortfall"]
    assert curve["reserve"].tolist() == [0, reserve / 2, reserve, reserve + 100_000]
    assert curve["p_shortfall"].iloc[0] == risk["p_shortfall"]
    assert curve["p_shortfall"].iloc[2] <= risk["shortfall_level"]
    assert curve["p_shortfall"].is_monotonic_decreasing
    assert ((curve["p_shortfall"] >= 0) & (curve["p_shortfall"] <= 1)).all()


def test_shortfall_curve_reserves_are_rounded_half_up(costumier):
    curve = costumier["all"].shortfall_curve([0.125, 1.005])
    assert curve["reserve"].tolist() == [0.13, 1.01]


# ---------------------------------------------------------------- repr


def test_repr_with_capacity(costumier):
    # 20,000 $ received 2016-09-01 less 1,000 $ of costs and the campaign's expected cost,
    # 22,000 $ paid 2021-09-01: (22,000 / (19,000 - campaign)) ** (365 / days) - 1
    days = (dt.date(2021, 9, 1) - dt.date(2016, 9, 1)).days
    res = costumier["all"]
    campaign = res.campaign.expected_cost / 100
    cost = (22_000 / (19_000 - campaign)) ** (365 / days) - 1
    # the lowest coverage: FY 2017's 4,500 $ of cash flow over the sinking fund's deposit
    # of 20,000 x 0.01 / (1.01^5 - 1) (the fund earns 1 %)
    deposit = round(20_000 * 0.01 / (1.01**5 - 1), 2)
    coverage = 4_500 / deposit
    expected = (
        f"<Result 'Le Grand Costumier 2016': 1 series, 20,000.00 CAD, "
        f"all-in cost {cost:.2%}, min coverage {coverage:.2f}>"
    )
    assert expected.endswith("all-in cost 6.12%, min coverage 1.15>")
    assert repr(res) == expected
    # without a campaign: 2.97 %, the rate of the contract's figure
    before = (22_000 / 19_000) ** (365 / days) - 1
    assert repr(costumier["no campaign"]) == expected.replace("6.12%", f"{before:.2%}")
    assert f"{before:.2%}" == "2.97%"


def test_repr_without_capacity_or_all_in_cost(costumier):
    res = costumier["none"]
    assert (
        repr(res)
        == "<Result 'Le Grand Costumier 2016': 1 series, 20,000.00 CAD, all-in cost 2.97%>"
    )
    unsolved = dataclasses.replace(res, issuer_all_in_cost=None)
    assert repr(unsolved) == "<Result 'Le Grand Costumier 2016': 1 series, 20,000.00 CAD>"


def test_repr_of_several_series(files):
    *_, res = files["solar-coop-multi-series"]
    text = repr(res)
    assert text.startswith("<Result 'Solar co-op 2026, three series': 3 series, 500,000.00 CAD, ")
    assert text.endswith(">")
