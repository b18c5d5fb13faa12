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
from fractions import Fraction
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_rowcol_to_cell

from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.core.conventions import fiscal_year, periods_per_year
from bondkit.core.schedule import accrual_pieces, level_amounts, periods
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
    the opening balance. An accumulating series' one line pays its interest from the
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
    for terms in res.series:
        own = sched[sched["series"] == terms.id]
        amount_name, rate_name = book.names[terms.id]
        levels = level_amounts(terms, own)
        accumulating = terms.repayment == "accumulating"
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
            if levels[k] is not None:
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
            elif terms.repayment == "level-payment":
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
        for key in summed:
            cells = "+".join(cell(r, col[key]) for r in total_rows)
            sheet.formula(row, col[key], f"={cells}", int(sched[key].sum()), total=True)
        row += 1
    return row


def write_accrual(sheet: Sheet, row: int) -> int:
    """The accrual rows of the accumulating series, below the schedule (from ``row``, the
    row after it), and the interest cell of each one's schedule line; the next row (``row``
    itself when no series accumulates).

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
    if not lines:
        return row
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
