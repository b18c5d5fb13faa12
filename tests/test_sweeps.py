"""``bondkit sweep``: the grid, each variant against its own run, the files and the chart."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import threading
import time
from concurrent.futures import Executor, Future
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from test_labels import _label_calls, word_problems

import bondkit
from bondkit.cli import main
from bondkit.labels import LABELS
from bondkit.runner import run
from bondkit.scenario import load_scenario, validate_data
from bondkit.studies.comparison import compare
from bondkit.studies.sweeps import (
    EXTRAPOLATED,
    PROBLEM,
    PROGRESS_THRESHOLD,
    SweepSpecError,
    check_specs,
    grid,
    heat_map_data,
    parse_vary,
    sweep,
    sweep_chart,
    sweep_table,
    variant_data,
    write_sweep,
)

ROOT = Path(__file__).resolve().parents[1]
METRICS = (
    "total_principal",
    "issuer_all_in_cost",
    "total_interest",
    "total_cost",
    "max_annual_debt_service",
    "min_dscr",
    "maturity_coverage",
    "p_minimum_reached",
    "p_shortfall",
    # issue #15: the other headline figures of the Summary's four questions
    "expected_raised",
    "years_below_count",
    "max_debt_level_payment",
    "recommended_reserve",
)


def from_summary(summary: dict, metric: str):
    if metric == "min_dscr":
        return summary["capacity"]["min_dscr"] if summary["capacity"] else None
    if metric == "p_minimum_reached":
        return summary["campaign"]["p_minimum_reached"] if summary["campaign"] else None
    if metric == "p_shortfall":
        return summary["risk"]["p_shortfall"] if summary["risk"] else None
    if metric == "expected_raised":
        return summary["campaign"]["expected_raised"] if summary["campaign"] else None
    if metric == "years_below_count":
        cap = summary["capacity"]
        return len(cap["years_below_threshold"]) if cap else None
    if metric == "max_debt_level_payment":
        return summary["capacity"]["max_debt_level_payment"] if summary["capacity"] else None
    if metric == "recommended_reserve":
        return summary["risk"]["recommended_reserve"] if summary["risk"] else None
    return summary[metric]


@pytest.fixture
def plain(tmp_path) -> Path:
    """Le Grand Costumier without its [campaign], [capacity] and [risk] tables."""
    text = (ROOT / "scenarios" / "grand-costumier-2016.toml").read_text(encoding="utf-8")
    path = tmp_path / "gc.toml"
    path.write_text(text.split("\n[campaign]\n")[0], encoding="utf-8")
    return path


@pytest.fixture
def simulated(tmp_path) -> Path:
    """Le Grand Costumier whole, with 500 simulated campaigns and risk paths."""
    text = (ROOT / "scenarios" / "grand-costumier-2016.toml").read_text(encoding="utf-8")
    text = text.replace("\n[campaign]\n", "\n[campaign]\nsimulations = 500\n", 1)
    text = text.replace("\n[risk]\n", "\n[risk]\npaths = 500\n", 1)
    path = tmp_path / "gc-sim.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the grid


def test_ranges_are_exact_decimals():
    spec = parse_vary("annual_rate=0.02:0.05:0.005")
    assert spec.values == tuple(Decimal(f"0.0{k}") for k in ("2", "25", "3", "35", "4", "45", "5"))
    assert [str(v) for v in spec.values] == [
        "0.02", "0.025", "0.03", "0.035", "0.04", "0.045", "0.05"
    ]  # fmt: skip
    # stop off the grid: not included; whole numbers are ints
    assert parse_vary("annual_rate=0.01:0.02:0.003").values == tuple(
        Decimal(s) for s in ("0.01", "0.013", "0.016", "0.019")
    )
    assert parse_vary("term_years=3:7:2").values == (3, 5, 7)
    assert parse_vary("term_years=3,5,7").values == (3, 5, 7)
    assert parse_vary("repayment=bullet, level-payment").values == ("bullet", "level-payment")
    assert parse_vary("x=0.1:0.1:1").values == (Decimal("0.1"),)


def test_grid_is_the_product_first_key_slowest():
    g = grid([parse_vary("a=1,2"), parse_vary("b=0.5:0.6:0.1"), parse_vary("c=x")])
    assert g == [
        {"a": 1, "b": Decimal("0.5"), "c": "x"},
        {"a": 1, "b": Decimal("0.6"), "c": "x"},
        {"a": 2, "b": Decimal("0.5"), "c": "x"},
        {"a": 2, "b": Decimal("0.6"), "c": "x"},
    ]


@pytest.mark.parametrize(
    "text",
    ["annual_rate", "annual_rate=", "annual_rate=,", "annual_rate=0.02:0.05:0",
     "annual_rate=0.02:0.05:-0.01", "annual_rate=0.05:0.02:0.01", "annual_rate=1:2",
     "annual_rate=a:b:c", "=1,2", "annual_rate=1,1"],
)  # fmt: skip
def test_bad_specs_are_refused(text):
    with pytest.raises(SweepSpecError):
        parse_vary(text)


@pytest.mark.parametrize(
    "key", ["colour", "id", "series[2].annual_rate", "series[1].nope", "campaign.target",
            "costs.nope", "scenario", "costs", "series.annual_rate", "scenario.seed",
            "scenario.name"],
)  # fmt: skip
def test_keys_the_scenario_cannot_vary(plain, key):
    sc = load_scenario(plain)
    with pytest.raises(SweepSpecError, match=re.escape(key)):
        check_specs(sc, [parse_vary(f"{key}=1,2")])


def test_keys_the_scenario_can_vary(simulated):
    sc = load_scenario(simulated)
    keys = ["annual_rate", "series[1].term_years", "campaign.target", "risk.annual_probability",
            "costs.upfront", "campaign.costs.fixed"]  # fmt: skip
    check_specs(sc, [parse_vary(f"{k}=1,2") for k in keys])


# ---------------------------------------------------------------- against bondkit run


@pytest.fixture
def swept(plain, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["sweep", str(plain), "--vary", "annual_rate=0.02:0.025:0.005",
         "--vary", "term_years=3,7", "--out", str(out), "--lang", "en"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return {"out": out, "result": res, "file": plain}


def test_every_metric_equals_the_run_of_that_variant(swept, tmp_path):
    table = sweep(load_scenario(swept["file"]), [
        parse_vary("annual_rate=0.02:0.025:0.005"), parse_vary("term_years=3,7")
    ])  # fmt: skip
    assert len(table) == 4
    text = swept["file"].read_text(encoding="utf-8")
    runner = CliRunner()
    for i, row in table.iterrows():
        assert row[PROBLEM] is None
        variant = re.sub(r"^annual_rate = .*$", f"annual_rate = {row['annual_rate']}", text,
                         flags=re.M)  # fmt: skip
        variant = re.sub(r"^term_years = .*$", f"term_years = {row['term_years']}", variant,
                         flags=re.M)  # fmt: skip
        f = tmp_path / f"v{i}.toml"
        f.write_text(variant, encoding="utf-8")
        res = runner.invoke(main, ["run", str(f), "--out", str(tmp_path / "runs")])
        assert res.exit_code == 0, res.output
        summary = json.loads((tmp_path / "runs" / f"v{i}-summary.json").read_text("utf-8"))
        for m in METRICS:
            assert row[m] == from_summary(summary, m), (i, m)
    # and the CSV holds the same numbers, unformatted
    with open(swept["out"] / "sweep.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["annual_rate", "term_years", *METRICS, "extrapolated_years", "first_problem"]
    assert [r[:2] for r in rows[1:]] == [
        ["0.02", "3"],
        ["0.02", "7"],
        ["0.025", "3"],
        ["0.025", "7"],
    ]
    for r, (_, row) in zip(rows[1:], table.iterrows(), strict=True):
        for j, m in enumerate(METRICS):
            cell = r[2 + j]
            assert (cell == "") if row[m] is None else float(cell) == row[m]
        assert r[-2:] == ["0", ""]  # no capacity table: nothing extrapolated


def test_files_and_terminal(swept):
    out = swept["out"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".bondkit",
        "charts",
        "sweep.csv",
        "sweep.xlsx",
    ]
    assert not list(out.glob(".bondkit/stage-*"))
    assert sorted(p.name for p in (out / "charts").iterdir()) == [
        "sweep-issuer-all-in-cost.png", "sweep-issuer-all-in-cost.svg"
    ]  # fmt: skip
    output = swept["result"].output
    assert "annual_rate" in output and "Issuer's all-in cost" in output
    assert str(out / "sweep.csv") in output and str(out / "sweep.xlsx") in output
    import openpyxl

    ws = openpyxl.load_workbook(out / "sweep.xlsx").worksheets[0]
    assert ws.title == "Variants"
    # issue #15: the variant in words, then each key in words with its unit, then the figures
    assert [c.value for c in ws[3][:4]] == [
        "Variant of the scenario", "Annual rate (%)", "Term of the bonds (years)", "Total principal"
    ]  # fmt: skip
    assert [c.value for c in ws[4][:4]] == ["2% · 3 years", 0.02, 3, 20000]
    assert [c.value for c in ws[7][:3]] == ["2.5% · 7 years", 0.025, 7]
    assert "%" in ws["B4"].number_format and "%" not in ws["C4"].number_format
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert (
        "Keys varied, as sweep.csv names them: Annual rate (%) = annual_rate; Term of the "
        "bonds (years) = term_years." in notes
    )


def test_jobs_two_equals_serial(simulated):
    sc = load_scenario(simulated)
    specs = [parse_vary("annual_rate=0.02,0.03"), parse_vary("campaign.target=18000,20000")]
    serial = sweep(sc, specs)
    parallel = sweep(sc, specs, jobs=2)
    assert serial.equals(parallel)
    assert serial["p_minimum_reached"].notna().all() and serial["p_shortfall"].notna().all()


def test_an_invalid_variant_is_reported_not_a_crash(plain, tmp_path):
    sc = load_scenario(plain)
    table = sweep(sc, [parse_vary("annual_rate=0.02,1.5"), parse_vary("term_years=5")])
    ok, bad = table.iloc[0], table.iloc[1]
    assert ok[PROBLEM] is None and ok["total_interest"] == 2000.0
    assert bad[PROBLEM].startswith("series[1].annual_rate:")
    assert all(bad[m] is None for m in METRICS)
    # in the sweep's language
    french = sweep(sc, [parse_vary("annual_rate=1.5")], lang="fr")
    assert french.iloc[0][PROBLEM].startswith("series[1].annual_rate : ")
    assert "vous avez écrit 1.5" in french.iloc[0][PROBLEM]
    # term_years and maturity_date: varying one drops the other
    table = sweep(sc, [parse_vary("maturity_date=2019-09-01")])
    assert table.iloc[0][PROBLEM] is None and table.iloc[0]["total_interest"] == 1200.0
    res = CliRunner().invoke(main, ["sweep", str(plain), "--vary", "annual_rate=0.02,1.5",
                                    "--out", str(tmp_path / "o")])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "series[1].annual_rate" in res.output


@pytest.mark.parametrize(
    "vary", ["annual_rate=0.05:0.02:0.01", "annual_rate=", "colour=1,2", "term_years=1:5:0"]
)
def test_a_bad_spec_exits_2_and_writes_nothing(plain, tmp_path, vary):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["sweep", str(plain), "--vary", vary, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "--vary" in res.stderr and "Traceback" not in res.output
    assert len(res.stderr.splitlines()) == 1 and res.stdout == ""
    assert not out.exists()


def test_the_heat_map_shows_the_table(plain):
    sc = load_scenario(plain)
    specs = [parse_vary("annual_rate=0.02:0.03:0.005"), parse_vary("term_years=3,5"),
             parse_vary("face_value=500,1000")]  # fmt: skip
    table = sweep(sc, specs)
    ax = sweep_chart(table, "total_interest", "en")
    shown = np.ma.filled(ax.images[0].get_array(), np.nan)
    first = table[table["face_value"] == 500]
    expected = np.array(
        [[first[(first.annual_rate == r) & (first.term_years == y)].total_interest.iloc[0]
          for r in (0.02, 0.025, 0.03)] for y in (3, 5)]
    )  # fmt: skip
    assert np.array_equal(shown, expected)
    # issue #15: the keys in words with their units, the values as a reader writes them
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["2.0%", "2.5%", "3.0%"]
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["3", "5"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Annual rate (%)", "Term of the bonds (years)")
    assert "Face value = \\$500" in ax.get_title()  # a $ kept from mathtext
    assert ax.images[0].colorbar.ax.get_ylabel() == "Amount (CAD)"
    xs, ys, z = heat_map_data(table, "total_interest")
    assert np.array_equal(z, expected)
    # one key: a line
    line = sweep(sc, [parse_vary("term_years=3,5,7")])
    ax = sweep_chart(line, "total_interest", "fr")
    assert list(ax.lines[0].get_ydata()) == list(line["total_interest"])
    assert list(ax.lines[0].get_xdata()) == [3, 5, 7]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Durée des obligations (années)", "Montant (CAD)")
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["3", "5", "7"]


@pytest.mark.parametrize("module", ["sweeps.py", "sweep_charts.py", "varied.py"])
def test_sweep_holds_no_hard_coded_words(module):
    import ast

    from bondkit.studies.varied import VARIED

    source = (Path(bondkit.__file__).resolve().parent / "studies" / module).read_text(
        encoding="utf-8"
    )
    # the keys of the scenario a sweep varies are data ("repayment"), not words
    assert [p for p in word_problems(source) if not p.endswith(tuple(
        f"'{k}' is a label, not a key" for k in VARIED))] == []  # fmt: skip
    for name, arg in _label_calls(ast.parse(source)):
        if name == "t" and isinstance(arg, ast.Constant):
            assert arg.value in LABELS


# ---------------------------------------------------------------- a life longer than the cash flow

SIX_YEARS = "cash_flow = [4_500, 5_000, 5_500, 6_000, 6_000, 6_500]"  # fiscal years 2017-2022


@pytest.fixture
def costumier(tmp_path) -> Path:
    """Le Grand Costumier whole (six years of cash flow, fiscal years 2017 to 2022; the
    5-year issue runs to 2022), with 200 simulated campaigns and risk paths."""
    text = (ROOT / "scenarios" / "grand-costumier-2016.toml").read_text(encoding="utf-8")
    text = text.replace("\n[campaign]\n", "\n[campaign]\nsimulations = 200\n", 1)
    text = text.replace("\n[risk]\n", "\n[risk]\npaths = 200\n", 1)
    assert text.count(SIX_YEARS) == 1
    path = tmp_path / "gc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _written_out(file: Path, tmp_path: Path, term: int, cash_flow: list) -> list:
    """The figures of a plain run of ``file`` at ``term`` years with ``cash_flow`` written
    in by hand."""
    text = file.read_text(encoding="utf-8").replace(
        SIX_YEARS, f"cash_flow = [{', '.join(map(str, cash_flow))}]"
    )
    text, n = re.subn(r"^term_years = .*$", f"term_years = {term}", text, flags=re.M)
    assert n == 1
    path = tmp_path / f"by-hand-{term}.toml"
    path.write_text(text, encoding="utf-8")
    alone = compare([run(load_scenario(path))])
    return [alone[m].iloc[0] for m in METRICS]


def test_a_variant_that_outruns_the_cash_flow_holds_its_last_year(costumier, tmp_path):
    """Issue #12, 6: term_years=7 was rejected (six years of cash flow, the issue to 2024)."""
    sc = load_scenario(costumier)
    table = sweep(sc, [parse_vary("term_years=5,7,10")])
    assert list(table[EXTRAPOLATED]) == [0, 2, 5]  # to 2024 and to 2027
    assert list(table[PROBLEM]) == [None, None, None]
    assert list(table["total_interest"]) == [2000.0, 2800.0, 4000.0]
    held = [4500, 5000, 5500, 6000, 6000, 6500]
    for (_, row), term, added in zip(table.iterrows(), (5, 7, 10), (0, 2, 5), strict=True):
        by_hand = _written_out(costumier, tmp_path, term, held + [6500] * added)
        assert [row[m] for m in METRICS] == by_hand, term
        assert row["min_dscr"] is not None and row["maturity_coverage"] is not None
    # the variant that fits is the run of the file itself, bit for bit
    alone = compare([run(sc)])
    assert [table.iloc[0][m] for m in METRICS] == [alone[m].iloc[0] for m in METRICS]
    # the extrapolated years change the figures: 10 years of 6 500 $ are not 10 of 0 $
    short = _written_out(costumier, tmp_path, 10, held + [0] * 5)
    assert [table.iloc[2][m] for m in METRICS] != short


