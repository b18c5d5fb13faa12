"""The workbook of a scenario with a capacity and a risk analysis, reopened with openpyxl.

B3.4 Management (coverage by fiscal year, maturity-year test, sinking fund, reserve,
sizing), B3.5 Renewal-repayment (maturity wall, assumptions, simulated principal paid out,
shortfall and recommended reserve), the financial-capacity rows of B2 Readiness and the
Summary. Results are built by hand (``run``, then ``capacity.assess`` and
``risk.assess_risk`` composed as the runner does), so the cases do not depend on the
scenario file format; one case goes through a TOML file.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from scenario_texts import CONTRACT, TWO_SERIES
from test_workbook import Book
from test_workbook_campaign import FILLS, campaign_terms

from bondkit.columns import label
from bondkit.core.conventions import exact, round_half_up, to_cents
from bondkit.core.terms import CapacityTerms, Reserve, RiskTerms, SinkingFund
from bondkit.labels import SHEETS, money_text, number_text, t
from bondkit.models.capacity import assess
from bondkit.models.risk import assess_risk
from bondkit.report.charts import save_charts
from bondkit.report.workbook import READINESS_THRESHOLDS, number_formats, write_workbook
from bondkit.runner import run, run_campaign
from bondkit.scenario import Scenario, parse_scenario

PATHS = 2000

#: the readiness colours, with the grey of a criterion that does not apply
STATUS_FILLS = {**FILLS, "na": "FFEDEDED"}

#: appended to CONTRACT: a level-payment series paying in 2018-2022 (fiscal years end Dec 31),
#: so the years before the accumulating series matures carry debt service
AMORTISING = """
[[series]]
id = "B"
amount = 30_000
face_value = 500
annual_rate = 0.03
issue_date = 2017-02-01
term_years = 5
repayment = "level-payment"
frequency = "annual"
day_count = "30/360"
"""

#: two series issued 2026-06-01, fiscal years ending March 31: level payment and bullet
OK_TOML = """
[scenario]
name = "Épicerie solidaire 2026"
language = "{lang}"
currency = "CAD"
seed = 7

[issuer]
name = "Épicerie solidaire du quartier"
legal_form = "npo"
jurisdiction = "QC"
fiscal_year_end = "03-31"

[[series]]
id = "A"
amount = 80_000
face_value = 500
annual_rate = 0.05
issue_date = 2026-06-01
term_years = 7
repayment = "level-payment"
frequency = "annual"

[[series]]
id = "B"
amount = 20_000
face_value = 1_000
annual_rate = 0.04
issue_date = 2026-06-01
term_years = 5
repayment = "bullet"
frequency = "annual"

[costs]
upfront = 2_000
"""


def expected_cents(x: float) -> int:
    """An expectation in cents (float) to whole cents, half up, as the workbook writes it."""
    return round_half_up(exact(float(x)))


def with_analyses(
    toml: str,
    capacity: CapacityTerms | None,
    risk: RiskTerms | None,
    campaign=None,
):
    """``run`` plus the capacity and risk analyses, composed as ``runner.run`` does."""
    result = run(parse_scenario(toml))
    fye = result.scenario.issuer.fiscal_year_end
    if campaign is not None:
        campaign = run_campaign(campaign, result.series, result.costs, seed=1)
    cap = None
    if capacity is not None:
        cap = assess(capacity, result.series, result.fiscal, result.schedule, fye)
    rsk = None
    if risk is not None:
        rsk = assess_risk(
            risk,
            result.series,
            result.fiscal,
            seed=1,
            fiscal_year_end=fye,
            register=campaign.simulation.register if campaign is not None else None,
            cash_end=cap.table.set_index("fiscal_year")["cash_end"] if cap is not None else None,
            minimum_cash=to_cents(capacity.minimum_cash) if cap is not None else 0,
        )
    return dataclasses.replace(result, campaign=campaign, capacity=cap, risk=rsk)


def ok_result(lang: str = "fr"):
    """Cash flow well above the debt service, a sinking fund and a reserve: every status OK."""
    return with_analyses(
        OK_TOML.format(lang=lang),
        CapacityTerms(
            cash_flow_base=60_000,
            cash_flow_growth="0.02",
            opening_cash=40_000,
            minimum_cash=5_000,
            other_debt_service=(6_000,),
            sinking_fund=SinkingFund("0.02"),
            reserve=Reserve(),
        ),
        RiskTerms(
            annual_probability=0.02,
            lock_in_years=2,
            notice_months=3,
            annual_cap=0.1,
            stress_probability=0.05,
            stress_annual_probability=0.15,
            renewal_rate=0.65,
            paths=PATHS,
        ),
    )


def risk_result(lang: str = "fr"):
    """The contract example plus a level-payment series, with a tiny cash flow: every
    financial status Risk (the level payments of 2018-2021 are far above the cash flow)."""
    return with_analyses(
        CONTRACT.format(lang=lang, issuer="Cinéma du Parc") + AMORTISING,
        CapacityTerms(
            cash_flow=(2_000, 2_500, 3_000, 3_000, 3_000, 3_500),
            minimum_cash=5_000,
            reserve=Reserve("months-of-next-year", 6),
        ),
        RiskTerms(annual_probability=0.05, renewal_rate=0.5, paths=PATHS),
    )


def risk_only_result(lang: str = "en"):
    """A risk analysis without the enterprise's cash flows: no shortfall probability."""
    return with_analyses(TWO_SERIES.format(lang=lang), None, RiskTerms(annual_cap=0.1, paths=PATHS))


