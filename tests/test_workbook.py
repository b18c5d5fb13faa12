"""The workbook, reopened with openpyxl: sheets, figures to the cent, formats, layout, safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from scenario_texts import CONTRACT, TWO_SERIES

from bondkit import __version__
from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.core.metrics import bond_cash_flows
from bondkit.labels import GLOSSARY, SHEETS, money_text, t
from bondkit.report.charts import save_charts
from bondkit.report.workbook import number_formats, write_workbook
from bondkit.report.workbook.kit import heading
from bondkit.report.workbook.printing import PRINT_FLOOR
from bondkit.runner import run
from bondkit.scenario import parse_scenario

EVIL = '=HYPERLINK("http://x","y")'

SHEETS_FR = ["Sommaire", "L1 Tour d’horizon", "L2 Prérequis", "L3.1 Planification", "L3.2 Conception",
             "L3.3 Émission", "L3.4 Gestion", "L3.5 Renouvellement", "L4 Études de cas", "L5 Glossaire"]  # fmt: skip
SHEETS_EN = ["Summary", "B1 Overview", "B2 Readiness", "B3.1 Planning", "B3.2 Design", "B3.3 Issue",
             "B3.4 Management", "B3.5 Renewal-repayment", "B4 Case studies", "B5 Glossary"]  # fmt: skip


def _toml_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


class Book:
    """A written workbook, reopened, with the result it came from."""

    def __init__(self, result, path: Path, lang: str):
        self.result, self.path, self.lang = result, path, lang
        self.wb = openpyxl.load_workbook(path, data_only=True)  # cached values, no recalculation

    def sheet(self, key: str):
        return self.wb[t(key, self.lang)]

    def find(self, ws, text: str, col: int = 1, start: int = 1) -> int:
        """Row (1-based) of the first cell of column ``col`` equal to ``text``."""
        for r in range(start, ws.max_row + 1):
            if ws.cell(r, col).value == text:
                return r
        raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")

    def value_of(self, key: str, sheet: str = "sheet.summary"):
        """The cell right of the label ``t(key)`` in column A (a key-value line)."""
        ws = self.sheet(sheet)
        return ws.cell(self.find(ws, t(key, self.lang)), 2)


def _write(
    tmp_path_factory, toml: str, name: str, lang: str | None = None, charts: bool = True
) -> Book:
    folder = tmp_path_factory.mktemp(name)
    result = run(parse_scenario(toml))
    pngs = save_charts(result, folder, name, lang=lang) if charts else None
    path = folder / f"{name}.xlsx"
    write_workbook(result, path, lang=lang, charts=pngs)
    return Book(result, path, lang or result.scenario.language)


@pytest.fixture(scope="module")
def contract_fr(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, CONTRACT.format(lang="fr", issuer="Cinéma du Parc"), "cine")


@pytest.fixture(scope="module")
def two_en(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, TWO_SERIES.format(lang="en"), "two-en")


@pytest.fixture(scope="module")
def two_fr(tmp_path_factory) -> Book:
    return _write(tmp_path_factory, TWO_SERIES.format(lang="fr"), "two-fr", charts=False)


@pytest.fixture(scope="module")
def evil(tmp_path_factory) -> Book:
    toml = CONTRACT.format(lang="fr", issuer=_toml_text(EVIL)).replace(
        'name = "Cinéma du Parc 2016"', f'name = "{_toml_text(EVIL)}"'
    )
    return _write(tmp_path_factory, toml, "evil", charts=False)


BOOKS = ["contract_fr", "two_en", "two_fr"]


@pytest.fixture(params=BOOKS)
def book(request) -> Book:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------- structure


def test_ten_sheets_in_order_in_the_scenario_language(contract_fr, two_en):
    assert contract_fr.wb.sheetnames == SHEETS_FR
    assert two_en.wb.sheetnames == SHEETS_EN


def test_lang_argument_overrides_the_scenario_language(tmp_path):
    result = run(parse_scenario(CONTRACT.format(lang="fr", issuer="Cinéma du Parc")))
    write_workbook(result, tmp_path / "en.xlsx", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "en.xlsx", data_only=True)
    assert wb.sheetnames == SHEETS_EN
    assert wb["Summary"]["A1"].value == t("title.summary", "en")
    with pytest.raises(ValueError):
        write_workbook(result, tmp_path / "de.xlsx", lang="de")


def test_every_sheet_has_its_title_and_the_scenario_name(book):
    for key in SHEETS:
        ws = book.sheet(key)
        assert ws["A1"].value == t("title." + key.split(".", 1)[1], book.lang)
        assert ws["A2"].value == book.result.scenario.name


def test_later_booklets_say_what_will_come(book):
    for key in ("sheet.b3_3",):
        ws = book.sheet(key)
        r = book.find(ws, t("sec.coming", book.lang))
        coming = t("coming." + key.split(".", 1)[1], book.lang)
        assert coming.startswith(ws.cell(r + 1, 1).value)
    # B3.1 and B3.5 have no placeholder left: the steps of the issue and the cash at
    # maturity, then what [planning] and [risk] would add
    for key, section, hint in (
        ("sheet.b3_1", "sec.plan_steps", "hint.b3_1"),
        ("sheet.b3_5", "sec.renewal_cash", "renew.hint_risk"),
    ):
        ws = book.sheet(key)
        with pytest.raises(AssertionError):
            book.find(ws, t("sec.coming", book.lang))
        assert book.find(ws, t(section, book.lang))
        firsts = [c.value for c in ws["A"] if isinstance(c.value, str) and len(c.value) > 30]
        assert any(t(hint, book.lang).startswith(v) for v in firsts), key
    # B2's grid is complete: its self-assessed criteria replace what was still to come
    ws = book.sheet("sheet.b2")
    with pytest.raises(AssertionError):
        book.find(ws, t("sec.coming", book.lang))
    assert book.find(ws, t("sec.self_assessed", book.lang))
    # B4 says how to set the scenario beside other options
    ws = book.sheet("sheet.b4")
    r = book.find(ws, t("sec.compare_hint", book.lang))
    assert t("hint.b4", book.lang).startswith(ws.cell(r + 1, 1).value)


# ---------------------------------------------------------------- figures


def _schedule_rows(book: Book):
    """(schedule rows, total rows) read from L3.4: lists of dicts keyed by schedule column."""
    ws = book.sheet("sheet.b3_4")
    header = book.find(ws, label("series", book.lang))
    assert [ws.cell(header, c + 1).value for c in range(len(SCHEDULE_COLUMNS))] == [
        label(k, book.lang) for k in SCHEDULE_COLUMNS
    ]
    rows, totals = [], []
    r = header + 1
    while ws.cell(r, 1).value is not None:
        rec = {k: ws.cell(r, c + 1).value for c, k in enumerate(SCHEDULE_COLUMNS)}
        rec["_row"] = r
        (totals if rec["period"] == t("total", book.lang) else rows).append(rec)
        r += 1
    return rows, totals


def test_schedule_on_management_sheet_equals_the_result_to_the_cent(book):
    rows, _ = _schedule_rows(book)
    sched = book.result.schedule
    assert len(rows) == len(sched)
    for rec, ref in zip(rows, sched.itertuples(index=False), strict=True):
        assert rec["series"] == ref.series
        assert rec["period"] == ref.period
        assert rec["accrual_start"].date() == ref.accrual_start.date()
        assert rec["date"].date() == ref.date.date()
        assert rec["year_fraction"] == pytest.approx(ref.year_fraction, abs=1e-12)
        assert rec["annual_rate"] == pytest.approx(ref.annual_rate, abs=1e-12)
        for key in ("opening_balance", "interest", "principal", "payment", "closing_balance"):
            assert round(rec[key] * 100) == getattr(ref, key), (rec["_row"], key)


def test_schedule_total_rows_per_series_and_overall(book):
    _, totals = _schedule_rows(book)
    sched = book.result.schedule
    ids = [s.id for s in book.result.series]
    expected_labels = ids + ([t("all_series", book.lang)] if len(ids) > 1 else [])
    assert [x["series"] for x in totals] == expected_labels
    for rec in totals:
        own = sched if rec["series"] not in ids else sched[sched["series"] == rec["series"]]
        for key in ("interest", "principal", "payment"):
            assert round(rec[key] * 100) == int(own[key].sum())
    assert round(totals[-1]["principal"] * 100) == book.result.total_principal


def test_fiscal_year_table_matches_the_result(book):
    ws = book.sheet("sheet.b3_4")
    res = book.result
    head = book.find(ws, label("fiscal_year", book.lang))
    n = len(res.series)
    total_first = 2 + 3 * n  # 1-based column of the all-series interest
    for i, rec in enumerate(res.fiscal.itertuples(index=False)):
        r = head + 1 + i
        assert ws.cell(r, 1).value == rec.fiscal_year
        assert round(ws.cell(r, total_first + 2).value * 100) == rec.debt_service
        assert round(ws.cell(r, total_first + 3).value * 100) == rec.outstanding
        for k, terms in enumerate(res.series):
            own = res.fiscal_by_series
            mask = (own["fiscal_year"] == rec.fiscal_year) & (own["series"] == terms.id)
            line = own[mask].iloc[0]
            assert round(ws.cell(r, 2 + 3 * k + 2).value * 100) == line["payment"]
    # the group header names each series
    assert ws.cell(head - 1, 2).value == t("series_n", book.lang).format(series=res.series[0].id)


def test_payment_calendar_matches_payments_by_date(book):
    ws = book.sheet("sheet.b3_4")
    head = book.find(ws, t("col.series_paying", book.lang))
    cal = book.result.payments_by_date
    date_col = SCHEDULE_COLUMNS.index("date") + 1
    pay_col = SCHEDULE_COLUMNS.index("payment") + 1
    for i, rec in enumerate(cal.itertuples(index=False)):
        r = head + 1 + i
        assert ws.cell(r, date_col).value.date() == rec.date.date()
        assert round(ws.cell(r, pay_col).value * 100) == rec.payment
    assert ws.cell(head + 1 + len(cal), 1).value == t("total", book.lang)
    assert round(ws.cell(head + 1 + len(cal), pay_col).value * 100) == int(cal["payment"].sum())


def test_key_figures_on_the_summary_equal_the_result(book):
    res = book.result
    cents = {
        "kf.total_principal": res.total_principal,
        "kf.total_interest": res.total_interest,
        "kf.max_debt_service": res.max_annual_debt_service,
        "kf.upfront_costs": res.upfront_costs,
        "kf.annual_admin_total": res.annual_admin_total,
    }
    for key, value in cents.items():
        assert round(book.value_of(key).value * 100) == value, key
    assert book.value_of("kf.all_in_cost").value == pytest.approx(res.issuer_all_in_cost, rel=1e-12)
    assert book.value_of("kf.first_issue").value.date() == min(s.issue_date for s in res.series)
    assert book.value_of("kf.last_maturity").value.date() == max(s.maturity for s in res.series)
    assert book.value_of("scenario").value == res.scenario.name
    assert book.value_of("issuer").value == res.scenario.issuer.name
    assert book.value_of("kf.series_count").value == len(res.series)


def test_series_table_on_the_summary(book):
    """The Summary shows each series' essentials; B3.2 its detail (bonds, yield, durations)."""
    ws = book.sheet("sheet.summary")
    res = book.result
    head = book.find(
        ws, label("series", book.lang), start=book.find(ws, t("sec.series", book.lang)) + 1
    )
    headers = [ws.cell(head, c).value for c in range(1, 11)]
    want = ["series", "col.repayment", "col.amount", "annual_rate", "col.maturity", "col.total_interest"]  # fmt: skip
    assert headers == [heading(k, book.lang) for k in want] + [None] * 4
    col = {h: i + 1 for i, h in enumerate(headers)}
    for i, terms in enumerate(res.series):
        r = head + 1 + i
        sr = res.series_results[terms.id]
        assert ws.cell(r, 1).value == terms.id
        assert round(ws.cell(r, col[t("col.amount", book.lang)]).value * 100) == terms.amount_cents
        assert (
            round(ws.cell(r, col[t("col.total_interest", book.lang)]).value * 100)
            == sr.total_interest
        )
    total = head + 1 + len(res.series)
    assert ws.cell(total, 1).value == t("total", book.lang)
    assert round(ws.cell(total, col[t("col.amount", book.lang)]).value * 100) == res.total_principal
    # the detail, on B3.2: the issue terms, then how each series pays
    ws = book.sheet("sheet.b3_2")
    terms_head = book.find(ws, label("series", book.lang))
    detail_head = book.find(ws, label("series", book.lang), start=terms_head + 1)
    cols = {ws.cell(terms_head, c).value: c for c in range(1, 12) if ws.cell(terms_head, c).value}
    cols |= {
        ws.cell(detail_head, c).value: c for c in range(1, 12) if ws.cell(detail_head, c).value
    }
    for i, terms in enumerate(res.series):
        sr = res.series_results[terms.id]
        r, d = terms_head + 1 + i, detail_head + 1 + i
        assert ws.cell(r, 1).value == ws.cell(d, 1).value == terms.id
        assert ws.cell(r, cols[t("col.bonds", book.lang)]).value == terms.bonds
        assert ws.cell(d, cols[t("col.investor_yield", book.lang)]).value == pytest.approx(
            sr.investor_yield
        )
        assert ws.cell(d, cols[t("col.wal", book.lang)]).value == pytest.approx(
            sr.weighted_average_life
        )
        assert ws.cell(d, cols[t("col.duration", book.lang)]).value == pytest.approx(
            sr.macaulay_duration
        )