def test_a_variant_that_outruns_the_cash_flow_grows_at_cash_flow_growth(costumier, tmp_path):
    text = costumier.read_text(encoding="utf-8")
    costumier.write_text(text.replace(SIX_YEARS, SIX_YEARS + "\ncash_flow_growth = 0.02"))
    sc = load_scenario(costumier)
    assert sc.capacity_terms().cash_flow_growth == Decimal("0.02")
    table = sweep(sc, [parse_vary("term_years=5,7,10")])
    assert list(table[EXTRAPOLATED]) == [0, 2, 5] and list(table[PROBLEM]) == [None] * 3
    grown = ["6630", "6762.6", "6897.85", "7035.81", "7176.53"]  # 6 500 x 1.02^k, to the cent
    assert [Decimal(g) for g in grown] == [
        (6500 * Decimal("1.02") ** k).quantize(Decimal("0.01"), ROUND_HALF_UP) for k in range(1, 6)
    ]
    held = ["4500", "5000", "5500", "6000", "6000", "6500"]
    for (_, row), term, added in zip(table.iterrows(), (5, 7, 10), (0, 2, 5), strict=True):
        by_hand = _written_out(costumier, tmp_path, term, held + grown[:added])
        assert [row[m] for m in METRICS] == by_hand, term
    # against the last year held: a growing cash flow covers more
    flat = _written_out(costumier, tmp_path, 10, held + ["6500"] * 5)
    assert table.iloc[2]["min_dscr"] >= flat[METRICS.index("min_dscr")]
    assert table.iloc[2]["maturity_coverage"] > flat[METRICS.index("maturity_coverage")]


