"""The B3.2 Design sheet: the issue terms, whose amount and rate cells are the model's
named inputs (``Amount_1``, ``Rate_1``...), the costs, the issuer's all-in cost and the
issuer's dated flows, whose proceeds and debt service are formulas on those inputs and on
the schedule of B3.4 (written first, see :mod:`bondkit.report.workbook.book`).
"""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname

from bondkit.columns import SCHEDULE_COLUMNS
from bondkit.core.conventions import to_cents
from bondkit.labels import t
from bondkit.report.workbook.formulas import cell, round_cents
from bondkit.report.workbook.kit import FIRST_ROW, VALUE_COL, Sheet, column_map, heading
from bondkit.report.workbook.pieces import series_table

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
    keys = (
        "series",
        "col.repayment",
        "col.amount",
        "col.face_value",
        "col.bonds",
        "annual_rate",
        "col.issue_date",
        "col.maturity",
        "col.frequency",
        "col.day_count",
        "col.io_years",
        "col.step_rates",
        "col.investor_yield",
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

    def _c_names(s, r, c, terms):
        amount_name, rate_name = book.names[terms.id]
        book.wb.define_name(amount_name, f"={quoted}!{cell(r, amount_col, True)}")
        book.wb.define_name(rate_name, f"={quoted}!{cell(r, col['annual_rate'], True)}")
        s.text(r, c, f"{amount_name}, {rate_name}")

    first = row + 1
    row = series_table(
        sheet, row, keys, {"col.bonds": _c_bonds_formula, "col.formula_name": _c_names}
    )
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    total_amount = cell(row, amount_col)
    for c, value, kind in (
        (amount_col, res.total_principal, "money"),
        (bonds_col, sum(x.bonds for x in res.series), "int"),
    ):
        sheet.formula(row, c, f"=SUM({cell(first, c)}:{cell(row - 1, c)})", value, kind, total=True)
    row += 1

    row = sheet.section(row + 1, "sec.costs")
    at = {}
    for key, write in (
        ("costs.upfront", lambda r: sheet.money(r, VALUE_COL, to_cents(costs.upfront))),
        ("costs.upfront_rate", lambda r: sheet.rate(r, VALUE_COL, float(costs.upfront_rate))),
        (
            "costs.upfront_total",
            lambda r: sheet.formula(
                r,
                VALUE_COL,
                f"={cell(at['costs.upfront'], VALUE_COL)}"
                "+" + round_cents(cell(at["costs.upfront_rate"], VALUE_COL) + "*" + total_amount),
                res.upfront_costs,
            ),
        ),
        (
            "costs.annual_admin",
            lambda r: sheet.money(r, VALUE_COL, to_cents(costs.annual_admin)),
        ),
        ("kf.annual_admin_total", lambda r: sheet.money(r, VALUE_COL, res.annual_admin_total)),
    ):
        at[key] = row
        write(sheet.kv(row, key))
        row += 1

    row = sheet.section(row + 1, "sec.all_in")
    sheet.kv(row, "kf.all_in_cost")
    sheet.rate(row, VALUE_COL, res.issuer_all_in_cost)
    row = sheet.note(row + 1, t("all_in.explain", lang))

    row = sheet.section(row + 1, "sec.issuer_flows")
    flow_keys = ("col.date", "col.flow", "series", "col.amount")
    flow = column_map(flow_keys)
    flow_amount = flow["col.amount"]
    row = sheet.header(row, 0, [heading(k, lang) for k in flow_keys], repeat=True)
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
        sheet.date(row, flow["col.date"], d)
        sheet.text(row, flow["col.flow"], t(f"flow.{kind}", lang))
        sheet.text(row, flow["series"], sid)
        if kind == "proceeds":
            sheet.formula(row, flow_amount, f"={book.names[sid][0]}", int(amount))
        elif kind == "debt_service":
            ref = f"{schedule_sheet}!{cell(paid[(sid, d)], pay_col, True)}"
            sheet.formula(row, flow_amount, f"=-{ref}", int(amount))
        elif kind == "upfront_costs":
            upfront = cell(at["costs.upfront_total"], VALUE_COL, True)
            sheet.formula(row, flow_amount, f"=-{upfront}", int(amount))
        else:
            sheet.money(row, flow_amount, int(amount))
        row += 1
    sheet.total_row(row, 0, flow_amount, t("flow.net", lang))
    sheet.formula(
        row,
        flow_amount,
        f"=SUM({cell(flows_first, flow_amount)}:{cell(row - 1, flow_amount)})",
        int(flows["amount"].sum()),
        total=True,
    )
