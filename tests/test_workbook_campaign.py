"""The workbook of a scenario with a subscription campaign, reopened with openpyxl.

B3.3 Issue (terms, funnel, expected path, outcomes, allocation, costs, median campaign,
rule findings, charts), the community-capacity rows of B2 Readiness and of the Summary.
Results are built by hand (``run`` then ``run_campaign`` with ``CampaignTerms``), so the
cases do not depend on the scenario file format; one case goes through a TOML file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest
from scenario_texts import CONTRACT, TWO_SERIES
from test_workbook import Book

from bondkit.columns import label
from bondkit.core.conventions import exact, round_half_up, to_cents
from bondkit.core.terms import Backstop, CampaignCosts, CampaignTerms, Segment
from bondkit.data.rules import rule_set
from bondkit.labels import SHEETS, money_text, number_text, percent_text, t
from bondkit.report.charts import save_charts
from bondkit.report.workbook import READINESS_THRESHOLDS, number_formats, write_workbook
from bondkit.runner import run, run_campaign
from bondkit.scenario import Scenario, parse_scenario

EVIL = '=HYPERLINK("http://x","y")'
SIMULATIONS = 2000

#: the fill of each status, as openpyxl reads it back
FILLS = {"ok": "FFC6EFCE", "watch": "FFFFEB9C", "risk": "FFFFC7CE"}


def cents(x: float) -> int:
    """An expectation in currency units, to the cent (half up), as the workbook writes it."""
    return round_half_up(exact(float(x)) * 100)


def campaign_terms(people=(400, 1500), names=("Membres", "Voisins"), **changes) -> CampaignTerms:
    """A campaign for the contract example (100 000 $ issued 2017-02-01)."""
    segments = (
        Segment(names[0], people[0], reached=0.9, supporting=0.6, conversion=0.4,
                ticket_median=1000, pledged=0.2),
        Segment(names[1], people[1], reached=0.5, supporting=0.3, conversion=0.2,
                ticket_median=500),
    )  # fmt: skip
    values = dict(
        opens=dt.date(2016, 11, 1),
        closes=dt.date(2017, 1, 15),
        minimum=50_000,
        target=100_000,
        segments=segments,
        rule_set="qc-npo",
        simulations=SIMULATIONS,
        min_subscription=500,
        max_per_investor=10_000,
        costs=CampaignCosts(fixed=2000, staff_hours=120, hourly_cost=30, per_subscriber=5,
                            payment_fee_rate=0.02),
        underwriter=Backstop("underwriter", 20_000, 0.04, 5),
    )  # fmt: skip
    values.update(changes)
    return CampaignTerms(**values)


def with_campaign(toml: str, terms: CampaignTerms, legal_form: str = "npo"):
    result = run(parse_scenario(toml))
    campaign = run_campaign(terms, result.series, result.costs, seed=1, legal_form=legal_form)
    return dataclasses.replace(result, campaign=campaign)


def _write(tmp_path_factory, result, name: str, lang: str | None = None) -> Book:
    folder = tmp_path_factory.mktemp(name)
    pngs = save_charts(result, folder, name, lang=lang)
    path = folder / f"{name}.xlsx"
    write_workbook(result, path, lang=lang, charts=pngs)
    return Book(result, path, lang or result.scenario.language)


@pytest.fixture(scope="module")
def ok_fr(tmp_path_factory) -> Book:
    """A community large enough: every campaign reaches the cap (= the target)."""
    result = with_campaign(CONTRACT.format(lang="fr", issuer="Cinéma du Parc"), campaign_terms())
    return _write(tmp_path_factory, result, "ok-fr")


@pytest.fixture(scope="module")
def risk_fr(tmp_path_factory) -> Book:
    """A tiny community (50 people): no campaign reaches the minimum."""
    result = with_campaign(
        CONTRACT.format(lang="fr", issuer="Cinéma du Parc"), campaign_terms(people=(20, 30))
    )
    return _write(tmp_path_factory, result, "risk-fr")


@pytest.fixture(scope="module")
def coop_en(tmp_path_factory) -> Book:
    """A co-operative under the Québec non-profit rules, paying a commission: two findings.

    Two series, pro-rata, a match; segment names that look like formulas.
    """
    terms = campaign_terms(
        people=(300, 900),
        names=(EVIL, "+neighbours"),
        minimum=60_000,
        cap=105_000,
        allocation="pro-rata",
        underwriter=None,
        match=Backstop("match", 20_000, 0.01, 5, ratio=0.5),
        costs=CampaignCosts(fixed=1000, commission_rate=0.02),
        max_per_investor=None,
        min_subscription=None,
    )
    result = with_campaign(TWO_SERIES.format(lang="en"), terms, legal_form="coop")
    return _write(tmp_path_factory, result, "coop-en")


@pytest.fixture(scope="module")
def mixed_en(tmp_path_factory) -> Book:
    """A community between the minimum and the target, with an underwriter often called."""
    terms = campaign_terms(people=(130, 150), minimum=38_000, target=70_000)
    result = with_campaign(CONTRACT.format(lang="en", issuer="Cinéma du Parc"), terms)
    return _write(tmp_path_factory, result, "mixed-en")


BOOKS = ["ok_fr", "risk_fr", "coop_en", "mixed_en"]


@pytest.fixture(params=BOOKS)
def book(request) -> Book:
    return request.getfixturevalue(request.param)


def _kv(book: Book, key: str, sheet: str = "sheet.b3_3", **fields):
    """The value cell of a key-value line (its label possibly a template)."""
    ws = book.sheet(sheet)
    text = t(key, book.lang)
    return ws.cell(book.find(ws, text.format(**fields) if fields else text), 2)


def _table(book: Book, sheet: str, first_header: str, start_key: str | None = None):
    """(header row, rows until the total row or a blank): rows as lists of cell objects."""
    ws = book.sheet(sheet)
    start = book.find(ws, t(start_key, book.lang)) if start_key else 1
    head = book.find(ws, first_header, start=start)
    rows = []
    r = head + 1
    while ws.cell(r, 1).value not in (None, t("total", book.lang)):
        rows.append([ws.cell(r, c) for c in range(1, ws.max_column + 1)])
        r += 1
    total = [ws.cell(r, c) for c in range(1, ws.max_column + 1)]
    return head, rows, total


# ---------------------------------------------------------------- B3.3: terms, seed, size


def test_campaign_terms_with_the_seed_and_the_number_of_simulations(book):
    camp = book.result.campaign
    sim, terms = camp.simulation, camp.terms
    assert _kv(book, "camp.seed").value == sim.seed == 1
    assert _kv(book, "camp.simulations").value == sim.n == SIMULATIONS
    assert _kv(book, "camp.opens").value.date() == terms.opens
    assert _kv(book, "camp.closes").value.date() == terms.closes
    assert _kv(book, "camp.days").value == terms.days
    for key, value in (
        ("camp.minimum", sim.minimum),
        ("camp.target", sim.target),
        ("camp.cap", sim.cap),
    ):
        assert round(_kv(book, key).value * 100) == value, key
    assert _kv(book, "camp.allocation").value == t(f"allocation.{terms.allocation}", book.lang)
    assert _kv(book, "camp.rule_set").value == rule_set(terms.rule_set).title(book.lang)
    assert _kv(book, "camp.interest_start").value == t(
        f"interest_start.{terms.interest_start}", book.lang
    )
    # the simulated figures say which run they come from
    ws = book.sheet("sheet.b3_3")
    heading = t("sec.outcomes", book.lang).format(n=number_text(sim.n, book.lang), seed=sim.seed)
    assert book.find(ws, heading)
    note = t("camp.simulated_note", book.lang).format(
        n=number_text(sim.n, book.lang), seed=sim.seed
    )
    assert note.startswith(ws.cell(book.find(ws, t("camp.seed", book.lang)) + 1, 1).value)


def test_min_subscription_and_max_per_investor(ok_fr, coop_en):
    assert _kv(ok_fr, "camp.min_subscription").value == 500
    assert _kv(ok_fr, "camp.max_per_investor").value == 10_000
    # left to the rules: qc-npo has no limit per investor; no minimum: one bond
    assert _kv(coop_en, "camp.min_subscription").value == t("camp.one_bond", "en")
    assert _kv(coop_en, "camp.max_per_investor").value == t("camp.no_limit", "en")


# ---------------------------------------------------------------- B3.3: funnel and path


def test_funnel_equals_the_result_to_the_cent(book):
    fun = book.result.campaign.funnel
    _head, rows, total = _table(book, "sheet.b3_3", t("col.segment", book.lang), "sec.funnel")
    assert len(rows) == len(fun)
    for cells, rec in zip(rows, fun.itertuples(index=False), strict=True):
        assert cells[0].value == rec.segment
        assert cells[1].value == rec.people
        assert cells[2].value == pytest.approx(rec.reached, abs=1e-9)
        assert cells[3].value == pytest.approx(rec.supporting, abs=1e-9)
        assert cells[4].value == pytest.approx(rec.subscribers, abs=1e-9)
        assert cells[5].value == pytest.approx(rec.p_subscribe, abs=1e-12)
        assert round(cells[6].value * 100) == cents(rec.average_ticket)
        assert round(cells[7].value * 100) == cents(rec.demand)
    assert total[0].value == t("total", book.lang)
    assert total[1].value == fun["people"].sum()
    assert total[4].value == pytest.approx(fun["subscribers"].sum())
    assert round(total[7].value * 100) == cents(fun["demand"].sum())
    summary = book.result.campaign.summary()
    assert total[7].value == pytest.approx(summary["expected_demand"], abs=0.005)
    assert total[6].value == pytest.approx(summary["expected_average_ticket"], abs=0.005)


def test_funnel_formats(ok_fr):
    codes = number_formats("fr", "CAD")
    _head, rows, _total = _table(ok_fr, "sheet.b3_3", t("col.segment", "fr"), "sec.funnel")
    assert rows[0][5].number_format == codes["rate"]
    assert rows[0][6].number_format == rows[0][7].number_format == codes["money"]
    assert rows[0][4].number_format == codes["decimal"]


def test_expected_path_by_week(book):
    camp = book.result.campaign
    weekly = camp.expected_path.groupby("week", sort=True)[["subscribers", "amount"]].sum()
    _head, rows, total = _table(book, "sheet.b3_3", t("col.week", book.lang), "sec.path")
    assert len(rows) == len(weekly) == -(-camp.terms.days // 7)
    running = 0.0
    for i, (cells, (week, rec)) in enumerate(zip(rows, weekly.iterrows(), strict=True)):
        running += rec["amount"]
        assert cells[0].value == t("week_n", book.lang).format(n=week)
        assert cells[1].value.date() == camp.terms.opens + dt.timedelta(days=7 * i)
        assert cells[2].value == pytest.approx(rec["subscribers"])
        assert round(cells[3].value * 100) == cents(rec["amount"])
        assert round(cells[4].value * 100) == cents(running)
    # before the cap: the path adds up to the funnel's expected demand
    assert total[3].value == pytest.approx(camp.expected_demand, abs=0.011)
    assert rows[-1][4].value == total[3].value


# ---------------------------------------------------------------- B3.3: outcomes


def test_quantiles_and_chances_equal_the_summary(book):
    summary = book.result.campaign.summary()
    ws = book.sheet("sheet.b3_3")
    for q in ("p05", "p25", "p50", "p75", "p95"):
        r = book.find(ws, t(f"pct.{q}", book.lang))
        assert ws.cell(r, 2).value == pytest.approx(summary[f"raised_{q}"], abs=0.005), q
    assert _kv(book, "out.mean").value == pytest.approx(summary["expected_raised"], abs=0.005)
    for key, name in (
        ("out.p_minimum", "p_minimum_reached"),
        ("out.p_minimum_community", "p_minimum_reached_by_community"),
        ("out.p_target", "p_target_reached"),
        ("out.p_cap", "p_cap_reached"),
        ("out.subscribers", "subscribers_p50"),
    ):
        assert _kv(book, key).value == summary[name], key
    days = summary["median_days_to_minimum"]
    cell = _kv(book, "out.days_to_minimum")
    assert cell.value == (t("not_applicable", book.lang) if days is None else days)


def test_backstop_lines(ok_fr, coop_en):
    s = ok_fr.result.campaign.summary()
    assert _kv(ok_fr, "out.underwriter").value == pytest.approx(s["expected_underwriter"])
    assert _kv(ok_fr, "out.p_underwriter").value == s["p_underwriter_called"]
    assert _kv(ok_fr, "camp.underwriter").value == 20_000
    s = coop_en.result.campaign.summary()
    assert _kv(coop_en, "out.match").value == pytest.approx(s["expected_match"], abs=0.005)
    assert _kv(coop_en, "camp.match").value == 20_000
    assert _kv(coop_en, "camp.match_ratio").value == 0.5
    with pytest.raises(AssertionError, match="not found"):
        _kv(coop_en, "out.underwriter")


def test_tiny_community_raises_nothing(risk_fr):
    s = risk_fr.result.campaign.summary()
    assert s["p_minimum_reached"] == 0 and s["raised_p95"] == 0
    assert _kv(risk_fr, "out.days_to_minimum").value == t("not_applicable", "fr")


# ---------------------------------------------------------------- B3.3: allocation, costs


def test_allocation_of_the_median_campaign(book):
    res = book.result
    sim = res.campaign.simulation
    reg = sim.register
    _head, rows, total = _table(book, "sheet.b3_3", label("series", book.lang), "sec.allocation")
    assert [c[0].value for c in rows] == [s.id for s in res.series]
    for cells, terms in zip(rows, res.series, strict=True):
        own = reg[reg["series"] == terms.id]
        assert cells[1].value == len(own)
        assert cells[2].value == int((own["amount"] > 0).sum())
        for c, key in ((3, "demanded"), (4, "amount"), (5, "refunded")):
            assert round(cells[c].value * 100) == int(own[key].sum()), key
    assert total[1].value == len(reg)
    assert round(total[4].value * 100) == int(sim.community[sim.median_path])
    assert round((total[4].value + total[5].value) * 100) == round(total[3].value * 100)


def test_oversubscribed_campaign_refunds(ok_fr):
    """Demand well above the 100 000 $ cap: the median campaign refunds the excess."""
    _head, _rows, total = _table(ok_fr, "sheet.b3_3", label("series", "fr"), "sec.allocation")
    assert total[4].value == 100_000
    assert total[5].value > 0


def test_campaign_costs(book):
    camp = book.result.campaign
    s = camp.summary()
    assert round(_kv(book, "ccost.expected").value * 100) == camp.expected_cost
    assert _kv(book, "ccost.expected").value == s["expected_campaign_cost"]
    assert _kv(book, "ccost.mean").value == pytest.approx(s["campaign_cost"], abs=0.005)
    assert round(_kv(book, "ccost.median").value * 100) == camp.median_cost
    per_dollar = _kv(book, "ccost.per_dollar").value
    if s["cost_per_dollar_raised"] is None:
        assert per_dollar == t("not_solvable", book.lang)
    else:
        assert per_dollar == pytest.approx(s["cost_per_dollar_raised"])
    assert _kv(book, "ccost.fixed").value == float(camp.terms.costs.fixed)


def test_median_campaign_beside_the_planned_issue(book):
    res = book.result
    median = res.campaign.summary()["median_campaign"]
    ws = book.sheet("sheet.b3_3")
    start = book.find(ws, t("sec.median_vs_plan", book.lang))
    for terms in res.series:
        r = book.find(ws, t("series_n", book.lang).format(series=terms.id), start=start)
        assert round(ws.cell(r, 2).value * 100) == terms.amount_cents
        assert ws.cell(r, 3).value == median["raised_by_series"].get(terms.id, 0)
    for key, planned, value in (
        ("col.total_interest", res.total_interest / 100, median["total_interest"]),
        ("kf.all_in_cost", res.issuer_all_in_cost, median["issuer_all_in_cost"]),
    ):
        r = book.find(ws, t(key, book.lang), start=start)
        assert ws.cell(r, 2).value == pytest.approx(planned)
        expected = t("not_solvable", book.lang) if value is None else pytest.approx(value)
        assert ws.cell(r, 3).value == expected
    r = book.find(ws, t("mvp.match", book.lang), start=start)
    assert ws.cell(r, 3).value == median["match"]
    r = book.find(ws, t("mvp.underwriter", book.lang), start=start)
    assert ws.cell(r, 3).value == median["underwriter"]


# ---------------------------------------------------------------- rule findings


def test_findings_are_listed_for_a_scenario_that_breaks_its_rules(coop_en):
    camp = coop_en.result.campaign
    assert {f.rule for f in camp.findings} == {"legal_form", "commission"}
    ws = coop_en.sheet("sheet.b3_3")
    start = coop_en.find(ws, t("sec.rules", "en").format(title=rule_set("qc-npo").title("en")))
    legal = t("finding.legal_form", "en").format(
        limit=t("legal_form.npo", "en"), value=t("legal_form.coop", "en")
    )
    commission = t("finding.commission", "en").format(value=percent_text(0.02, "en", 2))
    for sentence in (legal, commission):
        r = coop_en.find(ws, sentence, start=start)
        assert ws.cell(r, 2).value == t("status.risk", "en")
        assert ws.cell(r, 2).fill.fgColor.rgb == FILLS["risk"]
    with pytest.raises(AssertionError):
        coop_en.find(ws, t("rules.respected", "en"))
    # and on B2, one Risk row per finding
    ws2 = coop_en.sheet("sheet.b2")
    for key, value in (
        ("rule.legal_form", t("legal_form.coop", "en")),
        ("rule.commission", "2.00%"),
    ):
        r = coop_en.find(ws2, t(key, "en"))
        assert ws2.cell(r, 2).value == value
        assert ws2.cell(r, 4).value == t("status.risk", "en")
        assert ws2.cell(r, 4).fill.fgColor.rgb == FILLS["risk"]


def test_a_scenario_that_respects_its_rules_says_so(ok_fr):
    assert not ok_fr.result.campaign.findings
    ws = ok_fr.sheet("sheet.b3_3")
    r = ok_fr.find(ws, t("rules.respected", "fr"))
    assert ws.cell(r, 2).value == t("status.ok", "fr")


# ---------------------------------------------------------------- B2 readiness


def _grid(book: Book, sheet: str = "sheet.b2") -> dict[str, list]:
    """The community-capacity rows: criterion -> cells of the row."""
    ws = book.sheet(sheet)
    head = book.find(ws, t("col.criterion", book.lang))
    rows = {}
    r = head + 1
    while ws.cell(r, 1).value:
        rows[ws.cell(r, 1).value] = [ws.cell(r, c) for c in range(1, 5)]
        r += 1
    return rows


def _community(book: Book, sheet: str = "sheet.b2") -> dict[str, list]:
    grid = _grid(book, sheet)
    keys = ("ready.expected_raise", "out.p_minimum", "out.p_minimum_community")
    return {k: grid[t(k, book.lang)] for k in keys}


def test_readiness_ok_case(ok_fr):
    ws = ok_fr.sheet("sheet.b2")
    head = ok_fr.find(ws, t("col.criterion", "fr"))
    assert [ws.cell(head, c).value for c in range(1, 5)] == [
        t(k, "fr") for k in ("col.criterion", "col.value", "col.threshold", "col.readiness")
    ]
    for key, cells in _community(ok_fr).items():
        assert cells[3].value == t("status.ok", "fr") == "OK", key
        assert cells[3].fill.fgColor.rgb == FILLS["ok"], key
    rules = _grid(ok_fr)[t("ready.rules", "fr").format(title=rule_set("qc-npo").title("fr"))]
    assert rules[3].value == "OK"


def test_readiness_risk_case(risk_fr):
    for key, cells in _community(risk_fr).items():
        assert cells[3].value == t("status.risk", "fr") == "Risque", key
        assert cells[3].fill.fgColor.rgb == FILLS["risk"], key
        assert cells[3].font.b


def test_readiness_values_and_thresholds(book):
    res = book.result
    sim, s = res.campaign.simulation, res.campaign.summary()
    rows = _community(book)
    raise_row = rows["ready.expected_raise"]
    assert raise_row[1].value == pytest.approx(s["expected_raised"], abs=0.005)
    assert rows["out.p_minimum"][1].value == s["p_minimum_reached"]
    assert rows["out.p_minimum_community"][1].value == s["p_minimum_reached_by_community"]
    # the threshold column names the need and the status words
    threshold = raise_row[2].value
    assert money_text(sim.target, book.lang, "CAD") in threshold
    assert money_text(sim.minimum, book.lang, "CAD") in threshold
    high, low = READINESS_THRESHOLDS["p_minimum"]
    assert percent_text(high, book.lang, 0) in rows["out.p_minimum"][2].value
    assert percent_text(low, book.lang, 0) in rows["out.p_minimum"][2].value
    for word in ("status.ok", "status.watch", "status.risk"):
        assert t(word, book.lang) in threshold


def test_readiness_statuses_follow_the_thresholds(book):
    """Each status is what the thresholds give for the value shown."""
    res = book.result
    sim = res.campaign.simulation
    expected = {}
    mean = cents(float(sim.community.mean()) / 100)
    expected["ready.expected_raise"] = (
        "ok" if mean >= sim.target else "watch" if mean >= sim.minimum else "risk"
    )
    for key in ("p_minimum", "p_minimum_community"):
        high, low = READINESS_THRESHOLDS[key]
        value = _community(book)[f"out.{key}"][1].value
        expected[f"out.{key}"] = "ok" if value >= high else "watch" if value >= low else "risk"
    for key, cells in _community(book).items():
        assert cells[3].value == t(f"status.{expected[key]}", book.lang), key
        assert cells[3].fill.fgColor.rgb == FILLS[expected[key]], key


def test_mixed_statuses_word_and_colour(mixed_en):
    """Expected raise between the minimum and the target: Watch; the underwriter makes the
    minimum sure (OK) although the community alone often falls short (Risk)."""
    s = mixed_en.result.campaign.summary()
    assert 38_000 <= s["expected_raised"] < 70_000
    assert s["p_minimum_reached"] > s["p_minimum_reached_by_community"]
    rows = _community(mixed_en)
    for key, word, status in (
        ("ready.expected_raise", "Watch", "watch"),
        ("out.p_minimum", "OK", "ok"),
        ("out.p_minimum_community", "Risk", "risk"),
    ):
        assert rows[key][3].value == word, key
        assert rows[key][3].fill.fgColor.rgb == FILLS[status], key
    assert rows["out.p_minimum"][1].value == s["p_minimum_reached"]
    assert rows["out.p_minimum_community"][1].value == s["p_minimum_reached_by_community"]


def test_readiness_keeps_the_existing_inputs(book):
    res = book.result
    assert _kv(book, "legal_form", "sheet.b2").value == t(
        f"legal_form.{res.scenario.issuer.legal_form}", book.lang
    )
    assert round(_kv(book, "kf.total_principal", "sheet.b2").value * 100) == res.total_principal
    ws = book.sheet("sheet.b2")
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert t("sec.coming", book.lang) not in texts  # nothing left to come on B2 (#15)


def test_summary_shows_the_community_statuses(ok_fr, risk_fr):
    for book, status in ((ok_fr, "ok"), (risk_fr, "risk")):
        ws = book.sheet("sheet.summary")
        start = book.find(ws, t("sec.community", book.lang))
        head = book.find(ws, t("col.criterion", book.lang), start=start)
        assert ws.cell(head, 3).value == t("col.readiness", book.lang)
        r = book.find(ws, t("out.p_minimum", book.lang), start=head)
        assert ws.cell(r, 3).value == t(f"status.{status}", book.lang)
        assert ws.cell(r, 3).fill.fgColor.rgb == FILLS[status]


# ---------------------------------------------------------------- charts, layout, safety


def test_campaign_charts_on_the_issue_sheet_and_the_summary(book):
    assert len(book.sheet("sheet.summary")._images) == 4
    assert len(book.sheet("sheet.b3_3")._images) == 2


def test_no_campaign_sheets_stay_as_they_were(tmp_path):
    result = run(parse_scenario(CONTRACT.format(lang="fr", issuer="Cinéma du Parc")))
    assert result.campaign is None
    pngs = save_charts(result, tmp_path, "plain")
    assert set(pngs) == {"debt-service", "balance"}
    write_workbook(result, tmp_path / "plain.xlsx", charts=pngs)
    wb = openpyxl.load_workbook(tmp_path / "plain.xlsx")
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if c.value}
    assert t("sec.community", "fr") not in texts
    assert t("sec.funnel", "fr") not in texts
    assert t("coming.b3_3", "fr").split()[0] in " ".join(str(x) for x in texts)


def test_columns_are_wide_enough_for_their_figures(book):
    """No "####": every amount fits its column on every sheet."""
    for key in SHEETS:
        ws = book.sheet(key)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and "$" in cell.number_format:
                    width = ws.column_dimensions[cell.column_letter].width
                    needed = len(money_text(round(cell.value * 100), book.lang, "CAD"))
                    assert width >= needed + 1, (ws.title, cell.coordinate, width, needed)


def test_print_settings_of_the_issue_sheet(book):
    ws = book.sheet("sheet.b3_3")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0
    # the path, the outcomes (with the charts) and the allocation each start a printed page
    breaks = [b.id for b in ws.row_breaks.brk]
    for key in ("sec.path", "sec.allocation"):
        assert book.find(ws, t(key, book.lang)) - 1 in breaks, key


def test_segment_names_stay_text(coop_en):
    _head, rows, _total = _table(coop_en, "sheet.b3_3", t("col.segment", "en"), "sec.funnel")
    for cells, name in zip(rows, (EVIL, "+neighbours"), strict=True):
        assert cells[0].value == name and cells[0].data_type == "s"
        assert cells[0].quotePrefix
    wb = coop_en.wb
    assert not any(c.data_type == "f" for s in wb for row in s.iter_rows() for c in row)


# ---------------------------------------------------------------- through a scenario file

CAMPAIGN_TOML = """
[campaign]
opens = 2016-11-15
closes = 2017-01-31
minimum = 60_000
target = 100_000
rule_set = "qc-npo"
simulations = 2_000

