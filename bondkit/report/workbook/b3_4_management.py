"""The B3.4 Management sheet: the schedule of every series as live formulas (see
:mod:`bondkit.report.workbook.formulas`), the payment calendar in the schedule's own
columns, the debt service by fiscal year pivoted by series with two native charts; with a
capacity analysis (``result.capacity``), the capacity block: coverage by fiscal year (with
the coverage chart), the maturity-year test, the sinking fund and the reserve when set,
and the largest issue the cash flow can carry. With a register of holders
(``result.register``: ``bondkit run --register``), the register's figures by series, on a
new printed page, marked as real data (:func:`write_register_block`, also on B3.5).

The schedule's header is frozen on screen. Printed, each table prints under its own
header and none under another's: the calendar, the debt service by fiscal year and the
capacity block each start a page, and the schedule's header is not repeated on the pages
that follow (they hold the other tables; see :meth:`Sheet.finish
<bondkit.report.workbook.kit.Sheet.finish>`). Key-value labels below the schedule run over
empty cells instead of widening its columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.labels import money_text, number_text, t
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

    from bondkit.runner.registered import RegisterSnapshot

__all__ = [
    "write_management",
    "write_register_block",
    "register_heading",
    "real_formats",
    "real_cell",
    "REAL_FILL",
    "REAL_INK",
]

#: the real-data style: the register's figures (dark green on pale green, framed), apart
#: from the plan's (plain), the inputs' (blue on pale yellow) and the run's (grey italic)
REAL_FILL, REAL_INK = "#e2efda", "#375623"


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
        row = coming(sheet, row, "coming.b3_4")
    else:
        breaks.append(row)
        sheet.ws.set_h_pagebreaks(breaks)
        write_capacity(sheet, row, ncols, charts.get("coverage"), breaks, ds_cells)
        row = max(sheet.last_row, sheet.extra_rows) + 2
    if res.register is not None:  # the register's figures, on a new printed page
        breaks.append(row)
        sheet.ws.set_h_pagebreaks(breaks)
        write_register_block(sheet, row, res.register)


def real_formats(sheet: Sheet) -> dict[str, Any]:
    """The cell formats of the real-data style, by (kind, in a total row): kinds
    ``text``, ``tag``, ``money``, ``int``, ``date``; XlsxWriter shares identical formats
    when it saves.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sheet = Book(run(starter_scenario()), None, "en").sheet("sheet.b3_4", "title.b3_4")
    >>> fmts = real_formats(sheet)
    >>> len(fmts), bool(fmts[("int", True)].bold), bool(fmts[("int", False)].bold)
    (10, True, False)
    """
    out = {}
    for kind in ("text", "tag", "money", "int", "date"):
        for total in (False, True):
            props: dict[str, Any] = {"valign": "top", "bg_color": REAL_FILL}
            props.update(font_color=REAL_INK, border=1, border_color="#a9d08e")
            if kind in sheet.book.codes:
                props["num_format"] = sheet.book.codes[kind]
            if kind in ("text", "tag"):
                props.update(align="left", indent=1)
            props["bold"] = total or kind == "tag"
            out[(kind, total)] = sheet.book.wb.add_format(props)
    return out


def real_cell(
    sheet: Sheet,
    fmts: dict[Any, Any],
    row: int,
    col: int,
    kind: str,
    value: Any,
    total: bool = False,
) -> None:
    """One cell of real data (bold in a total row) with :func:`real_formats` ``fmts``:
    ``money`` in cents, ``int``, ``date`` (None: the words "no payment due"), ``text``
    or ``tag`` (words).

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> sheet = Book(run(starter_scenario()), None, "en").sheet("sheet.b3_4", "title.b3_4")
    >>> real_cell(sheet, real_formats(sheet), 5, 1, "money", 150_000)  # 1,500.00
    >>> real_cell(sheet, real_formats(sheet), 6, 1, "date", None)  # no payment due
    >>> sheet.last_row
    6
    """
    lang = sheet.lang
    if kind == "date" and value is None:
        kind, value = "text", t("runreg.nothing_due", lang)
    fmt = fmts[(kind, total)]
    if kind == "money":
        sheet.ws.write_number(row, col, int(value) / 100, fmt)
        sheet.fit(row, col, len(money_text(int(value), lang, sheet.book.currency)) + 2)
    elif kind == "int":
        sheet.ws.write_number(row, col, int(value), fmt)
        sheet.fit(row, col, len(number_text(int(value), lang)) + 3)
    elif kind == "date":
        sheet.ws.write_datetime(row, col, value, fmt)
        sheet.fit(row, col, 12)
    else:
        sheet.ws.write_string(row, col, str(value), fmt)
        sheet.fit(row, col, len(str(value)) * (1.2 if kind == "tag" else 1.0) / 1.18 + 3)


def register_heading(
    sheet: Sheet, row: int, snap: RegisterSnapshot, key: str = "runreg.sec"
) -> int:
    """The heading of a block of real data: the section (``key``, with the register's
    date), the real-data tag in its style and where the figures come from, any warning
    of the run about the register; the next row.

    >>> import datetime as dt
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.runner.registered import RegisterSnapshot
    >>> from bondkit.scenario import starter_scenario
    >>> sheet = Book(run(starter_scenario()), None, "en").sheet("sheet.b3_4", "title.b3_4")
    >>> snap = RegisterSnapshot("issue.db", "Issue", dt.date(2026, 4, 1), (), (), 0, True)
    >>> register_heading(sheet, 3, snap)  # the section, the tag, the source in two lines
    7
    """
    lang = sheet.lang
    row = sheet.section(row, key, date=snap.as_of.isoformat())
    real_cell(sheet, real_formats(sheet), row, 0, "tag", t("runreg.tag", lang))
    row += 1
    source = t("runreg.source", lang).format(
        file=snap.file_name, issue=snap.issue_name, date=snap.as_of.isoformat()
    )
    row = sheet.note(row, source, chars=sheet.wide())
    for warning in snap.warnings:
        row = sheet.note(row, warning.render(lang), chars=sheet.wide())
    return row


def write_register_block(sheet: Sheet, row: int, snap: RegisterSnapshot) -> int:
    """The register of holders on its date, by series, in the real-data style: holders
    and holdings counted (never named), bonds held beside the bonds of the series, the
    principal outstanding, the end of the lock-in and the next payment (date and what
    the holdings are owed then), with a total row; the next row.

    >>> import datetime as dt
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.runner.registered import RegisterSnapshot, SeriesHeld
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_4", "title.b3_4")
    >>> a = SeriesHeld("A", 200, 3, 150_000, 2, 2, None, dt.date(2027, 3, 1), 6_000, 2,
    ...                0, 0, 0, 0)
    >>> snap = RegisterSnapshot("issue.db", "Issue", dt.date(2026, 4, 1), (), (a,), 2, True)
    >>> write_register_block(sheet, 3, snap)
    11
    """
    lang = sheet.lang
    fmts = real_formats(sheet)
    row = register_heading(sheet, row, snap)
    keys = (
        "series",
        "runreg.col.holders",
        "runreg.col.holdings",
        "runreg.col.bonds_held",
        "runreg.col.bonds",
        "runreg.col.principal",
        "runreg.col.lock_in",
        "runreg.col.next_date",
        "runreg.col.next_amount",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for s in snap.series:
        sheet.text(row, col["series"], s.series_id)
        for key, kind, value in (
            ("runreg.col.holders", "int", s.holders),
            ("runreg.col.holdings", "int", s.holdings),
            ("runreg.col.bonds_held", "int", s.bonds_held),
            ("runreg.col.bonds", "int", s.bonds),
            ("runreg.col.principal", "money", s.principal_cents),
            ("runreg.col.next_date", "date", s.next_payment),
            ("runreg.col.next_amount", "money", s.next_payment_cents),
        ):
            real_cell(sheet, fmts, row, col[key], kind, value)
        if s.lock_in_ends is not None:
            real_cell(sheet, fmts, row, col["runreg.col.lock_in"], "date", s.lock_in_ends)
        else:
            real_cell(sheet, fmts, row, col["runreg.col.lock_in"], "text", t("none", lang))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    # every holder once (one may hold in several series), the sums of the rest
    for key, kind, value in (
        ("runreg.col.holders", "int", snap.holders),
        ("runreg.col.holdings", "int", sum(s.holdings for s in snap.series)),
        ("runreg.col.bonds_held", "int", sum(s.bonds_held for s in snap.series)),
        ("runreg.col.bonds", "int", sum(s.bonds for s in snap.series)),
        ("runreg.col.principal", "money", sum(s.principal_cents for s in snap.series)),
    ):
        real_cell(sheet, fmts, row, col[key], kind, value, total=True)
    row += 1
    if snap.renewal_holdings:
        row = sheet.note(row, t("runreg.renewals", lang).format(n=snap.renewal_holdings))
    return row + 1