def _write(tmp_path_factory, result, name: str) -> Book:
    folder = tmp_path_factory.mktemp(name)
    pngs = save_charts(result, folder, name)
    path = folder / f"{name}.xlsx"
    write_workbook(result, path, charts=pngs)
    return Book(result, path, result.scenario.language)


@pytest.fixture(scope="module")
def ok_fr(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, ok_result("fr"), "ok-fr")


@pytest.fixture(scope="module")
def risk_fr(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, risk_result("fr"), "risk-fr")


@pytest.fixture(scope="module")
def watch_en(tmp_path_factory) -> Book:
    """The lowest coverage outside the bullet's maturity year (2032) between 1.0 and the
    threshold 1.25; in 2032 itself the coverage is below 1.0, but the cash at hand covers
    the bullet (the maturity test)."""
    result = with_analyses(
        OK_TOML.format(lang="en"),
        CapacityTerms(cash_flow_base=24_000, opening_cash=10_000, other_debt_service=(6_000,)),
        None,
    )
    return _write(tmp_path_factory, result, "watch-en")


@pytest.fixture(scope="module")
def risk_only_en(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, risk_only_result("en"), "risk-only-en")


@pytest.fixture(scope="module")
def campaign_en(tmp_path_factory) -> Book:
    """Campaign, capacity and risk together; holders shaped like the campaign register.

    The accumulating contract is the only series: all its debt service falls in its
    maturity year, so its periodic debt service is the sinking fund's deposits.
    """
    result = with_analyses(
        CONTRACT.format(lang="en", issuer="Cinéma du Parc"),
        CapacityTerms(cash_flow_base=30_000, opening_cash=20_000, sinking_fund=SinkingFund()),
        RiskTerms(
            segment_probability=(("Membres", 0.01), ("Voisins", 0.04)),
            lock_in_years=1,
            paths=PATHS,
        ),
        campaign=campaign_terms(),
    )
    return _write(tmp_path_factory, result, "campaign-en")


@pytest.fixture(scope="module")
def accumulating_en(tmp_path_factory) -> Book:
    """The accumulating contract alone, without a sinking fund: no periodic debt service
    at all, so the lowest-coverage criterion does not apply."""
    result = with_analyses(
        CONTRACT.format(lang="en", issuer="Cinéma du Parc"),
        CapacityTerms(cash_flow_base=30_000, opening_cash=20_000),
        None,
    )
    return _write(tmp_path_factory, result, "accumulating-en")


BOOKS = ["ok_fr", "risk_fr", "campaign_en"]


@pytest.fixture(params=BOOKS)
def book(request) -> Book:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------- reading the sheets


def _kv(book: Book, sheet: str, text: str, start: int = 1):
    """The value of a key-value line: the first filled cell right of the label ``text``."""
    ws = book.sheet(sheet)
    r = book.find(ws, text, start=start)
    for c in range(2, ws.max_column + 1):
        if ws.cell(r, c).value is not None:
            return ws.cell(r, c)
    raise AssertionError(f"no value right of {text!r}")


def _table(book: Book, sheet: str, section: str, first_header: str, **fields):
    """(header cells, body rows, total row or None) of the table under a section heading.

    Body rows run until an empty first cell or the total row.
    """
    ws = book.sheet(sheet)
    heading = t(section, book.lang).format(**fields) if fields else t(section, book.lang)
    start = book.find(ws, heading)
    head = book.find(ws, first_header, start=start)
    width = 1
    while ws.cell(head, width + 1).value is not None:
        width += 1
    rows, r = [], head + 1
    total = t("total", book.lang)
    while ws.cell(r, 1).value not in (None, total):
        rows.append([ws.cell(r, c) for c in range(1, width + 1)])
        r += 1
    last = [ws.cell(r, c) for c in range(1, width + 1)] if ws.cell(r, 1).value == total else None
    return [ws.cell(head, c) for c in range(1, width + 1)], rows, last


def _cents(cell) -> int:
    return round(cell.value * 100)


def _grid(book: Book, sheet: str = "sheet.b2", columns: int = 4) -> dict[str, list]:
    """The financial-capacity rows: criterion -> cells of the row."""
    ws = book.sheet(sheet)
    start = book.find(ws, t("sec.financial", book.lang))
    head = book.find(ws, t("col.criterion", book.lang), start=start)
    rows, r = {}, head + 1
    while ws.cell(r, 1).value:
        rows[ws.cell(r, 1).value] = [ws.cell(r, c) for c in range(1, columns + 1)]
        r += 1
    return rows


# ---------------------------------------------------------------- B3.4 Management


def status_fill(ws, cell) -> str | None:
    """The fill a cell shows through its conditional formats: the rule equal to its word."""
    for cf in ws.conditional_formatting:
        if cell.coordinate not in cf.sqref:
            continue
        for rule in cf.rules:
            if rule.operator == "equal" and rule.formula == [f'"{cell.value}"']:
                return rule.dxf.fill.bgColor.rgb
    return None


COVERAGE_KEYS = (
    "col.cash_flow",
    "col.other_ds",
    "col.issue_ds",
    "col.due_at_maturity",
    "col.deposit",
    "col.periodic_ds",
    "col.coverage",
    "col.readiness",
    "col.costs",
    "col.cash_end",
)


