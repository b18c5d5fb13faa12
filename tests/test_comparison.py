"""``bondkit compare``: the table, the workbook and the charts against each option's own run."""

from __future__ import annotations

import datetime as dt
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
from bondkit.scenario import load_example, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
OPTIONS = ("cinema-du-parc-2016", "solar-coop-multi-series", "grand-costumier-2016")
#: each option's ``[scenario] name``, as written in its file: the option's name (issue #15)
NAMES = {
    "cinema-du-parc-2016": "Cinéma du Parc 2016",
    "solar-coop-multi-series": "Solar co-op 2026, three series",
    "grand-costumier-2016": "Le Grand Costumier 2016",
}
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
MONEY = {"total_principal", "total_interest", "total_cost", "max_annual_debt_service",
         "expected_raised", "max_debt_level_payment", "recommended_reserve"}  # fmt: skip
PERCENT = {"issuer_all_in_cost", "p_minimum_reached", "p_shortfall"}
COUNT = {"years_below_count"}
#: the four questions of the Summary (issue #12) and, under each, its headline figures
QUESTIONS = {
    "ask.raise": ("p_minimum_reached", "expected_raised"),
    "ask.afford": ("min_dscr", "years_below_count", "maturity_coverage",
                   "max_debt_level_payment", "max_annual_debt_service"),
    "ask.cost": ("issuer_all_in_cost", "total_interest", "total_cost"),
    "ask.wrong": ("p_shortfall", "recommended_reserve"),
}  # fmt: skip
#: the terms of each option in words, written out by hand from the scenario files
TERMS_EN = {
    "cinema-du-parc-2016": ("2.00%", "5 years", "Accumulating, compound interest"),
    "solar-coop-multi-series": (
        "A-3y: 3.00%; B-5y: 4.00%; C-7y: 5.00% (from year 6: 5.50%)",
        "A-3y: 3 years; B-5y: 5 years; C-7y: 7 years",
        "A-3y: Bullet; B-5y: Bullet; C-7y: Level payment",
    ),
    "grand-costumier-2016": ("2.00%", "5 years", "Accumulating, simple interest"),
}
#: the solar co-op's average rate: (3 % x 100 000 + 4 % x 150 000 + 5 % x 250 000) / 500 000
SOLAR_AVERAGE = (0.03 * 100_000 + 0.04 * 150_000 + 0.05 * 250_000) / 500_000
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


def shown(value, metric: str, lang: str, currency: str) -> str:
    if value is None:
        return DASH
    if metric in MONEY:
        return money_text(round(value * 100), lang, currency)
    if metric in PERCENT:
        return percent_text(value, lang, 2)
    if metric in COUNT:
        return str(value)
    return number_text(value, lang, 2)