[[campaign.segments]]
name = "Membres"
people = 1_200
reached = 0.8
supporting = 0.5
conversion = 0.25
ticket_median = 500
pledged = 0.1

[campaign.costs]
fixed = 5_000
per_subscriber = 10
"""


@pytest.mark.skipif(
    not hasattr(Scenario, "campaign_terms"), reason="scenario.py has no [campaign] table yet"
)
def test_a_scenario_file_with_a_campaign(tmp_path):
    toml = CONTRACT.format(lang="fr", issuer="Cinéma du Parc") + CAMPAIGN_TOML
    result = run(parse_scenario(toml))
    assert result.campaign is not None
    assert result.campaign.simulation.seed == result.scenario.seed == 2016
    pngs = save_charts(result, tmp_path, "file")
    write_workbook(result, tmp_path / "file.xlsx", charts=pngs)
    book = Book(result, tmp_path / "file.xlsx", "fr")
    assert _kv(book, "camp.seed").value == 2016
    assert _kv(book, "camp.simulations").value == 2000
    _head, rows, _total = _table(book, "sheet.b3_3", t("col.segment", "fr"), "sec.funnel")
    assert [c[0].value for c in rows] == ["Membres"]
    assert round(rows[0][7].value * 100) == cents(result.campaign.funnel["demand"].iloc[0])
    assert to_cents(str(_kv(book, "camp.minimum").value)) == 6_000_000
