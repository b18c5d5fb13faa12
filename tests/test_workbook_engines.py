"""Formulas that hold in any spreadsheet engine (issue #12, section 4).

With the largest plans the schema accepts (a 100-year monthly compound accumulating
series, and 30 series of every style), every formula cell bondkit writes (read with
``openpyxl``: formulas, not values) is at most 8,192 characters and 64 levels of
parentheses (Excel's limits), uses only functions that Excel 2010+ and LibreOffice both
have, and never truncates a quotient of decimal amounts (INT, TRUNC, FLOOR...); every
sheet name parses in defined names and print areas without a doubled quote. LibreOffice
recalculates the largest accumulating series and the bond count of 98,765.43 $ in bonds
of 0.01 $ to bondkit's values, to the cent (one ``soffice`` call).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from libreoffice import recalculate, soffice
from test_workbook_model import same_value
from xlsxwriter.utility import quote_sheetname

from bondkit.core.schedule import accrual_pieces
from bondkit.labels import t
from bondkit.report.workbook import write_workbook
from bondkit.runner import run
from bondkit.scenario import starter_scenario, validate_data
from bondkit.scenario.limits import MAX_TERM_YEARS
from bondkit.studies.comparison import write_comparison

#: Excel's limits on one formula
MAX_FORMULA_CHARS = 8_192
MAX_FORMULA_NESTING = 64
#: the functions bondkit's formulas may call: each in Excel 2010 and later (without the
#: _xlfn. prefix of later additions) and in LibreOffice Calc under the same name and with
#: the same arguments (checked against both function references; see docs/conventions.md)
ENGINE_FUNCTIONS = frozenset(
    {
        *("ROUND", "SUM", "SUMIFS", "PRODUCT", "PMT", "MIN", "MAX"),
        # the live capacity block, the costs and the Summary (issue #12 §3)
        *("IF", "AND", "COUNT", "COUNTIF", "COUNTIFS", "AVERAGE", "ISNUMBER", "CHOOSE"),
        *("SUMPRODUCT", "XIRR", "IFERROR"),
    }
)
#: functions that truncate: applied to a quotient of decimal amounts, an engine computing
#: in extended precision lands below a whole number (98,765.43 / 0.01 = 9,876,542.999...)
TRUNCATING = frozenset({"INT", "TRUNC", "FLOOR", "ROUNDDOWN", "MOD", "QUOTIENT", "ODD", "EVEN"})
STYLES = (
    "accumulating-compound",
    "accumulating-simple",
    "level-payment",
    "level-principal",
    "bullet",
)


def _series(k: int, style: str, amount: Decimal, rate: str, **extra) -> dict:
    repayment, interest = style, None
    if style.startswith("accumulating"):
        repayment, interest = style.split("-", 1)
    out = {
        "id": f"S{k}",
        "amount": amount,
        "face_value": Decimal("0.01"),
        "annual_rate": Decimal(rate),
        "issue_date": dt.date(2027, 1, 31),
        "term_years": MAX_TERM_YEARS,
        "frequency": "monthly",
        "day_count": "ACT/365F",
        "business_day": "modified-following",
        "repayment": repayment,
        "step_rates": (),
        **extra,
    }
    if interest:
        out["interest"] = interest
    return out


def _plan(series: list[dict]) -> dict:
    data = starter_scenario().to_data()
    data["series"] = series
    return data


def _largest() -> dict:
    """30 series of every style: the first three (compound, simple, level payment) 100
    years monthly with a step rate every 10 years (rates then written as values), the
    others 10 years monthly (the run's cost grows with series x years x periods)."""
    series = []
    for k in range(1, 31):
        style = STYLES[(k - 1) % len(STYLES)]
        years = MAX_TERM_YEARS if k <= 3 else 10
        steps = [
            {"from_year": y, "annual_rate": Decimal("0.05") + Decimal(y) / 10_000}
            for y in range(11, years + 1, 10)
        ]
        amount = Decimal("1000000") if style == "accumulating-compound" else Decimal("98765.43")
        series.append(_series(k, style, amount, "0.0475", step_rates=steps, term_years=years))
    return _plan(series)


def _longest_compound() -> dict:
    """One 100-year monthly compound series (1,200 periods) at 12 %: 1,000,000.01 $ grown
    about 165,000 times, a debt of about 1.65e11 $, under the bound of 1e13."""
    return _plan([_series(1, "accumulating-compound", Decimal("1000000.01"), "0.12")])


def _penny_bonds() -> dict:
    """98,765.43 $ in bonds of 0.01 $: 9,876,543 bonds."""
    return _plan(
        [_series(1, "bullet", Decimal("98765.43"), "0.04", term_years=5, frequency="annual")]
    )


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    made = {}
    for name, data, lang in (
        ("largest-en", _largest(), "en"),
        ("longest-fr", _longest_compound(), "fr"),
        ("longest-en", _longest_compound(), "en"),
        ("penny-fr", _penny_bonds(), "fr"),
    ):
        result = run(validate_data(data))
        path = folder / f"{name}.xlsx"
        write_workbook(result, path, lang)
        made[name] = (path, result, lang)
    results = [made[n][1] for n in ("longest-fr", "penny-fr")]
    written = write_comparison(results, ["longest", "penny"], folder / "cmp", "fr")
    made["comparison"] = (Path(written["workbook"]), None, "fr")
    return made


def _formula_cells(path: Path):
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _nesting(formula: str) -> int:
    """The deepest parenthesis level of ``formula`` (outside string literals)."""
    deepest = depth = 0
    for part in re.split(r'("[^"]*")', formula):
        if part.startswith('"'):
            continue
        for ch in part:
            depth += (ch == "(") - (ch == ")")
            deepest = max(deepest, depth)
    return deepest


def _functions(formula: str) -> set[str]:
    return set(re.findall(r"([A-Z][A-Z0-9._]*)\(", re.sub(r'"[^"]*"', '""', formula)))


def test_nesting_counts_parentheses():
    assert _nesting("=ROUND(ROUND(G6*PRODUCT(N14:N18)-G6,9),2)") == 3
    assert _nesting('=A1&"((("') == 0


@pytest.mark.parametrize("name", ["largest-en", "longest-fr", "penny-fr", "comparison"])
def test_every_formula_holds_in_any_engine(books, name):
    path, _result, _lang = books[name]
    cells = _formula_cells(path)
    assert cells
    too_long = [(s, r, len(f)) for s, r, f in cells if len(f) > MAX_FORMULA_CHARS]
    too_deep = [(s, r, _nesting(f)) for s, r, f in cells if _nesting(f) > MAX_FORMULA_NESTING]
    assert not too_long, too_long[:5]
    assert not too_deep, too_deep[:5]
    used = set().union(*(_functions(f) for _s, _r, f in cells))
    assert not used & TRUNCATING, used & TRUNCATING
    assert used <= ENGINE_FUNCTIONS, used - ENGINE_FUNCTIONS


def _many(n: int) -> dict:
    """``n`` five-year bullet series issued one a month from January 2027."""
    return _plan(
        [
            _series(k, "bullet", Decimal("1000"), "0.04", term_years=5, frequency="annual",
                    face_value=Decimal("100"), issue_date=dt.date(2027 + k // 12, 1 + k % 12, 15))
            for k in range(n)
        ]
    )  # fmt: skip


def test_no_formula_grows_with_the_number_of_series(tmp_path):
    """The longest formula of a plan of 150 series is no longer than that of 10: totals and
    the principal outstanding are SUMIFS over named columns, not sums of names (a sum of
    700 names would pass Excel's 8,192 characters)."""
    longest = {}
    for n in (10, 150):
        result = run(validate_data(_many(n)))
        path = tmp_path / f"many-{n}.xlsx"
        write_workbook(result, path, "fr")
        longest[n] = max(len(f) for _s, _r, f in _formula_cells(path))
    assert longest[150] <= longest[10] + 6, longest  # a longer cell reference at most


def test_compound_interest_reads_a_column_of_accrued_values(books):
    """The interest of a 1,200-month compound series: the last of 1,200 accrued values
    (each a short formula on the named rate) less the opening balance, rounded once."""
    path, result, lang = books["longest-en"]
    ws = openpyxl.load_workbook(path)[t("sheet.b3_4", lang)]
    interest = [
        c.value
        for row in ws.iter_rows(max_col=8)
        for c in row
        if c.data_type == "f" and c.value.startswith("=ROUND(ROUND(N")
    ]
    assert len(interest) == 1
    m = re.fullmatch(r"=ROUND\(ROUND\(N(\d+)-(G\d+),9\),2\)", interest[0])
    assert m, interest[0]
    last, opening = int(m[1]), m[2]
    first = last - len(accrual_pieces(result.series[0])) + 1
    assert last - first + 1 >= 12 * MAX_TERM_YEARS
    assert ws[f"N{first}"].value == f"={opening}+{opening}*F{first}*E{first}"
    for r in range(first + 1, last + 1):
        assert ws[f"N{r}"].value == f"=N{r - 1}+N{r - 1}*F{r}*E{r}", r
        assert ws[f"F{r}"].value == "=Rate_1"  # the named rate: no step rate here


def test_sheet_names_parse_in_every_engine(books):
    """No ASCII apostrophe in a sheet name (it would be doubled inside a quoted reference),
    and every defined name and print area points at a sheet of the workbook."""
    for name in ("largest-en", "longest-fr", "comparison"):
        path, _result, _lang = books[name]
        wb = openpyxl.load_workbook(path)
        for title in wb.sheetnames:
            assert "'" not in title, title
        assert t("sheet.b1", "fr") == "L1 Tour d’horizon"
        for defined in wb.defined_names.values():
            for sheet, _ref in defined.destinations:
                assert sheet in wb.sheetnames, (defined.name, defined.attr_text)
        for ws in wb.worksheets:
            # quoted when it must be (a space), and openpyxl quotes every name it reads
            sheet_part = ws.print_area.rsplit("!", 1)[0]
            assert sheet_part in (quote_sheetname(ws.title), f"'{ws.title}'"), ws.print_area


def test_penny_bond_count_is_rounded_not_truncated(books):
    path, result, lang = books["penny-fr"]
    ws = openpyxl.load_workbook(path)[t("sheet.b3_2", lang)]
    counts = [c for row in ws.iter_rows() for c in row if c.data_type == "f" and "/" in c.value]
    bonds = [c for c in counts if re.fullmatch(r"=ROUND\(C\d+/D\d+,0\)", c.value)]
    assert len(bonds) == 1, [c.value for c in counts]
    assert result.series[0].bonds == 9_876_543
    cached = openpyxl.load_workbook(path, data_only=True)[t("sheet.b3_2", lang)]
    assert cached[bonds[0].coordinate].value == 9_876_543
    # why not INT: the doubles nearest 98,765.43 and 0.01 divide, exactly (as an engine in
    # extended precision nearly does), to just below 9,876,543: INT would give 9,876,542
    exact = Fraction(98765.43) / Fraction(0.01)
    assert 9_876_542 < exact < 9_876_543 and round(exact) == 9_876_543


# ---------------------------------------------------------------- with LibreOffice


@pytest.fixture(scope="module")
def recalculated(books, tmp_path_factory):
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: recalculation NOT verified")
    out = tmp_path_factory.mktemp("engines-lo")
    files = [books[n][0] for n in ("longest-fr", "penny-fr")]
    missing = recalculate(exe, files, out / "lo", out / "profile")
    assert not missing, missing
    return out / "lo"


@pytest.mark.parametrize("name", ["longest-fr", "penny-fr"])
def test_libreoffice_recalculates_the_largest_inputs_to_bondkit(books, recalculated, name):
    path, _result, _lang = books[name]
    ours = openpyxl.load_workbook(path, data_only=True)
    theirs = openpyxl.load_workbook(recalculated / path.name, data_only=True)
    wrong = [
        (sheet, ref, formula, ours[sheet][ref].value, theirs[sheet][ref].value)
        for sheet, ref, formula in _formula_cells(path)
        if not same_value(ours[sheet][ref].value, theirs[sheet][ref].value)
    ]
    assert not wrong, f"{len(wrong)} cells differ, the first: {wrong[:5]}"


def test_libreoffice_counts_the_penny_bonds(books, recalculated):
    path, _result, lang = books["penny-fr"]
    theirs = openpyxl.load_workbook(recalculated / path.name, data_only=True)
    ws = theirs[t("sheet.b3_2", lang)]
    formulas = openpyxl.load_workbook(path)[t("sheet.b3_2", lang)]
    (ref,) = [
        c.coordinate
        for row in formulas.iter_rows()
        for c in row
        if c.data_type == "f" and c.value.startswith("=ROUND(C") and c.value.endswith(",0)")
    ]
    assert ws[ref].value == 9_876_543