def test_contract_example_figures(contract_fr):
    """The figures scenario-format.md gives for its example file."""
    assert contract_fr.value_of("kf.total_interest").value == 10408.08
    assert contract_fr.value_of("kf.max_debt_service").value == 110408.08
    assert contract_fr.value_of("kf.all_in_cost").value == pytest.approx(0.0311, abs=5e-5)


def test_simple_vs_compound_for_one_bond(contract_fr):
    """One 500 $ bond at 2 % for 5 years: simple 500 x 2 % x 5 = 50 $; compound 500 x (1.02^5 - 1) = 52.04 $."""
    ws = contract_fr.sheet("sheet.b1")
    head = contract_fr.find(ws, t("col.simple_interest", "fr"), col=4)
    expected = [
        (1, 10.00, 10.00),
        (2, 20.00, 20.20),
        (3, 30.00, 30.60),
        (4, 40.00, 41.22),
        (5, 50.00, 52.04),
    ]
    for i, (year, simple, compound) in enumerate(expected):
        r = head + 1 + i
        assert ws.cell(r, 2).value == year
        assert ws.cell(r, 4).value == simple and ws.cell(r, 5).value == 500 + simple
        assert ws.cell(r, 6).value == compound and ws.cell(r, 7).value == 500 + compound


def test_what_one_bond_pays(two_en):
    ws = two_en.sheet("sheet.b1")
    for k, terms in enumerate(two_en.result.series):
        col = 1 + 3 * k
        face = money_text(terms.face_value_cents, "en", "CAD")
        title = t("one_bond.header", "en").format(series=terms.id, face=face)
        r = two_en.find(ws, title, col=col) + 2
        flows = bond_cash_flows(terms)
        for i, (d, amount) in enumerate(zip(flows["date"], flows["amount"], strict=True)):
            assert ws.cell(r + i, col).value.date() == d.date()
            assert round(ws.cell(r + i, col + 1).value * 100) == amount
        assert ws.cell(r + len(flows), col).value == t("flow.net", "en")


