"""The notebook API (``import bondkit as bk``): the same model as the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import bondkit as bk
from bondkit.cli import main
from bondkit.errors import ScenarioError
from bondkit.labels import t

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
FAST = {"campaign.simulations": 500, "risk.paths": 500}  # keys a notebook would change


def test_packaged_examples_are_the_repository_examples():
    names = bk.list_examples()
    assert names == sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    package = Path(bk.__file__).parent / "examples"
    for name in names:
        assert (package / f"{name}.toml").read_bytes() == (SCENARIOS / f"{name}.toml").read_bytes()
    with pytest.raises(ScenarioError) as err:
        bk.load_example("cinema")
    assert "cinema-du-parc-2016" in str(err.value)


def test_with_changes_validates_again_with_the_messages_of_a_file(tmp_path):
    base = bk.load_example("grand-costumier-2016")
    text = (SCENARIOS / "grand-costumier-2016.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("annual_rate = 0.02", "annual_rate = 4", 1), encoding="utf-8")
    assert "annual_rate = 4" in bad.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as from_file:
        bk.load_scenario(bad)
    with pytest.raises(ScenarioError) as from_code:
        base.with_changes({"series[1].annual_rate": 4})
    assert [str(p) for p in from_code.value.problems] == [str(p) for p in from_file.value.problems]
    assert from_code.value.render("fr") == from_file.value.render("fr")
    # several problems at once, and the original is untouched
    with pytest.raises(ScenarioError) as many:
        base.with_changes(annual_rate=-1, face_value=0)
    assert len(many.value.problems) == 2
    assert str(base.series[0].annual_rate) == "0.02"
    with pytest.raises(ScenarioError, match=r"there is no series 3: the scenario has 1"):
        base.with_changes({"series[3].annual_rate": 0.03})
    # a valid change: a new scenario, run like any other
    changed = base.with_changes(annual_rate=0.035, campaign=None)
    assert changed.campaign is None and changed.source_path is None
    assert bk.run(changed).total_interest == 20_000_00 * 35 // 1000 * 5


def test_results_from_the_api_equal_the_cli(tmp_path):
    path = SCENARIOS / "solar-coop-multi-series.toml"
    res = bk.run(bk.load_scenario(path))
    out = tmp_path / "out"
    cli = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert cli.exit_code == 0, cli.output
    summary = json.loads((out / f"{path.stem}-summary.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(res.to_dict())) == summary
    csv = CliRunner().invoke(main, ["schedule", str(path), "--format", "csv"])
    table = pd.read_csv(io.StringIO(csv.stdout))
    assert (table["payment"] * 100).round().astype(int).tolist() == res.schedule["payment"].tolist()
    # the summary DataFrame holds the same numbers
    figures = res.summary
    for key in ("total_principal", "total_interest", "max_annual_debt_service"):
        assert figures.loc[key, "value"] == summary[key] and figures.loc[key, "unit"] == "money"
    assert figures.loc["min_dscr", "value"] == summary["capacity"]["min_dscr"]
    assert figures.loc["p_shortfall", "value"] == summary["risk"]["p_shortfall"]
    assert "p_minimum_reached" not in figures.index  # no [campaign]


def test_seeded_runs_repeat_and_a_seed_changes_only_the_simulation():
    sc = bk.load_example("cinema-du-parc-2016").with_changes(FAST)
    a, b, c = bk.run(sc), bk.run(sc), bk.run(sc, seed=sc.seed + 1)
    assert a.to_dict() == b.to_dict()
    assert c.schedule.equals(a.schedule)
    assert c.to_dict()["campaign"]["expected_raised"] != a.to_dict()["campaign"]["expected_raised"]


def test_plots_take_an_axes_or_make_one_and_return_it():
    from matplotlib.figure import Figure

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res = bk.run(bk.load_example("cinema-du-parc-2016").with_changes(FAST))
    for name in ("debt_service", "balance", "campaign", "raised", "coverage", "redemptions"):
        ax = Figure().add_subplot()
        assert getattr(res, f"plot_{name}")(ax=ax) is ax
        assert ax.has_data()
    before = len(plt.get_fignums())
    ax = res.plot_debt_service()
    assert len(plt.get_fignums()) == before + 1 and ax.figure.number in plt.get_fignums()
    plt.close("all")
    plain = bk.run(bk.load_example("grand-costumier-2016").with_changes(campaign=None))
    with pytest.raises(ValueError, match=r"\[campaign\]"):
        plain.plot_campaign(ax=Figure().add_subplot())


def test_notebook_display_escapes_text_and_shows_statuses():
    sc = bk.load_example("cinema-du-parc-2016").with_changes(
        {**FAST, "scenario.name": "<script>alert(1)</script>"}
    )
    res = bk.run(sc)
    page = res._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    statuses = set(res.readiness["status"])
    for status in statuses:
        assert f">{t(f'status.{status}', 'fr')}</td>" in page
    assert len(repr(res)) < 150 and repr(res).startswith("<Result '&lt;") is False


def test_compare_and_sweep_as_the_commands():
    base = bk.load_example("grand-costumier-2016")
    table = bk.compare([base, base.with_changes(annual_rate=0.03)])
    # by the scenario's name; the file's name tells apart two of the same name (issue #15)
    named = "Le Grand Costumier 2016 (grand-costumier-2016.toml)"
    assert list(table.index) == [named, "Le Grand Costumier 2016"]
    assert table["total_interest"].tolist() == [2000.0, 3000.0]
    twice = bk.compare([base, base])
    assert list(twice.index) == [named, f"{named} #2"]
    listed = bk.sweep(base, {"annual_rate": [0.02, 0.025], "term_years": [5]})
    spelled = bk.sweep(base, {"annual_rate": "0.02:0.025:0.005", "term_years": "5"})
    assert listed.equals(spelled)
    assert listed["total_interest"].tolist() == [2000.0, 2500.0]
    with pytest.raises(bk.BondkitError):
        bk.sweep(base, {"annual_rate": []})


def test_to_excel_writes_the_workbook(tmp_path):
    res = bk.run(bk.load_example("grand-costumier-2016"))
    path = res.to_excel(tmp_path / "costumier.xlsx", lang="en")
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames[0] == t("sheet.summary", "en")
    assert len(wb[t("sheet.summary", "en")]._images) >= 2  # the charts are in


def test_no_api_name_is_also_a_submodule():
    """Importing a submodule sets the package's attribute of that name: an API function
    named like a submodule (``bk.compare`` and ``bondkit/compare.py``) would be replaced by
    the module as soon as something imports it."""
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(bk.__path__)}
    assert not modules & set(bk.__all__)
    import bondkit.examples
    import bondkit.studies.comparison
    import bondkit.studies.sweeps  # noqa: F401

    assert callable(bk.compare) and callable(bk.sweep) and callable(bk.list_examples)


def test_shortfall_curve_equals_runs_with_that_much_more_cash():
    """The curve re-reads the run's paths; a run whose opening cash is higher by R (the
    same seed, so the same paths) must give the same chance of a shortfall."""
    base = bk.load_example("building-purchase-2010").with_changes(
        {"campaign.simulations": 300, "risk.paths": 800}
    )
    res = bk.run(base)
    opening = float(base.to_data()["capacity"]["opening_cash"])
    reserves = [0, 150_000, 400_000, 700_000]
    curve = res.shortfall_curve(reserves)
    assert curve["reserve"].tolist() == reserves
    assert curve["p_shortfall"].iloc[0] == res.risk.p_shortfall
    for reserve, p in zip(reserves, curve["p_shortfall"], strict=True):
        again = bk.run(base.with_changes({"capacity.opening_cash": opening + reserve}))
        assert again.risk.p_shortfall == p, reserve
    assert 0 < curve["p_shortfall"].iloc[0] and curve["p_shortfall"].is_monotonic_decreasing
    level = float(base.to_data()["risk"]["shortfall_level"])
    at_recommended = res.shortfall_curve([res.risk.recommended_reserve / 100])
    assert at_recommended["p_shortfall"].iloc[0] <= level
    with pytest.raises(ValueError):
        bk.run(bk.load_example("grand-costumier-2016").with_changes(risk=None)).shortfall_curve([0])
