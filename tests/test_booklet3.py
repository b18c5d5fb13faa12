"""Booklet 3 beyond the numbers (issue #15): the steps of the issue on B3.1, the offer's
clauses on B3.2, the renewal offered and the cash at each maturity on B3.5.

Every expected date and amount below is counted by hand from the scenario's figures (the
arithmetic is written beside it), never read from bondkit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from libreoffice import recalculate, soffice
from scenario_texts import CONTRACT

from bondkit.columns import label
from bondkit.core.offer import EXEMPTIONS
from bondkit.data.steps import (
    STEP_STATUSES,
    legal_steps,
    plan_steps,
    roles,
    route,
    step_status,
    steps_for,
)
from bondkit.labels import t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import load_example, parse_scenario

#: the practical steps every issue has, whatever its legal frame
PRACTICAL = {
    "readiness",
    "projections",
    "offer_terms",
    "communication_plan",
    "investor_kit",
    "register",
    "subscription_forms",
    "launch",
    "closing",
    "certificates",
}

#: a co-op's two series, a capacity to pay and a renewal rate, every figure chosen so the
#: cash at each maturity can be counted by hand (see test_cash_at_maturity_by_hand)
HAND = """
[scenario]
name = "Coop du quartier"
language = "{lang}"
seed = 5

[issuer]
name = "Coop du quartier"
legal_form = "coop"
jurisdiction = "{where}"
fiscal_year_end = "12-31"

[[series]]
id = "A"
amount = 100_000
face_value = 1_000
annual_rate = 0.04
issue_date = 2027-01-15
term_years = 5
repayment = "bullet"
frequency = "annual"
day_count = "30/360"

[[series]]
id = "B"
amount = 50_000
face_value = 500
annual_rate = 0.03
issue_date = 2027-01-01
term_years = 3
repayment = "accumulating"
interest = "simple"
frequency = "annual"
day_count = "30/360"

[capacity]
cash_flow_base = 5_000
opening_cash = 10_000

[risk]
annual_probability = 0
lock_in_years = 2
notice_months = 3
annual_cap = 0.1
renewal_rate = 0.5
paths = 100

[offer]
rank = "secured"
security = "Second mortgage on the building"
transfer = "none"
{exemption}
lock_in_years = 2
notice_months = 3
annual_cap = 0.1

