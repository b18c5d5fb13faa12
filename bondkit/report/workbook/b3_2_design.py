"""The B3.2 Design sheet: the issue terms, whose amount and rate cells are the model's
named inputs (``Amount_1``, ``Rate_1``...), the offer's clauses beyond the money in words
(:mod:`bondkit.report.workbook.b3_2_clauses`), the costs, the issuer's all-in cost and the
issuer's dated flows, whose proceeds and debt service are formulas on those inputs and on
the schedule of B3.4 (written first, see :mod:`bondkit.report.workbook.book`).

The terms are two tables of one row per series, so that the sheet prints one landscape
page wide at a readable scale: the issue terms (amount, face value, bonds, rate, dates,
with their total), then how each series pays (frequency, day count, interest-only years,
the investor's yield, average life and duration, step rates, the names of its cells).
"""

from __future__ import annotations

import pandas as pd
from xlsxwriter.utility import quote_sheetname

from bondkit.columns import SCHEDULE_COLUMNS
from bondkit.core.conventions import fiscal_year, to_cents
from bondkit.labels import t
from bondkit.report.workbook.b3_2_clauses import write_clauses
from bondkit.report.workbook.b3_4_capacity import admin_dates
from bondkit.report.workbook.formulas import cell, round_cents
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
    text_literal,
)
from bondkit.report.workbook.pieces import series_table, step_rates_text

__all__ = ["write_design"]

#: the width (characters) at which the labels of column A wrap: the column of the series
#: too, kept narrower than a key-value sheet's
_LABELS = 36.0
#: the same for the longer words of the terms (step rates, the names of the cells)
_NARROW = 20.0


def write_design(sheet: Sheet) -> None:
    """Issue terms (the model's named inputs: amount and rate of each series), costs, the
    all-in cost and the issuer's dated flows, whose proceeds and debt service are formulas
    on the inputs and on B3.4's schedule.

    The schedule of B3.4 comes first: the flows refer to its rows.

    >>> from bondkit.report.workbook.b3_4_management import write_management
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> write_management(book.sheet("sheet.b3_4", "title.b3_4"), {})
    >>> write_design(book.sheet("sheet.b3_2", "title.b3_2"))
    >>> [name for name, *_ in book.wb.defined_names]  # doctest: +NORMALIZE_WHITESPACE
    ['Amount_1', 'Rate_1', 'SeriesAmounts', 'SeriesRates', 'SeriesIssueYears', 'Upfront',
     'UpfrontRate', 'UpfrontTotal', 'Admin']
    >>> book.wb.defined_names[0]
    ['Amount_1', -1, "'B3.2 Design'!$C$9", False]
    """
    book = sheet.book
    res, lang = book.result, sheet.lang
    row = sheet.section(FIRST_ROW, "sec.issue_terms")
    row = sheet.note(row, t("model.note_b3_2", lang).format(sheet=book.sheet_name("sheet.b3_4")))
    quoted = quote_sheetname(sheet.ws.name)
    keys = (
        "series",
        "col.repayment",
        "col.amount",
        "col.face_value",
        "col.bonds",
        "annual_rate",
        "col.issue_date",
        "col.maturity",
        "col.issue_fiscal_year",
    )
    # how each series pays, in a second table under the first (its detail: the Summary
    # shows only the essentials)
    detail = (
        "series",
        "col.frequency",
        "col.day_count",
        "col.io_years",
        "col.investor_yield",
        "col.wal",
        "col.duration",
        "col.step_rates",
        "col.formula_name",
    )
    col = column_map(keys)
    amount_col, bonds_col = col["col.amount"], col["col.bonds"]

    def _c_bonds_formula(s, r, c, terms):
        # the amount is a whole multiple of the face value (the scenario requires it), so
        # the quotient is a whole number: ROUND, never INT, which an engine computing in
        # extended precision takes below it (98,765.43 / 0.01 gives 9,876,542.999...)
        bonds = f"=ROUND({cell(r, amount_col)}/{cell(r, col['col.face_value'])},0)"
        s.formula(r, c, bonds, terms.bonds, "int")

    def _c_amount_input(s, r, c, terms):
        amount_name = book.names[terms.id][0]
        s.input(r, c, "money", terms.amount_cents, amount_name)

    def _c_rate_input(s, r, c, terms):
        s.input(r, c, "rate", float(terms.annual_rate), book.names[terms.id][1])

    def _c_issue_year(s, r, c, terms):
        s.number(r, c, fiscal_year(terms.issue_date, res.scenario.issuer.fiscal_year_end), "plain")

    def _c_names(s, r, c, terms):
        amount_name, rate_name = book.names[terms.id]
        names = f"{amount_name}, {rate_name}"
        s.text(r, c, names, max_width=_NARROW)
        s.fit(r, c, min(len(names) + 2, _NARROW))  # names: capitals and underscores, wide

    def _c_wal(s, r, c, terms):
        s.number(r, c, res.series_results[terms.id].weighted_average_life, "years")

    def _c_duration(s, r, c, terms):
        s.number(r, c, res.series_results[terms.id].macaulay_duration, "years")

    def _c_steps(s, r, c, terms):
        s.text(r, c, step_rates_text(s, terms), max_width=_NARROW)

    first = row + 1
    row = series_table(
        sheet,
        row,
        keys,
        {
            "col.amount": _c_amount_input,
            "annual_rate": _c_rate_input,
            "col.bonds": _c_bonds_formula,
            "col.issue_fiscal_year": _c_issue_year,
        },
    )
    # the amounts and rates of every series, named as ranges (the sizing rate of B3.4)
    named = (("col.amount", "name.amounts"), ("annual_rate", "name.rates"))
    for key, name in (*named, ("col.issue_fiscal_year", "name.issue_years")):
        c = col[key]
        span = f"{cell(first, c, True)}:{cell(row - 1, c, True)}"
        book.wb.define_name(book.name(name), f"={quoted}!{span}")
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    total_amount = cell(row, amount_col)
    for c, value, kind in (
        (amount_col, res.total_principal, "money"),
        (bonds_col, sum(x.bonds for x in res.series), "int"),
    ):
        sheet.formula(row, c, f"=SUM({cell(first, c)}:{cell(row - 1, c)})", value, kind, total=True)
    book.refs["total_principal"] = sheet.ref(row, amount_col)
    book.refs["series_count"] = str(len(res.series))
    row = series_table(
        sheet,
        row + 2,
        detail,
        {
            "col.wal": _c_wal,
            "col.duration": _c_duration,
            "col.step_rates": _c_steps,
            "col.formula_name": _c_names,
        },
    )

    row = write_clauses(sheet, row + 1)
    row = _costs(sheet, row - 1, total_amount)
    _flows(sheet, row)