def test_terms_in_words(two_fr):
    ws = two_fr.sheet("sheet.b1")
    row = {
        t(k, "fr"): two_fr.find(ws, t(k, "fr"))
        for k in ("col.repayment", "col.day_count", "col.step_rates")
    }
    assert ws.cell(row[t("col.repayment", "fr")], 2).value == t("repayment.bullet", "fr")
    assert ws.cell(row[t("col.repayment", "fr")], 3).value == t("repayment.level-payment", "fr")
    assert ws.cell(row[t("col.day_count", "fr")], 3).value == t("daycount.ACT/365F", "fr")
    assert ws.cell(row[t("col.step_rates", "fr")], 3).value == "à partir de l'année 4 : 5,50\u00a0%"


def test_legal_check_depends_on_the_legal_form(contract_fr, two_fr):
    def answers(book):
        ws = book.sheet("sheet.b1")
        r = book.find(ws, t("legal.cond_npo", book.lang))
        return ws.cell(r, 2).value, [str(ws.cell(x, 1).value) for x in range(r, ws.max_row + 1)]

    npo, text_npo = answers(contract_fr)
    coop, text_coop = answers(two_fr)
    assert npo == t("legal.yes", "fr") and coop == t("legal.no", "fr")
    assert t("legal.applies", "fr")[:60] in " ".join(x for x in text_npo if x)
    assert t("legal.does_not_apply", "fr")[:60] in " ".join(x for x in text_coop if x)


