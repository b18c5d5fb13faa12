"""The sculpted series in the workbook (issue #12 §1): B3.4's schedule aims each line at
its sculpted payment, ``ROUND(ROUND(weight / k, 9), 2)``, where the weights, the present
values (backward, with a MAX for the periods that pay interest only) and the constant
coverage k = the first present value ÷ the named amount are the sculpting rows below the
schedule.

Checked here: the formulas say so and cache bondkit's values; on the largest sculpted plan
the schema accepts (100 years monthly, ACT/ACT, step rates, ten billion), every formula
holds in any engine (length, nesting, functions: the limits of
tests/test_workbook_engines.py); headless LibreOffice recalculates that plan, a comparison
of two sculpted options, and the same plans with the amount and rate changed in the named
cells, to bondkit's cents (one ``soffice`` call).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from libreoffice import recalculate, soffice
from test_workbook_engines import (
    ENGINE_FUNCTIONS,
    MAX_FORMULA_CHARS,
    MAX_FORMULA_NESTING,
    TRUNCATING,
    _functions,
    _nesting,
)
from test_workbook_model import _assert_formulas_equal, _assert_schedule

from bondkit.core.schedule import sculpting
from bondkit.labels import t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import load_example, starter_scenario, validate_data
from bondkit.studies.comparison import write_comparison


def _largest() -> dict:
    """Ten billion over 100 years, monthly, ACT/ACT, modified-following, a step rate every
    ten years, against a cash flow of 1.2 billion a year growing 1 %: 1,200 sculpted
    periods, some paying interest only (31-day months early on)."""
    data = starter_scenario().to_data()
    data["series"] = [
        {
            "id": "S", "amount": Decimal("10000000000"), "face_value": Decimal("0.01"),
            "annual_rate": Decimal("0.0475"), "issue_date": dt.date(2027, 1, 31),
            "term_years": 100, "frequency": "monthly", "day_count": "ACT/ACT",
            "business_day": "modified-following", "repayment": "sculpted",
            "step_rates": [
                {"from_year": y, "annual_rate": Decimal("0.05") + Decimal(y) / 10_000}
                for y in range(11, 101, 10)
            ],
        }
    ]  # fmt: skip
    data["capacity"] = {
        "cash_flow_base": Decimal("1200000000"),
        "cash_flow_growth": Decimal("0.01"),
        "first_fiscal_year": 2027,
    }
    return data


def _changed(data: dict) -> dict:
    """Every series' amount up three bonds (down 1,234 when that would pass ten billion),
    its rate up 0.3 point, each fiscal year's cash flow up 4 %."""
    out = dict(data)
    cap = dict(data["capacity"])
    if cap.get("cash_flow"):
        cap["cash_flow"] = [Decimal(x) * Decimal("1.04") for x in cap["cash_flow"]]
    else:
        cap["cash_flow_base"] = Decimal(cap["cash_flow_base"]) * Decimal("1.04")
    out["capacity"] = cap
    out["series"] = [
        dict(
            s,
            amount=s["amount"] + s["face_value"] * (3 if s["amount"] < 10**9 else -1_234),
            annual_rate=s["annual_rate"] + Decimal("0.003"),
        )
        for s in data["series"]
    ]
    return out


def _set_inputs(path, target, result) -> None:
    """Type the amounts and rates of ``result`` into the named cells of a workbook, and its
    cash flows and other debt service by fiscal year (the capacity block's inputs)."""
    wb = openpyxl.load_workbook(path)
    lang = "fr" if t("sheet.summary", "fr") in wb.sheetnames else "en"

    def put(name: str, value: float) -> None:
        (sheet, ref), *_ = wb.defined_names[name].destinations
        wb[sheet][ref.replace("$", "")].value = value

    for k, s in enumerate(result.scenario.to_data()["series"], start=1):
        put(f"{t('name.amount', lang)}_{k}", float(s["amount"]))
        put(f"{t('name.rate', lang)}_{k}", float(s["annual_rate"]))
    for rec in result.capacity.table.itertuples():
        put(f"{t('name.cash_flow', lang)}_{rec.fiscal_year}", rec.cash_flow / 100)
        put(f"{t('name.other_ds', lang)}_{rec.fiscal_year}", rec.other_debt_service / 100)
    wb.save(target)


