"""The B3.2 Design sheet: the issue terms, whose amount and rate cells are the model's
named inputs (``Amount_1``, ``Rate_1``...), the costs, the issuer's all-in cost and the
issuer's dated flows, whose proceeds and debt service are formulas on those inputs and on
the schedule of B3.4 (written first, see :mod:`bondkit.report.workbook.book`).
"""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname

from bondkit.columns import SCHEDULE_COLUMNS, label
from bondkit.core.conventions import to_cents
from bondkit.labels import t
from bondkit.report.workbook.formulas import cell, round_cents
from bondkit.report.workbook.kit import FIRST_ROW, Sheet
from bondkit.report.workbook.pieces import SERIES_CELLS, series_table

__all__ = ["write_design"]


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
    >>> book.wb.defined_names
    [['Amount_1', -1, "'B3.2 Design'!$C$9", False], ['Rate_1', -1, "'B3.2 Design'!$F$9", False]]
    """
    book = sheet.book
    res, lang = book.result, sheet.lang
    costs = res.costs
    row = sheet.section(FIRST_ROW, "sec.issue_terms")
    row = sheet.note(row, t("model.note_b3_2", lang).format(sheet=book.sheet_name("sheet.b3_4")))
    quoted = quote_sheetname(sheet.ws.name)

    def _c_bonds_formula(s, r, c, terms):
        s.formula(r, c, f"=INT({cell(r, 2)}/{cell(r, 3)})", terms.bonds, "int")

    def _c_names(s, r, c, terms):
        amount_name, rate_name = book.names[terms.id]
        book.wb.define_name(amount_name, f"={quoted}!{cell(r, 2, True)}")
        book.wb.define_name(rate_name, f"={quoted}!{cell(r, 5, True)}")
        s.text(r, c, f"{amount_name}, {rate_name}")

    columns = [
        (label("series", lang), SERIES_CELLS["series"]),
        (t("col.repayment", lang), SERIES_CELLS["col.repayment"]),
        (t("col.amount", lang), SERIES_CELLS["col.amount"]),
        (t("col.face_value", lang), SERIES_CELLS["col.face_value"]),
        (t("col.bonds", lang), _c_bonds_formula),
        (label("annual_rate", lang), SERIES_CELLS["annual_rate"]),
        (t("col.issue_date", lang), SERIES_CELLS["col.issue_date"]),
        (t("col.maturity", lang), SERIES_CELLS["col.maturity"]),
        (t("col.frequency", lang), SERIES_CELLS["col.frequency"]),
        (t("col.day_count", lang), SERIES_CELLS["col.day_count"]),
        (t("col.io_years", lang), SERIES_CELLS["col.io_years"]),
        (t("col.step_rates", lang), SERIES_CELLS["col.step_rates"]),
        (t("col.investor_yield", lang), SERIES_CELLS["col.investor_yield"]),
        (t("col.formula_name", lang), _c_names),
    ]
    first = row + 1
    row = series_table(sheet, row, columns)
    sheet.total_row(row, 0, len(columns) - 1, t("total", lang))
    total_amount = cell(row, 2)
    for c, value, kind in (
        (2, res.total_principal, "money"),
        (4, sum(x.bonds for x in res.series), "int"),
    ):
        sheet.formula(row, c, f"=SUM({cell(first, c)}:{cell(row - 1, c)})", value, kind, total=True)
    row += 1

    row = sheet.section(row + 1, "sec.costs")
    at = {}
    for key, write in (
        ("costs.upfront", lambda r: sheet.money(r, 1, to_cents(costs.upfront))),
        ("costs.upfront_rate", lambda r: sheet.rate(r, 1, float(costs.upfront_rate))),
        (
            "costs.upfront_total",
            lambda r: sheet.formula(
                r,
                1,
                f"={cell(at['costs.upfront'], 1)}"
                "+" + round_cents(cell(at["costs.upfront_rate"], 1) + "*" + total_amount),
                res.upfront_costs,
            ),
        ),
        ("costs.annual_admin", lambda r: sheet.money(r, 1, to_cents(costs.annual_admin))),
        ("kf.annual_admin_total", lambda r: sheet.money(r, 1, res.annual_admin_total)),
    ):
        at[key] = row
        write(sheet.kv(row, key))
        row += 1

    row = sheet.section(row + 1, "sec.all_in")
    sheet.kv(row, "kf.all_in_cost")
    sheet.rate(row, 1, res.issuer_all_in_cost)
    row = sheet.note(row + 1, t("all_in.explain", lang))

    row = sheet.section(row + 1, "sec.issuer_flows")
    row = sheet.header(
        row,
        0,
        [t("col.date", lang), t("col.flow", lang), label("series", lang), t("col.amount", lang)],
        repeat=True,
    )
    flows = res.issuer_flows
    schedule_sheet = quote_sheetname(book.sheet_name("sheet.b3_4"))
    paid = {  # (series, payment date) -> the schedule's payment cell on B3.4
        (sid, d): book.schedule_rows[(sid, int(period))]
        for sid, d, period in zip(
            res.schedule["series"], res.schedule["date"], res.schedule["period"], strict=True
        )
    }
    pay_col = SCHEDULE_COLUMNS.index("payment")
    flows_first = row
    for d, kind, sid, amount in zip(
        flows["date"], flows["kind"], flows["series"], flows["amount"], strict=True
    ):
        sheet.date(row, 0, d)
        sheet.text(row, 1, t(f"flow.{kind}", lang))
        sheet.text(row, 2, sid)
        if kind == "proceeds":
            sheet.formula(row, 3, f"={book.names[sid][0]}", int(amount))
        elif kind == "debt_service":
            ref = f"{schedule_sheet}!{cell(paid[(sid, d)], pay_col, True)}"
            sheet.formula(row, 3, f"=-{ref}", int(amount))
        elif kind == "upfront_costs":
            sheet.formula(row, 3, f"=-{cell(at['costs.upfront_total'], 1, True)}", int(amount))
        else:
            sheet.money(row, 3, int(amount))
        row += 1
    sheet.total_row(row, 0, 3, t("flow.net", lang))
    sheet.formula(
        row,
        3,
        f"=SUM({cell(flows_first, 3)}:{cell(row - 1, 3)})",
        int(flows["amount"].sum()),
        total=True,
    )