def test_coverage_table_equals_the_capacity_table(book):
    cap = book.result.capacity
    lang = book.lang
    head, rows, total = _table(book, "sheet.b3_4", "sec.coverage", label("fiscal_year", lang))
    assert [c.value for c in head] == [label("fiscal_year", lang)] + [
        t(k, lang) for k in COVERAGE_KEYS
    ]
    table = cap.table
    assert len(rows) == len(table)
    ws = book.sheet("sheet.b3_4")
    for cells, rec in zip(rows, table.itertuples(index=False), strict=True):
        assert cells[0].value == rec.fiscal_year
        for cell, key in zip(
            cells[1:7],
            (
                "cash_flow",
                "other_debt_service",
                "debt_service",
                "due_at_maturity",
                "sinking_deposit",
            ),
            strict=False,
        ):
            assert _cents(cell) == getattr(rec, key), (rec.fiscal_year, key)
        periodic = (
            rec.debt_service - rec.due_at_maturity + rec.sinking_deposit + rec.other_debt_service
        )
        assert _cents(cells[6]) == periodic
        if math.isnan(rec.coverage):
            assert cells[7].value in (None, ""), rec.fiscal_year  # no ratio: an empty cell
        else:
            assert cells[7].value == pytest.approx(rec.coverage, abs=1e-9)
            assert cells[7].number_format == number_formats(lang)["ratio"]
        word, fill = (
            (t("cap.no_capacity", lang), FILLS["risk"])
            if rec.no_capacity
            else (t("cap.below", lang), FILLS["watch"])
            if rec.below_threshold and rec.coverage >= min(1.0, float(cap.terms.coverage_threshold))
            else (t("cap.below_one", lang), FILLS["risk"])
            if rec.below_threshold
            else (None, None)
        )
        assert (cells[8].value or None) == word, rec.fiscal_year
        if word is not None:
            assert status_fill(ws, cells[8]) == fill, rec.fiscal_year
        assert _cents(cells[9]) == rec.costs
        assert _cents(cells[10]) == rec.cash_end
    assert _cents(total[1]) == int(table["cash_flow"].sum())
    assert _cents(total[3]) == int(table["debt_service"].sum())
    assert _cents(total[9]) == int(table["costs"].sum())


def test_nan_coverage_is_an_empty_cell(campaign_en, accumulating_en):
    """The accumulating contract pays everything at maturity, which is not periodic debt
    service: with a sinking fund, coverage = cash flow / deposit in 2017-2021 and no ratio
    in 2022 (the maturity test judges it); without one, no ratio in any year."""
    table = campaign_en.result.capacity.table
    deposits = table["sinking_deposit"].tolist()
    assert deposits[-1] == 0 and all(d > 0 for d in deposits[:-1])
    expected = [3_000_000 / d for d in deposits[:-1]]
    assert table["coverage"][:5].tolist() == pytest.approx(expected, rel=1e-12)
    _head, rows, _total = _table(
        campaign_en, "sheet.b3_4", "sec.coverage", label("fiscal_year", "en")
    )
    assert [c[7].value in (None, "") for c in rows] == [False] * 5 + [True]
    assert rows[-1][8].value in (None, "")
    _head, rows, _total = _table(
        accumulating_en, "sheet.b3_4", "sec.coverage", label("fiscal_year", "en")
    )
    assert accumulating_en.result.capacity.table["coverage"].isna().all()
    assert [c[7].value in (None, "") for c in rows] == [True] * 6
    assert [c[8].value or None for c in rows] == [None] * 6


def test_coverage_key_figures(book):
    cap = book.result.capacity
    lang = book.lang
    assert _kv(book, "sheet.b3_4", t("cap.min_dscr", lang)).value == pytest.approx(
        cap.min_dscr, abs=1e-9
    )
    assert _kv(book, "sheet.b3_4", t("cap.avg_dscr", lang)).value == pytest.approx(
        cap.average_dscr, abs=1e-9
    )
    below = _kv(book, "sheet.b3_4", t("cap.years_below_count", lang)).value
    assert below == len(cap.years_below_threshold)
    threshold = _kv(book, "sheet.b3_4", t("cap.threshold", lang))
    assert threshold.value == float(cap.terms.coverage_threshold)


def test_maturity_test_equals_the_maturities(book):
    mats = book.result.capacity.maturities
    lang = book.lang
    assert len(mats) == 1  # one bullet or accumulating series in each case
    _head, rows, _total = _table(
        book, "sheet.b3_4", "sec.maturity_test", label("fiscal_year", lang)
    )
    for cells, rec in zip(rows, mats.itertuples(index=False), strict=True):
        assert cells[0].value == rec.fiscal_year
        for cell, key in zip(
            cells[1:6], ("due", "cash_start", "sinking_fund", "cash_flow", "renewals"), strict=True
        ):
            assert _cents(cell) == getattr(rec, key), key
        assert cells[6].value == pytest.approx(rec.coverage, abs=1e-9)


def test_sinking_fund_table(ok_fr):
    table = ok_fr.result.capacity.table
    head, rows, total = _table(ok_fr, "sheet.b3_4", "sec.sinking", label("fiscal_year", "fr"))
    assert [c.value for c in head[1:4]] == [
        t(k, "fr") for k in ("col.deposit", "col.withdrawal", "col.fund_balance")
    ]
    # then a deposit and a balance column for the bullet series B
    assert [c.value for c in head[4:]] == [
        t("col.deposit_of", "fr").format(series="B"),
        t("col.balance_of", "fr").format(series="B"),
    ]
    for cells, rec in zip(rows, table.itertuples(index=False), strict=True):
        assert cells[0].value == rec.fiscal_year
        assert _cents(cells[1]) == rec.sinking_deposit
        assert _cents(cells[2]) == rec.sinking_withdrawal
        assert _cents(cells[3]) == rec.sinking_balance
    assert _cents(total[1]) == int(table["sinking_deposit"].sum())
    assert _cents(total[2]) == 2_000_000  # the bullet's principal, withdrawn at maturity
    assert _kv(ok_fr, "sheet.b3_4", t("sink.rate", "fr")).value == 0.02