def test_design_sheet_flows_and_costs(book):
    ws = book.sheet("sheet.b3_2")
    res = book.result
    assert (
        round(book.value_of("costs.upfront_total", "sheet.b3_2").value * 100) == res.upfront_costs
    )
    assert book.value_of("kf.all_in_cost", "sheet.b3_2").value == pytest.approx(
        res.issuer_all_in_cost
    )
    head = book.find(ws, t("col.flow", book.lang), col=2)
    flows = res.issuer_flows
    for i, rec in enumerate(flows.itertuples(index=False)):
        r = head + 1 + i
        assert ws.cell(r, 1).value.date() == rec.date.date()
        assert ws.cell(r, 2).value == t(f"flow.{rec.kind}", book.lang)
        assert (ws.cell(r, 3).value or "") == rec.series
        assert round(ws.cell(r, 4).value * 100) == rec.amount
    assert round(ws.cell(head + 1 + len(flows), 4).value * 100) == int(flows["amount"].sum())


def test_renewal_sheet_lists_each_maturity(book):
    ws = book.sheet("sheet.b3_5")
    head = book.find(ws, label("series", book.lang))
    for i, terms in enumerate(book.result.series):
        assert ws.cell(head + 1 + i, 1).value == terms.id
        assert ws.cell(head + 1 + i, 2).value.date() == terms.maturity