def _grand_costumier() -> dict:
    return load_example("grand-costumier-2016").with_changes(repayment="sculpted", interest=None)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sculpted")
    made = {}
    plans = {
        "largest-fr": (_largest(), "fr"),
        "costumier-en": (_grand_costumier().to_data(), "en"),
    }
    for name, (data, lang) in plans.items():
        result = run(validate_data(data))
        path = folder / f"{name}.xlsx"
        write_workbook(result, path, lang)
        changed = run(validate_data(_changed(data)))
        edited = folder / f"{name}-changed.xlsx"
        _set_inputs(path, edited, changed)
        made[name] = (path, result, lang, edited, changed)
    cheaper = _grand_costumier().with_changes(annual_rate=0.01)
    results = [run(_grand_costumier()), run(cheaper)]
    written = write_comparison(results, ["two", "one"], folder / "cmp", "en")
    made["comparison"] = (written["workbook"],)
    made["folder"] = folder
    return made


def _column(ws, col: int, first: int, last: int) -> list:
    return [ws.cell(r, col).value for r in range(first, last + 1)]


def test_the_schedule_aims_each_line_at_weight_over_k(books):
    path, result, lang, *_ = books["costumier-en"]
    ws = openpyxl.load_workbook(path)[t("sheet.b3_4", lang)]
    cached = openpyxl.load_workbook(path, data_only=True)[t("sheet.b3_4", lang)]
    terms = result.series[0]
    sc = sculpting(terms)
    # the schedule's five lines: the helper column M holds weight / k, the principal the
    # level payment's rule
    lines = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "A"][:5]
    helper = [ws.cell(r, 13).value for r in lines]
    matches = [re.fullmatch(r"=ROUND\(ROUND\(H(\d+)/\$I\$(\d+),9\),2\)", f) for f in helper]
    assert all(matches), helper
    weights = [int(m[1]) for m in matches]
    k_row = int(matches[0][2])
    assert {int(m[2]) for m in matches} == {k_row}
    assert [cached.cell(r, 13).value for r in lines] == [p / 100 for p in sc.payments]
    assert [ws.cell(r, 9).value for r in lines[:-1]] == [
        f"=MIN(MAX(M{r}-H{r},0),G{r})" for r in lines[:-1]
    ]
    # the sculpting rows: weight = the fiscal year's cash flow (one payment a year here),
    # present values backward, k = the first one / the named amount
    first, last = weights[0], weights[-1]
    assert weights == list(range(first, last + 1)) and k_row == last + 1
    assert _column(ws, 8, first, last) == [f"=G{r}" for r in range(first, last + 1)]
    # the capacity block's inputs of each fiscal year
    assert _column(ws, 7, first, last) == [
        f"=CashFlow_{y}-OtherDebt_{y}" for y in range(2018, 2023)
    ]
    assert _column(cached, 7, first, last) == [5000, 5500, 6000, 6000, 6500]
    assert ws.cell(last, 9).value == f"=H{last}/(1+F{last}*E{last})"
    assert (
        ws.cell(first, 9).value
        == f"=MAX((H{first}+I{first + 1})/(1+F{first}*E{first}),I{first + 1})"
    )
    assert ws.cell(k_row, 9).value == f"=I{first}/Amount_1"
    assert cached.cell(k_row, 9).value == pytest.approx(float(sc.coverage), rel=1e-12)
    assert ws.cell(k_row, 2).value == t("sculpt.coverage", lang)