def test_reserve_table(ok_fr, risk_fr):
    for book in (ok_fr, risk_fr):
        cap = book.result.capacity
        minimum = to_cents(cap.terms.minimum_cash)
        _head, rows, _total = _table(book, "sheet.b3_4", "sec.reserve", label("fiscal_year", "fr"))
        for cells, rec in zip(rows, cap.table.itertuples(index=False), strict=True):
            assert _cents(cells[1]) == rec.reserve_target
            assert _cents(cells[2]) == minimum + rec.reserve_target
            assert _cents(cells[3]) == rec.cash_end
            status = "ok" if rec.reserve_covered else "risk"
            assert cells[4].value == t("word.yes" if rec.reserve_covered else "word.no", "fr")
            assert status_fill(book.sheet("sheet.b3_4"), cells[4]) == FILLS[status]
    target = _kv(risk_fr, "sheet.b3_4", t("res.target", "fr")).value
    assert target == t("res.months-of-next-year", "fr").format(months=6)


def _headings(book: Book, sheet: str) -> set[str]:
    ws = book.sheet(sheet)
    return {ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}


def test_no_sinking_fund_or_reserve_no_table(campaign_en, watch_en):
    headings = _headings(watch_en, "sheet.b3_4")
    assert t("sec.sinking", "en") not in headings and t("sec.reserve", "en") not in headings
    assert _kv(watch_en, "sheet.b3_4", t("cap.cash_flow", "en")).value == t(
        "cap.cf_flat", "en"
    ).format(base="$24,000.00")
    headings = _headings(campaign_en, "sheet.b3_4")
    assert t("sec.sinking", "en") in headings and t("sec.reserve", "en") not in headings


def test_sizing_lines(book):
    cap = book.result.capacity
    lang = book.lang
    assert _cents(_kv(book, "sheet.b3_4", t("size.level", lang))) == cap.max_debt_level_payment
    assert _cents(_kv(book, "sheet.b3_4", t("size.sculpted", lang))) == cap.max_debt_sculpted
    rate = _kv(book, "sheet.b3_4", t("size.rate", lang))
    assert rate.value == pytest.approx(cap.sizing_rate) and "%" in rate.number_format
    assert _kv(book, "sheet.b3_4", t("size.years", lang)).value == cap.sizing_years
    none = cap.years_without_capacity
    assert _kv(book, "sheet.b3_4", t("size.no_capacity", lang)).value == (
        ", ".join(map(str, none)) if none else t("none", lang)
    )


def test_capacity_block_keeps_the_schedule_frozen_and_starts_printed_pages(book):
    ws = book.sheet("sheet.b3_4")
    head = book.find(ws, label("series", book.lang))
    assert ws.freeze_panes == f"A{head + 1}"
    # no header repeated on printed pages: it would print above the other tables (#12 §5)
    assert ws.print_title_rows is None
    breaks = [b.id for b in ws.row_breaks.brk]
    for key in ("sec.calendar", "sec.fiscal", "sec.capacity", "sec.maturity_test"):
        assert book.find(ws, t(key, book.lang)) - 1 in breaks, key
    # the capacity block comes after the debt service by fiscal year
    assert book.find(ws, t("sec.capacity", book.lang)) > book.find(ws, t("sec.fiscal", book.lang))
    # and the sheet no longer says coverage is still to come
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert t("sec.coming", book.lang) not in texts


def test_labels_of_the_blocks_do_not_widen_column_a(book, tmp_path):
    """Key-value labels run over the empty cells on their right: column A of B3.4 stays as
    wide as without the analyses, and on B3.5 as wide as its fiscal years need."""
    plain = dataclasses.replace(book.result, capacity=None, risk=None, campaign=None)
    write_workbook(plain, tmp_path / "plain.xlsx")
    other = Book(plain, tmp_path / "plain.xlsx", book.lang)
    width = book.sheet("sheet.b3_4").column_dimensions["A"].width
    assert width == other.sheet("sheet.b3_4").column_dimensions["A"].width
    assert book.sheet("sheet.b3_5").column_dimensions["A"].width < 16


# ---------------------------------------------------------------- B3.5 Renewal-repayment


def test_maturity_wall_equals_the_principal_by_fiscal_year_and_series(book):
    res, lang = book.result, book.lang
    head, rows, total = _table(book, "sheet.b3_5", "sec.wall", label("fiscal_year", lang))
    ids = [s.id for s in res.series]
    assert [c.value for c in head] == [label("fiscal_year", lang)] + [
        t("series_n", lang).format(series=s) for s in ids
    ] + [t("total", lang)]
    fb = res.fiscal_by_series.set_index(["fiscal_year", "series"])["principal"]
    for cells, rec in zip(rows, res.fiscal.itertuples(index=False), strict=True):
        assert cells[0].value == rec.fiscal_year
        for k, sid in enumerate(ids, start=1):
            assert _cents(cells[k]) == fb.get((rec.fiscal_year, sid), 0)
        assert _cents(cells[-1]) == rec.principal
    assert _cents(total[-1]) == res.total_principal