def _costs(sheet: Sheet, row: int, total_amount: str) -> int:
    """The costs (inputs: upfront, its share of the principal, the campaign's, yearly
    admin; formulas: their totals), the total cost and the all-in cost (XIRR over the
    flows below, with and without the campaign's cost); the next row."""
    book = sheet.book
    res = book.result
    costs = res.costs
    name = book.name
    row = sheet.section(row + 1, "sec.costs")
    n_admin = len(admin_dates(res))
    lines = [
        ("costs.upfront", lambda r: sheet.input(r, VALUE_COL, "money", to_cents(costs.upfront), name("name.upfront"))),
        ("costs.upfront_rate", lambda r: sheet.input(r, VALUE_COL, "rate", float(costs.upfront_rate), name("name.upfront_rate"))),
        ("costs.upfront_total", lambda r: _named_formula(
            sheet, r, name("name.upfront_total"),
            f"={name('name.upfront')}+" + round_cents(f"{name('name.upfront_rate')}*{total_amount}"),
            res.upfront_costs)),
    ]  # fmt: skip
    if res.campaign is not None:
        lines.append(
            (
                "costs.campaign",
                lambda r: sheet.input(
                    r, VALUE_COL, "money", res.campaign_cost, name("name.campaign_cost")
                ),
            )  # fmt: skip
        )
    lines += [
        ("costs.annual_admin", lambda r: sheet.input(r, VALUE_COL, "money", to_cents(costs.annual_admin), name("name.admin"))),
        ("kf.annual_admin_total", lambda r: _published(
            sheet, r, "annual_admin_total", f"={name('name.admin')}*{n_admin}", res.annual_admin_total)),
    ]  # fmt: skip
    for key, write in lines:
        write(sheet.kv(row, key, max_width=_LABELS))
        row += 1
    book.refs["upfront_costs"] = name("name.upfront_total")
    if res.campaign is not None:
        book.refs["expected_campaign_cost"] = name("name.campaign_cost")
    parts = [
        book.refs["total_interest"],
        name("name.upfront_total"),
        book.refs["annual_admin_total"],
    ]
    if res.campaign is not None:
        parts.append(name("name.campaign_cost"))
    sheet.kv(row, "kf.total_cost", max_width=_LABELS)
    _published(sheet, row, "total_cost", "=" + "+".join(parts), res.total_cost)
    row += 1
    return row


def _named_formula(sheet: Sheet, row: int, name: str, formula: str, cents: int) -> None:
    sheet.formula(row, VALUE_COL, formula, cents)
    sheet.book.wb.define_name(name, "=" + sheet.ref(row, VALUE_COL))


def _published(sheet: Sheet, row: int, key: str, formula: str, cents: int) -> None:
    sheet.formula(row, VALUE_COL, formula, cents)
    sheet.book.refs[key] = sheet.ref(row, VALUE_COL)