def test_glossary_and_conventions(book):
    ws = book.sheet("sheet.b5")
    other = "en" if book.lang == "fr" else "fr"
    for entry in GLOSSARY:
        r = book.find(ws, t(f"gloss.{entry}", book.lang))
        assert ws.cell(r, 2).value == t(f"gloss.{entry}", other)
        assert ws.cell(r, 3).value == t(f"glossdef.{entry}", book.lang)
    sc = book.result.scenario
    assert book.value_of("conv.seed", "sheet.b5").value == sc.seed
    assert book.value_of("conv.version", "sheet.b5").value == __version__
    assert book.value_of("conv.sha", "sheet.b5").value == sc.input_sha256
    assert book.value_of("conv.rounding", "sheet.b5").value == t("conv.rounding_value", book.lang)


# ---------------------------------------------------------------- formats and layout


def test_number_formats_on_the_right_cells(book):
    codes = number_formats(book.lang, "CAD")
    assert book.value_of("kf.total_principal").number_format == codes["money"]
    assert book.value_of("kf.all_in_cost").number_format == codes["rate"]
    assert book.value_of("kf.first_issue").number_format == codes["date"]
    rows, totals = _schedule_rows(book)
    ws = book.sheet("sheet.b3_4")
    for rec in rows[:3] + rows[-3:] + totals:
        for c, key in enumerate(SCHEDULE_COLUMNS, start=1):
            fmt = ws.cell(rec["_row"], c).number_format
            if key in (
                "opening_balance",
                "interest",
                "principal",
                "payment",
                "closing_balance",
            ) and (rec in rows or key in ("interest", "principal", "payment")):
                assert fmt == codes["money"], (rec["_row"], key)
            elif rec in rows and key == "annual_rate":
                assert fmt == codes["rate"] and "%" in fmt
            elif rec in rows and key in ("date", "accrual_start"):
                assert fmt == "yyyy-mm-dd"


def test_currency_codes_by_language():
    fr, en = number_formats("fr"), number_formats("en")
    assert fr["money"].startswith("[$-C0C]") and '"$"' in fr["money"]
    assert en["money"] == "[$$-1009]#,##0.00"
    assert "%" in fr["rate"] and "%" in en["rate"]
    assert number_formats("fr", "EUR")["money"].endswith('"€"')


def test_freeze_panes(book):
    ws = book.sheet("sheet.b3_4")
    head = book.find(ws, label("series", book.lang))
    assert ws.freeze_panes == f"A{head + 1}"
    for key in SHEETS:
        if key == "sheet.summary":  # title, scenario and the banner row stay in view
            assert book.sheet(key).freeze_panes == "A4", key
        elif key != "sheet.b3_4":
            assert book.sheet(key).freeze_panes == "A3", key


