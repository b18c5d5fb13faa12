"""B3.4's capacity block as a live model: every figure that follows from the inputs is a
formula, so that a reader who changes an amount, a rate, a year's cash flow or a cost sees
coverage, cash, sinking fund, reserve, maturity test and sizing follow (issue #12 §3).

The inputs (the input style, named): the coverage threshold, opening and minimum cash,
the sinking fund's rate, the renewal rate of ``[risk]``, and each fiscal year's cash flow
(``CashFlow_2027`` / ``Flux_2027``) and other debt service (``OtherDebt_2027`` /
``AutresDettes_2027``). The costs are B3.2's named cells, the debt service B3.4's own
fiscal-year table and schedule. Each formula's value as bondkit's Python core computed it
is cached beside it. The definitions are those of :mod:`bondkit.models.capacity`:

- periodic debt service = the issue's debt service − what falls due at the maturity of a
  bullet (its principal) or accumulating series (its payment) + sinking deposits + other
  debt service; coverage = cash flow ÷ periodic debt service (empty without either);
- cash at year end = the year before (opening cash first) + cash flow − debt service −
  other debt − deposits + withdrawals − costs;
- the maturity test and the sizing, as in :func:`bondkit.models.capacity.assess`.

The block publishes the cells the Summary shows in :attr:`Book.refs`: ``min_dscr``,
``maturity_coverage``, ``years_below_count``, ``max_debt_level_payment``; and for B3.5's
cash at maturity, ``renewal_rate`` (the input's name) and ``maturity_cash.<fiscal year>``
(the sum of the maturity test's cash at the start, sinking fund and net cash flow).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bondkit.core.conventions import fiscal_year, to_cents
from bondkit.labels import money_text, percent_short, t
from bondkit.report.workbook.formulas import SCHEDULE_SHEET_COLUMNS, cell, round_cents
from bondkit.report.workbook.kit import Sheet, column_map, heading, text_literal
from bondkit.runner.readiness import READINESS_THRESHOLDS

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["write_capacity", "admin_dates"]

_AT_MATURITY = ("bullet", "accumulating")


def _block(sheet: Sheet, row: int, text: str, ncols: int) -> int:
    """The heading of a block of sections: larger, ruled across ``ncols`` columns; next row."""
    sheet.text(row, 0, text, kind="block", track=False)
    for c in range(1, ncols):
        sheet.ws.write_blank(row, c, None, sheet.book.fmt("block"))
    sheet.ws.set_row(row, 21)
    return row + 1


def _sum(terms: list[str]) -> str:
    return "+".join(terms) if terms else "0"


def write_capacity(
    sheet: Sheet,
    row: int,
    ncols: int,
    chart: Path | None,
    breaks: list[int],
    ds_cells: dict[int, str],
) -> None:
    """B3.4's capacity block from ``row``: inputs, sinking fund, coverage by fiscal year
    (with the chart), the maturity test, the reserve, the largest issue. ``ds_cells``:
    fiscal year -> the cell of the issue's debt service in B3.4's fiscal-year table;
    ``breaks``: the sheet's printed page breaks so far.

    Written by :func:`~bondkit.report.workbook.b3_4_management.write_management` when the
    run has a capacity analysis; it names each fiscal year's cash flow:

    >>> from bondkit.report.workbook.b3_4_management import write_management
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> book = Book(run(sc), None, "en")  # held in memory
    >>> write_management(book.sheet("sheet.b3_4", "title.b3_4"), {})
    >>> [n[0] for n in book.wb.defined_names if n[0].startswith("CashFlow_")][:2]
    ['CashFlow_2017', 'CashFlow_2018']
    >>> sorted(k for k in book.refs if k in ("min_dscr", "max_debt_level_payment"))
    ['max_debt_level_payment', 'min_dscr']
    """
    book = sheet.book
    res, lang = book.result, sheet.lang
    cap = res.capacity
    terms, table = cap.terms, cap.table
    currency = book.currency
    years = [int(y) for y in table["fiscal_year"]]
    fye = res.scenario.issuer.fiscal_year_end
    sched_col = column_map(SCHEDULE_SHEET_COLUMNS)

    def words(text: str):
        return lambda r, c: sheet.overflow(r, c, text)

    row = _block(sheet, row, t("sec.capacity", lang), ncols)
    if terms.cash_flow:
        source = t("cap.cf_table", lang)
    elif terms.cash_flow_growth == 0:
        source = t("cap.cf_flat", lang).format(
            base=money_text(to_cents(terms.cash_flow_base), lang, currency)
        )
    else:
        source = t("cap.cf_growth", lang).format(
            base=money_text(to_cents(terms.cash_flow_base), lang, currency),
            growth=percent_short(float(terms.cash_flow_growth), lang),
        )
    names: dict[str, str] = {}

    def named(key: str, kind: str, value: float):
        def write(r: int, c: int) -> None:
            names[key] = sheet.input(r, c, kind, value, book.name(f"name.{key}"))

        return write

    inputs = [
        (t("cap.cash_flow", lang), words(source)),
        (t("cap.threshold", lang), named("threshold", "ratio", float(terms.coverage_threshold))),
        (t("cap.opening_cash", lang), named("opening_cash", "money", to_cents(terms.opening_cash))),
        (t("cap.minimum_cash", lang), named("minimum_cash", "money", to_cents(terms.minimum_cash))),
    ]  # fmt: skip
    if terms.sinking_fund is not None:
        rate = float(terms.sinking_fund.rate)
        inputs.append((t("sink.rate", lang), named("sinking_rate", "rate", rate)))
    at_maturity = [s for s in res.series if s.repayment in _AT_MATURITY]
    if res.risk is not None and at_maturity:
        renew = float(res.risk.terms.renewal_rate)
        inputs.append((t("cap.renewal_rate", lang), named("renewal_rate", "rate", renew)))
    row = sheet.kv_lines(row + 1, inputs)
    thr = names["threshold"]
    if "renewal_rate" in names:  # B3.5's cash at maturity counts renewals with it
        book.refs["renewal_rate"] = names["renewal_rate"]

    # what falls due at maturity, by fiscal year: schedule cells of the last payments
    sched = res.schedule
    due_cells: dict[int, list[str]] = {}
    principal_cells: dict[int, list[str]] = {}
    matures: dict[str, int] = {}  # series id -> index of its maturity fiscal year
    for s in at_maturity:
        own = sched[sched["series"] == s.id]
        last = own.iloc[-1]
        k = years.index(fiscal_year(last["date"].date(), fye))
        matures[s.id] = k
        r = book.schedule_rows[(s.id, int(last["period"]))]
        key = "payment" if s.repayment == "accumulating" else "principal"
        due_cells.setdefault(k, []).append(cell(r, sched_col[key], True))
        principal_cells.setdefault(k, []).append(cell(r, sched_col["principal"], True))

    # the sinking fund first: its deposits are periodic debt service
    deposit_cell: dict[int, str] = {}
    withdrawal_cell: dict[int, str] = {}
    fund_amounts: dict[int, list[str]] = {}  # maturity year -> amounts withdrawn then
    if terms.sinking_fund is not None:
        row = _sinking(sheet, row, years, matures, names["sinking_rate"], deposit_cell, withdrawal_cell, fund_amounts)  # fmt: skip

    # coverage by fiscal year
    row = sheet.section(row + 1, "sec.coverage")
    row = sheet.note(row, t("cap.note", lang), chars=sheet.wide())
    keys = (
        "fiscal_year",
        "col.cash_flow",
        "col.other_ds",
        "col.issue_ds",
        "col.due_at_maturity",
        "col.deposit",
        "col.periodic_ds",
        "col.coverage",
        "col.readiness",
        "col.costs",
        "col.cash_end",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    first = row
    costs = table["costs"].to_numpy()
    cost_terms = _cost_terms(book, res, years, fye)
    watch = min(float(READINESS_THRESHOLDS["min_coverage"][1]), float(terms.coverage_threshold))
    status_words = {
        "risk": t("cap.no_capacity", lang),
        "watch": t("cap.below", lang),
    }
    below_one = t("cap.below_one", lang)
    cash_end: dict[int, str] = {}
    for k, rec in enumerate(table.itertuples(index=False)):
        year = int(rec.fiscal_year)
        c = {key: cell(row, col[key]) for key in keys}
        sheet.number(row, col["fiscal_year"], year, "plain")
        sheet.input(
            row,
            col["col.cash_flow"],
            "money",
            int(rec.cash_flow),
            book.name("name.cash_flow", year),
        )
        sheet.input(row, col["col.other_ds"], "money", int(rec.other_debt_service), book.name("name.other_ds", year))  # fmt: skip
        sheet.formula(row, col["col.issue_ds"], f"={ds_cells[year]}", int(rec.debt_service))
        if k in due_cells:
            sheet.formula(row, col["col.due_at_maturity"], "=" + _sum(due_cells[k]), int(rec.due_at_maturity))  # fmt: skip
        else:
            sheet.money(row, col["col.due_at_maturity"], 0)
        if k in deposit_cell:
            sheet.formula(row, col["col.deposit"], f"={deposit_cell[k]}", int(rec.sinking_deposit))
        else:
            sheet.money(row, col["col.deposit"], 0)
        periodic = f"={c['col.issue_ds']}-{c['col.due_at_maturity']}+{c['col.deposit']}+{c['col.other_ds']}"
        service = int(rec.periodic_debt_service + rec.sinking_deposit + rec.other_debt_service)
        sheet.formula(row, col["col.periodic_ds"], periodic, service)
        cf, p, cov = c["col.cash_flow"], c["col.periodic_ds"], c["col.coverage"]
        coverage = float(rec.coverage)
        sheet.formula(
            row, col["col.coverage"], f'=IF(AND({p}>0,{cf}>0),{cf}/{p},"")',
            "" if math.isnan(coverage) else coverage, "ratio",
        )  # fmt: skip
        status = (
            "risk" if rec.no_capacity
            else ("watch" if coverage >= watch else "below_one") if rec.below_threshold
            else "none"
        )  # fmt: skip
        formula = (
            f"=IF(AND({cf}-{c['col.other_ds']}<=0,{p}>0),{text_literal(status_words['risk'])},"
            f'IF({cov}="","",IF({cov}<{thr},IF({cov}>=MIN(1,{thr}),'
            f'{text_literal(status_words["watch"])},{text_literal(below_one)}),"")))'
        )
        word = {
            "risk": status_words["risk"],
            "watch": status_words["watch"],
            "below_one": below_one,
        }
        sheet.live_status(
            row, col["col.readiness"], formula, word.get(status, ""),
            {status_words["risk"]: "risk", status_words["watch"]: "watch", below_one: "risk"},
        )  # fmt: skip
        sheet.formula(row, col["col.costs"], "=" + _sum(cost_terms[k]), int(costs[k]))
        before = names["opening_cash"] if k == 0 else cash_end[k - 1]
        flow = f"{before}+{cf}-{c['col.issue_ds']}-{c['col.other_ds']}-{c['col.deposit']}"
        if k in withdrawal_cell:
            flow += f"+{withdrawal_cell[k]}"
        sheet.formula(row, col["col.cash_end"], f"={flow}-{c['col.costs']}", int(rec.cash_end))
        cash_end[k] = cell(row, col["col.cash_end"])
        row += 1
    last = row - 1

    def rng(key: str) -> str:
        return f"{cell(first, col[key], True)}:{cell(last, col[key], True)}"

    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    totals = {
        "col.cash_flow": int(table["cash_flow"].sum()),
        "col.other_ds": int(table["other_debt_service"].sum()),
        "col.issue_ds": int(table["debt_service"].sum()),
        "col.due_at_maturity": int(table["due_at_maturity"].sum()),
        "col.deposit": int(table["sinking_deposit"].sum()),
        "col.periodic_ds": int(
            (
                table["periodic_debt_service"]
                + table["sinking_deposit"]
                + table["other_debt_service"]
            ).sum()
        ),
        "col.costs": int(table["costs"].sum()),
    }
    for key, value in totals.items():
        sheet.formula(row, col[key], f"=SUM({rng(key)})", value, total=True)
    na = text_literal(t("not_applicable", lang))
    cov = rng("col.coverage")
    here = sheet.ref(first, 0).split("!")[0]
    book.refs["coverage_status"] = f"{here}!{rng('col.readiness')}"
    book.refs["threshold"] = thr
    lines = [
        (t("cap.min_dscr", lang), "min_dscr", f"=IF(COUNT({cov})=0,{na},MIN({cov}))", cap.min_dscr, "ratio"),
        (t("cap.avg_dscr", lang), "average_dscr", f"=IF(COUNT({cov})=0,{na},AVERAGE({cov}))", cap.average_dscr, "ratio"),
        (t("cap.years_below_count", lang), "years_below_count", f'=COUNTIFS({cov},"<"&{thr})', len(cap.years_below_threshold), "int"),
    ]  # fmt: skip
    row = _figure_lines(sheet, row + 2, lines, na)
    if chart is not None:
        row = sheet.pictures(row + 1, [chart])

    # the maturity test, the reserve and the sizing: on a new printed page
    row += 1
    sheet.ws.set_h_pagebreaks([*breaks, row])
    row = sheet.section(row, "sec.maturity_test")
    mats = cap.maturities
    if mats.empty:
        row = sheet.note(row, t("mat.none", lang), chars=sheet.wide())
        book.refs["maturity_coverage"] = na
    else:
        row = sheet.note(row, t("mat.note", lang), chars=sheet.wide())
        mkeys = (
            "fiscal_year",
            "col.due",
            "col.cash_start",
            "col.sinking_fund",
            "col.cash_flow_net",
            "col.renewals",
            "col.maturity_coverage",
        )
        mcol = column_map(mkeys)
        row = sheet.header(row, 0, [heading(k, lang) for k in mkeys])
        mfirst = row
        for rec in mats.itertuples(index=False):
            k = years.index(int(rec.fiscal_year))
            at = first + k

            def cov_cell(key: str, at: int = at) -> str:
                return cell(at, col[key])

            m = {key: cell(row, mcol[key]) for key in mkeys}
            sheet.number(row, mcol["fiscal_year"], int(rec.fiscal_year), "plain")
            sheet.formula(row, mcol["col.due"], f"={cov_cell('col.due_at_maturity')}", int(rec.due))
            start = names["opening_cash"] if k == 0 else cash_end[k - 1]
            sheet.formula(row, mcol["col.cash_start"], f"={start}", int(rec.cash_start))
            fund = _sum(fund_amounts.get(k, []))
            sheet.formula(row, mcol["col.sinking_fund"], f"={fund}", int(rec.sinking_fund))
            net = (
                f"={cov_cell('col.cash_flow')}-{cov_cell('col.other_ds')}"
                f"-({cov_cell('col.issue_ds')}-{cov_cell('col.due_at_maturity')})"
                f"-{cov_cell('col.deposit')}-{cov_cell('col.costs')}"
            )
            sheet.formula(row, mcol["col.cash_flow_net"], net, int(rec.cash_flow))
            if "renewal_rate" in names:
                renew = "=" + round_cents(f"{names['renewal_rate']}*({_sum(principal_cells[k])})")
                sheet.formula(row, mcol["col.renewals"], renew, int(rec.renewals))
            else:
                sheet.money(row, mcol["col.renewals"], int(rec.renewals))
            have = "+".join(m[key] for key in ("col.cash_start", "col.sinking_fund", "col.cash_flow_net", "col.renewals"))  # fmt: skip
            # the cash of the maturity year before renewals, for B3.5's cash at maturity
            book.refs[f"maturity_cash.{int(rec.fiscal_year)}"] = "+".join(
                sheet.ref(row, mcol[key])
                for key in ("col.cash_start", "col.sinking_fund", "col.cash_flow_net")
            )
            sheet.formula(
                row, mcol["col.maturity_coverage"], f"=MAX({have},0)/{m['col.due']}",
                float(rec.coverage), "ratio",
            )  # fmt: skip
            row += 1
        mrange = f"{cell(mfirst, mcol['col.maturity_coverage'], True)}:{cell(row - 1, mcol['col.maturity_coverage'], True)}"  # fmt: skip
        row = _figure_lines(
            sheet, row + 1,
            [(t("kf.maturity_coverage", lang), "maturity_coverage", f"=MIN({mrange})", cap.maturity_coverage, "ratio")],  # fmt: skip
            na,
        )  # fmt: skip

    if terms.reserve is not None:
        row = _reserve(sheet, row, years, names, first, col, rng("col.issue_ds"))
    _sizing(sheet, row, years, names, first, col)


def _figure_lines(sheet: Sheet, row: int, lines: list, na: str) -> int:
    """Key-value lines whose values are formulas, published in :attr:`Book.refs`."""

    def writer(key: str, formula: str, value, kind: str):
        def write(r: int, c: int) -> None:
            cached = value if value is not None else t("not_applicable", sheet.lang)
            if kind == "ratio" and value is not None:
                sheet.formula(r, c, formula, float(value), "ratio")
            elif kind == "ratio":
                sheet.ws.write_formula(r, c, formula, sheet.book.fmt("ratio"), cached)
            else:
                sheet.formula(r, c, formula, value, kind)
            sheet.book.refs[key] = sheet.ref(r, c)

        return write

    return sheet.kv_lines(row, [(text, writer(key, f, v, kind)) for text, key, f, v, kind in lines])


def _cost_terms(book, res, years: list[int], fye: str) -> list[list[str]]:
    """The costs of each fiscal year as terms of a formula on B3.2's named costs: the
    upfront costs and the campaign's in the fiscal year of the earliest issue date, the
    yearly admin times the anniversaries that fall in each (as :func:`costs_by_fiscal_year`)."""
    out: list[list[str]] = [[] for _ in years]
    flows = res.issuer_flows
    first = flows["date"].min().date()

    def at(d) -> int:
        return min(max(fiscal_year(d, fye) - years[0], 0), len(years) - 1)

    k0 = at(first)
    out[k0].append(book.name("name.upfront_total"))
    if res.campaign is not None:
        out[k0].append(book.name("name.campaign_cost"))
    counts: dict[int, int] = {}
    for d in admin_dates(res):
        counts[at(d)] = counts.get(at(d), 0) + 1
    for k, m in sorted(counts.items()):
        out[k].append(f"{book.name('name.admin')}*{m}")
    return out


def admin_dates(res) -> list:
    """The anniversaries of the earliest issue date up to the latest maturity, on which
    the yearly admin is paid (as :func:`bondkit.core.metrics.issuer_cash_flows`), whether
    or not the scenario's admin is zero: a reader may type one.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> [d.isoformat() for d in admin_dates(run(starter_scenario()))][:2]
    ['2028-01-15', '2029-01-15']
    """
    from bondkit.core.conventions import add_years

    first = min(s.issue_date for s in res.series)
    last = max(s.maturity for s in res.series)
    out, k = [], 1
    while add_years(first, k) <= last:
        out.append(add_years(first, k))
        k += 1
    return out


def _sinking(sheet, row, years, matures, rate, deposit_cell, withdrawal_cell, fund_amounts) -> int:
    """The sinking fund: for each fiscal year the total deposit, the withdrawal and the
    fund's balance, then a deposit and a balance column per bullet or accumulating series
    (each a formula on its amount and the fund's rate: the level deposit
    ``amount x r / ((1 + r)^n - 1)`` rounded to the cent, the balance earning ``r`` rounded
    to the cent, the last deposit what completes the amount)."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    table = res.capacity.table
    fye = res.scenario.issuer.fiscal_year_end
    row = sheet.section(row + 1, "sec.sinking")
    row = sheet.note(row, t("sink.note", lang), chars=sheet.wide())
    at_maturity = [s for s in res.series if s.id in matures]
    keys = ["fiscal_year", "col.deposit", "col.withdrawal", "col.fund_balance"]
    col = column_map(keys)
    per = {}  # series id -> (deposit col, balance col)
    for j, s in enumerate(at_maturity):
        per[s.id] = (len(keys) + 2 * j, len(keys) + 2 * j + 1)
    labels = [heading(k, lang) for k in keys]
    for s in at_maturity:
        labels += [
            t("col.deposit_of", lang).format(series=s.id),
            t("col.balance_of", lang).format(series=s.id),
        ]
    row = sheet.header(row, 0, labels)
    first = row
    window = {}
    for s in at_maturity:
        f = years.index(fiscal_year(s.issue_date, fye))
        window[s.id] = (f, matures[s.id])
        if matures[s.id] > f:
            fund_amounts.setdefault(matures[s.id], []).append(book.names[s.id][0])
    for k, rec in enumerate(table.itertuples(index=False)):
        sheet.number(row, col["fiscal_year"], years[k], "plain")
        deposits, balances = [], []
        for s in at_maturity:
            dc, bc = per[s.id]
            f, m = window[s.id]
            amount = book.names[s.id][0]
            if f <= k < m:
                nd = m - f
                before = "0" if k == f else cell(row - 1, bc)
                grown = f"{before}+" + round_cents(f"{before}*{rate}") if k > f else "0"
                if k < m - 1:
                    level = round_cents(
                        f"IF({rate}=0,{amount}/{nd},{amount}*{rate}/((1+{rate})^{nd}-1))"
                    )
                    dep = "=" + level
                else:
                    dep = f"={amount}-({grown})"
                value_d, value_b = _series_sinking(s, nd, res.capacity.terms, k - f)
                sheet.formula(row, dc, dep, value_d)
                sheet.formula(row, bc, f"={grown}+{cell(row, dc)}", value_b)
            else:
                sheet.money(row, dc, 0)
                sheet.money(row, bc, 0)
            deposits.append(cell(row, dc))
            balances.append(cell(row, bc))
        sheet.formula(row, col["col.deposit"], "=" + _sum(deposits), int(rec.sinking_deposit))
        out = [book.names[s.id][0] for s in at_maturity if window[s.id][1] == k and window[s.id][1] > window[s.id][0]]  # fmt: skip
        if out:
            sheet.formula(row, col["col.withdrawal"], "=" + _sum(out), int(rec.sinking_withdrawal))
        else:
            sheet.money(row, col["col.withdrawal"], 0)
        sheet.formula(row, col["col.fund_balance"], "=" + _sum(balances), int(rec.sinking_balance))
        deposit_cell[k] = cell(row, col["col.deposit"])
        withdrawal_cell[k] = cell(row, col["col.withdrawal"])
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    for key, field in (
        ("col.deposit", "sinking_deposit"),
        ("col.withdrawal", "sinking_withdrawal"),
    ):
        c = col[key]
        sheet.formula(row, c, f"=SUM({cell(first, c)}:{cell(row - 1, c)})", int(table[field].sum()), total=True)  # fmt: skip
    return row + 1