[[offer.renewals]]
series = "A"
annual_rate = 0.045
term_years = 3
"""


def _hand(
    lang: str = "en", where: str = "QC", exemption: str = 'exemption = "offering-memorandum"'
):
    return parse_scenario(HAND.format(lang=lang, where=where, exemption=exemption))


def _write(folder: Path, sc, name: str, lang: str, today: dt.date | None = None) -> Path:
    path = folder / f"{name}.xlsx"
    write_workbook(run(sc), path, lang=lang, today=today)
    return path


def _sheet(path: Path, key: str, lang: str):
    return openpyxl.load_workbook(path, data_only=True)[t(key, lang)]


def _find(ws, text: str, col: int = 1) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value == text:
            return r
    raise AssertionError(f"{text!r} not in column {col} of {ws.title}")


def _table(ws, header: str) -> list[list]:
    """The rows under the header whose first cell is ``header``, to the first empty one."""
    r = _find(ws, header) + 1
    rows = []
    while ws.cell(r, 1).value is not None:
        rows.append([ws.cell(r, c).value for c in range(1, 12)])
        r += 1
    return rows


def _clause(ws, label: str) -> str:
    """The words of a clause: column B from its row on, while column A stays empty."""
    r = _find(ws, label)
    words = [ws.cell(r, 2).value]
    r += 1
    while ws.cell(r, 1).value is None and ws.cell(r, 2).value is not None:
        words.append(ws.cell(r, 2).value)
        r += 1
    return " ".join(words)


def _column_a(ws) -> list[str]:
    return [c.value for c in ws["A"] if isinstance(c.value, str)]


@pytest.fixture(scope="module")
def hand_en(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("hand"), _hand(), "hand-en", "en", dt.date(2026, 10, 1))


@pytest.fixture(scope="module")
def hand_fr(tmp_path_factory) -> Path:
    sc = _hand("fr", "ON", "")
    return _write(tmp_path_factory.mktemp("hand"), sc, "hand-fr", "fr", dt.date(2026, 10, 1))


@pytest.fixture(scope="module")
def cinema_fr(tmp_path_factory) -> Path:
    sc = load_example("cinema-du-parc-2016").with_changes(
        {"campaign.simulations": 200, "risk.paths": 200}
    )
    return _write(tmp_path_factory.mktemp("cine"), sc, "cine", "fr", dt.date(2016, 10, 1))


# ---------------------------------------------------------------- the steps, as data


def _keys(legal_form: str, where: str, exemption: str, legal: bool = True) -> set[str]:
    return {s.key for s in steps_for(legal_form, where, exemption) if s.legal == legal}


def test_a_quebec_non_profit_has_its_by_law_and_no_paid_placement():
    assert _keys("npo", "QC", "qc-npo") == {"board_resolution", "qc_npo_bylaw", "qc_npo_no_pay"}
    steps = {s.key: s for s in legal_steps()}
    # the two facts of the brief, with their sources: Companies Act Part III (two thirds of
    # the members), Securities Act s. 3 par. 3 (no remuneration for the placement)
    assert "two thirds" in steps["qc_npo_bylaw"].title("en")
    assert steps["qc_npo_bylaw"].source("en") == "Companies Act (Québec), Part III"
    assert (
        steps["qc_npo_no_pay"].source("fr")
        == "Loi sur les valeurs mobilières (Québec), art. 3, par. 3"
    )
    assert not steps["qc_npo_bylaw"].confirm and not steps["qc_npo_no_pay"].confirm


def test_a_quebec_co_operative_has_its_members():
    assert _keys("coop", "QC", "qc-coop-members") == {
        "board_resolution",
        "qc_coop_approval",
        "qc_coop_members",
    }
    steps = {s.key: s for s in legal_steps()}
    assert steps["qc_coop_members"].source("en") == "Securities Act (Québec), s. 3 par. 5"
    # the brief gives no source for the members' approval: generic, to confirm
    assert steps["qc_coop_approval"].confirm and not steps["qc_coop_approval"].source("en")


def test_an_ontario_co_operative_files_its_offering_statement_with_fsra():
    assert _keys("coop", "ON", "on-offering-statement") == {
        "board_resolution",
        "on_statement",
        "on_receipt",
    }
    receipt = next(s for s in legal_steps() if s.key == "on_receipt")
    assert "FSRA" in receipt.title("en") and "ARSF" in receipt.title("fr")
    assert "35" in receipt.source("en")


def test_the_offering_memorandum_route_keeps_the_issuer_s_own_steps():
    # a Québec non-profit under an offering memorandum still needs its by-law, but not
    # the non-profit exemption's condition
    assert _keys("npo", "QC", "offering-memorandum") == {
        "board_resolution",
        "qc_npo_bylaw",
        "om_document",
        "om_formalities",
        "om_limits",
    }
    limits = next(s for s in legal_steps() if s.key == "om_limits")
    assert "10,000 $" in limits.title("en") and "100 000 $" in limits.title("fr")


def test_every_issue_has_the_practical_steps():
    for args in (("npo", "QC", "qc-npo"), ("coop", "ON", "on-offering-statement"),
                 ("other", "BC", "other"), ("coop", "QC", "prospectus")):  # fmt: skip
        assert _keys(*args, legal=False) == PRACTICAL, args


def test_no_legal_step_without_a_source_unless_marked_to_confirm():
    for s in legal_steps():
        assert s.role in ("enterprise", "hub", "advisor"), s.key
        assert s.title("en") and s.title("fr") and s.title("en") != s.title("fr"), s.key
        if s.legal and not s.source("en"):
            assert s.confirm, s.key
        assert bool(s.source("en")) == bool(s.source("fr")), s.key
    assert [r.title("fr") for r in roles().values()] == [
        "Entreprise",
        "Pôle régional",
        "Conseiller",
    ]


def test_every_exemption_has_its_legal_frame():
    for key in EXEMPTIONS:
        frame = route(key)
        assert frame.frame("en") and frame.frame("fr") and frame.title("fr")
        # a frame without a source is one a lawyer confirms
        assert frame.source("en") or frame.confirm, key
    with pytest.raises(ValueError, match="unknown exemption"):
        route("crowdfunding")


def test_latest_dates_are_counted_back_from_the_campaign():
    opens, closes = dt.date(2027, 3, 1), dt.date(2027, 4, 30)
    plan = plan_steps("npo", "QC", "qc-npo", opens, closes, today=dt.date(2026, 10, 15))
    latest = {p.step.key: p.latest for p in plan}
    # 180 days before 1 March 2027: 28 (Sept. 3-30) + 31 + 30 + 31 + 31 + 28 + 1 = 180
    assert latest["readiness"] == dt.date(2026, 9, 2)
    # 120 days: 30 (Nov.) + 31 + 31 + 28 = 120
    assert latest["board_resolution"] == dt.date(2026, 11, 1)
    # 90 days: 31 (Dec.) + 31 + 28 = 90
    assert latest["qc_npo_bylaw"] == dt.date(2026, 12, 1)
    assert latest["launch"] == opens and latest["closing"] == closes
    # 30 days after 30 April
    assert latest["certificates"] == dt.date(2027, 5, 30)
    status = {p.step.key: p.status for p in plan}
    # on 15 October 2026: 2 September passed, 1 November 17 days ahead, 1 December 47
    assert (status["readiness"], status["board_resolution"], status["qc_npo_bylaw"]) == (
        "late",
        "soon",
        "upcoming",
    )
    assert [p.latest for p in plan] == sorted(p.latest for p in plan)
    # once every date of the plan is behind, a step is past, not late
    after = plan_steps("npo", "QC", "qc-npo", opens, closes, today=dt.date(2027, 6, 1))
    assert {p.status for p in after} == {"past"}


def test_a_status_turns_at_the_edges_of_its_window():
    d = dt.date(2026, 6, 1)
    last = dt.date(2027, 1, 1)
    assert step_status(d, d, last) == "soon"  # due today
    assert step_status(d, d - dt.timedelta(days=30), last) == "soon"
    assert step_status(d, d - dt.timedelta(days=31), last) == "upcoming"
    assert step_status(d, d + dt.timedelta(days=1), last) == "late"
    assert step_status(d, d + dt.timedelta(days=1), d) == "past"
    assert step_status(d, d - dt.timedelta(days=10), last, soon=7) == "upcoming"
    assert set(STEP_STATUSES) == {"upcoming", "soon", "late", "past"}


# ---------------------------------------------------------------- B3.1 Planning


def test_planning_lists_the_steps_with_dates_and_statuses(cinema_fr):
    """The Cinéma du Parc (a Québec non-profit): campaign from 15 November 2016 to
    31 January 2017, seen on 1 October 2016."""
    ws = _sheet(cinema_fr, "sheet.b3_1", "fr")
    rows = {r[0]: r for r in _table(ws, t("steps.col.step", "fr"))}
    steps = {s.key: s for s in legal_steps()}

    def row(key):
        return rows[steps[key].title("fr")]

    # 90 days before 15 November: 14 (Aug. 18-31) + 30 + 31 + 15 = 90
    bylaw = row("qc_npo_bylaw")
    assert bylaw[1].date() == dt.date(2016, 8, 17)
    assert bylaw[2] == t("steps.status.late", "fr")
    assert bylaw[3] == "Loi sur les compagnies (Québec), partie III"
    assert bylaw[4] == "Entreprise" and bylaw[5] == t("steps.kind.legal", "fr")
    # 30 days before the opening: 16 October, 15 days after 1 October
    no_pay = row("qc_npo_no_pay")
    assert no_pay[1].date() == dt.date(2016, 10, 16)
    assert no_pay[2] == t("steps.status.soon", "fr").format(days=30)
    assert no_pay[4] == "Conseiller"
    # the launch, 45 days ahead; the certificates 30 days after 31 January: 2 March
    assert row("launch")[1].date() == dt.date(2016, 11, 15)
    assert row("launch")[2] == t("steps.status.upcoming", "fr").format(days=30)
    assert row("certificates")[1].date() == dt.date(2017, 3, 2)
    # a step whose content no source gives says so
    assert row("board_resolution")[3] == t("steps.confirm", "fr")
    assert row("communication_plan")[4] == "Pôle régional"
    # no co-operative step for a non-profit
    assert steps["qc_coop_members"].title("fr") not in rows
    texts = " ".join(_column_a(ws))
    assert "2016-10-01" in texts  # the day of the statuses is said
    assert t("sec.coming", "fr") not in texts


def test_planning_without_a_campaign_counts_from_the_first_issue(hand_fr):
    """An Ontario co-op without [campaign]: the first issue date, 1 January 2027, anchors
    every date; its legal frame is the offering statement (no exemption written)."""
    ws = _sheet(hand_fr, "sheet.b3_1", "fr")
    rows = {r[0]: r for r in _table(ws, t("steps.col.step", "fr"))}
    steps = {s.key: s for s in legal_steps()}
    receipt = rows[steps["on_receipt"].title("fr")]
    # 30 days before 1 January 2027
    assert receipt[1].date() == dt.date(2026, 12, 2)
    assert receipt[2] == t("steps.status.upcoming", "fr").format(days=30)  # 62 days ahead
    assert rows[steps["certificates"].title("fr")][1].date() == dt.date(2027, 1, 31)
    assert steps["qc_coop_members"].title("fr") not in rows
    texts = _column_a(ws)
    assert t("sec.coming", "fr") not in texts
    assert any(t("hint.b3_1", "fr").startswith(v) for v in texts if len(v) > 30)
    assert any("2027-01-01" in v for v in texts)


# ---------------------------------------------------------------- B3.2 Design


def test_design_states_the_offer_s_clauses_in_words(hand_en):
    ws = _sheet(hand_en, "sheet.b3_2", "en")
    assert _clause(ws, t("design.rank", "en")) == "Secured: Second mortgage on the building"
    assert _clause(ws, t("design.transfer", "en")) == t("design.transfer.none", "en")
    redemption = _clause(ws, t("design.redemption", "en"))
    # 10 % of the issue of 150,000 $: 15,000 $
    assert redemption.startswith("No early redemption in the first 2 years after the issue")
    assert "paid 3 months after the request" in redemption
    assert "at most 10% of the issue ($15,000.00)" in redemption
    # the terms written are the ones simulated
    assert (
        t("design.redemption_model", "en").format(sheet="B3.5 Renewal-repayment")[:60] in redemption
    )
    assert _clause(ws, t("design.interest_start", "en")) == t("design.interest_start_issue", "en")
    frame = _clause(ws, t("design.frame", "en"))
    assert "offering memorandum under NI 45-106, s. 2.9" in frame
    assert "Source: NI 45-106 s. 2.9" in frame and "usual" not in frame
    tax = _clause(ws, t("design.tax", "en"))
    assert "T5, box 13, from $50.00" in tax and "RL-3, box D" in tax and "2025" in tax


def test_design_reports_each_series_and_its_renewal(hand_en):
    ws = _sheet(hand_en, "sheet.b3_2", "en")
    tax_row = _find(ws, t("design.tax", "en"))
    renewal_row = _find(ws, t("design.renewal", "en"))
    a, b = t("series_n", "en").format(series="A"), t("series_n", "en").format(series="B")
    tax = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(tax_row, renewal_row)}
    assert tax[a] == t("design.tax.paid", "en")
    # series B is accumulating, issued 1 January 2027: its anniversary day is
    # 31 December (CRA: a contract issued January 1 has its anniversary on December 31)
    r = next(r for r in range(tax_row, renewal_row) if ws.cell(r, 1).value == b)
    words = " ".join(ws.cell(k, 2).value for k in range(r, renewal_row) if ws.cell(k, 2).value)
    assert "the first on 2027-12-31" in words and "s. 12(4)" in words
    renewals = {
        ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(renewal_row, renewal_row + 3)
    }
    # series A: 4.5 % for 3 years at its maturity, 15 January 2032
    assert (
        renewals[a]
        == "At maturity on 2032-01-15: new bonds at 4.50% for 3 years to those who renew."
    )
    assert renewals[b] == "None offered: the bonds are repaid at maturity, on 2030-01-01."
    assert _clause(ws, t("design.contact", "en")) == t("design.contact_none", "en")


def test_design_in_french_with_the_usual_frame_and_no_rl3_outside_quebec(hand_fr):
    ws = _sheet(hand_fr, "sheet.b3_2", "fr")
    frame = _clause(ws, t("design.frame", "fr"))
    assert route("on-offering-statement").frame("fr") in frame
    assert t("design.frame_usual", "fr") in frame
    tax = _clause(ws, t("design.tax", "fr"))
    assert "T5, case 13, à partir de 50,00\xa0$" in tax and "RL-3" not in tax
    redemption = _clause(ws, t("design.redemption", "fr"))
    assert "15\xa0000,00\xa0$" in redemption  # 10 % of 150 000 $


def test_design_without_risk_says_the_terms_are_not_simulated(tmp_path):
    text = HAND.format(lang="en", where="QC", exemption="")
    text = text.replace(text[text.index("[risk]") : text.index("[offer]")], "")
    path = _write(tmp_path, parse_scenario(text), "no-risk", "en")
    ws = _sheet(path, "sheet.b3_2", "en")
    redemption = _clause(ws, t("design.redemption", "en"))
    assert t("design.redemption_alone", "en")[:50] in redemption
    # the usual frame of a Québec co-operative: its members
    assert route("qc-coop-members").frame("en")[:60] in _clause(ws, t("design.frame", "en"))


# ---------------------------------------------------------------- B3.5 Renewal


def test_renewal_offers_per_series(hand_en):
    ws = _sheet(hand_en, "sheet.b3_5", "en")
    r = _find(ws, t("sec.renewal_offers", "en")) + 1
    assert ws.cell(r, 4).value == t("renew.col.new_rate", "en")
    a = [ws.cell(r + 1, c).value for c in range(1, 7)]
    b = [ws.cell(r + 2, c).value for c in range(1, 7)]
    assert a[0] == "A" and a[2] == pytest.approx(0.04) and a[3] == pytest.approx(0.045)
    # three more years from 15 January 2032
    assert a[4] == 3 and a[5].date() == dt.date(2035, 1, 15)
    assert b[0] == "B" and b[3] == t("renew.none", "en")


def label_series(lang: str) -> str:
    return label("series", lang)


def test_cash_at_maturity_by_hand(hand_en):
    """Series B (accumulating, 50,000 $ at 3 % simple over 3 years) matures on 1 January
    2030: 54,500 $ due, half the principal renewed (25,000 $): 29,500 $ to find. The cash
    then: 10,000 $ opening + 3 × 5,000 $ of cash flow − A's coupons of 2028 and 2029
    (2 × 4,000 $) = 17,000 $ at the start of 2030, and 5,000 − 4,000 = 1,000 $ of the
    year's cash flow left: 18,000 $, 11,500 $ short.

    Series A (100,000 $ bullet) matures on 15 January 2032: 50,000 $ to find. B3.4's cash
    path paid B in full in 2030: 17,000 + 5,000 − 4,000 − 54,500 = −36,500 $ at the end of
    2030, −35,500 $ at the end of 2031, 1,000 $ left in 2032: −34,500 $, 84,500 $ short."""
    ws = _sheet(hand_en, "sheet.b3_5", "en")
    r = _find(ws, t("sec.renewal_cash", "en"))
    head = next(k for k in range(r, r + 12) if ws.cell(k, 1).value == label_series("en"))
    per_series = {
        ws.cell(k, 1).value: [ws.cell(k, c).value for c in range(1, 7)]
        for k in (head + 1, head + 2)
    }
    # in the order of the series: A, B
    assert per_series["A"][2] == 2032 and per_series["B"][2] == 2030
    assert [round(x * 100) for x in per_series["B"][3:6]] == [5_450_000, 2_500_000, 2_950_000]
    assert [round(x * 100) for x in per_series["A"][3:6]] == [10_000_000, 5_000_000, 5_000_000]
    year_head = head + 4
    assert ws.cell(year_head, 2).value == t("renew.col.need", "en")
    years = {
        ws.cell(k, 1).value: [ws.cell(k, c).value for c in range(1, 6)]
        for k in (year_head + 1, year_head + 2)
    }
    assert [round(x * 100) for x in years[2030][1:4]] == [2_950_000, 1_800_000, 1_150_000]
    assert [round(x * 100) for x in years[2032][1:4]] == [5_000_000, -3_450_000, 8_450_000]
    assert years[2030][4] == years[2032][4] == t("renew.short", "en")
    texts = _column_a(ws)
    assert "Fiscal year 2030: $11,500.00 short of the $29,500.00 needed at maturity." in texts
    assert any(v.startswith("– " + t("renew.option.bridge", "en")[:30]) for v in texts)
    assert t("sec.coming", "en") not in texts


def test_cash_at_maturity_follows_the_renewal_rate_in_libreoffice(hand_en, tmp_path):
    """Typed 80 % instead of 50 %: A needs 100,000 − 80,000 = 20,000 $ against −34,500 $
    (54,500 $ short); B 54,500 − 40,000 = 14,500 $ against 18,000 $: covered. Without
    [capacity] the renewal rate is an input of B3.5 itself, and A's renewals follow it:
    60 % of 100,000 $."""
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    text = HAND.format(lang="en", where="QC", exemption="")
    no_cash = _write(
        tmp_path, parse_scenario(text.replace(text[text.index("[capacity]") : text.index("[risk]")], "")),
        "no-cash", "en",
    )  # fmt: skip
    edited = []
    for path, rate in ((hand_en, 0.8), (no_cash, 0.6)):
        wb = openpyxl.load_workbook(path)
        (sheet, ref), *_ = wb.defined_names[t("name.renewal_rate", "en")].destinations
        if path == no_cash:
            assert sheet == t("sheet.b3_5", "en")
        wb[sheet][ref.replace("$", "")].value = rate
        edited.append(tmp_path / f"edited-{path.stem}.xlsx")
        wb.save(edited[-1])
    out = tmp_path / "lo"
    assert recalculate(exe, edited, out, tmp_path / "profile") == []
    ws = openpyxl.load_workbook(out / edited[0].name, data_only=True)[t("sheet.b3_5", "en")]
    r = _find(ws, t("sec.renewal_cash", "en"))
    head = next(k for k in range(r, r + 12) if ws.cell(k, 1).value == label_series("en"))
    year_head = head + 4
    years = {
        ws.cell(k, 1).value: [ws.cell(k, c).value for c in range(1, 6)]
        for k in (year_head + 1, year_head + 2)
    }
    assert [round(x * 100) for x in years[2030][1:4]] == [1_450_000, 1_800_000, 0]
    assert [round(x * 100) for x in years[2032][1:4]] == [2_000_000, -3_450_000, 5_450_000]
    assert years[2030][4] == t("renew.covered", "en")
    assert years[2032][4] == t("renew.short", "en")
    ws = openpyxl.load_workbook(out / edited[1].name, data_only=True)[t("sheet.b3_5", "en")]
    r = _find(ws, t("sec.renewal_cash", "en"))
    head = next(k for k in range(r, r + 12) if ws.cell(k, 1).value == label_series("en"))
    a = [ws.cell(head + 1, c).value for c in range(1, 7)]
    assert a[0] == "A" and [round(x * 100) for x in a[3:6]] == [10_000_000, 6_000_000, 4_000_000]
    assert ws.cell(head + 3, 1).value is None  # no table by fiscal year without the cash


def test_cash_at_maturity_without_risk_or_capacity(tmp_path):
    """The contract of scenario-format.md (100,000 $ at 2 % compounded over 5 years, no
    [risk], no [capacity]): 100,000 × 1.02^5 = 110,408.08 $ due, no renewal counted on,
    no cash known."""
    sc = parse_scenario(CONTRACT.format(lang="fr", issuer="Cinéma du Parc"))
    path = _write(tmp_path, sc, "contract", "fr")
    ws = _sheet(path, "sheet.b3_5", "fr")
    r = _find(ws, t("sec.renewal_cash", "fr"))
    head = next(k for k in range(r, r + 12) if ws.cell(k, 1).value == label_series("fr"))
    row = [ws.cell(head + 1, c).value for c in range(1, 8)]
    assert row[0] == "A" and row[2] == 2022
    assert [round(x * 100) for x in row[3:6]] == [11_040_808, 0, 11_040_808]
    assert row[6] is None  # no cash column without [capacity]
    texts = _column_a(ws)
    for key in ("renew.no_risk", "renew.no_capacity", "renew.hint_risk"):
        assert any(t(key, "fr").startswith(v) for v in texts if len(v) > 30), key
    assert t("sec.coming", "fr") not in texts
