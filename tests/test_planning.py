"""[planning]: the schema and its messages, the totals and the gap, and the B3.1 sheet
read back with openpyxl. Every expected figure is computed by hand in the test."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from scenario_texts import problems

from bondkit.core.terms import SOURCE_KINDS, FundingSource, Milestone, PlannedAmount, PlanningTerms
from bondkit.labels import LABELS, t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import parse_scenario

EVIL = '=HYPERLINK("http://x","y")'
FILLS = {"ok": "FFC6EFCE", "risk": "FFFFC7CE"}

# one series of 1 000 (two bonds of 500) issued 2017-02-01, and 250 of upfront costs
SMALL = """
[scenario]
name = "Test"
language = "{lang}"

[issuer]
name = "Co-op"

[[series]]
id = "A"
amount = 1_000
face_value = 500
annual_rate = 0.02
issue_date = 2017-02-01
term_years = 3
repayment = "bullet"

[costs]
upfront = 250
"""

# uses 1 500.25 + 250 = 1 750.25; sources: the bond issue 1 000 + 300.50 + 100 = 1 400.50;
# gap 349.75, a shortfall. Budget 120 + 80.10 = 200.10 against 250 of upfront costs.
PLAN = """
[planning]

[[planning.uses]]
item = "Seats"
amount = 1_500.25

[[planning.uses]]
item = "{evil}"
amount = 250

[[planning.sources]]
item = "City grant"
amount = 300.50
kind = "grant"

[[planning.sources]]
item = "{evil}"
amount = 100
kind = "own-funds"

[[planning.milestones]]
item = "Works start"
date = 2017-03-01

[[planning.milestones]]
item = "{evil}"
date = 2016-06-15

[[planning.milestones]]
item = "Launch evening"
date = 2016-11-15

[[planning.budget]]
item = "Legal"
amount = 120

[[planning.budget]]
item = "{evil}"
amount = 80.10
"""

CAMPAIGN = """
[campaign]
opens = 2016-11-15
closes = 2017-01-31
minimum = 500
target = 1_000
simulations = 100

[[campaign.segments]]
name = "Members"
people = 100
reached = 0.5
conversion = 0.2
ticket_median = 500
"""


def _toml_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _scenario(lang: str = "en", plan: str = PLAN, campaign: str = "") -> str:
    return SMALL.format(lang=lang) + campaign + plan.format(evil=_toml_text(EVIL))


# ---------------------------------------------------------------- the schema


def test_without_planning_there_are_no_planning_terms():
    assert parse_scenario(SMALL.format(lang="en")).planning_terms() is None


def test_the_planning_terms_hold_cents_in_file_order():
    plan = parse_scenario(_scenario()).planning_terms()
    assert plan == PlanningTerms(
        uses=(PlannedAmount("Seats", 150_025), PlannedAmount(EVIL, 25_000)),
        sources=(
            FundingSource("City grant", 30_050, "grant"),
            FundingSource(EVIL, 10_000, "own-funds"),
        ),
        milestones=(
            Milestone("Works start", dt.date(2017, 3, 1)),
            Milestone(EVIL, dt.date(2016, 6, 15)),
            Milestone("Launch evening", dt.date(2016, 11, 15)),
        ),
        budget=(PlannedAmount("Legal", 12_000), PlannedAmount(EVIL, 8_010)),
    )
    assert all(type(u.amount_cents) is int for u in (*plan.uses, *plan.sources, *plan.budget))


def test_totals_the_gap_and_the_shares_by_hand():
    plan = parse_scenario(_scenario()).planning_terms()
    bond = 100_000  # the series' 1 000, in cents
    assert plan.total_uses_cents == 150_025 + 25_000 == 175_025
    assert plan.other_sources_cents == 30_050 + 10_000
    assert plan.total_sources_cents(bond) == 140_050
    assert plan.gap_cents(bond) == 175_025 - 140_050 == 34_975
    assert plan.total_budget_cents == 20_010
    assert plan.source_shares(bond) == (100_000 / 140_050, 30_050 / 140_050, 10_000 / 140_050)
    # sources above the uses: a negative gap, money to spare
    assert PlanningTerms(uses=(PlannedAmount("x", 50_000),)).gap_cents(bond) == -50_000


def test_an_empty_planning_table_is_accepted():
    plan = parse_scenario(SMALL.format(lang="en") + "[planning]\n").planning_terms()
    assert plan == PlanningTerms()
    assert plan.gap_cents(100_000) == -100_000 and plan.source_shares(100_000) == (1.0,)


def test_every_problem_at_once_located_and_quoted():
    bad = """