def test_the_extrapolated_years_are_shown_only_when_there_are_some(costumier, tmp_path):
    sc = load_scenario(costumier)
    table = sweep(sc, [parse_vary("term_years=5,7,10")])
    # not a varied key: the chart is a line over term_years alone
    ax = sweep_chart(table, "min_dscr", "en")
    assert ax.get_xlabel() == "Term of the bonds (years)"
    assert list(ax.lines[0].get_xdata()) == [5, 7, 10]
    assert ax.get_ylabel() == "Coverage ratio (times)"
    english = sweep_table(table, "en").splitlines()
    assert english[0].endswith("Maturity test  Chance of reaching the minimum  "
                               "Chance of a liquidity shortfall  Expected raise  Years below the "
                               "threshold  Largest affordable issue  Recommended reserve  "
                               "Cash flow extrapolated (years)  Problem")  # fmt: skip
    assert [line.split()[-1] for line in english[1:]] == ["0", "2", "5"]
    assert "Flux extrapolés (années)  Problème" in sweep_table(table, "fr")
    fits = sweep(sc, [parse_vary("term_years=4,5")])
    assert list(fits[EXTRAPOLATED]) == [0, 0]
    assert "extrapolated" not in sweep_table(fits, "en")
    # the command: the terminal's table, the CSV and the workbook
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["sweep", str(costumier), "--vary", "term_years=5,7,10",
                                    "--out", str(out), "--lang", "en"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Cash flow extrapolated (years)" in res.stdout
    rows = list(csv.reader(io.StringIO((out / "sweep.csv").read_text(encoding="utf-8"))))
    assert rows[0][-2:] == ["extrapolated_years", "first_problem"]
    assert [r[-2:] for r in rows[1:]] == [["0", ""], ["2", ""], ["5", ""]]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_workbook_shows_the_extrapolated_years_and_the_rule(costumier, tmp_path, lang):
    import openpyxl

    sc = load_scenario(costumier)
    for vary, years in (("term_years=5,7,10", [0, 2, 5]), ("term_years=4,5", [0, 0])):
        table = sweep(sc, [parse_vary(vary)], lang=lang)
        out = tmp_path / vary.replace(",", "-")
        write_sweep(table, out, lang=lang, seed=sc.seed)
        ws = openpyxl.load_workbook(out / "sweep.xlsx").worksheets[0]
        header = [c.value for c in ws[3]]
        column = 1 + 1 + len(METRICS) + 1  # the variant, term_years, the figures, then this
        assert header[column - 1] == LABELS["sweep.extrapolated"][lang == "fr"]
        assert header[column] == LABELS["sweep.problem"][lang == "fr"]
        assert [ws.cell(4 + i, column).value for i in range(len(years))] == years
        notes = [ws.cell(r, 1).value for r in range(4 + len(years), ws.max_row + 1)]
        rule = LABELS["sweep.note.extrapolated"][lang == "fr"]
        assert (rule in notes) == any(years)
    assert "cash_flow_growth" in rule and ("held" in rule or "maintenue" in rule)


def test_a_variant_that_fits_runs_as_before(costumier):
    """No year added: the variant's data is passed on as it is, and its row is that of a
    run of the variant."""
    from bondkit.scenario.capacity import extend_cash_flow
    from bondkit.studies.sweeps import _run_variant

    sc = load_scenario(costumier)
    data = variant_data(sc.to_data(), {"term_years": 4})
    assert extend_cash_flow(data) == (data, 0) and extend_cash_flow(data)[0] is data
    row = _run_variant(data, sc.seed)
    alone = compare([run(validate_data(data))])
    assert row == {m: alone[m].iloc[0] for m in METRICS} | {EXTRAPOLATED: 0, PROBLEM: None}
    # and a variant that is invalid for another reason still says why
    bad = sweep(sc, [parse_vary("term_years=7"), parse_vary("annual_rate=1.5")])
    assert bad.iloc[0][PROBLEM].startswith("series[1].annual_rate:")
    assert bad.iloc[0]["total_interest"] is None


# ---------------------------------------------------------------- the seed of a run


@pytest.fixture
def cinema(tmp_path) -> Path:
    """Cinéma du Parc (campaign, capacity and risk) with 500 campaigns and 500 risk paths."""
    text = (ROOT / "scenarios" / "cinema-du-parc-2016.toml").read_text(encoding="utf-8")
    text, n_sim = re.subn(r"^simulations = .*$", "simulations = 500", text, flags=re.M)
    text, n_paths = re.subn(r"^paths = .*$", "paths = 500", text, flags=re.M)
    assert n_sim == n_paths == 1
    path = tmp_path / "cinema.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_run_seed_replaces_the_seed_of_the_simulations_only(cinema):
    sc = load_scenario(cinema)
    same = run(sc).to_dict()
    assert run(sc, seed=sc.seed).to_dict() == same
    other = run(sc, seed=sc.seed + 1)
    summary = other.to_dict()
    assert summary["seed"] == sc.seed + 1 and sc.seed == same["seed"]  # the input is unchanged
    # the simulated figures move with the seed...
    assert summary["campaign"] != same["campaign"]
    assert summary["risk"] != same["risk"]
    assert other.campaign.simulation.seed == other.risk.simulation.seed == sc.seed + 1
    # ...the contract does not
    contract = ("total_principal", "total_interest", "max_annual_debt_service",
                "issuer_all_in_cost", "series", "debt_service_by_fiscal_year", "capacity")  # fmt: skip
    assert {k: summary[k] for k in contract} == {k: same[k] for k in contract}
    assert other.schedule.equals(run(sc).schedule)
    # and a seed given is the seed used: the same as writing it in the file
    text = cinema.read_text(encoding="utf-8")
    written, n = re.subn(r"^seed = .*$", f"seed = {sc.seed + 1}", text, flags=re.M)
    assert n == 1
    cinema.write_text(written, encoding="utf-8")
    assert run(load_scenario(cinema)).to_dict() | {"input_sha256": None} == summary | {
        "input_sha256": None
    }


@pytest.mark.parametrize("seed", [-1, 1.5, True, "1"])
def test_run_refuses_a_seed_the_file_would_refuse(cinema, seed):
    with pytest.raises(ValueError, match="seed"):
        run(load_scenario(cinema), seed=seed)


# ---------------------------------------------------------------- executors


def _distributed():
    """The ``distributed`` package; the test skips without it unless BONDKIT_REQUIRE_DASK
    is set (CI installs it with ``.[test]``), in which case it fails."""
    if os.environ.get("BONDKIT_REQUIRE_DASK"):
        import distributed
    else:
        distributed = pytest.importorskip("distributed")
    return distributed


CRN_GRID = ("annual_rate=0.02,0.03", "campaign.minimum=50000,100000")


def test_serial_processes_and_dask_give_the_same_table(cinema):
    distributed = _distributed()
    sc = load_scenario(cinema)
    specs = [parse_vary(v) for v in CRN_GRID]
    serial = sweep(sc, specs)
    assert serial[PROBLEM].isna().all()
    assert serial["p_minimum_reached"].notna().all() and serial["p_shortfall"].notna().all()
    # the simulated figures differ between variants (the grid is not vacuous)
    assert serial["p_minimum_reached"].nunique() > 1 and serial["total_interest"].nunique() > 1
    processes = sweep(sc, specs, jobs=2)
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as client:
        dask = sweep(sc, specs, executor=client.get_executor())
    assert serial.equals(processes)
    assert serial.equals(dask)
    # every variant used the scenario's seed: each row is the run of that variant alone,
    # and another seed would have given other simulated figures
    simulated = ["p_minimum_reached", "p_shortfall"]
    for (_, row), combo in zip(serial.iterrows(), grid(specs), strict=True):
        variant = validate_data(variant_data(sc.to_data(), combo))
        assert variant.seed == sc.seed
        alone = compare([run(variant)])
        assert [row[m] for m in simulated] == [alone[m].iloc[0] for m in simulated]
        if combo["campaign.minimum"] == 100000:
            reseeded = compare([run(variant, seed=sc.seed + 1)])
            assert [row[m] for m in simulated] != [reseeded[m].iloc[0] for m in simulated]


class _Reversed(Executor):
    """Runs the submitted calls in reverse order, on a thread, once ``n`` are submitted;
    records the order in which they finished."""

    def __init__(self, n: int) -> None:
        self.n, self.calls, self.finished = n, [], []

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        self.calls.append((future, fn, args, kwargs))
        if len(self.calls) == self.n:
            threading.Thread(target=self._work).start()
        return future

    def _work(self) -> None:
        for i, (future, fn, args, kwargs) in reversed(list(enumerate(self.calls))):
            future.set_result(fn(*args, **kwargs))
            self.finished.append(i)
            time.sleep(0.02)  # one completion at a time


def test_rows_are_in_grid_order_whatever_order_they_finish_in(plain):
    sc = load_scenario(plain)
    specs = [parse_vary("annual_rate=0.02,0.03,0.04"), parse_vary("term_years=3,5")]
    executor = _Reversed(6)
    seen = []
    table = sweep(sc, specs, executor=executor, progress=seen.append)
    assert executor.finished == [5, 4, 3, 2, 1, 0]
    assert seen == [1] * 6
    assert table.equals(sweep(sc, specs))
    assert list(table["annual_rate"]) == [0.02, 0.02, 0.03, 0.03, 0.04, 0.04]
    with pytest.raises(ValueError):
        sweep(sc, specs, jobs=2, executor=executor)


def _threads_here() -> tuple[int, list[int]]:
    """(threads of the risk simulation, threads of each BLAS/OpenMP pool) in this process."""
    import numpy as np
    from threadpoolctl import threadpool_info

    import bondkit.models.risk

    np.ones((2, 2)) @ np.ones((2, 2))  # BLAS loaded
    return bondkit.models.risk.THREADS, [pool["num_threads"] for pool in threadpool_info()]


def test_workers_of_jobs_run_on_one_thread():
    from concurrent.futures import ProcessPoolExecutor

    from bondkit.studies.sweeps import _one_thread

    if not _threads_here()[1]:
        pytest.skip("numpy uses no thread pool that threadpoolctl sees here")
    with ProcessPoolExecutor(1, initializer=_one_thread) as pool:
        threads, pools = pool.submit(_threads_here).result()
    assert threads == 1 and pools and set(pools) == {1}


# ---------------------------------------------------------------- --scheduler


def _sweep_cli(file: Path, out: Path, *extra: str, vary=CRN_GRID):
    args = ["sweep", str(file), "--out", str(out), "--lang", "en"]
    for v in vary:
        args += ["--vary", v]
    return CliRunner().invoke(main, [*args, *extra])


def test_scheduler_runs_on_a_dask_cluster_with_the_same_results(cinema, tmp_path):
    distributed = _distributed()
    serial = _sweep_cli(cinema, tmp_path / "serial")
    assert serial.exit_code == 0, serial.output
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        on_dask = _sweep_cli(cinema, tmp_path / "dask", "--scheduler", cluster.scheduler_address)
    assert on_dask.exit_code == 0, on_dask.output
    assert on_dask.stdout == serial.stdout.replace(str(tmp_path / "serial"), str(tmp_path / "dask"))
    csv_serial = (tmp_path / "serial" / "sweep.csv").read_text(encoding="utf-8")
    assert (tmp_path / "dask" / "sweep.csv").read_text(encoding="utf-8") == csv_serial


def test_scheduler_without_dask_exits_2_and_writes_nothing(cinema, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    out = tmp_path / "out"
    res = _sweep_cli(cinema, out, "--scheduler", "tcp://127.0.0.1:8786")
    assert res.exit_code == 2, res.output
    assert res.stderr == (
        "bondkit sweep: --scheduler needs Dask, which is not installed: "
        "pip install 'bondkit[dask]'\n"
    )
    assert res.stdout == ""
    assert not out.exists()
    res = _sweep_cli(cinema, out, "--scheduler", "tcp://127.0.0.1:8786", "--lang", "fr")
    assert res.exit_code == 2 and "pip install 'bondkit[dask]'" in res.stderr
    assert "n'est pas installé" in res.stderr and not out.exists()


def test_scheduler_and_jobs_together_are_refused(cinema, tmp_path):
    out = tmp_path / "out"
    res = _sweep_cli(cinema, out, "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2")
    assert res.exit_code == 2, res.output
    assert len(res.stderr.splitlines()) == 1
    assert "--scheduler" in res.stderr and "--jobs" in res.stderr
    assert res.stdout == "" and not out.exists()


def test_an_unreachable_scheduler_is_one_line_and_nothing_written(cinema, tmp_path):
    _distributed()
    out = tmp_path / "out"
    res = _sweep_cli(cinema, out, "--scheduler", "inproc://nowhere/0/1")
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith("bondkit sweep: --scheduler inproc://nowhere/0/1: ")
    assert "Traceback" not in res.output and not out.exists()


# ---------------------------------------------------------------- progress bar


@pytest.mark.parametrize("tty", [False, True], ids=["stderr-not-a-terminal", "stderr-a-terminal"])
def test_the_progress_bar_is_on_stderr_and_leaves_stdout_alone(plain, tmp_path, monkeypatch, tty):
    import click._termui_impl

    if tty:  # the bar itself is drawn (as on a terminal), not only its label
        monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)
    nine = ("annual_rate=0.02,0.03,0.04", "term_years=3,5,7")
    assert 3 * 3 > PROGRESS_THRESHOLD
    shown = _sweep_cli(plain, tmp_path / "a", vary=nine)
    assert shown.exit_code == 0, shown.output
    assert "running 9 variants" in shown.stderr
    if tty:
        assert "\r" in shown.stderr and "100%" in shown.stderr
    monkeypatch.setattr("bondkit.studies.sweeps.PROGRESS_THRESHOLD", 1000)
    hidden = _sweep_cli(plain, tmp_path / "a", vary=nine)
    assert hidden.exit_code == 0 and hidden.stderr == ""
    assert shown.stdout == hidden.stdout
    assert "running 9 variants" not in shown.stdout and "\r" not in shown.stdout
    assert len(shown.stdout.splitlines()) == 1 + 9 + 4  # the table, a blank line, 3 paths


def test_no_progress_bar_for_a_few_variants(plain, tmp_path):
    eight = ("annual_rate=0.02,0.03,0.04,0.05", "term_years=3,5")
    assert 4 * 2 == PROGRESS_THRESHOLD
    res = _sweep_cli(plain, tmp_path / "a", vary=eight)
    assert res.exit_code == 0 and res.stderr == ""
    help_text = " ".join(CliRunner().invoke(main, ["sweep", "--help"]).output.split())
    assert (
        f"more than {PROGRESS_THRESHOLD} variants, a progress bar is shown on stderr" in help_text
    )


def test_sweep_csv_text_cells_are_never_formulas(plain, tmp_path):
    """Issue #11, 8: text --vary values were written raw (Excel read =1+1 as a formula)."""
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main,
        ["sweep", str(plain), "--vary", "repayment=bullet,=1+1,@SUM(A1),-cmd|calc!A0",
         "--out", str(out), "--lang", "en"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO((out / "sweep.csv").read_text(encoding="utf-8"))))
    assert [r[0] for r in rows[1:]] == ["bullet", "'=1+1", "'@SUM(A1)", "'-cmd|calc!A0"]
    for row in rows:  # no cell a spreadsheet would run
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    # numbers stay numbers: a negative rate is not quoted
    res = CliRunner().invoke(
        main, ["sweep", str(plain), "--vary", "annual_rate=-0.01,0.02", "--out", str(out)]
    )
    rows = list(csv.reader(io.StringIO((out / "sweep.csv").read_text(encoding="utf-8"))))
    assert [r[0] for r in rows[1:]] == ["-0.01", "0.02"]


