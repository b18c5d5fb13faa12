"""``bondkit compare``: the table, the workbook and the charts against each option's own run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_labels import _label_calls, word_problems

import bondkit
from bondkit.cli import main
from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.labels import LABELS, money_text, number_text, percent_text, t
from bondkit.report.workbook import OPTION_SHEETS
from bondkit.runner import run
from bondkit.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
OPTIONS = ("cinema-du-parc-2016", "solar-coop-multi-series", "grand-costumier-2016")
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
)
MONEY = {"total_principal", "total_interest", "total_cost", "max_annual_debt_service"}
PERCENT = {"issuer_all_in_cost", "p_minimum_reached", "p_shortfall"}
DASH = "\u2014"


def fast_copy(stem: str, folder: Path, name: str | None = None) -> Path:
    """A copy of an example scenario with 500 simulated campaigns and risk paths."""
    text = (SCENARIOS / f"{stem}.toml").read_text(encoding="utf-8")
    text = re.sub(r"^simulations\s*=.*$", "simulations = 500", text, flags=re.M)
    text = re.sub(r"^paths\s*=.*$", "paths = 500", text, flags=re.M)
    if "\n[campaign]\n" in text and not re.search(r"^simulations = 500$", text, re.M):
        text = text.replace("\n[campaign]\n", "\n[campaign]\nsimulations = 500\n", 1)
    if "\n[risk]\n" in text and not re.search(r"^paths = 500$", text, re.M):
        text = text.replace("\n[risk]\n", "\n[risk]\npaths = 500\n", 1)
    path = folder / f"{name or stem}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def from_summary(summary: dict, metric: str):
    """A metric of the comparison, read from a run's summary JSON."""
    if metric == "min_dscr":
        return summary["capacity"]["min_dscr"] if summary["capacity"] else None
    if metric == "p_minimum_reached":
        return summary["campaign"]["p_minimum_reached"] if summary["campaign"] else None
    if metric == "p_shortfall":
        return summary["risk"]["p_shortfall"] if summary["risk"] else None
    return summary[metric]