def test_the_largest_sculpted_plan_holds_in_any_engine(books):
    """The schedule and sculpting formulas of B3.4 (from the first schedule line to k)."""
    path, result, lang, *_ = books["largest-fr"]
    assert len(result.schedule) == 1_200
    assert sculpting(result.series[0]).interest_only  # the MAX has work to do
    ws = openpyxl.load_workbook(path)[t("sheet.b3_4", lang)]
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "S"]
    k_row = next(r for r in rows if ws.cell(r, 2).value == t("sculpt.coverage", lang))
    cells = [
        c.value
        for row in ws.iter_rows(min_row=rows[0], max_row=k_row)
        for c in row
        if c.data_type == "f"
    ]
    assert len(cells) > 10 * 1_200
    assert max(len(f) for f in cells) <= MAX_FORMULA_CHARS
    assert max(_nesting(f) for f in cells) <= MAX_FORMULA_NESTING
    used = set().union(*(_functions(f) for f in cells))
    assert used == {"ROUND", "MIN", "MAX", "SUM"}
    assert used <= ENGINE_FUNCTIONS and not used & TRUNCATING
    # no formula grows with the term: one present value per period, a short formula each
    pv = [f for f in cells if f.startswith("=MAX((H")]
    assert len(pv) == 1_199 and max(map(len, pv)) < 60


# ---------------------------------------------------------------- with LibreOffice


@pytest.fixture(scope="module")
def recalculated(books):
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: recalculation NOT verified")
    folder = books["folder"]
    out = folder / "lo"
    files = sorted(folder.glob("*.xlsx")) + [books["comparison"][0]]
    missing = recalculate(exe, files, out, folder / "profile")
    assert not missing, missing
    return out


def test_libreoffice_recalculates_every_formula_of_a_sculpted_workbook(books, recalculated):
    path, *_ = books["costumier-en"]
    _assert_formulas_equal(path, recalculated / path.name)


def test_libreoffice_recalculates_the_largest_sculpted_schedule_to_the_cent(books, recalculated):
    """The 1,200 lines, the sculpting rows and k of the ten-billion plan (B3.4, from the
    first schedule line to k): every formula cell equals bondkit's value to the cent."""
    path, result, lang, *_ = books["largest-fr"]
    sheet = t("sheet.b3_4", lang)
    ws = openpyxl.load_workbook(path)[sheet]
    ours = openpyxl.load_workbook(path, data_only=True)[sheet]
    theirs = openpyxl.load_workbook(recalculated / path.name, data_only=True)[sheet]
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "S"]
    k_row = next(r for r in rows if ws.cell(r, 2).value == t("sculpt.coverage", lang))
    wrong, checked = [], 0
    for row in ws.iter_rows(min_row=rows[0], max_row=k_row):
        for c in row:
            if c.data_type != "f":
                continue
            a, b = ours[c.coordinate].value, theirs[c.coordinate].value
            checked += 1
            if not isinstance(b, int | float) or abs(a - b) >= 0.005:
                wrong.append((c.coordinate, c.value, a, b))
    assert checked > 10 * 1_200
    assert not wrong, f"{len(wrong)} cells differ, the first: {wrong[:5]}"
    assert theirs.cell(k_row, 9).value == pytest.approx(
        float(sculpting(result.series[0]).coverage), rel=1e-12
    )


@pytest.mark.parametrize("name", ["largest-fr", "costumier-en"])
def test_a_new_amount_and_rate_in_the_named_cells_give_bondkit_s_sculpted_schedule(
    books, recalculated, name
):
    _path, _result, lang, edited, changed = books[name]
    theirs = openpyxl.load_workbook(recalculated / edited.name, data_only=True)
    _assert_schedule(theirs[t("sheet.b3_4", lang)], lang, changed)


def test_libreoffice_recalculates_a_comparison_of_sculpted_options(books, recalculated):
    (path,) = books["comparison"]
    _assert_formulas_equal(path, recalculated / path.name)