def answered(stdout: str) -> dict[str, str]:
    """The status word of each question, as ``bondkit run`` prints its answers (English)."""
    found = {}
    for key in QUESTIONS:
        line = next(x for x in stdout.splitlines() if x.startswith(t(key, "en")))
        found[key] = re.search(r"\[([^\]]+)\]", line).group(1)
    return found


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Each option run on its own (`bondkit run`), then all compared (`bondkit compare`)."""
    tmp = tmp_path_factory.mktemp("compare")
    files = [fast_copy(stem, tmp) for stem in OPTIONS]
    runner = CliRunner()
    summaries, statuses = {}, {}
    for f in files:
        res = runner.invoke(main, ["run", str(f), "--out", str(tmp / "runs"), "--lang", "en"])
        assert res.exit_code == 0, res.output
        summaries[f.stem] = json.loads(
            (tmp / "runs" / f"{f.stem}-summary.json").read_text(encoding="utf-8")
        )
        statuses[f.stem] = answered(res.stdout)
    out = tmp / "cmp"
    res = runner.invoke(main, ["compare", *map(str, files), "--out", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    return {"files": files, "summaries": summaries, "statuses": statuses, "out": out,
            "result": res}  # fmt: skip


def test_help_lists_compare():
    res = CliRunner().invoke(main, ["--help"])
    assert res.exit_code == 0 and "  compare" in res.stdout


def _terminal_lines(stdout: str) -> dict[str, list[str]]:
    """The terminal table as label -> cells (the label without its indent)."""
    table = stdout.split("\n\n")[0].splitlines()
    return {re.split(r" {2,}", x.strip())[0]: re.split(r" {2,}", x.strip())[1:] for x in table}


def test_terminal_table_equals_each_run_summary(compared):
    """Options by their scenario's name; the terms; each question with the status its own
    run gives it, then its headline figures, each equal to the option's own run."""
    stdout = compared["result"].stdout
    lines = stdout.splitlines()
    header = re.split(r" {2,}", lines[0].strip())
    assert header == [t("cmp.option", "en"), *(NAMES[o] for o in OPTIONS)]
    cells = _terminal_lines(stdout)
    for metric in METRICS:
        expected = [
            shown(from_summary(compared["summaries"][o], metric), metric, "en", "CAD")
            for o in OPTIONS
        ]
        assert cells[t(f"cmp.metric.{metric}", "en")] == expected, metric
    # the terms, in words: the solar co-op's three series one by one
    for j, key in enumerate(("cmp.rate", "cmp.term", "cmp.repayment_style")):
        assert cells[t(key, "en")] == [TERMS_EN[o][j] for o in OPTIONS], key
    average = cells[t("cmp.average_rate", "en")]
    assert average == ["2.00%", percent_text(SOLAR_AVERAGE, "en", 2), "2.00%"] == [
        "2.00%", "4.30%", "2.00%"
    ]  # fmt: skip
    # each question with each option's status, as its own run answers it, its figures below
    for key, metrics in QUESTIONS.items():
        assert cells[t(key, "en")] == [compared["statuses"][o][key] for o in OPTIONS], key
        at = next(i for i, x in enumerate(lines) if x.startswith(t(key, "en")))
        below = [re.split(r" {2,}", x.strip())[0] for x in lines[at + 1 : at + 1 + len(metrics)]]
        assert below == [t(f"cmp.metric.{m}", "en") for m in metrics], key
        assert all(x.startswith("  ") for x in lines[at + 1 : at + 1 + len(metrics)])
    # the solar co-op has no campaign: its chance of reaching the minimum does not apply
    assert compared["summaries"]["solar-coop-multi-series"]["campaign"] is None
    assert cells[t("cmp.metric.p_minimum_reached", "en")][1] == DASH
    # aligned: every value ends in the same column as its option's name
    ends = [lines[0].index(NAMES[o]) + len(NAMES[o]) for o in OPTIONS]
    for line in stdout.split("\n\n")[0].splitlines()[1:]:
        for end in ends:
            assert line[end - 1] != " ", line
            assert end == len(line) or line[end] == " "
    assert f"{t('cmp.out.workbook', 'en').split(':')[0]}:" in stdout


def _key_table(ws) -> tuple[int, dict[str, int]]:
    """The header row (1-based) of the comparison's key table, and each label's row."""
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == t("cmp.col.figure", "en"))
    found = {}
    for i in range(h + 1, len(rows)):
        if rows[i][0] is not None and rows[i][0] not in found:
            found[rows[i][0]] = i + 1
    return h + 1, found


def test_workbook_shows_the_same_numbers(compared):
    """The key table reads down, one column per option: the same figures as each run."""
    wb = openpyxl.load_workbook(compared["out"] / "comparison.xlsx")
    tags = [chr(ord("A") + k) for k in range(len(OPTIONS))]
    assert wb.sheetnames == [t("cmp.sheet", "en"), t("sheet.b4", "en")] + [
        f"{tag} {t(key, 'en')}" for tag in tags for key in OPTION_SHEETS
    ]
    ws = wb[t("cmp.sheet", "en")]
    head, at = _key_table(ws)
    names = [ws.cell(head, 2 + j).value for j in range(len(OPTIONS))]
    assert names == [f"{g} — {NAMES[o]}" for g, o in zip(tags, OPTIONS, strict=True)]
    for j, option in enumerate(OPTIONS):
        summary = compared["summaries"][option]
        col = 2 + j
        assert ws.cell(at[t("cmp.currency", "en")], col).value == "CAD"
        assert ws.cell(at[t("cmp.seed", "en")], col).value == summary["seed"]
        for metric in METRICS:
            want = from_summary(summary, metric)
            cell = ws.cell(at[t(f"cmp.metric.{metric}", "en")], col)
            if want is None:
                assert cell.value == DASH, (option, metric)
            elif metric in MONEY or metric in COUNT:
                assert cell.value == want, (option, metric)
            else:
                assert cell.value == pytest.approx(want, rel=1e-14, abs=1e-15), (option, metric)

        # number formats: currency, percent, ratio, a whole number
        def fmt(metric: str, col: int = col) -> str:
            return ws.cell(at[t(f"cmp.metric.{metric}", "en")], col).number_format

        assert "#,##0.00" in fmt("total_principal") and "#,##0.00" in fmt("total_cost")
        assert "%" in fmt("issuer_all_in_cost")
        if summary["capacity"]:
            for ratio in ("min_dscr", "maturity_coverage"):
                assert (
                    fmt(ratio).endswith("0.00") and "%" not in fmt(ratio) and "$" not in fmt(ratio)
                )
            assert fmt("years_below_count") == "#,##0"