def shown(value, metric: str, lang: str, currency: str) -> str:
    if value is None:
        return DASH
    if metric in MONEY:
        return money_text(round(value * 100), lang, currency)
    if metric in PERCENT:
        return percent_text(value, lang, 2)
    return number_text(value, lang, 2)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Each option run on its own (`bondkit run`), then all compared (`bondkit compare`)."""
    tmp = tmp_path_factory.mktemp("compare")
    files = [fast_copy(stem, tmp) for stem in OPTIONS]
    runner = CliRunner()
    summaries = {}
    for f in files:
        res = runner.invoke(main, ["run", str(f), "--out", str(tmp / "runs")])
        assert res.exit_code == 0, res.output
        summaries[f.stem] = json.loads(
            (tmp / "runs" / f"{f.stem}-summary.json").read_text(encoding="utf-8")
        )
    out = tmp / "cmp"
    res = runner.invoke(main, ["compare", *map(str, files), "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    return {"files": files, "summaries": summaries, "out": out, "result": res}


def test_help_lists_compare():
    res = CliRunner().invoke(main, ["--help"])
    assert res.exit_code == 0 and "  compare" in res.stdout


def test_terminal_table_equals_each_run_summary(compared):
    lines = compared["result"].stdout.splitlines()
    header = re.split(r" {2,}", lines[0].strip())
    assert header == [t("cmp.option", "en"), *OPTIONS]
    for metric, line in zip(METRICS, lines[1:], strict=False):
        cells = re.split(r" {2,}", line.strip())
        assert cells[0] == t(f"cmp.metric.{metric}", "en")
        expected = [
            shown(from_summary(compared["summaries"][o], metric), metric, "en", "CAD")
            for o in OPTIONS
        ]
        assert cells[1:] == expected, metric
    # aligned: every value ends in the same column as its option's name
    ends = [lines[0].index(o) + len(o) for o in OPTIONS]
    for line in lines[1 : 1 + len(METRICS)]:
        for end in ends:
            assert line[end - 1] != " "
            assert end == len(line) or line[end] == " "
    # the solar co-op has no campaign: its chance of reaching the minimum does not apply
    assert compared["summaries"]["solar-coop-multi-series"]["campaign"] is None
    assert f"{t('cmp.out.workbook', 'en').split(':')[0]}:" in compared["result"].stdout


def test_workbook_shows_the_same_numbers(compared):
    wb = openpyxl.load_workbook(compared["out"] / "comparison.xlsx")
    tags = [chr(ord("A") + k) for k in range(len(OPTIONS))]
    assert wb.sheetnames == [t("cmp.sheet", "en")] + [
        f"{tag} {t(key, 'en')}" for tag in tags for key in OPTION_SHEETS
    ]
    rows = list(wb.active.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == t("cmp.option", "en"))
    assert list(rows[h][3 : 3 + len(METRICS)]) == [t(f"cmp.metric.{m}", "en") for m in METRICS]
    for i, option in enumerate(OPTIONS):
        row = rows[h + 1 + i]
        summary = compared["summaries"][option]
        assert row[0] == option and row[1] == "CAD" and row[2] == summary["seed"]
        for j, metric in enumerate(METRICS):
            want = from_summary(summary, metric)
            got = row[3 + j]
            if want is None:
                assert got == DASH, (option, metric)
            elif metric in MONEY:
                assert got == want, (option, metric)
            else:
                assert got == pytest.approx(want, rel=1e-14, abs=1e-15), (option, metric)
    # number formats: currency, percent, ratio
    ws = wb.active
    first = h + 2  # 1-based row of the first option

    def fmt(metric: str) -> str:
        return ws.cell(first, 4 + METRICS.index(metric)).number_format

    assert "#,##0.00" in fmt("total_principal") and "#,##0.00" in fmt("total_cost")
    assert "%" in fmt("issuer_all_in_cost")
    for ratio in ("min_dscr", "maturity_coverage"):
        assert fmt(ratio).endswith("0.00") and "%" not in fmt(ratio) and "$" not in fmt(ratio)


def test_charts_for_every_metric_with_a_value(compared):
    charts = compared["out"] / "charts"
    names = sorted(p.name for p in charts.iterdir())
    expected = sorted(
        f"comparison-{m.replace('_', '-')}.{ext}" for m in METRICS for ext in ("png", "svg")
    )
    assert names == expected
    # nothing left behind by the staging
    out = compared["out"]
    assert sorted(p.name for p in out.iterdir()) == [".bondkit", "charts", "comparison.xlsx"]
    assert not list(out.glob(".bondkit/stage-*"))


def test_compare_api_matches_the_summaries(compared):
    from bondkit.runner import run
    from bondkit.scenario import load_scenario
    from bondkit.studies.comparison import compare

    f = compared["files"][1]  # the solar co-op: no campaign
    table = compare([run(load_scenario(f))])
    assert list(table.index) == [f.stem] and list(table.columns) == list(METRICS)
    summary = compared["summaries"][f.stem]
    for metric in METRICS:
        assert table.at[f.stem, metric] == from_summary(summary, metric)
    assert table.at[f.stem, "p_minimum_reached"] is None


def test_a_bad_file_stops_everything(tmp_path):
    good = fast_copy("grand-costumier-2016", tmp_path)
    text = good.read_text(encoding="utf-8")
    bad1 = tmp_path / "bad-rate.toml"
    bad1.write_text(re.sub(r"^annual_rate\s*=.*$", "annual_rate = -3", text, flags=re.M), "utf-8")
    bad2 = tmp_path / "bad-syntax.toml"
    bad2.write_text("[scenario\nname = 1\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["compare", str(good), str(bad1), str(bad2), "--out", str(out), "--lang", "en"]
    )
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert lines
    assert all(line.startswith((f"{bad1}: ", f"{bad2}: ")) for line in lines), lines
    assert any(line.startswith(f"{bad1}: ") for line in lines)
    assert any(line.startswith(f"{bad2}: ") for line in lines)
    assert not out.exists()
    assert res.stdout == ""


def test_two_options_with_the_same_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = fast_copy("grand-costumier-2016", tmp_path / "a", "x")
    b = fast_copy("grand-costumier-2016", tmp_path / "b", "x")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", str(a), str(b), "--out", str(out)])
    assert res.exit_code == 2 and str(b) in res.stderr and "'x'" in res.stderr
    assert not out.exists()


def test_one_file_is_not_a_comparison(tmp_path):
    a = fast_copy("grand-costumier-2016", tmp_path)
    res = CliRunner().invoke(main, ["compare", str(a), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and not (tmp_path / "out").exists()


def test_formula_like_names_stay_text_and_charts_are_reproducible(tmp_path):
    f1 = fast_copy("grand-costumier-2016", tmp_path, "=1+1")
    f2 = fast_copy("grand-costumier-2016", tmp_path, "@SUM(A1)")
    runner = CliRunner()
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        res = runner.invoke(main, ["compare", str(f1), str(f2), "--out", str(out)])
        assert res.exit_code == 0, res.output
        header = re.split(r" {2,}", res.stdout.splitlines()[0].strip())
        assert header[1:] == ["=1+1", "@SUM(A1)"]
        assert header[0] == t("cmp.option", "fr")  # the scenario's language
    ws = openpyxl.load_workbook(outs[0] / "comparison.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if c.value in ("=1+1", "@SUM(A1)")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    # SVG byte-identical from one run to the next
    svgs = sorted((outs[0] / "charts").glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert svg.read_bytes() == (outs[1] / "charts" / svg.name).read_bytes(), svg.name
    # no campaign-free metric is empty here, but every chart exists once per metric
    assert len(svgs) == len(METRICS)
    # running again in the same folder replaces the set and leaves no staging folder
    res = runner.invoke(main, ["compare", str(f1), str(f2), "--out", str(outs[0])])
    assert res.exit_code == 0
    assert sorted(p.name for p in outs[0].iterdir()) == [".bondkit", "charts", "comparison.xlsx"]
    assert not list(outs[0].glob(".bondkit/stage-*"))


def test_compare_holds_no_hard_coded_words():
    path = Path(bondkit.__file__).resolve().parent / "studies" / "comparison.py"
    source = path.read_text(encoding="utf-8")
    assert word_problems(source) == []
    import ast

    for name, arg in _label_calls(ast.parse(source)):
        if name == "t" and isinstance(arg, ast.Constant):
            assert arg.value in LABELS


def test_workbook_has_each_option_beside_the_references_and_its_own_live_sheets(compared):
    """The main view lists every option in the case-study table above the reference issues;
    each option's schedule sheet equals its own run, on formulas over its own named cells."""
    values = openpyxl.load_workbook(compared["out"] / "comparison.xlsx", data_only=True)
    formulas = openpyxl.load_workbook(compared["out"] / "comparison.xlsx")
    main_rows = [r for r in values.active.iter_rows(values_only=True)]
    issue_col = [r[0] for r in main_rows]
    head = issue_col.index(t("ref.col.issue", "en"))
    tags = ["A", "B", "C"]
    assert issue_col[head + 1 : head + 4] == [
        f"{g} — {o}" for g, o in zip(tags, OPTIONS, strict=True)
    ]
    assert issue_col[head + 4] not in (None, "")  # the first public reference issue
    head_cells = [label(k, "en") for k in SCHEDULE_COLUMNS]
    for tag, f in zip(tags, compared["files"], strict=True):
        result = run(load_scenario(f))
        ws = values[f"{tag} {t('sheet.b3_4', 'en')}"]
        rows = list(ws.iter_rows(values_only=True))
        h = next(i for i, r in enumerate(rows) if list(r[: len(head_cells)]) == head_cells)
        lines = [r for r in rows[h + 1 : h + 1 + len(result.schedule) + 4] if isinstance(r[1], int)]
        got = [round(r[SCHEDULE_COLUMNS.index("payment")] * 100) for r in lines]
        assert got == result.schedule["payment"].tolist(), tag
        names = formulas.defined_names
        assert f"{tag}_Amount_1" in names and f"{tag}_Rate_1" in names
        fws = formulas[f"{tag} {t('sheet.b3_4', 'en')}"]
        assert fws.cell(h + 2, SCHEDULE_COLUMNS.index("opening_balance") + 1).value == (
            f"={tag}_Amount_1"
        )
