"""bondkit.runner.figures: the key figures, defined once.

Expected values come from the summary JSON the command line writes (``bondkit run FILE
--out DIR`` through click's CliRunner, read back from ``DIR/<stem>-summary.json``): the
part figures there come from the models' own summaries (``campaign``, ``capacity`` and
``risk`` objects), not from this table. Money inside is checked against that JSON with
``decimal`` (cents = JSON amount x 100, exactly).

The command line runs on copies of the example files with 200 simulated campaigns and
paths; the charts (tested in test_charts.py, and 80 % of a run's time) are replaced by a
stand-in file so that the module stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.columns import KINDS, METRICS
from bondkit.labels import LABELS
from bondkit.runner import run
from bondkit.runner.figures import COMPARED, FIGURES, JSON_FIGURES, SUMMARY_FIGURES, figure_value
from bondkit.scenario import list_examples, load_example, load_scenario
from bondkit.studies.comparison import compare

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
EXAMPLES = list_examples()
PARTS = ("campaign", "capacity", "risk")
MONEY = [k for k, f in FIGURES.items() if f.kind == "money"]


def fast_text(text: str) -> str:
    """A scenario's TOML text with 200 simulated campaigns and paths (tables it has only)."""
    text = re.sub(r"^(simulations|paths)\s*=.*$", "", text, flags=re.M)
    text = re.sub(r"^\[campaign\]", "[campaign]\nsimulations = 200", text, flags=re.M)
    return re.sub(r"^\[risk\]", "[risk]\npaths = 200", text, flags=re.M)


def _stand_in_charts(result, folder, stem, lang=None):
    """Instead of save_charts: one small file, no chart in the workbook."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / f"{stem}-debt-service.png").write_bytes(b"not a chart")
    return {}


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Each example, fast, run by the command line: name -> (summary JSON, Result)."""
    folder = tmp_path_factory.mktemp("figures")
    out_dir = folder / "out"
    runs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("bondkit.report.charts.save_charts", _stand_in_charts)
        for name in EXAMPLES:
            path = folder / f"{name}.toml"
            text = (SCENARIOS / f"{name}.toml").read_text(encoding="utf-8")
            path.write_text(fast_text(text), encoding="utf-8")
            outcome = CliRunner().invoke(main, ["run", str(path), "--out", str(out_dir)])
            assert outcome.exit_code == 0, outcome.output
            summary = json.loads((out_dir / f"{name}-summary.json").read_text(encoding="utf-8"))
            runs[name] = (summary, run(load_scenario(path)))
    return runs


def json_value(summary: dict, key: str):
    """Figure ``key`` where the summary JSON holds it."""
    part = FIGURES[key].part
    if key in JSON_FIGURES:  # at the top of the summary (None without the part)
        return summary[key]
    if key == "years_below_count":
        return None if summary[part] is None else len(summary[part]["years_below_threshold"])
    if part is not None:
        return None if summary[part] is None else summary[part][key]
    if key == "series_count":
        return len(summary["series"])
    return summary[key]


# ---------------------------------------------------------------- the table itself


@pytest.mark.parametrize("key", list(FIGURES))
def test_figure_is_well_formed(key):
    f = FIGURES[key]
    assert f.key == key
    assert f.kind in KINDS
    assert f.part in (None, *PARTS)
    for label in (f.label, f.short):
        en, fr = LABELS[label]
        assert en.strip() and fr.strip(), label
    assert callable(f.read)


def test_compared_and_summary_figures_are_figures():
    assert set(METRICS) <= set(FIGURES)
    assert COMPARED == METRICS
    assert set(SUMMARY_FIGURES) <= set(FIGURES)
    assert len(set(SUMMARY_FIGURES)) == len(SUMMARY_FIGURES)
    assert len(set(METRICS)) == len(METRICS)