def test_workbook_gives_the_terms_and_each_question_s_status(compared):
    ws = openpyxl.load_workbook(compared["out"] / "comparison.xlsx")[t("cmp.sheet", "en")]
    _head, at = _key_table(ws)
    for j, option in enumerate(OPTIONS):
        col = 2 + j
        rate, term, style = TERMS_EN[option]
        got = ws.cell(at[t("cmp.rate", "en")], col).value
        if option == "solar-coop-multi-series":  # one series a line
            assert got == rate.replace("; ", "\n")
            assert ws.cell(at[t("cmp.average_rate", "en")], col).value == pytest.approx(
                SOLAR_AVERAGE, abs=1e-15
            )
        else:  # one rate: a number, shown as a percentage
            assert got == 0.02 and "%" in ws.cell(at[t("cmp.rate", "en")], col).number_format
        assert ws.cell(at[t("cmp.term", "en")], col).value == term.replace("; ", "\n")
        assert ws.cell(at[t("cmp.repayment_style", "en")], col).value == style.replace("; ", "\n")
        for key in QUESTIONS:  # the status word, on its colour
            cell = ws.cell(at[t(key, "en")], col)
            assert cell.value == compared["statuses"][option][key], (option, key)
            assert cell.fill.fgColor.rgb not in (None, "00000000")
    # the blocks in order: terms, then the four questions, each with its figures below
    order = [at[t(k, "en")] for k in ("cmp.sec.terms", *QUESTIONS)]
    assert order == sorted(order)
    for key, metrics in QUESTIONS.items():
        rows = [at[t(f"cmp.metric.{m}", "en")] for m in metrics]
        assert rows == list(range(at[t(key, "en")] + 1, at[t(key, "en")] + 1 + len(metrics)))


def test_each_option_s_sheets_are_a_link_away(compared):
    """Issue #15: "Its sheets" was text; it is a hyperlink to the option's first sheet."""
    wb = openpyxl.load_workbook(compared["out"] / "comparison.xlsx")
    ws = wb[t("cmp.sheet", "en")]
    _head, at = _key_table(ws)
    row = at[t("cmp.sheets", "en")]
    for j, tag in enumerate(["A", "B", "C"]):
        cell = ws.cell(row, 2 + j)
        first = f"{tag} {t('sheet.summary', 'en')}"
        assert cell.hyperlink is not None and cell.hyperlink.location == f"'{first}'!A1"
        assert cell.value == f"Go to {first}" and first in wb.sheetnames
    cases = [c for r in ws.iter_rows() for c in r if c.hyperlink is not None and c.row != row]
    assert [c.hyperlink.location for c in cases] == [f"'{t('sheet.b4', 'en')}'!A1"]


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
    name = NAMES[f.stem]
    assert list(table.index) == [name] and list(table.columns) == list(METRICS)
    summary = compared["summaries"][f.stem]
    for metric in METRICS:
        assert table.at[name, metric] == from_summary(summary, metric)
    assert table.at[name, "p_minimum_reached"] is None


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


