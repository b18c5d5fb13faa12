"""The second implementation of the schedule: B3.4's schedule as live spreadsheet formulas.

Each line of :func:`write_schedule` is a formula on the named amount and rate cells of B3.2
(``Amount_1``, ``Rate_1``...) with the value bondkit's Python core computed cached beside
it, so that the workbook is a model a reader can change, and a check of bondkit: a
spreadsheet engine that recalculates must find the same cents (tests/test_workbook_model).
Every rounding to the cent is :func:`round_cents`. :func:`write_native_charts` draws the
two Excel charts over the fiscal-year table of B3.4, so they follow its formulas too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_rowcol_to_cell

from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.core.conventions import fiscal_year, periods_per_year, to_cents
from bondkit.core.schedule import accrual_pieces, level_amounts, periods, sculpting
from bondkit.labels import t
from bondkit.report.workbook.kit import BLUE, Sheet, column_map

if TYPE_CHECKING:
    from bondkit.core.terms import SeriesTerms

__all__ = [
    "SCHEDULE_SHEET_COLUMNS",
    "cell",
    "round_cents",
    "write_schedule",
    "write_accrual",
    "write_sculpting",
    "write_native_charts",
]

#: the columns of the schedule on B3.4, by key: the schedule's own, then the fiscal year
#: of each line and the formulas' two helper columns: the level payment or instalment of
#: each line, and the accrued value at each period of an accumulating series (in the
#: accrual rows below the schedule, see :func:`write_accrual`)
SCHEDULE_SHEET_COLUMNS: tuple[str, ...] = (
    *SCHEDULE_COLUMNS,
    "fiscal_year",
    "col.level",
    "col.accrued",
)


def cell(row: int, col: int, absolute: bool = False) -> str:
    """An A1 reference (``$A$1`` when ``absolute``).

    >>> cell(0, 0), cell(5, 2, absolute=True)
    ('A1', '$C$6')
    """
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def _stepped(terms: SeriesTerms, d: dt.date) -> bool:
    """Whether a step rate is in force on ``d`` (the rate is then not the named base rate)."""
    return any(d >= terms.year_start(s.from_year) for s in terms.step_rates)


def write_schedule(sheet: Sheet, row: int) -> int:
    """The schedule of every series as formulas on the named cells of B3.2; the next row.

    Per line: the rate is the series' named rate (a value where a step rate is in force);
    the opening balance is the named amount, then the previous closing balance; interest
    is ``ROUND(opening x rate x year fraction, 2)``; the level payment
    ``ROUND(PMT(rate / payments a year, periods left, -opening), 2)`` where amortisation
    starts or a step rate starts, else the line above's (a level instalment:
    ``ROUND(opening / periods left, 2)``); principal is the level payment minus interest,
    clipped to [0, opening], or the instalment clipped to the opening; the last line repays
    the opening balance. A sculpted series' line aims at its sculpted payment (the helper
    column: its weight ÷ the constant coverage k, both in the rows :func:`write_accrual`
    writes below the schedule, which also writes that cell) and its principal follows the
    level payment's rule. An accumulating series' one line pays its interest from the
    accrued value, period by period (compound) or bond year by bond year (simple), that
    :func:`write_accrual` writes below the schedule (its interest cell is written there,
    once those rows are known). Each series ends with a total
    line, and several series with a line of all of them. Dates, year fractions and fiscal
    years are values: they follow the day count and business days. Every rounding to the
    cent is written ``ROUND(ROUND(x, 9), 2)`` (see :func:`round_cents`).

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> write_schedule(sheet, 5)  # series A's 5 lines, then its total line
    11
    >>> book.schedule_rows[("A", 1)], book.schedule_rows[("A", 5)]
    (5, 9)
    """
    book, lang = sheet.book, sheet.lang
    res = book.result
    sched = res.schedule
    col = column_map(SCHEDULE_SHEET_COLUMNS)
    ncols = len(SCHEDULE_COLUMNS)
    fy_col, level_col = col["fiscal_year"], col["col.level"]
    fye = res.scenario.issuer.fiscal_year_end
    summed = ("interest", "principal", "payment")
    total_rows = []
    top = row  # the schedule's first line
    for terms in res.series:
        own = sched[sched["series"] == terms.id]
        amount_name, rate_name = book.names[terms.id]
        levels = level_amounts(terms, own)
        accumulating = terms.repayment == "accumulating"
        sculpted = terms.repayment == "sculpted"
        if sculpted:  # its helper column waits for the sculpting rows (write_accrual)
            book.accrual_lines.append((row, terms, 0))
        n, ppy = len(own), periods_per_year(terms.frequency)
        p = periods(terms)
        first = row
        for k, rec in enumerate(own.itertuples(index=False)):
            book.schedule_rows[(terms.id, int(rec.period))] = row

            def c(key: str, r: int = row) -> str:
                return cell(r, col[key])

            sheet.text(row, col["series"], terms.id)
            sheet.number(row, col["period"], int(rec.period))
            sheet.date(row, col["accrual_start"], rec.accrual_start)
            sheet.date(row, col["date"], rec.date)
            sheet.number(row, col["year_fraction"], float(rec.year_fraction), "fraction")
            if _stepped(terms, rec.accrual_start.date()):
                sheet.rate(row, col["annual_rate"], float(rec.annual_rate))
            else:
                sheet.formula(
                    row, col["annual_rate"], f"={rate_name}", float(rec.annual_rate), "rate"
                )
            opening = f"={amount_name}" if k == 0 else f"={c('closing_balance', row - 1)}"
            sheet.formula(row, col["opening_balance"], opening, rec.opening_balance)
            if accumulating:
                book.accrual_lines.append((row, terms, int(rec.interest)))
            else:
                interest = "=" + round_cents(
                    "*".join(c(k) for k in ("opening_balance", "annual_rate", "year_fraction"))
                )
                sheet.formula(row, col["interest"], interest, rec.interest)
            level = cell(row, level_col)
            if levels[k] is not None and not sculpted:
                if k == p.first_amortising or (
                    terms.repayment == "level-payment" and p.step_starts[k]
                ):
                    if terms.repayment == "level-payment":
                        pmt = f"PMT({c('annual_rate')}/{ppy},{n - k},-{c('opening_balance')})"
                        f = "=" + round_cents(pmt)
                    else:
                        f = "=" + round_cents(f"{c('opening_balance')}/{n - k}")
                else:
                    f = f"={cell(row - 1, level_col)}"
                sheet.formula(row, level_col, f, levels[k])
            if k == n - 1:
                principal = f"={c('opening_balance')}"
            elif levels[k] is None:
                principal = None
            elif terms.repayment in ("level-payment", "sculpted"):
                principal = f"=MIN(MAX({level}-{c('interest')},0),{c('opening_balance')})"
            else:
                principal = f"=MIN({level},{c('opening_balance')})"
            if principal is None:
                sheet.money(row, col["principal"], int(rec.principal))
            else:
                sheet.formula(row, col["principal"], principal, rec.principal)
            sheet.formula(row, col["payment"], f"={c('interest')}+{c('principal')}", rec.payment)
            sheet.formula(
                row,
                col["closing_balance"],
                f"={c('opening_balance')}-{c('principal')}",
                rec.closing_balance,
            )
            sheet.number(row, fy_col, fiscal_year(rec.date.date(), fye), "plain")
            row += 1
        sheet.total_row(row, 0, ncols - 1, str(terms.id))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        for key in summed:
            sheet.formula(
                row,
                col[key],
                f"=SUM({cell(first, col[key])}:{cell(row - 1, col[key])})",
                int(own[key].sum()),
                total=True,
            )
        total_rows.append(row)
        row += 1
    if len(res.series) > 1:
        sheet.total_row(row, 0, ncols - 1, t("all_series", lang))
        sheet.text(row, col["period"], t("total", lang), kind="total_text")
        # the schedule's lines (a period number) and not the series' totals (the word
        # Total): one formula of fixed length whatever the number of series
        bottom = row - 1
        numbered = f"{cell(top, col['period'])}:{cell(bottom, col['period'])}"
        for key in summed:
            values = f"{cell(top, col[key])}:{cell(bottom, col[key])}"
            total = f'=SUMIFS({values},{numbered},">0")'
            sheet.formula(row, col[key], total, int(sched[key].sum()), total=True)
        row += 1
    return row


def write_accrual(sheet: Sheet, row: int) -> int:
    """The accrual rows of the accumulating series, below the schedule (from ``row``, the
    row after it), and the interest cell of each one's schedule line; then the sculpting
    rows of the sculpted series (:func:`write_sculpting`); the next row (``row`` itself when
    no series accumulates nor is sculpted).

    No formula holds one factor per period (100 years monthly would be 1,200 factors, far
    over the 8,192 characters a formula may have): each period (compound) or bond year
    (simple) has its own row in the schedule's columns (series, period, accrual start,
    year fraction, annual rate: the named rate, or a value where a step rate is in force)
    and its accrued value, unrounded, in the helper column ``col.accrued``: the row
    above's (the opening balance for the first) plus, compound, the row above's x rate x
    year fraction, or, simple, the opening x rate x year fraction. The schedule line's
    interest is then ``ROUND(ROUND(last accrued value - opening, 9), 2)``: bondkit's exact
    product or sum, rounded once, at maturity. (Not a PRODUCT of factors 1 + rate x year
    fraction: adding 1 to a small increment drops its low bits, the same ones for every
    month of the same length, and over 1,200 months that drift reached 0.84 cent on
    1.5e11 $; accrued values drift less than 0.03 cent there.)

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> acc = starter_scenario().with_changes(repayment="accumulating", interest="compound")
    >>> book = Book(run(acc), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> write_schedule(sheet, 5)  # the one line at maturity, then the total line
    7
    >>> write_accrual(sheet, 7)  # a blank row, the heading, 3 lines of note, the header, 5 years
    18
    >>> sheet.ws.table[5][7].formula  # the interest of the one line, on the 5 accruals
    'ROUND(ROUND(N18-G6,9),2)'
    >>> sheet.ws.table[13][13].formula, sheet.ws.table[14][13].formula
    ('G6+G6*F14*E14', 'N14+N14*F15*E15')
    """
    book, lang = sheet.book, sheet.lang
    lines, book.accrual_lines = book.accrual_lines, []
    sculpted = [line for line in lines if line[1].repayment == "sculpted"]
    lines = [line for line in lines if line[1].repayment != "sculpted"]
    if not lines:
        return write_sculpting(sheet, row, sculpted)
    col = column_map(SCHEDULE_SHEET_COLUMNS)
    row = sheet.section(row + 1, "sec.accrual")
    row = sheet.note(row, t("model.note_accrual", lang), chars=sheet.wide())
    keys = ("series", "period", "accrual_start", "year_fraction", "annual_rate")
    for c, key in enumerate(SCHEDULE_SHEET_COLUMNS):
        if key in keys:
            sheet.header(row, c, [label(key, lang)])
        elif key == "col.accrued":
            sheet.header(row, c, [t(key, lang)])
        else:
            sheet.ws.write_blank(row, c, None, book.fmt("header"))
    row += 1
    accrued_col = col["col.accrued"]
    for line, terms, interest in lines:
        rate_name = book.names[terms.id][1]
        compound = terms.interest == "compound"
        opening = cell(line, col["opening_balance"])
        cents = int(
            book.result.schedule["opening_balance"][
                book.result.schedule["series"] == terms.id
            ].iloc[0]
        )
        value, previous = Fraction(cents, 100), opening
        for k, (start, r, yf) in enumerate(accrual_pieces(terms), start=1):
            sheet.text(row, col["series"], terms.id)
            sheet.number(row, col["period"], k)
            sheet.date(row, col["accrual_start"], start)
            sheet.number(row, col["year_fraction"], float(yf), "fraction")
            if _stepped(terms, start):
                sheet.rate(row, col["annual_rate"], float(r))
            else:
                sheet.formula(row, col["annual_rate"], f"={rate_name}", float(r), "rate")
            base = previous if compound else opening
            growth = f"{cell(row, col['annual_rate'])}*{cell(row, col['year_fraction'])}"
            value += (value if compound else Fraction(cents, 100)) * r * yf
            # cached unrounded, as the formula computes it (shown to the cent)
            sheet.ws.write_formula(
                row, accrued_col, f"={previous}+{base}*{growth}", book.fmt("money"), float(value)
            )
            sheet.fit(row, accrued_col, len(f"{float(value):,.2f}") + 5)
            previous = cell(row, accrued_col)
            row += 1
        expr = f"{previous}-{opening}"
        sheet.formula(line, col["interest"], "=" + round_cents(expr), interest)
    return write_sculpting(sheet, row, sculpted)


def write_sculpting(sheet: Sheet, row: int, lines: list[tuple[int, SeriesTerms, int]]) -> int:
    """The sculpting rows of the sculpted series (``lines``: the first schedule row of each,
    its terms), from ``row`` (the row after the schedule or the accrual rows), and the
    helper cell of each of their schedule lines; the next row (``row`` when there are none).

    One row per period, in the schedule's columns: series, period, payment date, year
    fraction and rate (the schedule line's), the fiscal year, and three of its own: the
    cash flow available in the fiscal year (the capacity block's named cash flow less its
    other debt service of that year, ``=CashFlow_2027-OtherDebt_2027``), the
    weight (that cash flow ÷ the payments the fiscal year holds) and, unrounded, the present
    value of the weights from the period on, computed backward: ``MAX((weight + the row
    below's) / (1 + rate x year fraction), the row below's)`` (the last row: weight / (1 +
    rate x year fraction)); the MAX keeps a period whose payment would not cover its
    interest at interest only, as bondkit does. Below them the constant coverage k = the
    first row's present value ÷ the named amount, and each schedule line's helper cell is
    its sculpted payment ``ROUND(ROUND(weight / k, 9), 2)``: so the amount and rate named
    on B3.2 drive it too.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(repayment="sculpted",
    ...                                                        interest=None)
    >>> book = Book(run(sc), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> write_schedule(sheet, 5)  # 5 lines, then the total line
    11
    >>> write_accrual(sheet, 11)  # a blank row, the heading, 6 lines of note, the header,
    25
    >>> # 5 periods (rows 20 to 24) and k (row 25); column I holds the present values
    >>> sheet.ws.table[19][8].formula, sheet.ws.table[23][8].formula
    ('MAX((H20+I21)/(1+F20*E20),I21)', 'H24/(1+F24*E24)')
    >>> sheet.ws.table[24][8].formula, sheet.ws.table[5][12].formula  # k; line 1's payment
    ('I20/Amount_1', 'ROUND(ROUND(H20/$I$25,9),2)')
    """
    if not lines:
        return row
    book, lang = sheet.book, sheet.lang
    col = column_map(SCHEDULE_SHEET_COLUMNS)
    row = sheet.section(row + 1, "sec.sculpting")
    row = sheet.note(row, t("model.note_sculpting", lang), chars=sheet.wide())
    heads = {
        **{k: label(k, lang) for k in ("series", "period", "date", "year_fraction")},
        "annual_rate": label("annual_rate", lang),
        "fiscal_year": label("fiscal_year", lang),
        "opening_balance": t("col.sculpt_cash_flow", lang),
        "interest": t("col.sculpt_weight", lang),
        "principal": t("col.sculpt_pv", lang),
    }
    for c, key in enumerate(SCHEDULE_SHEET_COLUMNS):
        if key in heads:
            sheet.header(row, c, [heads[key]])
        else:
            sheet.ws.write_blank(row, c, None, book.fmt("header"))
    row += 1
    money = book.fmt("money")
    cash_col, weight_col, pv_col = col["opening_balance"], col["interest"], col["principal"]
    # the fiscal years whose cash flow and other debt service the capacity block of B3.4
    # writes as named inputs (CashFlow_2027, OtherDebt_2027): referenced, so that a cash
    # flow changed there moves the sculpted payments too; otherwise bondkit's values
    cap = book.result.capacity
    live = {int(y) for y in cap.table["fiscal_year"]} if cap is not None else set()
    for _first, terms, _ in lines:
        amount_name = book.names[terms.id][0]
        p = periods(terms)
        sc = sculpting(terms, p)
        cash = {year: to_cents(c) for year, c in terms.sculpt_cash_flow}
        held = Counter(sc.fiscal_years)
        n = len(sc.weights)
        lines_at = [book.schedule_rows[(terms.id, k)] for k in range(1, n + 1)]
        # the present values, backward, as the formulas compute them (cached unrounded)
        pv = [0.0] * (n + 1)
        for j in range(n - 1, -1, -1):
            grown = (float(sc.weights[j]) / 100 + pv[j + 1]) / (
                1 + float(p.rate[j]) * float(p.year_fraction[j])
            )
            pv[j] = grown if j == n - 1 else max(grown, pv[j + 1])
        first = row
        for j in range(n):
            line = lines_at[j]
            sheet.text(row, col["series"], terms.id)
            sheet.number(row, col["period"], j + 1)
            sheet.date(row, col["date"], p.end[j])
            for key, value, kind in (
                ("year_fraction", p.year_fraction[j], "fraction"),
                ("annual_rate", p.rate[j], "rate"),
            ):
                sheet.formula(row, col[key], f"={cell(line, col[key])}", float(value), kind)
            year = sc.fiscal_years[j]
            sheet.number(row, col["fiscal_year"], year, "plain")
            if year in live:  # the capacity block's inputs: the cash flow follows them
                names = (book.name("name.cash_flow", year), book.name("name.other_ds", year))
                sheet.formula(row, cash_col, "={}-{}".format(*names), cash[year])
            else:
                sheet.money(row, cash_col, cash[year])
            share = "" if held[year] == 1 else f"/{held[year]}"
            w, r = cell(row, weight_col), cell(row, col["annual_rate"])
            sheet.ws.write_formula(
                row, weight_col, f"={cell(row, cash_col)}{share}", money, float(sc.weights[j]) / 100
            )
            discount = f"(1+{r}*{cell(row, col['year_fraction'])})"
            if j == n - 1:
                f = f"={w}/{discount}"
            else:
                below = cell(row + 1, pv_col)
                f = f"=MAX(({w}+{below})/{discount},{below})"
            sheet.ws.write_formula(row, pv_col, f, money, pv[j])
            sheet.fit(row, pv_col, len(f"{pv[j]:,.2f}") + 5)
            row += 1
        sheet.text(row, col["series"], terms.id)
        sheet.text(row, col["period"], t("sculpt.coverage", lang))
        k_cell = cell(row, pv_col, absolute=True)
        sheet.formula(
            row, pv_col, f"={cell(first, pv_col)}/{amount_name}", float(sc.coverage), "ratio"
        )
        for j, line in enumerate(lines_at):
            f = "=" + round_cents(f"{cell(first + j, weight_col)}/{k_cell}")
            sheet.formula(line, col["col.level"], f, sc.payments[j])
        row += 1
    return row


def round_cents(expr: str) -> str:
    """``expr`` rounded half up to the cent as a spreadsheet can: first to 9 decimals, so
    that a value the exact decimal puts on a half cent but binary floating point leaves a
    few hundred ulps below it (1 000 $ at 1.5 % compounded twice: 30.225, computed
    30.22499999999968) rounds up as bondkit's exact arithmetic does.

    >>> round_cents("B7*C7*E7")
    'ROUND(ROUND(B7*C7*E7,9),2)'
    """
    return f"ROUND(ROUND({expr},9),2)"


def write_native_charts(sheet: Sheet, row: int, years: tuple[int, int], col: dict[str, int]) -> int:
    """Two Excel charts over the fiscal-year table (so they follow its formulas): debt
    service (interest and principal, stacked) and principal outstanding; the next row.

    ``years``: the first and last rows of the table; ``col``: the columns of its fiscal
    years and of the ``interest``, ``principal`` and ``outstanding`` of all series.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> col = {"fiscal_year": 0, "interest": 1, "principal": 2, "outstanding": 4}
    >>> write_native_charts(sheet, 20, (10, 14), col)  # a section heading, then 17 rows
    38
    """
    book, lang = sheet.book, sheet.lang
    name = sheet.ws.name
    first, last = years
    cats = [name, first, col["fiscal_year"], last, col["fiscal_year"]]
    money_code = book.codes["money"]
    debt = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    for key, colour in (("interest", "#8ea9c1"), ("principal", BLUE)):
        debt.add_series(
            {
                "name": label(key, lang),
                "categories": cats,
                "values": [name, first, col[key], last, col[key]],
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    balance = book.wb.add_chart({"type": "line"})
    balance.add_series(
        {
            "name": label("outstanding", lang),
            "categories": cats,
            "values": [name, first, col["outstanding"], last, col["outstanding"]],
            "line": {"color": BLUE, "width": 2.25},
            "marker": {"type": "circle", "size": 5, "fill": {"color": BLUE}},
        }
    )
    for chart, title in ((debt, "xchart.debt_service"), (balance, "xchart.outstanding")):
        chart.set_title({"name": t(title, lang), "name_font": {"size": 12, "bold": True}})
        chart.set_x_axis({"name": label("fiscal_year", lang), "num_format": "0"})
        chart.set_y_axis(
            {
                "num_format": money_code,
                "major_gridlines": {"visible": True, "line": {"color": "#d9d9d9"}},
            }
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 520, "height": 300})
    row = sheet.section(row, "sec.native_charts")
    sheet.ws.insert_chart(row, 0, debt, {"object_position": 3})
    sheet.ws.insert_chart(row, 0, balance, {"x_offset": 540, "object_position": 3})
    sheet.extra_rows = max(sheet.extra_rows, row + 16)
    sheet.extra_px = max(sheet.extra_px, 1060)
    return row + 17