# ---------------------------------------------------------------- issue #15: keys in words


def _scalar_keys() -> list[tuple[str, object]]:
    """Every key of the scenario schema that ``--vary`` accepts, with its field: the
    series' keys and the dotted keys of the tables, found by walking the schema."""
    from typing import get_args

    from bondkit.scenario import Scenario, SeriesTable, Table

    def table_of(annotation):
        for c in (annotation, *get_args(annotation)):
            if isinstance(c, type) and issubclass(c, Table):
                return c
        return None

    found = []

    def walk(cls, prefix):
        for name, field in cls.model_fields.items():
            sub = table_of(field.annotation)
            if sub is None:
                found.append((prefix + name, field))
            elif not str(field.annotation).startswith("tuple"):  # a table, not a list of them
                walk(sub, prefix + name + ".")

    walk(SeriesTable, "")
    for name, field in Scenario.model_fields.items():
        sub = table_of(field.annotation)
        if sub is not None and name not in ("series", "scenario"):
            walk(sub, name + ".")
    return found


def test_every_key_a_sweep_can_vary_has_words_and_a_kind():
    """Each key --vary accepts is named in both languages with the kind of its values; a
    whole table, a list or free text (a name, a contact) is not a value to sweep."""
    from bondkit.columns import KINDS
    from bondkit.studies.varied import VARIED

    skipped = {"id", "step_rates", "issuer.name", "campaign.segments", "capacity.cash_flow",
               "capacity.other_debt_service", "risk.segment_probability", "offer.purpose",
               "offer.security", "offer.exemption", "offer.contact"}  # fmt: skip
    # the planning lists and the self-assessed readiness answers change no figure
    keys = [k for k, _f in _scalar_keys()
            if k not in skipped and not k.startswith(("planning.", "readiness."))]  # fmt: skip
    missing = [k for k in keys if k not in VARIED and not k.startswith("offer.renewals")]
    assert missing == []
    assert set(VARIED) <= set(k for k, _f in _scalar_keys())  # no key the schema lacks
    for key, kind in VARIED.items():
        assert kind in KINDS, key
        assert f"vary.{key}" in LABELS, key
    # by hand: what each kind means for the keys a sweep varies most
    assert [VARIED[k] for k in ("annual_rate", "term_years", "campaign.target", "issue_date",
            "repayment", "risk.renewal_rate", "capacity.coverage_threshold", "risk.paths")] == [
        "rate", "years", "money", "date", "text", "rate", "ratio", "count"]  # fmt: skip