def test_risk_table_equals_the_simulation(book):
    risk, lang = book.result.risk, book.lang
    sim = risk.simulation
    simulated = {"n": number_text(sim.paths, lang), "seed": sim.seed}
    head, rows, total = _table(
        book, "sheet.b3_5", "sec.risk_results", label("fiscal_year", lang), **simulated
    )
    keys = [
        "planned_principal",
        "expected_early",
        "expected_maturity",
        "expected_renewed",
        "expected_outflow",
        "need_p50",
        "need_p95",
        "need_p99",
    ]
    with_p = book.result.capacity is not None
    assert len(head) == 1 + len(keys) + with_p
    table = risk.table
    assert len(rows) == len(table)
    for cells, rec in zip(rows, table.to_dict("records"), strict=True):
        assert cells[0].value == rec["fiscal_year"]
        for cell, key in zip(cells[1:], keys, strict=False):
            assert _cents(cell) == expected_cents(rec[key]), (rec["fiscal_year"], key)
        if with_p:
            assert cells[-1].value == rec["p_shortfall"]
    # the quantiles are amounts some path paid: whole cents, exactly
    for cells, rec in zip(rows, table.to_dict("records"), strict=True):
        assert [_cents(c) for c in cells[6:9]] == [
            rec["need_p50"],
            rec["need_p95"],
            rec["need_p99"],
        ]
    assert _cents(total[1]) == int(table["planned_principal"].sum())
    assert _cents(total[5]) == expected_cents(table["expected_outflow"].sum())


def test_seed_and_paths_are_shown(book):
    sim, lang = book.result.risk.simulation, book.lang
    assert _kv(book, "sheet.b3_5", t("risk.paths", lang)).value == sim.paths == PATHS
    assert _kv(book, "sheet.b3_5", t("risk.seed", lang)).value == sim.seed == 1
    ws = book.sheet("sheet.b3_5")
    simulated = {"n": number_text(PATHS, lang), "seed": 1}
    for key in ("sec.risk_results", "sec.risk_overall"):
        book.find(ws, t(key, lang).format(**simulated))
    notes = " ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert number_text(PATHS, lang) in notes


def test_every_assumption_in_words(ok_fr):
    terms = ok_fr.result.risk.terms
    lang = "fr"

    def value(key):
        return _kv(ok_fr, "sheet.b3_5", t(key, lang)).value

    assert value("risk.annual_probability") == terms.annual_probability
    assert value("risk.by_segment") == t("risk.same_for_all", lang)
    assert value("risk.lock_in") == 2
    assert value("risk.notice") == 3
    assert value("risk.annual_cap") == 0.1
    assert round(value("risk.cap_amount") * 100) == 1_000_000  # 10 % of 100 000 $
    assert value("risk.stress_probability") == 0.05
    assert value("risk.stress_annual_probability") == 0.15
    assert value("risk.renewal_rate") == 0.65
    assert value("risk.shortfall_level") == 0.05
    assert value("risk.holders") == len(ok_fr.result.risk.holders.amount)
    assert value("risk.holdings") == t("risk.equal", lang).format(
        amount=money_text(100_000, lang, "CAD")
    )


def test_segments_and_register_holdings(campaign_en):
    risk = campaign_en.result.risk
    assert risk.holders_from_register
    for name, p in (("Membres", 0.01), ("Voisins", 0.04)):
        assert (
            _kv(campaign_en, "sheet.b3_5", t("risk.segment", "en").format(segment=name)).value == p
        )
    assert _kv(campaign_en, "sheet.b3_5", t("risk.holdings", "en")).value == t(
        "risk.from_register", "en"
    )
    assert _kv(campaign_en, "sheet.b3_5", t("risk.annual_cap", "en")).value == t(
        "risk.no_cap", "en"
    )


def test_shortfall_and_recommended_reserve(book):
    risk, lang = book.result.risk, book.lang
    assert _kv(book, "sheet.b3_5", t("risk.p_shortfall", lang)).value == risk.p_shortfall
    reserve = _kv(book, "sheet.b3_5", t("risk.recommended_reserve", lang))
    assert _cents(reserve) == risk.recommended_reserve
    assert reserve.number_format == number_formats(lang)["money"]
    ws = book.sheet("sheet.b3_5")
    texts = " ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    minimum = money_text(to_cents(book.result.capacity.terms.minimum_cash), lang, "CAD")
    assert minimum in texts  # the sentence that explains the reserve names the minimum cash


def test_risk_only_has_no_shortfall_probability(risk_only_en):
    risk = risk_only_en.result.risk
    assert risk.p_shortfall is None and "p_shortfall" not in risk.table
    assert _kv(risk_only_en, "sheet.b3_5", t("risk.p_shortfall", "en")).value == t(
        "risk.p_unknown", "en"
    )
    assert _cents(_kv(risk_only_en, "sheet.b3_5", t("risk.recommended_reserve", "en"))) == (
        risk.recommended_reserve
    )
    row = _grid(risk_only_en)[t("ready.p_shortfall", "en")]
    assert row[1].value == t("not_applicable", "en")
    assert row[3].value == t("status.na", "en") == "Not applicable"
    assert row[3].fill.fgColor.rgb == "FFEDEDED"
    # B3.4 still says what a [capacity] table would add; no coverage chart
    ws = risk_only_en.sheet("sheet.b3_4")
    r = risk_only_en.find(ws, t("sec.coming", "en"))
    assert t("coming.b3_4", "en").startswith(ws.cell(r + 1, 1).value)
    assert len(ws._images) == 0
    assert len(risk_only_en.sheet("sheet.b3_5")._images) == 1


# ---------------------------------------------------------------- B2 readiness and the Summary


