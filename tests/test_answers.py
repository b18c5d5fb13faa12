"""The answer first (issue #12 §2): the four questions, their statuses against the
thresholds, their sentences in both languages, and what ``bondkit run`` prints and warns.

The cases are built so the expected figures come from closed forms: a 100,000 $ 5-year
bullet at 4 % (the starter scenario) against a flat cash flow.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bondkit.cli import main
from bondkit.labels import t
from bondkit.runner import run
from bondkit.runner.answers import COST_SPREAD, QUESTIONS, answers, worst
from bondkit.scenario import starter_scenario


def bullet(cash_flow: int | None = None, **changes):
    """The starter bullet (100,000 $, 4 %, 5 years from 2027-01-15) without its costs, with
    a flat cash flow of ``cash_flow`` a year over its fiscal years 2027-2032 when given."""
    changes["costs"] = {"upfront": 0, "annual_admin": 0, **changes.get("costs", {})}
    if cash_flow is not None:
        changes["capacity"] = {"cash_flow": [cash_flow] * 6}
    return run(starter_scenario().with_changes(changes))


def by_key(result, lang="en"):
    return {a.key: a for a in answers(result, lang)}


def test_four_questions_in_order_in_both_languages():
    res = bullet(10_000)
    for lang in ("en", "fr"):
        got = answers(res, lang)
        assert [a.key for a in got] == list(QUESTIONS)
        assert [a.question for a in got] == [t(f"ask.{k}", lang) for k in QUESTIONS]


def test_afford_closed_form_bullet():
    """10,000 $ a year against 4,000 $ of coupons: coverage 2.5 (OK); the maturity test
    (10,000 + 4 x 6,000 + 6,000) / 100,000 = 0.40 (Risk); the status is the worst."""
    a = by_key(bullet(10_000))["afford"]
    assert a.figure == "2.50"
    assert a.status == "risk"
    assert "maturity test 0.40" in a.sentence
    assert "lowest coverage of periodic debt service 2.50 (threshold 1.25)" in a.sentence
    assert "no fiscal year below the threshold" in a.sentence


def test_afford_ok_when_cash_flow_repays_at_maturity():
    """150,000 $ a year: coverage 37.5, maturity test far above 1, and the cash flow
    carries more than the 100,000 $ planned: OK."""
    a = by_key(bullet(150_000))["afford"]
    assert a.status == "ok" and a.figure == "37.50"


def test_afford_watch_and_risk_by_coverage():
    # 4,500 $ a year: 4,500 / 4,000 = 1.125, under 1.25 but over 1.0: at least Watch
    low = bullet(4_500)
    assert low.capacity.min_dscr == pytest.approx(1.125)
    assert by_key(low)["afford"].status in ("watch", "risk")
    assert "below the threshold in 2028, 2029, 2030, 2031, 2032" in by_key(low)["afford"].sentence
    # 3,000 $ a year: 0.75 < 1: Risk
    assert by_key(bullet(3_000))["afford"].status == "risk"


def test_cost_status_follows_the_spread_over_the_coupon():
    """No costs: the all-in cost is the coupon, 4 %: OK. Upfront costs push the spread
    over each bound of COST_SPREAD."""
    plain = by_key(bullet())["cost"]
    assert plain.status == "ok" and plain.figure == "4.00%"
    for upfront, status in ((1_000, "ok"), (6_000, "watch"), (12_000, "risk")):
        res = bullet(costs={"upfront": upfront})
        spread = res.issuer_all_in_cost - 0.04
        ok, watch = COST_SPREAD
        assert status == ("ok" if spread <= ok else "watch" if spread <= watch else "risk")
        assert by_key(res)["cost"].status == status, (upfront, spread)


def test_cost_sentence_counts_every_cost():
    res = bullet(costs={"upfront": 2_000, "annual_admin": 500})
    cost = by_key(res)["cost"]
    # 20,000 $ of interest + 2,000 $ upfront + 5 x 500 $ of admin
    assert res.total_cost == 2_450_000
    assert "$24,500.00 in all ($20,000.00 of interest, $4,500.00 of costs)" in cost.sentence


def test_questions_without_their_table_do_not_apply():
    a = by_key(bullet())
    for key in ("raise", "afford", "wrong"):
        assert a[key].status == "na"
        assert a[key].figure == t("not_applicable", "en")
    assert "[campaign]" in a["raise"].sentence and "[capacity]" in a["afford"].sentence
    assert "[risk]" in a["wrong"].sentence


def test_french_sentences_use_french_numbers_and_spaces():
    a = by_key(bullet(4_500), "fr")["afford"]
    assert a.figure == "1,13"
    assert "\u00a0; " in a.sentence  # a no-break space before the semicolon
    assert "sous le seuil en 2028" in a.sentence


def test_worst():
    assert worst("ok", "watch") == "watch"
    assert worst("na", "ok") == "ok"
    assert worst("na") == "na"
    assert worst("risk", "watch", "ok") == "risk"


def test_result_answers_frame_is_the_answers():
    res = bullet(10_000)
    frame = res.answers
    assert frame.index.tolist() == list(QUESTIONS)
    for a in answers(res):
        assert frame.loc[a.key].tolist() == [a.question, a.figure, a.status, a.sentence]


def _scenario_file(tmp_path, cash_flow: int) -> str:
    from bondkit.scenario.load import starter_text

    path = tmp_path / "coop.toml"
    text = starter_text("en").replace("upfront = 5_000", "upfront = 0")
    text += f"\n[capacity]\ncash_flow = [{', '.join([str(cash_flow)] * 6)}]\n"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_run_prints_the_four_answers_then_warns_below_threshold(tmp_path):
    """3,000 $ a year: coverage 0.75 in every paying year and a maturity test far below 1:
    two warnings on stderr, the four lines first on stdout."""
    path = _scenario_file(tmp_path, 3_000)
    out = CliRunner().invoke(main, ["run", path, "--out", str(tmp_path / "out"), "--lang", "en"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    for line, key in zip(lines[:4], QUESTIONS, strict=True):
        assert line.startswith(t(f"ask.{key}", "en")), line
    assert lines[1].startswith("Can we afford it? 0.75 [Risk]")
    assert lines[4].startswith("workbook: ")
    warnings = out.stderr.splitlines()
    assert warnings[0] == (
        "warning: the lowest coverage of periodic debt service, 0.75, is below the threshold "
        "1.25 (fiscal years 2028, 2029, 2030, 2031, 2032)"
    )
    assert warnings[1].startswith("warning: the maturity test of fiscal year 2032, ")
    assert len(warnings) == 2


def test_run_does_not_warn_when_covered(tmp_path):
    path = _scenario_file(tmp_path, 150_000)
    out = CliRunner().invoke(main, ["run", path, "--out", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    assert out.stderr == ""
    assert out.stdout.splitlines()[1].startswith("Can we afford it? 37.50 [OK]")


def test_the_sommaire_shows_the_answers_rates_with_two_decimals_as_the_sentences(tmp_path):
    import openpyxl

    from bondkit.report.workbook import number_formats, write_workbook

    res = bullet(10_000, costs={"upfront": 2_000})
    for lang in ("en", "fr"):
        path = tmp_path / f"w-{lang}.xlsx"
        write_workbook(res, path, lang)
        ws = openpyxl.load_workbook(path)[t("sheet.summary", lang)]
        row = next(r for r in range(1, 40) if ws.cell(r, 1).value == t("ask.cost", lang))
        assert ws.cell(row, 2).value.startswith("=")  # a live formula
        assert ws.cell(row, 2).number_format == number_formats(lang)["percent"]
        assert number_formats(lang)["percent"].endswith(
            "0.00%" if lang == "en" else '0.00"\u00a0"%'
        )