def test_the_prompt_s_sweep_reads_in_french(plain):
    """Issue #15: the heat map's axes read `annual_rate` and 0.03; now Taux annuel (%)
    with 3,0 % ticks, and Durée des obligations (années)."""
    sc = load_scenario(plain)
    table = sweep(sc, [parse_vary("annual_rate=0.03,0.04,0.05"), parse_vary("term_years=5,6")])
    ax = sweep_chart(table, "issuer_all_in_cost", "fr")
    assert ax.get_xlabel() == "Taux annuel (%)"
    assert ax.get_ylabel() == "Durée des obligations (années)"
    assert [x.get_text() for x in ax.get_xticklabels()] == ["3,0\xa0%", "4,0\xa0%", "5,0\xa0%"]
    assert [x.get_text() for x in ax.get_yticklabels()] == ["5", "6"]
    bar = ax.images[0].colorbar.ax
    assert bar.get_ylabel() == "Pourcentage (%)"
    ax.figure.canvas.draw()
    assert all(x.get_text().endswith("\xa0%") for x in bar.get_yticklabels() if x.get_text())
    # a series' key and a table's key, in words
    from bondkit.studies.varied import varied_axis, varied_texts

    assert varied_axis("series[2].annual_rate", "fr") == "Taux annuel, série 2 (%)"
    assert varied_axis("campaign.target", "en", "CAD") == "Campaign target (CAD)"
    assert varied_texts("repayment", ["bullet", "level-payment"], "fr") == [
        "In fine", "Versements constants"
    ]  # fmt: skip
    assert varied_texts("campaign.target", [15_000.0, 17_500.5], "fr") == [
        "15\xa0000,00", "17\xa0500,50"
    ]  # fmt: skip