def _financial(book: Book, sheet: str = "sheet.b2", columns: int = 4) -> dict[str, list]:
    """The four criteria of these cases by kind: coverage, maturity, shortfall, reserve.

    The coverage row names the fiscal year of the lowest coverage outside the maturity years
    of bullet and accumulating series (taken here from ``cap.maturities``); when no other
    year has debt service, it is the "does not apply" row ``ready.coverage``.
    """
    rows = _grid(book, sheet, columns)
    res, lang = book.result, book.lang
    cap = res.capacity
    table = cap.table
    regular = table.dropna(subset=["coverage"])  # coverage of periodic debt service
    if regular.empty:
        coverage = t("ready.coverage", lang)
    else:
        year = int(regular.loc[regular["coverage"].idxmin(), "fiscal_year"])
        coverage = t("ready.min_coverage", lang).format(year=year)
    out = {
        "coverage": rows[coverage],
        "maturity": rows[
            t("ready.maturity_coverage", lang).format(year=int(cap.maturities["fiscal_year"][0]))
        ],
        "reserve": rows[
            t("ready.reserve" if cap.terms.reserve is not None else "ready.minimum_cash", lang)
        ],
    }
    if res.risk is not None:
        out["shortfall"] = rows[t("ready.p_shortfall", lang)]
    assert len(rows) == len(out)
    return out


def _coverage_by_year(cap) -> dict[int, float]:
    return dict(zip(cap.table["fiscal_year"], cap.table["coverage"], strict=True))


def test_min_dscr_by_hand(watch_en, risk_fr):
    """Cash flow / periodic debt service (what falls due at a bullet's or an accumulating
    series' maturity left out), from the scenarios' own figures."""
    # watch_en: fiscal years end March 31; series A pays 7 level payments on June 1,
    # 2027-2033 (fiscal years 2028-2034); the bullet B pays its 800 coupon on June 1,
    # 2027-2030 and its principal with the last coupon on 2031-06-01 (fiscal year 2032)
    cap = watch_en.result.capacity
    level = round(80_000 * 0.05 / (1 - 1.05**-7) * 100)  # cents
    assert level == 1_382_559
    cash_flow, other, coupon = 2_400_000, 600_000, 80_000
    expected = {
        2027: cash_flow / other,  # issued 2026-06-01: nothing paid on the issue yet
        **{y: cash_flow / (level + coupon + other) for y in range(2028, 2032)},
        2033: cash_flow / (level + other),
    }
    by_year = _coverage_by_year(cap)
    for year, ratio in expected.items():
        assert by_year[year] == pytest.approx(ratio, rel=1e-12), year
    assert by_year[2034] >= expected[2033]  # the last payment only takes up the rounding
    # the bullet's maturity year: its last coupon is periodic, its 20,000 $ principal is not
    assert by_year[2032] == pytest.approx(cash_flow / (level + coupon + other), rel=1e-12)
    assert cap.min_dscr == pytest.approx(cash_flow / 2_062_559, rel=1e-12)
    assert cap.min_dscr == pytest.approx(1.1636, abs=1e-4)
    assert list(cap.table.loc[cap.table["maturity_year"], "fiscal_year"]) == [2032]
    assert cap.table.set_index("fiscal_year").loc[2032, "due_at_maturity"] == 2_000_000

    # risk_fr: fiscal years end December 31; the level-payment series B pays 6 550,64 on
    # February 1, 2018-2022, the accumulating A everything on 2022-02-01; nothing in 2017
    cap = risk_fr.result.capacity
    level = round(30_000 * 0.03 / (1 - 1.03**-5) * 100)
    assert level == 655_064
    expected = {2018: 250_000 / level, 2019: 300_000 / level, 2020: 300_000 / level}
    expected[2021] = expected[2020]
    by_year = _coverage_by_year(cap)
    assert math.isnan(by_year[2017])
    for year, ratio in expected.items():
        assert by_year[year] == pytest.approx(ratio, rel=1e-12), year
    assert cap.min_dscr == pytest.approx(expected[2018], rel=1e-12)
    # 2022: B's last payment (it absorbs the rounding) is periodic; A's payment at maturity
    # is not
    b_last = risk_fr.result.schedule.query("series == 'B'")["payment"].iloc[-1]
    assert abs(int(b_last) - level) <= 5
    assert by_year[2022] == pytest.approx(350_000 / int(b_last), rel=1e-12)


def test_min_dscr_is_on_periodic_debt_service(book):
    """In every case: cash flow over interest, amortisation, sinking-fund deposits and
    other debt, what falls due at maturity left out; the minimum, or None."""
    cap = book.result.capacity
    table = cap.table
    due = set(int(y) for y in cap.maturities["fiscal_year"])
    assert table["maturity_year"].tolist() == [int(y) in due for y in table["fiscal_year"]]
    ratios = []
    for rec in table.itertuples(index=False):
        service = rec.total_debt_service - rec.due_at_maturity + rec.sinking_deposit
        if service > 0 and rec.cash_flow > 0:
            ratios.append(rec.cash_flow / service)
    if ratios:
        assert cap.min_dscr == pytest.approx(min(ratios), rel=1e-12)
    else:
        assert cap.min_dscr is None
    assert cap.summary()["min_dscr"] == cap.min_dscr


def test_readiness_ok_case(ok_fr):
    rows = _financial(ok_fr)
    assert list(rows) == ["coverage", "maturity", "reserve", "shortfall"]
    for key, cells in rows.items():
        assert cells[3].value == "OK", key
        assert cells[3].fill.fgColor.rgb == FILLS["ok"], key
    cap, risk = ok_fr.result.capacity, ok_fr.result.risk
    assert rows["coverage"][1].value == pytest.approx(cap.min_dscr, abs=1e-9)
    year = int(cap.table.loc[cap.table["coverage"].idxmin(), "fiscal_year"])
    assert rows["coverage"][0].value == t("ready.min_coverage", "fr").format(year=year)
    assert rows["coverage"][1].value >= 1.25
    assert rows["maturity"][1].value == pytest.approx(cap.maturities["coverage"][0], abs=1e-9)
    assert rows["shortfall"][1].value == risk.p_shortfall <= risk.terms.shortfall_level
    assert rows["reserve"][1].value == t("ready.every_year", "fr")


