"""The B3.4 Management sheet: the schedule of every series as live formulas (see
:mod:`bondkit.report.workbook.formulas`), the payment calendar in the schedule's own
columns, the debt service by fiscal year pivoted by series with two native charts; with a
capacity analysis (``result.capacity``), the capacity block: coverage by fiscal year (with
the coverage chart), the maturity-year test, the sinking fund and the reserve when set,
and the largest issue the cash flow can carry.

The schedule's header is frozen on screen. Printed, each table prints under its own
header and none under another's: the calendar, the debt service by fiscal year and the
capacity block each start a page, and the schedule's header is not repeated on the pages
that follow (they hold the other tables; see :meth:`Sheet.finish
<bondkit.report.workbook.kit.Sheet.finish>`). Key-value labels below the schedule run over
empty cells instead of widening its columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.labels import t
from bondkit.report.workbook.b3_4_capacity import write_capacity
from bondkit.report.workbook.formulas import (
    SCHEDULE_SHEET_COLUMNS,
    cell,
    write_accrual,
    write_native_charts,
    write_schedule,
)
from bondkit.report.workbook.kit import FIRST_ROW, Sheet, column_map, heading
from bondkit.report.workbook.pieces import coming

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["write_management"]


def write_management(sheet: Sheet, charts: dict[str, Path]) -> None:
    """Schedule (its header frozen on screen), the calendar in the same columns, then fiscal years.

    The schedule, the calendar and the debt service by fiscal year are formulas on the
    named amount and rate cells of B3.2 (see
    :func:`~bondkit.report.workbook.formulas.write_schedule`), each with bondkit's own
    value cached. The payment calendar sits in the schedule's own columns (series,
    payment date, interest, principal, payment), so the header frozen on screen names its
    columns too; printed, it starts a new page under its own header. The debt service by
    fiscal year, pivoted by series, starts on a new printed page, with two native charts
    (debt service, principal outstanding) that follow the formulas. With a capacity
    analysis, the capacity block follows on a new printed page (see
    :func:`~bondkit.report.workbook.b3_4_capacity.write_capacity`).

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> write_management(sheet, {})
    >>> sheet.header_row, book.schedule_rows  # the header; series A's 5 lines, by period
    (8, {('A', 1): 9, ('A', 2): 10, ('A', 3): 11, ('A', 4): 12, ('A', 5): 13})
    >>> max(sheet.header_rows) > sheet.header_row  # tables below it: printed without repeat
    True
    """
    res, lang = sheet.book.result, sheet.lang
    sched = res.schedule
    summed = ("interest", "principal", "payment")
    col = column_map(SCHEDULE_SHEET_COLUMNS)
    ncols = len(SCHEDULE_COLUMNS)

    row = sheet.section(FIRST_ROW, "sec.schedule")
    row = sheet.note(
        row, t("model.note_b3_4", lang).format(sheet=sheet.book.sheet_name("sheet.b3_2"))
    )
    header_row = row
    # the accrued value, the last helper column, only where a series accumulates
    keys = [
        k
        for k in SCHEDULE_SHEET_COLUMNS
        if k != "col.accrued" or any(s.repayment == "accumulating" for s in res.series)
    ]
    row = sheet.header(row, 0, [heading(k, lang) for k in keys], main=True)
    first, row = row, write_schedule(sheet, row)
    last = row - 1
    sheet.ws.autofilter(header_row, 0, last, len(keys) - 1)
    # the accrual rows of the accumulating series (the interest of their one line)
    row = write_accrual(sheet, row)

    def rng(key: str) -> str:
        return f"{cell(first, col[key], True)}:{cell(last, col[key], True)}"

    # payment calendar, in the schedule's columns: SUMIFS over the schedule by date; a new
    # printed page, under its own header
    row += 1
    sheet.ws.set_h_pagebreaks([row])
    breaks = [row]
    row = sheet.section(row, "sec.calendar")
    names = {"series": t("col.series_paying", lang), "date": label("date", lang)}
    names.update({key: label(key, lang) for key in summed})
    for c, key in enumerate(SCHEDULE_COLUMNS):
        if key in names:
            sheet.header(row, c, [names[key]])
        else:
            sheet.ws.write_blank(row, c, None, sheet.book.fmt("header"))
    row += 1
    paying = (
        sched[sched["payment"] != 0]
        .groupby("date", sort=True)["series"]
        .agg(lambda s: ", ".join(dict.fromkeys(s)))
    )
    cal = res.payments_by_date
    cal_first = row
    for rec in cal.itertuples(index=False):
        sheet.text(row, col["series"], paying.get(rec.date, ""))
        sheet.date(row, col["date"], rec.date)
        when = cell(row, col["date"])
        for key in summed:
            sheet.formula(
                row,
                col[key],
                f"=SUMIFS({rng(key)},{rng('date')},{when})",
                int(getattr(rec, key)),
            )
        row += 1
    sheet.total_row(row, 0, ncols - 1, t("total", lang))
    for key in summed:
        sheet.formula(
            row,
            col[key],
            f"=SUM({cell(cal_first, col[key])}:{cell(row - 1, col[key])})",
            int(cal[key].sum()),
            total=True,
        )
    row += 2

    # debt service by fiscal year: each series, then all series; a new printed page
    breaks.append(row)
    sheet.ws.set_h_pagebreaks(breaks)
    row = sheet.section(row, "sec.fiscal")
    fb, fiscal = res.fiscal_by_series, res.fiscal
    ids = [s.id for s in res.series]
    # the fiscal year, a group of columns per series, then a group for all series
    year_col = 0
    own = {  # series id -> its group's columns, by key
        sid: column_map(summed, first=year_col + 1 + len(summed) * k) for k, sid in enumerate(ids)
    }
    all_keys = ("interest", "principal", "debt_service", "outstanding")
    every = column_map(all_keys, first=year_col + 1 + len(summed) * len(ids))
    group_row = row
    header_fmt = sheet.book.fmt("group")
    for sid in ids:
        sheet.ws.merge_range(
            group_row,
            own[sid][summed[0]],
            group_row,
            own[sid][summed[-1]],
            t("series_n", lang).format(series=sid),
            header_fmt,
        )
    sheet.ws.merge_range(
        group_row,
        every[all_keys[0]],
        group_row,
        every[all_keys[-1]],
        t("all_series", lang),
        header_fmt,
    )
    sheet.ws.write_blank(group_row, year_col, None, header_fmt)
    sub = [label("fiscal_year", lang)]
    for _sid in ids:
        sub += [label(key, lang) for key in summed]
    sub += [label(key, lang) for key in all_keys]
    row = sheet.header(group_row + 1, year_col, sub)
    by_key = fb.set_index(["fiscal_year", "series"])
    fy = rng("fiscal_year")  # the schedule's fiscal-year column
    series_cell = {  # the schedule's first cell naming each series (no user text in formulas)
        sid: cell(sheet.book.schedule_rows[(sid, 1)], col["series"], True) for sid in ids
    }
    amounts_range = sheet.book.name("name.amounts")
    issue_years = sheet.book.name("name.issue_years")
    fiscal_first = row
    for rec in fiscal.itertuples(index=False):
        year = int(rec.fiscal_year)
        here = cell(row, year_col)
        sheet.number(row, year_col, year, "plain")
        for sid in ids:
            line = by_key.loc[(year, sid)]
            for key in summed:
                sheet.formula(
                    row,
                    own[sid][key],
                    f"=SUMIFS({rng(key)},{rng('series')},{series_cell[sid]},{fy},{here})",
                    int(line[key]),
                )
        ti, tp = cell(row, every["interest"]), cell(row, every["principal"])
        interest = f"=SUMIFS({rng('interest')},{fy},{here})"
        sheet.formula(row, every["interest"], interest, rec.interest)
        principal = f"=SUMIFS({rng('principal')},{fy},{here})"
        sheet.formula(row, every["principal"], principal, rec.principal)
        sheet.formula(row, every["debt_service"], f"={ti}+{tp}", rec.debt_service)
        # the amounts issued by then (B3.2's named columns: one formula of fixed length
        # whatever the number of series) less the principal repaid by then
        issued_by = f'SUMIFS({amounts_range},{issue_years},"<="&{here})'
        sheet.formula(
            row,
            every["outstanding"],
            f'={issued_by}-SUMIFS({rng("principal")},{fy},"<="&{here})',
            rec.outstanding,
        )
        row += 1
    fiscal_last = row - 1
    sheet.total_row(row, year_col, every[all_keys[-1]], t("total", lang))

    def column_total(c: int, value: int) -> None:
        total = f"=SUM({cell(fiscal_first, c)}:{cell(fiscal_last, c)})"
        sheet.formula(row, c, total, value, total=True)

    for sid in ids:
        lines = fb[fb["series"] == sid]
        for key in summed:
            column_total(own[sid][key], int(lines[key].sum()))
    for key in ("interest", "principal", "debt_service"):
        column_total(every[key], int(fiscal[key].sum()))
    years = (fiscal_first, fiscal_last)
    # what the Summary shows, live: total interest, the largest annual debt service
    book = sheet.book
    book.refs["total_interest"] = sheet.ref(row, every["interest"])
    ds_range = (
        f"{cell(fiscal_first, every['debt_service'], True)}:"
        f"{cell(fiscal_last, every['debt_service'], True)}"
    )
    book.refs["max_annual_debt_service"] = (
        f"MAX({sheet.ref(fiscal_first, 0).split('!')[0]}!{ds_range})"
    )
    ds_cells = {
        int(y): cell(fiscal_first + k, every["debt_service"])
        for k, y in enumerate(fiscal["fiscal_year"])
    }
    row = write_native_charts(sheet, row + 2, years, {"fiscal_year": year_col, **every})
    if res.capacity is None:
        coming(sheet, row, "coming.b3_4", ("hint.b3_4",))
        return
    breaks.append(row)
    sheet.ws.set_h_pagebreaks(breaks)
    write_capacity(sheet, row, ncols, charts.get("coverage"), breaks, ds_cells)