def test_print_settings(book):
    """One page wide (else a fixed readable scale, see test_workbook_print.py), a print area;
    a header repeated only where its table owns the rest of the sheet."""
    for key in SHEETS:
        ws = book.sheet(key)
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0, key
        else:
            assert ws.page_setup.scale >= PRINT_FLOOR * 100, key
        assert ws.print_area, key
    # B3.4: the schedule's header is frozen on screen, but not printed above the calendar,
    # the debt service by fiscal year or the capacity tables that follow it
    ws = book.sheet("sheet.b3_4")
    assert ws.print_title_rows is None
    assert ws.page_setup.orientation == "landscape"
    # a long table lower on a sheet, the last on it, gets its header repeated on the pages
    # it runs over (test_workbook_print.py); here the flows are short: on one page
    ws = book.sheet("sheet.b3_2")
    head = book.find(ws, t("col.flow", book.lang), col=2)
    assert ws.print_title_rows in (None, f"${head}:${head}")


def test_columns_are_wide_enough_for_their_figures(book):
    """No "####": every amount fits in its column (characters of the column width)."""
    for key in SHEETS:
        ws = book.sheet(key)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and "$" in cell.number_format:
                    width = ws.column_dimensions[cell.column_letter].width
                    needed = len(money_text(round(cell.value * 100), book.lang, "CAD"))
                    assert width >= needed + 1, (ws.title, cell.coordinate, width, needed)
                elif isinstance(cell.value, dt.datetime):
                    assert ws.column_dimensions[cell.column_letter].width >= 11, (
                        ws.title,
                        cell.coordinate,
                    )


def test_headers_are_bold(book):
    ws = book.sheet("sheet.b3_4")
    head = book.find(ws, label("series", book.lang))
    assert all(ws.cell(head, c).font.b for c in range(1, len(SCHEDULE_COLUMNS) + 1))


def test_charts_are_on_the_summary(contract_fr, two_fr):
    assert len(contract_fr.sheet("sheet.summary")._images) == 2
    assert len(two_fr.sheet("sheet.summary")._images) == 0  # written without charts


# ---------------------------------------------------------------- user text stays text


def test_names_starting_with_equals_stay_text(evil):
    ws = evil.sheet("sheet.summary")
    for key in ("scenario", "issuer"):
        cell = evil.value_of(key)
        assert cell.data_type == "s" and cell.value == EVIL
        assert cell.quotePrefix
    for key in SHEETS:
        cell = evil.sheet(key)["A2"]
        assert cell.data_type == "s" and cell.value == EVIL
    assert evil.value_of("issuer", "sheet.b4").value == EVIL
    # and nothing in the file is a formula
    assert not any(c.data_type == "f" for s in evil.wb for row in s.iter_rows() for c in row)
    assert ws.title == "Sommaire"


def test_a_failed_write_leaves_no_file(tmp_path):
    result = run(parse_scenario(CONTRACT.format(lang="fr", issuer="Cinéma du Parc")))
    path = tmp_path / "broken.xlsx"
    with pytest.raises(FileNotFoundError):
        write_workbook(result, path, charts={"debt-service": tmp_path / "missing.png"})
    assert not path.exists()


def test_a_huge_seed_is_written_exactly_and_user_text_is_never_a_formula(tmp_path):
    """Issue #11, 4 and 9: a seed above 2**53 was a rounded float in the workbook
    (1e+27: rerunning with it gives other numbers); the series id ``-A1`` was
    quote-prefixed in 16 cells but not in the header of B1's table (B5)."""
    import bondkit as bk

    seed = 2**63 - 1
    sc = bk.load_example("grand-costumier-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}, id="-A1"
    )
    res = bk.run(sc, seed=seed)
    path = res.to_excel(tmp_path / "w.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    seeds = [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in (seed, str(seed)) or (isinstance(c.value, float) and c.value > 2**53)
    ]
    assert len(seeds) >= 3 and all(v == str(seed) for _, _, v in seeds), seeds
    risky = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "s" and str(c.value).startswith(("=", "+", "-", "@"))
        and not c.quotePrefix
    ]  # fmt: skip
    assert risky == []
    assert (
        sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "-A1")
        >= 10
    )