def test_readiness_risk_case(risk_fr):
    rows = _financial(risk_fr)
    for key, cells in rows.items():
        assert cells[3].value == t("status.risk", "fr") == "Risque", key
        assert cells[3].fill.fgColor.rgb == FILLS["risk"], key
        assert cells[3].font.b
    cap, risk = risk_fr.result.capacity, risk_fr.result.risk
    # the level payments of 2018-2021, not the accumulating series' maturity year 2022
    assert rows["coverage"][0].value == t("ready.min_coverage", "fr").format(year=2018)
    assert rows["coverage"][1].value == pytest.approx(cap.min_dscr, abs=1e-9)
    assert cap.min_dscr < 1.0
    assert rows["maturity"][0].value == t("ready.maturity_coverage", "fr").format(year=2022)
    assert rows["maturity"][1].value < 0.9
    assert rows["shortfall"][1].value == risk.p_shortfall > 2 * risk.terms.shortfall_level
    missed = [int(y) for y in cap.table.loc[~cap.table["reserve_covered"], "fiscal_year"]]
    assert rows["reserve"][1].value == t("ready.not_covered", "fr").format(
        year=missed[0], n=len(missed)
    )


def test_readiness_watch_case(watch_en):
    cap = watch_en.result.capacity
    threshold = float(cap.terms.coverage_threshold)
    assert 1.0 <= cap.min_dscr < threshold
    rows = _financial(watch_en)
    assert rows["coverage"][0].value == t("ready.min_coverage", "en").format(year=2028)
    assert rows["coverage"][1].value == pytest.approx(cap.min_dscr, abs=1e-9)
    assert rows["coverage"][3].value == "Watch"
    assert rows["coverage"][3].fill.fgColor.rgb == FILLS["watch"]
    # 2032 is judged by the maturity test: the cash at hand covers the bullet
    assert rows["maturity"][0].value == t("ready.maturity_coverage", "en").format(year=2032)
    assert rows["maturity"][1].value >= 1.0
    assert rows["maturity"][3].value == "OK"
    # the coverage table marks every year below the threshold: Watch from 1.0, Risk below
    _head, body, _total = _table(watch_en, "sheet.b3_4", "sec.coverage", label("fiscal_year", "en"))
    marked = [c for c in body if c[8].value]
    assert [c[0].value for c in marked] == cap.years_below_threshold
    ws = watch_en.sheet("sheet.b3_4")
    for c in marked:
        status = "watch" if c[7].value >= 1.0 else "risk"
        assert status_fill(ws, c[8]) == FILLS[status], c[0].value
    assert [c[0].value for c in marked if c[7].value < 1.0] == []
    # no [risk] table: no shortfall row, and B3.5 says what a [risk] table would add
    ws = watch_en.sheet("sheet.b3_5")
    firsts = [c.value for c in ws["A"] if isinstance(c.value, str) and len(c.value) > 30]
    assert any(t("renew.hint_risk", "en").startswith(v) for v in firsts)


def test_coverage_does_not_apply_when_all_debt_service_is_at_maturity(accumulating_en):
    """The accumulating contract alone: its one payment falls in its maturity year 2022,
    which the maturity test judges; the lowest-coverage criterion does not apply."""
    campaign_en = accumulating_en
    cap, lang = campaign_en.result.capacity, "en"
    table = cap.table
    assert list(cap.maturities["fiscal_year"]) == [2022]
    assert (table.loc[table["fiscal_year"] != 2022, "total_debt_service"] == 0).all()
    assert cap.min_dscr is None and table["coverage"].isna().all()
    grid = _grid(campaign_en)
    prefix = t("ready.min_coverage", lang).split("{")[0]
    assert not [k for k in grid if k.startswith(prefix)]
    row = grid[t("ready.coverage", lang)]
    assert row[1].value == t("ready.no_debt_service", lang)
    assert row[3].value == t("status.na", lang) == "Not applicable"
    assert row[3].fill.fgColor.rgb == STATUS_FILLS["na"]
    rows = _financial(campaign_en)
    assert rows["coverage"] == row
    assert rows["maturity"][1].value == pytest.approx(cap.maturities["coverage"][0], abs=1e-9)
    assert rows["maturity"][3].value in {t(f"status.{k}", lang) for k in ("ok", "watch", "risk")}
    # the Summary: the same word and colour
    summary = _financial(campaign_en, "sheet.summary", columns=3)
    assert summary["coverage"][2].value == "Not applicable"
    assert summary["coverage"][2].fill.fgColor.rgb == STATUS_FILLS["na"]


def test_readiness_thresholds_are_written_out(book):
    rows = _financial(book)
    lang = book.lang
    own = number_text(float(book.result.capacity.terms.coverage_threshold), lang, 2)
    assert own in rows["coverage"][2].value
    high, low = READINESS_THRESHOLDS["maturity_coverage"]
    assert number_text(low, lang, 2) in rows["maturity"][2].value
    for word in ("status.ok", "status.watch", "status.risk"):
        assert t(word, lang) in rows["coverage"][2].value
    if "shortfall" in rows:
        assert "5" in rows["shortfall"][2].value and "10" in rows["shortfall"][2].value


def test_statuses_follow_the_thresholds(book):
    cap, risk = book.result.capacity, book.result.risk
    rows = _financial(book)
    thr = float(cap.terms.coverage_threshold)
    dscr = cap.min_dscr
    if dscr is None:  # no periodic debt service
        expected = {"coverage": "na"}
    else:
        expected = {"coverage": "ok" if dscr >= thr else "watch" if dscr >= 1.0 else "risk"}
    cov = float(cap.maturities["coverage"][0])
    expected["maturity"] = "ok" if cov >= 1.0 else "watch" if cov >= 0.9 else "risk"
    expected["reserve"] = "ok" if cap.table["reserve_covered"].all() else "risk"
    level = risk.terms.shortfall_level
    p = risk.p_shortfall
    expected["shortfall"] = "ok" if p <= level else "watch" if p <= 2 * level else "risk"
    for key, status in expected.items():
        assert rows[key][3].value == t(f"status.{status}", book.lang), key
        assert rows[key][3].fill.fgColor.rgb == STATUS_FILLS[status], key