def test_two_options_of_the_same_name_are_told_apart_by_their_file(tmp_path):
    """Same ``[scenario] name``: each is followed by its file's name (issue #15)."""
    low = fast_copy("grand-costumier-2016", tmp_path, "costumier-2")
    high = fast_copy("grand-costumier-2016", tmp_path, "costumier-3")
    text = high.read_text(encoding="utf-8")
    high.write_text(re.sub(r"^annual_rate = .*$", "annual_rate = 0.03", text, flags=re.M), "utf-8")
    other = fast_copy("cinema-du-parc-2016", tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["compare", str(low), str(high), str(other), "--out", str(out), "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    names = [
        "Le Grand Costumier 2016 (costumier-2.toml)",
        "Le Grand Costumier 2016 (costumier-3.toml)",
        "Cinéma du Parc 2016",
    ]
    assert re.split(r" {2,}", res.stdout.splitlines()[0].strip())[1:] == names
    ws = openpyxl.load_workbook(out / "comparison.xlsx")[t("cmp.sheet", "en")]
    head, at = _key_table(ws)
    assert [ws.cell(head, 2 + j).value for j in range(3)] == [
        f"{g} — {n}" for g, n in zip("ABC", names, strict=True)
    ]
    assert [ws.cell(at[t("cmp.rate", "en")], 2 + j).value for j in range(2)] == [0.02, 0.03]
    notes = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(t("cmp.note.names", "en")[:40] in n for n in notes)


def test_two_options_with_the_same_name_and_file_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = fast_copy("grand-costumier-2016", tmp_path / "a", "x")
    b = fast_copy("grand-costumier-2016", tmp_path / "b", "x")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", str(a), str(b), "--out", str(out)])
    assert res.exit_code == 2 and str(b) in res.stderr
    assert "'Le Grand Costumier 2016 (x.toml)'" in res.stderr
    assert not out.exists()


def test_option_names_are_the_scenarios_names():
    from bondkit.studies.comparison import option_names

    a, b = load_example("cinema-du-parc-2016"), load_example("grand-costumier-2016")
    assert option_names([a, b]) == ["Cinéma du Parc 2016", "Le Grand Costumier 2016"]
    assert option_names([a, a], ["x/p.toml", "y/q.toml"], "fr") == [
        "Cinéma du Parc 2016 (p.toml)",
        "Cinéma du Parc 2016 (q.toml)",
    ]
    # without a file (a scenario changed in a notebook), the name as it is
    assert option_names([b, b.with_changes(annual_rate=0.03)]) == [
        "Le Grand Costumier 2016 (grand-costumier-2016.toml)",
        "Le Grand Costumier 2016",
    ]


def test_one_file_is_not_a_comparison(tmp_path):
    a = fast_copy("grand-costumier-2016", tmp_path)
    res = CliRunner().invoke(main, ["compare", str(a), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and not (tmp_path / "out").exists()


def _named(path: Path, name: str) -> Path:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('name = "Le Grand Costumier 2016"', f'name = "{name}"', 1), "utf-8"
    )
    return path


def test_formula_like_names_stay_text_and_charts_are_reproducible(tmp_path):
    f1 = _named(fast_copy("grand-costumier-2016", tmp_path, "one"), "=1+1")
    f2 = _named(fast_copy("grand-costumier-2016", tmp_path, "two"), "@SUM(A1)")
    runner = CliRunner()
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        res = runner.invoke(main, ["compare", str(f1), str(f2), "--out", str(out)])
        assert res.exit_code == 0, res.output
        header = re.split(r" {2,}", res.stdout.splitlines()[0].strip())
        assert header[1:] == ["=1+1", "@SUM(A1)"]
        assert header[0] == t("cmp.option", "fr")  # the scenario's language
    wb = openpyxl.load_workbook(outs[0] / "comparison.xlsx")
    cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and ("=1+1" in c.value or "@SUM(A1)" in c.value)
    ]
    assert len(cells) >= 4 and all(c.data_type == "s" for c in cells)
    # a name that starts like a formula stays text: the options' own Summary sheets
    starting = [c for c in cells if c.value in ("=1+1", "@SUM(A1)")]
    assert starting and all(c.quotePrefix for c in starting)
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


@pytest.mark.parametrize("module", ["studies/comparison.py", "report/chartkit.py"])
def test_compare_holds_no_hard_coded_words(module):
    path = Path(bondkit.__file__).resolve().parent / module
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
    cases = [r for r in values[t("sheet.b4", "en")].iter_rows(values_only=True)]
    issue_col = [r[0] for r in cases]
    head = issue_col.index(t("ref.col.issue", "en"))
    tags = ["A", "B", "C"]
    assert issue_col[head + 1 : head + 4] == [
        f"{g} — {NAMES[o]}" for g, o in zip(tags, OPTIONS, strict=True)
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


# ---------------------------------------------------------------- issue #15: units, groups


def test_every_compared_figure_is_shown_once_under_its_question():
    from bondkit.runner.answers import HEADLINES
    from bondkit.runner.figures import FIGURES
    from bondkit.studies.comparison import figure_groups

    shown = [m for _q, metrics in figure_groups() for m in metrics]
    assert sorted(shown) == sorted(METRICS) and len(shown) == len(set(shown))
    assert {f"ask.{q}": m for q, m in figure_groups() if q} == QUESTIONS
    assert all(m in FIGURES for ms in HEADLINES.values() for m in ms)
    assert figure_groups()[0] == (None, ("total_principal",))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_comparison_charts_name_their_unit_in_the_run_s_language(lang):
    from matplotlib.figure import Figure

    from bondkit.studies.comparison import compare, comparison_chart

    sc = load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    options = [run(sc), run(sc.with_changes(annual_rate=0.03))]
    table = compare(options, ["Deux pour cent, cinq ans, intérêt simple", "3 %"])
    expected = {
        "total_cost": {"fr": "Montant (CAD)", "en": "Amount (CAD)"},
        "issuer_all_in_cost": {"fr": "Pourcentage (%)", "en": "Percentage (%)"},
        "min_dscr": {"fr": "Ratio de couverture (fois)", "en": "Coverage ratio (times)"},
        "years_below_count": {"fr": "Nombre d'exercices", "en": "Number of fiscal years"},
    }
    for metric, labels in expected.items():
        fig = Figure()
        ax = comparison_chart(table, metric, lang, ax=fig.add_subplot())
        fig.canvas.draw()
        assert ax.get_ylabel() == labels[lang], metric
        assert ax.get_xlabel() == t("cmp.option", lang)
        assert ax.get_title() == t(f"cmp.metric.{metric}", lang)
        ticks = [x.get_text() for x in ax.get_yticklabels() if x.get_text()]
        if metric == "issuer_all_in_cost":
            assert all(x.endswith("\xa0%" if lang == "fr" else "%") for x in ticks), ticks
            assert all("." not in x for x in ticks) if lang == "fr" else True
        if metric == "total_cost" and lang == "fr":
            assert "4\xa0000" in ticks and all("," not in x for x in ticks), ticks
    # a long name is written over several lines under its bar, each line at most 18 long
    names = [x.get_text() for x in ax.get_xticklabels()]
    assert names[0] == "Deux pour cent,\ncinq ans, intérêt\nsimple" and names[1] == "3 %"


def test_terms_of_several_series_are_given_series_by_series():
    from bondkit.studies.comparison import average_rate, option_terms

    solar = run(load_example("solar-coop-multi-series").with_changes(risk=None))
    terms = option_terms(solar, "fr")
    assert terms["cmp.rate"] == (
        "A-3y : 3,00\xa0%; B-5y : 4,00\xa0%; C-7y : 5,00\xa0% (à partir de l'année 6 : 5,50\xa0%)"
    )
    assert terms["cmp.repayment_style"] == (
        "A-3y : In fine; B-5y : In fine; C-7y : Versements constants"
    )
    assert terms["cmp.term"] == "A-3y : 3 ans; B-5y : 5 ans; C-7y : 7 ans"
    assert average_rate(solar) == pytest.approx(SOLAR_AVERAGE, abs=1e-15)
    assert terms["cmp.average_rate"] == "4,30\xa0%"
    # a maturity date instead of a term
    sc = load_example("grand-costumier-2016").with_changes(
        {"term_years": None, "maturity_date": dt.date(2019, 9, 1)}, campaign=None, capacity=None,
        risk=None,
    )  # fmt: skip
    assert option_terms(run(sc), "en")["cmp.term"] == "to 2019-09-01"