def _flows(sheet: Sheet, row: int) -> None:
    """The all-in cost (XIRR over the dated flows) and the issuer's dated flows: proceeds,
    costs and debt service as formulas on the inputs and on B3.4's schedule; the
    campaign's cost, when there is one, is the last flow, so that the all-in cost before
    it is the XIRR of the flows above it."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    name = book.name
    flows = res.issuer_flows
    row = sheet.section(row + 1, "sec.all_in")
    all_in_row = row
    row = sheet.note(row + 2 if res.campaign is not None else row + 1, t("all_in.explain", lang))

    row = sheet.section(row + 1, "sec.issuer_flows")
    flow_keys = ("col.date", "col.flow", "series", "col.amount")
    flow = column_map(flow_keys)
    flow_amount = flow["col.amount"]
    row = sheet.header(row, 0, [heading(k, lang) for k in flow_keys], repeat=True)
    schedule_sheet = quote_sheetname(book.sheet_name("sheet.b3_4"))
    paid = {  # (series, payment date) -> the schedule's payment cell on B3.4
        (sid, d): book.schedule_rows[(sid, int(period))]
        for sid, d, period in zip(
            res.schedule["series"], res.schedule["date"], res.schedule["period"], strict=True
        )
    }
    pay_col = SCHEDULE_COLUMNS.index("payment")
    flows_first = row
    # every cost flow is a row even when the scenario's cost is zero, so that a cost typed
    # later counts: upfront on the earliest issue date, admin on each anniversary
    first_date = flows["date"].min()
    upfront = (first_date, "upfront_costs", "", -res.upfront_costs)
    admin = [(pd.Timestamp(d), "annual_admin", "", -to_cents(res.costs.annual_admin)) for d in admin_dates(res)]  # fmt: skip
    kept = flows[~flows["kind"].isin(("upfront_costs", "annual_admin"))]
    proceeds = kept[kept["kind"] == "proceeds"]
    service = kept[kept["kind"] != "proceeds"]
    rows = [
        *zip(
            proceeds["date"], proceeds["kind"], proceeds["series"], proceeds["amount"], strict=True
        ),
        upfront,
        *admin,
        *zip(service["date"], service["kind"], service["series"], service["amount"], strict=True),
    ]
    rows.sort(key=lambda x: x[0])  # stable: by date, in the core's order within a date
    for d, kind, sid, amount in rows:
        sheet.date(row, flow["col.date"], d)
        sheet.text(row, flow["col.flow"], t(f"flow.{kind}", lang))
        sheet.text(row, flow["series"], sid)
        if kind == "proceeds":
            sheet.formula(row, flow_amount, f"={book.names[sid][0]}", int(amount))
        elif kind == "debt_service":
            ref = f"{schedule_sheet}!{cell(paid[(sid, d)], pay_col, True)}"
            sheet.formula(row, flow_amount, f"=-{ref}", int(amount))
        elif kind == "upfront_costs":
            sheet.formula(row, flow_amount, f"=-{name('name.upfront_total')}", int(amount))
        else:
            sheet.formula(row, flow_amount, f"=-{name('name.admin')}", int(amount))
        row += 1
    if res.campaign is not None:
        first_date = flows["date"].min()
        sheet.date(row, flow["col.date"], first_date)
        sheet.text(row, flow["col.flow"], t("flow.campaign_costs", lang))
        sheet.text(row, flow["series"], "")
        sheet.formula(row, flow_amount, f"=-{name('name.campaign_cost')}", -res.campaign_cost)
        row += 1
    last = row - 1
    sheet.total_row(row, 0, flow_amount, t("flow.net", lang))
    net = int(sum(x[3] for x in rows)) - (res.campaign_cost if res.campaign is not None else 0)
    sheet.formula(
        row, flow_amount, f"=SUM({cell(flows_first, flow_amount)}:{cell(last, flow_amount)})",
        net, total=True,
    )  # fmt: skip

    def xirr(to: int) -> str:
        amounts = f"{cell(flows_first, flow_amount, True)}:{cell(to, flow_amount, True)}"
        dates = f"{cell(flows_first, flow['col.date'], True)}:{cell(to, flow['col.date'], True)}"
        return f"=IFERROR(XIRR({amounts},{dates}),{text_literal(t('not_solvable', lang))})"

    def rate_cell(r: int, formula: str, value: float | None, key: str) -> None:
        cached = value if value is not None else t("not_solvable", lang)
        sheet.ws.write_formula(r, VALUE_COL, formula, book.fmt("rate"), cached)
        sheet.fit(r, VALUE_COL, 12)
        book.refs[key] = sheet.ref(r, VALUE_COL)

    sheet.kv(all_in_row, "kf.all_in_cost", max_width=_LABELS)
    rate_cell(all_in_row, xirr(last), res.issuer_all_in_cost, "issuer_all_in_cost")
    if res.campaign is not None:
        sheet.kv(all_in_row + 1, "kf.all_in_cost_without_campaign", max_width=_LABELS)
        rate_cell(
            all_in_row + 1, xirr(last - 1), res.issuer_all_in_cost_without_campaign,
            "issuer_all_in_cost_without_campaign",
        )  # fmt: skip
    else:
        book.refs["issuer_all_in_cost_without_campaign"] = book.refs["issuer_all_in_cost"]