def test_readiness_notes_and_what_is_still_to_come(book):
    ws = book.sheet("sheet.b2")
    lang = book.lang
    texts = " ".join(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert t("sec.coming", lang) not in texts  # nothing left to come on B2 (#15)
    assert t("sec.self_assessed", lang) in texts
    assert t("hint.capacity", lang)[:40] not in texts
    assert (t("hint.campaign", lang)[:40] in texts) == (book.result.campaign is None)
    # the financial grid comes before the community grid
    if book.result.campaign is not None:
        assert book.find(ws, t("sec.financial", lang)) < book.find(ws, t("sec.community", lang))


def test_summary_key_figures_and_statuses(book):
    res, lang = book.result, book.lang
    assert book.value_of("kf.min_dscr").value == pytest.approx(res.capacity.min_dscr, abs=1e-9)
    assert book.value_of("kf.min_dscr").number_format == number_formats(lang)["ratio"]
    assert _cents(book.value_of("kf.recommended_reserve")) == res.risk.recommended_reserve
    assert book.value_of("kf.p_shortfall").value == res.risk.p_shortfall
    summary = _financial(book, "sheet.summary", columns=3)
    grid = _financial(book)
    for key, cells in summary.items():
        assert cells[2].value == grid[key][3].value, key  # no threshold column there
        assert cells[2].fill.fgColor.rgb == grid[key][3].fill.fgColor.rgb, key


def test_charts_on_the_summary_the_management_and_the_renewal_sheets(book):
    with_campaign = book.result.campaign is not None
    assert len(book.sheet("sheet.summary")._images) == 4 + 2 * with_campaign
    assert len(book.sheet("sheet.b3_4")._images) == 1
    assert len(book.sheet("sheet.b3_5")._images) == 1


# ---------------------------------------------------------------- layout and safety


def _column_widths(ws) -> dict[int, float]:
    """Set widths by column number: a ``<col min max>`` element may cover several columns
    (the writer groups neighbours of equal width), which openpyxl keys by the first one."""
    widths = {}
    for dim in list(ws.column_dimensions.values()):
        if dim.customWidth:
            widths.update(dict.fromkeys(range(dim.min, dim.max + 1), dim.width))
    return widths


def test_columns_are_wide_enough_for_their_figures(book):
    """No "####": every amount fits its column on every sheet."""
    for key in SHEETS:
        ws = book.sheet(key)
        widths = _column_widths(ws)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and "$" in cell.number_format:
                    width = widths[cell.column]
                    needed = len(money_text(round(cell.value * 100), book.lang, "CAD"))
                    assert width >= needed + 1, (ws.title, cell.coordinate, width, needed)


def test_print_settings(book):
    for key in ("sheet.b2", "sheet.b3_4", "sheet.b3_5"):
        ws = book.sheet(key)
        assert ws.sheet_properties.pageSetUpPr.fitToPage, key
        assert ws.page_setup.fitToHeight == 0, key
    ws = book.sheet("sheet.b3_5")
    assert ws.page_setup.orientation == "landscape"
    breaks = [b.id for b in ws.row_breaks.brk]
    simulated = {"n": number_text(PATHS, book.lang), "seed": 1}
    for key, fields in (("sec.risk_terms", {}), ("sec.risk_results", simulated)):
        assert book.find(ws, t(key, book.lang).format(**fields)) - 1 in breaks, key


def test_no_formulas_anywhere(book):
    assert not any(c.data_type == "f" for s in book.wb for row in s.iter_rows() for c in row)


# ---------------------------------------------------------------- through a scenario file

ANALYSES_TOML = """
[capacity]
cash_flow = [2_000, 2_500, 3_000, 3_000, 3_000, 3_500]
minimum_cash = 5_000

[capacity.reserve]
target = "months-of-next-year"
months = 6

[risk]
annual_probability = 0.05
renewal_rate = 0.5
paths = 2_000
"""


@pytest.mark.skipif(
    not hasattr(Scenario, "capacity_terms") or not hasattr(Scenario, "risk_terms"),
    reason="scenario.py has no [capacity] and [risk] tables yet",
)
def test_a_scenario_file_with_capacity_and_risk(tmp_path):
    toml = CONTRACT.format(lang="fr", issuer="Cinéma du Parc") + ANALYSES_TOML
    result = run(parse_scenario(toml))
    assert result.capacity is not None and result.risk is not None
    pngs = save_charts(result, tmp_path, "file")
    assert list(pngs)[-2:] == ["coverage", "redemptions"]
    write_workbook(result, tmp_path / "file.xlsx", charts=pngs)
    book = Book(result, tmp_path / "file.xlsx", "fr")
    assert _kv(book, "sheet.b3_5", t("risk.seed", "fr")).value == result.scenario.seed == 2016
    assert _kv(book, "sheet.b3_5", t("risk.paths", "fr")).value == 2000
    rows = _financial(book)
    # the accumulating series pays only in its maturity year: that year's own test applies
    assert rows["coverage"][0].value == t("ready.coverage", "fr")
    assert rows["coverage"][3].value == t("status.na", "fr") == "Sans objet"
    assert rows["maturity"][3].value == "Risque"
