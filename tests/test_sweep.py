"""``bondkit sweep``: the grid, each variant against its own run, the files and the chart."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from test_labels import _label_calls, word_problems

import bondkit
from bondkit.cli import main
from bondkit.labels import LABELS
from bondkit.scenario import load_scenario
from bondkit.sweep import (
    PROBLEM,
    SweepSpecError,
    check_specs,
    grid,
    heat_map_data,
    parse_vary,
    sweep,
    sweep_chart,
)

ROOT = Path(__file__).resolve().parents[1]
METRICS = (
    "total_principal",
    "issuer_all_in_cost",
    "total_interest",
    "max_annual_debt_service",
    "min_dscr",
    "p_minimum_reached",
    "p_shortfall",
)


def from_summary(summary: dict, metric: str):
    if metric == "min_dscr":
        return summary["capacity"]["min_dscr"] if summary["capacity"] else None
    if metric == "p_minimum_reached":
        return summary["campaign"]["p_minimum_reached"] if summary["campaign"] else None
    if metric == "p_shortfall":
        return summary["risk"]["p_shortfall"] if summary["risk"] else None
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
            "costs.nope", "scenario", "costs", "series.annual_rate"],
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
    assert rows[0] == ["annual_rate", "term_years", *METRICS, "first_problem"]
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
        assert r[-1] == ""


def test_files_and_terminal(swept):
    out = swept["out"]
    assert sorted(p.name for p in out.iterdir()) == ["charts", "sweep.csv", "sweep.xlsx"]
    assert sorted(p.name for p in (out / "charts").iterdir()) == [
        "sweep-issuer-all-in-cost.png", "sweep-issuer-all-in-cost.svg"
    ]  # fmt: skip
    output = swept["result"].output
    assert "annual_rate" in output and "Issuer's all-in cost" in output
    assert str(out / "sweep.csv") in output and str(out / "sweep.xlsx") in output
    import openpyxl

    ws = openpyxl.load_workbook(out / "sweep.xlsx").worksheets[0]
    assert ws.title == "Variants"
    assert [c.value for c in ws[3][:3]] == ["annual_rate", "term_years", "Total principal"]
    assert [c.value for c in ws[4][:3]] == [0.02, 3, 20000]


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
    assert "--vary" in res.output and "Traceback" not in res.output
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
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0.02", "0.025", "0.03"]
    assert "face_value = 500" in ax.get_title()
    xs, ys, z = heat_map_data(table, "total_interest")
    assert np.array_equal(z, expected)
    # one key: a line
    line = sweep(sc, [parse_vary("term_years=3,5,7")])
    ax = sweep_chart(line, "total_interest", "fr")
    assert list(ax.lines[0].get_ydata()) == list(line["total_interest"])
    assert list(ax.lines[0].get_xdata()) == [3, 5, 7]


def test_sweep_holds_no_hard_coded_words():
    import ast

    source = (Path(bondkit.__file__).resolve().parent / "sweep.py").read_text(encoding="utf-8")
    assert word_problems(source) == []
    for name, arg in _label_calls(ast.parse(source)):
        if name == "t" and isinstance(arg, ast.Constant):
            assert arg.value in LABELS