def _series_sinking(s, deposits: int, terms, k: int) -> tuple[int, int]:
    """One series' deposit and balance in the k-th year of its fund [cents] (bondkit's own)."""
    from bondkit.core.conventions import exact
    from bondkit.models.capacity import sinking_fund_schedule

    pays, bals = sinking_fund_schedule(s.amount_cents, deposits, exact(terms.sinking_fund.rate))
    return pays[k], bals[k]


def _reserve(sheet, row, years, names, first, col, issue_ds) -> int:
    """The reserve: target (the largest annual debt service, or months of the next year's),
    cash required = minimum cash + target, cash at year end, covered or not."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    terms, table = res.capacity.terms, res.capacity.table
    row = sheet.section(row + 1, "sec.reserve")
    target = t(f"res.{terms.reserve.target}", lang).format(months=terms.reserve.months)
    row = sheet.kv_lines(row, [(t("res.target", lang), lambda r, c: sheet.overflow(r, c, target))])
    row = sheet.note(row, t("res.note", lang), chars=sheet.wide())
    keys = ("fiscal_year", "col.reserve_target", "col.cash_required", "col.cash_end", "col.covered")
    rcol = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    words = {"ok": t("word.yes", lang), "risk": t("word.no", lang)}
    minimum = to_cents(terms.minimum_cash)
    for k, rec in enumerate(table.itertuples(index=False)):
        sheet.number(row, rcol["fiscal_year"], years[k], "plain")
        if terms.reserve.target == "max-annual-debt-service":
            target_f = f"=MAX({issue_ds})"
        elif k + 1 < len(years):
            nxt = cell(first + k + 1, col["col.issue_ds"])
            target_f = "=" + round_cents(f"{nxt}*{terms.reserve.months}/12")
        else:
            target_f = "=0"
        sheet.formula(row, rcol["col.reserve_target"], target_f, int(rec.reserve_target))
        required = f"={names['minimum_cash']}+{cell(row, rcol['col.reserve_target'])}"
        sheet.formula(row, rcol["col.cash_required"], required, minimum + int(rec.reserve_target))
        sheet.formula(row, rcol["col.cash_end"], f"={cell(first + k, col['col.cash_end'])}", int(rec.cash_end))  # fmt: skip
        covered = (
            f"=IF({cell(row, rcol['col.cash_end'])}>={cell(row, rcol['col.cash_required'])},"
            f"{text_literal(words['ok'])},{text_literal(words['risk'])})"
        )
        sheet.live_status(
            row, rcol["col.covered"], covered, words["ok" if rec.reserve_covered else "risk"],
            {words["ok"]: "ok", words["risk"]: "risk"},
        )  # fmt: skip
        row += 1
    return row


def _sizing(sheet, row, years, names, first, col) -> None:
    """The largest issue the cash flow carries at the threshold: a table of the sizing
    window (each fiscal year after the first: cash flow after other debt, the payment it
    carries, its present value), then level and sculpted sizes as formulas."""
    book = sheet.book
    res, lang = book.result, sheet.lang
    cap = res.capacity
    terms = cap.terms
    row = sheet.section(row + 1, "sec.sizing")
    size_names: dict[str, str] = {}
    if terms.sizing_rate is not None:
        rate_line = lambda r, c: size_names.__setitem__(  # noqa: E731
            "rate",
            sheet.input(r, c, "rate", float(terms.sizing_rate), book.name("name.sizing_rate")),
        )
    else:

        def rate_line(r: int, c: int) -> None:
            amounts, rates = book.name("name.amounts"), book.name("name.rates")
            sheet.formula(
                r, c, f"=SUMPRODUCT({amounts},{rates})/SUM({amounts})", cap.sizing_rate, "rate"
            )
            size_names["rate"] = cell(r, c, True)

    row = sheet.kv_lines(
        row,
        [
            (t("size.rate", lang), rate_line),
            (t("size.years", lang), lambda r, c: sheet.number(r, c, cap.sizing_years)),
        ],
    )
    rate = size_names["rate"]
    keys = ("fiscal_year", "col.available", "col.sized_payment", "col.present_value")
    scol = column_map(keys)
    row = sheet.header(row + 1, 0, [heading(k, lang) for k in keys])
    sfirst = row
    available = _available(cap, years)
    thr = names["threshold"]
    for j, (year, cents, live) in enumerate(available, start=1):
        sheet.number(row, scol["fiscal_year"], year, "plain")
        a = cell(row, scol["col.available"])
        if live is not None:
            k = live
            cf = cell(first + k, col["col.cash_flow"])
            other = cell(first + k, col["col.other_ds"])
            sheet.formula(row, scol["col.available"], f"={cf}-{other}", cents)
        else:  # past the table: a cash flow by base and growth, extended by bondkit
            sheet.money(row, scol["col.available"], cents)
        pay = max(cents / float(terms.coverage_threshold), 0.0) / 100  # currency, unrounded
        money = book.fmt("money")
        sheet.ws.write_formula(row, scol["col.sized_payment"], f"=MAX({a}/{thr},0)", money, pay)
        pv = pay * (1 + cap.sizing_rate) ** -j
        pv_formula = f"={cell(row, scol['col.sized_payment'])}/(1+{rate})^{j}"
        sheet.ws.write_formula(row, scol["col.present_value"], pv_formula, money, pv)
        sheet.fit(row, scol["col.present_value"], len(f"{pv:,.2f}") + 4)
        row += 1
    last = row - 1
    m = len(available)

    def rng(key: str) -> str:
        return f"{cell(sfirst, scol[key], True)}:{cell(last, scol[key], True)}"

    here = sheet.ref(sfirst, 0).split("!")[0]
    book.refs["sizing_available"] = f"{here}!{rng('col.available')}" if m else ""
    if m:
        win = rng("col.available")
        payments = f"MIN({win})/{thr}*IF({rate}=0,{m},(1-(1+{rate})^-{m})/{rate})"
        level = f"=IF(MIN({win})<=0,0,{round_cents(payments)})"
        sculpted = "=" + round_cents(f"SUM({rng('col.present_value')})")
    else:
        level = sculpted = "=0"
    lines = []

    def figure(key: str, formula: str, value: int):
        def write(r: int, c: int) -> None:
            sheet.formula(r, c, formula, value)
            if key:
                book.refs[key] = sheet.ref(r, c)

        return write

    lines.append((t("size.level", lang), figure("max_debt_level_payment", level, cap.max_debt_level_payment)))  # fmt: skip
    lines.append((t("size.sculpted", lang), figure("max_debt_sculpted", sculpted, cap.max_debt_sculpted)))  # fmt: skip
    none = cap.years_without_capacity
    lines.append(
        (
            t("size.no_capacity", lang),
            lambda r, c: sheet.overflow(
                r, c, ", ".join(map(str, none)) if none else t("none", lang)
            ),
        )  # fmt: skip
    )
    row = sheet.kv_lines(row + 1, lines)
    sheet.note(row, t("size.note", lang), chars=sheet.wide())


def _available(cap, years: list[int]) -> list[tuple[int, int, int | None]]:
    """The sizing window: (fiscal year, cash flow after other debt [cents], index of the
    year in the capacity table or None past it), as :func:`assess` takes it."""
    from bondkit.models.capacity import cash_flow_by_year, other_debt_service_by_year

    terms = cap.terms
    table = cap.table
    avail = (table["cash_flow"] - table["other_debt_service"]).tolist()
    out = [(years[k], int(avail[k]), k) for k in range(1, min(len(years), 1 + cap.sizing_years))]
    if len(out) < cap.sizing_years:
        longer = list(range(years[0], years[0] + cap.sizing_years + 1))
        more = cash_flow_by_year(terms, longer) - other_debt_service_by_year(terms, longer)
        out += [(y, int(more[y - years[0]]), None) for y in longer[len(out) + 1 :]]
    return out