[planning]
colour = "red"

[[planning.uses]]
item = ""
amount = 10.555

[[planning.uses]]
item = "Seats"
amount = 0

[[planning.sources]]
item = "Grant"
amount = -3
kind = "gift"

[[planning.sources]]
amount = 3
kind = "grant"

[[planning.milestones]]
item = "Board"
date = "2016-05-01"

[[planning.milestones]]
item = 5
date = 1800-01-01

[[planning.budget]]
item = "{long}"
amount = "100"
"""
    lines = problems(SMALL.format(lang="en") + bad.replace("{long}", "x" * 121))
    assert lines == [
        'planning.uses[1].item: must not be empty (you wrote "")',
        "planning.uses[1].amount: must be in whole cents: at most 2 decimals (you wrote 10.555)",
        "planning.uses[2].amount: must be greater than 0 (you wrote 0)",
        "planning.sources[1].amount: must be greater than 0 (you wrote -3)",
        "planning.sources[1].kind: must be one of own-funds, grant, loan, other-bonds, other"
        ' (you wrote "gift")',
        "planning.sources[2].item: required (missing)",
        "planning.milestones[1].date: must be a date written without quotes: 2016-05-01"
        ' (you wrote "2016-05-01")',
        'planning.milestones[2].item: must be text in quotes, such as "Rénovation des sièges"'
        " (you wrote 5)",
        "planning.milestones[2].date: must be between 1900-01-01 and 2199-12-31"
        " (you wrote 1800-01-01)",
        "planning.budget[1].item: must be at most 120 characters; it has 121 (you wrote "
        + '"'
        + "x" * 58
        + "…)",
        "planning.budget[1].amount: must be a number such as 100000, written without quotes"
        ' (you wrote "100")',
        "planning.colour: unknown key",
    ]


def test_at_most_50_entries_and_totals_within_the_limits():
    uses = '[[planning.uses]]\nitem = "a"\namount = 1\n' * 51
    budget = '[[planning.budget]]\nitem = "b"\namount = 6_000_000_000\n' * 2
    lines = problems(SMALL.format(lang="en") + "[planning]\n" + uses + budget)
    assert lines == [
        "planning.uses: must be at most 50 [[planning.uses]] tables (you wrote 51)",
        "planning.budget: the amounts together must be at most 10000000000, ten billion;"
        " they add up to 12000000000",
    ]
    # 50 entries is fine, and a total of exactly ten billion too
    fifty = '[[planning.milestones]]\nitem = "m"\ndate = 2017-01-01\n' * 50
    big = '[[planning.sources]]\nitem = "s"\namount = 5_000_000_000\nkind = "loan"\n' * 2
    plan = parse_scenario(SMALL.format(lang="en") + "[planning]\n" + fifty + big).planning_terms()
    assert len(plan.milestones) == 50 and plan.other_sources_cents == 10**12


def test_lists_need_double_brackets_and_keys_their_table():
    text = SMALL.format(lang="en") + '[planning]\nuses = 3\n\n[planning.sources]\nitem = "a"\n'
    assert problems(text) == [
        "planning.uses: must be one or more [[planning.uses]] tables, with double brackets"
        " (you wrote 3)",
        "planning.sources: must be one or more [[planning.sources]] tables, with double brackets"
        " (you wrote [planning.sources])",
    ]
    text = SMALL.format(lang="en") + "[planning]\nmilestone = []\n"
    assert problems(text) == ["planning.milestone: unknown key (did you mean milestones?)"]


# ---------------------------------------------------------------- the sheet


class Sheet:
    """The B3.1 sheet of a written workbook, reopened."""

    def __init__(self, path, lang: str):
        self.lang = lang
        self.ws = openpyxl.load_workbook(path)[t("sheet.b3_1", lang)]

    def row_of(self, text: str, col: int = 1) -> int:
        for r in range(1, self.ws.max_row + 1):
            if self.ws.cell(r, col).value == text:
                return r
        raise AssertionError(f"{text!r} not found in column {col}")

    def values(self, row: int, first: int, last: int) -> list:
        return [self.ws.cell(row, c).value for c in range(first, last + 1)]

    def texts(self) -> list[str]:
        return [c.value for row in self.ws.iter_rows() for c in row if isinstance(c.value, str)]


def _sheet(tmp_path, toml: str, lang: str) -> Sheet:
    result = run(parse_scenario(toml))
    path = tmp_path / f"plan-{lang}.xlsx"
    write_workbook(result, path)
    return Sheet(path, lang)


@pytest.fixture(params=["en", "fr"])
def planned(request, tmp_path) -> Sheet:
    return _sheet(tmp_path, _scenario(request.param, campaign=CAMPAIGN), request.param)


def test_sources_and_uses_side_by_side_with_totals_shares_and_gap(planned: Sheet):
    ws, lang = planned.ws, planned.lang
    head = planned.row_of(t("plan.col.use", lang))
    assert planned.values(head, 1, 7) == [
        t("plan.col.use", lang),
        t("col.amount", lang),
        None,
        t("plan.col.source", lang),
        t("plan.col.kind", lang),
        t("col.amount", lang),
        t("plan.col.share", lang),
    ]
    assert planned.values(head + 1, 1, 2) == ["Seats", 1500.25]
    assert planned.values(head + 2, 1, 2) == [EVIL, 250]
    bond, grant, own = 1_000, 300.50, 100
    total = bond + grant + own
    assert planned.values(head + 1, 4, 6) == [
        t("plan.bond_issue", lang),
        t("plan.kind.issue", lang),
        bond,
    ]
    assert planned.values(head + 2, 4, 6) == ["City grant", t("plan.kind.grant", lang), grant]
    assert planned.values(head + 3, 4, 6) == [EVIL, t("plan.kind.own-funds", lang), own]
    shares = [ws.cell(head + i, 7).value for i in (1, 2, 3)]
    assert shares == pytest.approx([bond / total, grant / total, own / total], abs=1e-12)
    assert ws.cell(head + 1, 7).number_format.endswith("%")
    totals = head + 4
    assert planned.values(totals, 1, 2) == [t("plan.total_uses", lang), 1750.25]
    assert planned.values(totals, 4, 7)[0] == t("plan.total_sources", lang)
    assert ws.cell(totals, 6).value == pytest.approx(1400.50, abs=1e-9)
    assert ws.cell(totals, 7).value == pytest.approx(1.0)
    assert "$" in ws.cell(totals, 6).number_format  # money through the money primitive
    gap = planned.row_of(t("plan.gap", lang))
    assert ws.cell(gap, 2).value == pytest.approx(349.75, abs=1e-9)
    status = ws.cell(gap, 3)
    assert status.value == t("status.risk", lang) and status.fill.fgColor.rgb == FILLS["risk"]
    amount = "$349.75" if lang == "en" else "349,75\u00a0$"
    finding = t("plan.gap_short", lang).format(amount=amount)
    assert ws.cell(gap + 1, 1).value == finding[: len(ws.cell(gap + 1, 1).value)]


def test_the_timeline_is_sorted_with_the_scenario_dates_marked(planned: Sheet):
    lang = planned.lang
    head = planned.row_of(t("plan.col.milestone", lang))
    rows = [planned.values(r, 1, 3) for r in range(head + 1, head + 7)]
    mine, added = t("plan.origin.planning", lang), t("plan.origin.scenario", lang)
    assert rows == [
        [EVIL, dt.datetime(2016, 6, 15), mine],
        ["Launch evening", dt.datetime(2016, 11, 15), mine],  # a milestone first on its date
        [t("plan.auto.opens", lang), dt.datetime(2016, 11, 15), added],
        [t("plan.auto.closes", lang), dt.datetime(2017, 1, 31), added],
        [t("plan.auto.issue_one", lang).format(ids="A"), dt.datetime(2017, 2, 1), added],
        ["Works start", dt.datetime(2017, 3, 1), mine],
    ]
    assert planned.ws.cell(head + 7, 1).value is None


def test_the_budget_beside_the_upfront_costs(planned: Sheet):
    ws, lang = planned.ws, planned.lang
    head = planned.row_of(t("plan.col.budget_item", lang))
    assert planned.values(head + 1, 1, 2) == ["Legal", 120]
    assert planned.values(head + 2, 1, 2) == [EVIL, 80.10]
    assert planned.values(head + 3, 1, 2) == [t("plan.total_budget", lang), pytest.approx(200.10)]
    upfront = planned.row_of(t("plan.upfront", lang))
    assert ws.cell(upfront, 2).value == 250
    diff = planned.row_of(t("plan.budget_minus_upfront", lang))
    assert ws.cell(diff, 2).value == pytest.approx(200.10 - 250)
    # the note says they differ (its first line), and that the budget feeds no cost
    budget, costs = ("$200.10", "$250.00") if lang == "en" else ("200,10\u00a0$", "250,00\u00a0$")
    note = t("plan.budget_differs", lang).format(budget=budget, upfront=costs)
    assert ws.cell(diff + 1, 1).value == note[: len(ws.cell(diff + 1, 1).value)]
    assert len(ws.cell(diff + 1, 1).value) > 40
    first_words = t("plan.budget_note", lang)[:30]
    assert any(s.startswith(first_words) for s in planned.texts())


def test_user_text_stays_text_never_a_formula(planned: Sheet):
    cells = [c for row in planned.ws.iter_rows() for c in row if c.value == EVIL]
    assert len(cells) == 4  # a use, a source, a milestone, a budget item
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix
    assert not any(c.data_type == "f" for row in planned.ws.iter_rows() for c in row)


@pytest.mark.parametrize("uses, gap", [(1_000, -2_000), (3_000, 0)])
def test_sources_covering_the_uses_are_ok_and_several_series_share_a_line(tmp_path, uses, gap):
    plan = f'[planning]\n[[planning.uses]]\nitem = "Seats"\namount = {uses}\n'
    toml = SMALL.format(lang="fr").replace("[costs]", SECOND_SERIES + "\n[costs]") + plan
    sheet = _sheet(tmp_path, toml, "fr")
    row = sheet.row_of(t("plan.gap", "fr"))
    # uses against the two series' 1 000 + 2 000: 2 000 to spare, or exactly covered
    assert sheet.ws.cell(row, 2).value == gap
    status = sheet.ws.cell(row, 3)
    assert status.value == t("status.ok", "fr") and status.fill.fgColor.rgb == FILLS["ok"]
    if gap:
        finding = t("plan.gap_surplus", "fr").format(amount="2\u00a0000,00\u00a0$")
    else:
        finding = t("plan.gap_covered", "fr")
    assert sheet.ws.cell(row + 1, 1).value == finding[: len(sheet.ws.cell(row + 1, 1).value)]
    head = sheet.row_of(t("plan.col.milestone", "fr"))
    assert sheet.values(head + 1, 1, 3) == [
        t("plan.auto.issue_many", "fr").format(ids="A, B"),
        dt.datetime(2017, 2, 1),
        t("plan.origin.scenario", "fr"),
    ]
    assert sheet.ws.cell(head + 2, 1).value is None
    assert t("plan.timeline_note_issue", "fr")[:20] in " ".join(sheet.texts())
    assert t("plan.none", "fr") in sheet.texts()  # no budget given


SECOND_SERIES = """
[[series]]
id = "B"
amount = 2_000
face_value = 1_000
annual_rate = 0.03
issue_date = 2017-02-01
term_years = 3
repayment = "bullet"
"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_planning_the_sheet_keeps_its_inputs_and_a_hint(tmp_path, lang):
    sheet = _sheet(tmp_path, SMALL.format(lang=lang), lang)
    texts = sheet.texts()
    assert t("sec.inputs", lang) in texts
    assert t("plan.col.use", lang) not in texts
    joined = " ".join(texts)
    # no placeholder: the steps of the issue, then what [planning] would add
    assert t("sec.coming", lang) not in texts and t("sec.plan_steps", lang) in texts
    assert t("hint.b3_1", lang)[:40] in joined
    assert sheet.ws.cell(sheet.row_of(t("kf.total_principal", lang)), 2).value == 1000


# ---------------------------------------------------------------- labels


def test_planning_labels_in_both_languages():
    keys = [k for k in LABELS if k.startswith(("plan.", "sec.plan_", "msg.plan_"))]
    keys += [f"plan.kind.{kind}" for kind in SOURCE_KINDS] + ["hint.b3_1"]
    for key in keys:
        en, fr = LABELS[key]
        assert en.strip() and fr.strip(), key
    assert (
        t("plan.kind.grant", "fr") == "Subvention"
        and t("plan.kind.own-funds", "fr") == "Fonds propres"
    )
    assert t("sec.plan_stack", "fr").startswith("Le besoin : sources et utilisations des fonds")
    assert t("sec.plan_stack", "en").startswith("The need: sources and uses of funds")