def test_the_cli_ran_on_the_fast_copies(cli_runs):
    for summary, _ in cli_runs.values():
        if summary["campaign"] is not None:
            assert summary["campaign"]["simulations"] == 200
        if summary["risk"] is not None:
            assert summary["risk"]["paths"] == 200


# ---------------------------------------------------------------- against the summary JSON


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_figure_is_the_value_of_the_summary_json(cli_runs, name):
    summary, res = cli_runs[name]
    for key, f in FIGURES.items():
        assert f.json(res) == json_value(summary, key), key
        assert figure_value(res, key) == json_value(summary, key), key


@pytest.mark.parametrize("name", EXAMPLES)
def test_figures_from_other_parts_of_the_summary_json(cli_runs, name):
    summary, res = cli_runs[name]
    series = summary["series"].values()
    amounts = sum(Decimal(repr(s["amount"])) for s in series)
    assert FIGURES["total_principal"].value(res) == int(amounts * 100)
    interest = sum(Decimal(repr(s["total_interest"])) for s in series)
    assert FIGURES["total_interest"].value(res) == int(interest * 100)
    by_year = [Decimal(repr(v)) for v in summary["debt_service_by_fiscal_year"].values()]
    assert FIGURES["max_annual_debt_service"].value(res) == int(max(by_year) * 100)
    last = max(dt.date.fromisoformat(s["maturity_date"]) for s in series)
    assert FIGURES["last_maturity_date"].value(res) == last
    assert FIGURES["seed"].value(res) == summary["seed"]


@pytest.mark.parametrize(
    "key",
    list(MONEY),
)
def test_money_value_is_whole_cents_of_the_json_amount(cli_runs, key):
    seen = 0
    for summary, res in cli_runs.values():
        value = FIGURES[key].value(res)
        if value is None:
            continue
        seen += 1
        assert isinstance(value, int), (key, type(value))
        assert value == Decimal(repr(json_value(summary, key))) * 100, key
        assert value == round(json_value(summary, key) * 100), key
    assert seen


@pytest.mark.parametrize("key", [k for k, f in FIGURES.items() if f.kind != "money"])
def test_other_kinds_have_their_type(cli_runs, key):
    kind = FIGURES[key].kind
    for _, res in cli_runs.values():
        value = FIGURES[key].value(res)
        if value is None:
            continue
        if kind in ("rate", "ratio"):
            assert type(value) is float, key
        elif kind == "count":
            assert isinstance(value, int) and not isinstance(value, bool), key
        elif kind == "date":
            assert type(value) is dt.date, key
            assert FIGURES[key].json(res) == value.isoformat()


# ---------------------------------------------------------------- missing parts


def test_a_figure_of_a_missing_part_is_none(cli_runs):
    summary, res = cli_runs["solar-coop-multi-series"]  # no [campaign]
    assert summary["campaign"] is None
    for key, f in FIGURES.items():
        if f.part == "campaign":
            assert f.value(res) is None and f.json(res) is None, key


@pytest.mark.parametrize("part", PARTS)
def test_each_part_missing_leaves_only_its_figures_none(part):
    sc = load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    res = run(sc.with_changes({part: None}))
    for key, f in FIGURES.items():
        if f.part == part:
            assert f.value(res) is None and f.json(res) is None, key
        elif (part, key) == ("capacity", "p_shortfall"):
            # the chance of a shortfall needs the enterprise's cash, from [capacity]
            assert f.value(res) is None
        else:
            assert f.value(res) is not None, key


# ---------------------------------------------------------------- comparison


def test_comparison_rows_are_the_figures(cli_runs):
    results = [res for _, res in cli_runs.values()]
    table = compare(results, list(cli_runs))
    assert table.columns.tolist() == list(METRICS)
    assert table.index.tolist() == list(cli_runs)
    for name, (summary, res) in cli_runs.items():
        for m in METRICS:
            assert table.loc[name, m] == figure_value(res, m) == json_value(summary, m), (name, m)
