"""The B3.5 Renewal-repayment sheet: the maturities of each series (last payment, final
principal and payment), the renewal offered to each series and the cash at each maturity
net of the expected renewals, with the options when it falls short
(:mod:`bondkit.report.workbook.b3_5_cash`). With a risk analysis (``result.risk``): the
maturity wall by fiscal year and series, every renewal and redemption assumption (with
the number of simulated paths and the seed), the chance of a shortfall and the recommended
reserve, the principal paid out by fiscal year (simulated) and the fan chart. With a register of holders
(``result.register``), between the two: the register's figures by series and the
redemption requests waiting, marked as real data, and that the risk figures take the
register's holdings as the holders.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bondkit.columns import label
from bondkit.core.conventions import exact, round_half_up, to_cents
from bondkit.labels import money_text, number_text, percent_short, t
from bondkit.report.workbook.b3_4_management import real_cell, real_formats, write_register_block
from bondkit.report.workbook.b3_5_cash import write_cash_at_maturity, write_renewal_offers
from bondkit.report.workbook.kit import FIRST_ROW, Sheet, column_map, heading
from bondkit.report.workbook.pieces import series_table, totals

if TYPE_CHECKING:
    from pathlib import Path

    from bondkit.runner.registered import RegisterSnapshot

__all__ = ["write_renewal"]


def _expected(x: float) -> int:
    """An expectation in cents (a float) as whole cents, half up."""
    return round_half_up(exact(float(x)))


def write_renewal(sheet: Sheet, charts: dict[str, Path]) -> None:
    """Maturities of each series; with a risk analysis, the maturity wall, the assumptions,
    the simulated principal paid out by fiscal year, the shortfall and the reserve, with
    ``charts`` (chart name -> PNG path: ``"redemptions"`` is shown).

    B3.4 comes first (the cash at maturity refers to its schedule):

    >>> from bondkit.report.workbook.b3_4_management import write_management
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> write_management(book.sheet("sheet.b3_4", "title.b3_4"), {})
    >>> sheet = book.sheet("sheet.b3_5", "title.b3_5")
    >>> write_renewal(sheet, {})
    >>> sheet.ws.name, sheet.last_row
    ('B3.5 Renewal-repayment', 37)
    """
    res = sheet.book.result
    row = FIRST_ROW
    row = sheet.section(row, "sec.maturities")
    last_rows = {sid: g.iloc[-1] for sid, g in res.schedule.groupby("series", sort=False)}

    def _c_last_date(s, r, c, terms):
        s.date(r, c, last_rows[terms.id]["date"])

    def _c_final_principal(s, r, c, terms):
        s.money(r, c, int(last_rows[terms.id]["principal"]))

    def _c_final_payment(s, r, c, terms):
        s.money(r, c, int(last_rows[terms.id]["payment"]))

    keys = (
        "series",
        "col.maturity",
        "col.last_payment_date",
        "col.final_principal",
        "col.final_payment",
        "col.amount",
    )
    own = {
        "col.last_payment_date": _c_last_date,
        "col.final_principal": _c_final_principal,
        "col.final_payment": _c_final_payment,
    }
    row = series_table(sheet, row, keys, own)
    row = totals(
        sheet,
        row,
        keys,
        {
            "col.final_principal": ("money", sum(int(x["principal"]) for x in last_rows.values())),
            "col.final_payment": ("money", sum(int(x["payment"]) for x in last_rows.values())),
            "col.amount": ("money", res.total_principal),
        },
    )
    row = write_renewal_offers(sheet, row + 1)
    row = write_cash_at_maturity(sheet, row)
    if res.risk is None:
        row = sheet.note(row, t("renew.hint_risk", sheet.lang), chars=sheet.wide()) + 1
    if res.register is not None:
        row = write_register_requests(sheet, row + 1, res.register)
    if res.risk is not None:
        _risk(sheet, row, charts.get("redemptions"))


def write_register_requests(sheet: Sheet, row: int, snap: RegisterSnapshot) -> int:
    """The register of holders on its date (as on B3.4), then the early redemption
    requests waiting by series (number, bonds, principal, how many are due that day), in
    the real-data style, and, with a risk analysis on the register's holders, a note that
    the risk figures take them as they are; the next row.

    >>> import datetime as dt
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.runner.registered import RegisterSnapshot, SeriesHeld
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_5", "title.b3_5")
    >>> a = SeriesHeld("A", 200, 3, 150_000, 2, 2, None, None, 0, 0, 1, 1, 50_000, 0)
    >>> snap = RegisterSnapshot("issue.db", "Issue", dt.date(2026, 4, 1), (), (a,), 2, True)
    >>> write_register_requests(sheet, 3, snap)
    15
    """
    res, lang = sheet.book.result, sheet.lang
    row = write_register_block(sheet, row, snap)
    fmts = real_formats(sheet)
    row = sheet.section(row, "runreg.requests_sec", date=snap.as_of.isoformat())
    keys = (
        "series",
        "runreg.col.requests",
        "runreg.col.requested_bonds",
        "runreg.col.requested",
        "runreg.col.due",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])

    def cells(r: int, values: tuple[int, int, int, int], total: bool = False) -> None:
        for key, kind, value in zip(keys[1:], ("int", "int", "money", "int"), values, strict=True):
            real_cell(sheet, fmts, r, col[key], kind, value, total=total)

    for s in snap.series:
        sheet.text(row, col["series"], s.series_id)
        cells(row, (s.requests, s.requested_bonds, s.requested_cents, s.requests_due))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    sums = [
        sum(getattr(s, f) for s in snap.series)
        for f in ("requests", "requested_bonds", "requested_cents", "requests_due")
    ]
    cells(row, (sums[0], sums[1], sums[2], sums[3]), total=True)
    row += 1
    if res.risk is not None and res.risk.exact:
        principal = money_text(int(res.risk.simulation.issued), lang, sheet.book.currency)
        note = t("runreg.risk_note", lang).format(
            n=len(snap.holdings), principal=principal, k=len(snap.waiting)
        )
        row = sheet.note(row, note, chars=sheet.wide())
    return row


def _risk(sheet: Sheet, row: int, chart: Path | None) -> None:
    """B3.5 with a risk analysis: the maturity wall (planned), the renewal and redemption
    assumptions with the size and seed of the simulation, the principal paid out by fiscal
    year (simulated), the shortfall and the recommended reserve, the fan chart."""
    res, lang = sheet.book.result, sheet.lang
    risk = res.risk
    terms, sim, table = risk.terms, risk.simulation, risk.table
    currency = sheet.book.currency
    simulated = {"n": number_text(sim.paths, lang), "seed": sim.seed}

    def words(text: str):
        return lambda r, c: sheet.overflow(r, c, text)

    def share(x: float):
        return lambda r, c: sheet.rate(r, c, float(x))

    def count(x: int, kind: str = "int"):
        return lambda r, c: sheet.number(r, c, int(x), kind)

    # the maturity wall: principal falling due by fiscal year and series, as planned
    row = sheet.section(row + 1, "sec.wall")
    ids = [x.id for x in res.series]
    # the fiscal year, a column per series (by its id), then the total
    year_col = 0
    series_col = column_map(ids, first=year_col + 1)
    total_col = year_col + len(ids) + 1
    row = sheet.header(
        row,
        year_col,
        [label("fiscal_year", lang)]
        + [t("series_n", lang).format(series=sid) for sid in ids]
        + [t("total", lang)],
    )
    principal = res.fiscal_by_series.set_index(["fiscal_year", "series"])["principal"]
    for rec in res.fiscal.itertuples(index=False):
        year = int(rec.fiscal_year)
        sheet.number(row, year_col, year, "plain")
        for sid in ids:
            sheet.money(row, series_col[sid], int(principal.get((year, sid), 0)))
        sheet.money(row, total_col, int(rec.principal))
        row += 1
    sheet.total_row(row, year_col, total_col, t("total", lang))
    for sid in ids:
        due = int(principal.xs(sid, level="series").sum())
        sheet.money(row, series_col[sid], due, total=True)
    sheet.money(row, total_col, int(res.fiscal["principal"].sum()), total=True)
    row += 1

    # the assumptions, every one in words, with the size and seed of the simulation; the
    # assumptions and the simulated results each start a printed page
    breaks = [row + 1]
    row = sheet.section(row + 1, "sec.risk_terms")
    lines: list[tuple[str, Any]] = [
        (t("risk.annual_probability", lang), share(terms.annual_probability))
    ]
    if terms.segment_probability:
        lines += [
            (t("risk.segment", lang).format(segment=name), share(p))
            for name, p in terms.segment_probability
        ]
    else:
        lines.append((t("risk.by_segment", lang), words(t("risk.same_for_all", lang))))

    if risk.exact and res.register is not None:
        holdings = t("runreg.risk_holdings", lang).format(
            n=number_text(len(res.register.holdings), lang), date=res.register.as_of.isoformat()
        )
    elif risk.holders_from_register:
        holdings = t("risk.from_register", lang)
    else:
        holdings = t("risk.equal", lang).format(
            amount=money_text(to_cents(terms.holding), lang, currency)
        )
    lines += [
        (t("risk.lock_in", lang), count(terms.lock_in_years)),
        (t("risk.notice", lang), count(terms.notice_months)),
        (
            t("risk.annual_cap", lang),
            words(t("risk.no_cap", lang)) if terms.annual_cap is None else share(terms.annual_cap),
        ),
    ]
    if terms.annual_cap is not None:
        cap_cents = math.floor(terms.annual_cap * sim.issued)
        lines.append((t("risk.cap_amount", lang), lambda r, c: sheet.money(r, c, cap_cents)))
    lines += [
        (t("risk.stress_probability", lang), share(terms.stress_probability)),
        (t("risk.stress_annual_probability", lang), share(terms.stress_annual_probability)),
        (t("risk.renewal_rate", lang), share(terms.renewal_rate)),
        (t("risk.shortfall_level", lang), share(terms.shortfall_level)),
        (t("risk.holders", lang), count(len(risk.holders.amount))),
        (t("risk.holdings", lang), words(holdings)),
        (t("risk.paths", lang), count(sim.paths)),
        (t("risk.seed", lang), lambda r, c: sheet.seed(r, c, sim.seed)),
    ]
    row = sheet.kv_lines(row, lines)
    row = sheet.note(row, t("risk.terms_note", lang), chars=sheet.wide())
    row = sheet.note(row, t("risk.simulated_note", lang).format(**simulated), chars=sheet.wide())

    # the shortfall over the whole life and the recommended reserve
    row = sheet.section(row + 1, "sec.risk_overall", **simulated)

    def _p(r: int, c: int) -> None:
        if risk.p_shortfall is None:
            sheet.overflow(r, c, t("risk.p_unknown", lang))
        else:
            sheet.rate(r, c, risk.p_shortfall)

    row = sheet.kv_lines(
        row,
        [
            (t("risk.p_shortfall", lang), _p),
            (
                t("risk.recommended_reserve", lang),
                lambda r, c: sheet.money(r, c, risk.recommended_reserve),
            ),
        ],
    )
    level = percent_short(terms.shortfall_level, lang)
    if risk.p_shortfall is None or res.capacity is None:
        sentence = t("risk.reserve_sentence_no_cash", lang).format(level=level)
    else:
        minimum = money_text(to_cents(res.capacity.terms.minimum_cash), lang, currency)
        sentence = t("risk.reserve_sentence", lang).format(level=level, minimum=minimum)
    row = sheet.note(row, sentence, chars=sheet.wide())

    # principal paid out by fiscal year, simulated; on a new printed page
    breaks.append(row + 1)
    row = sheet.section(row + 1, "sec.risk_results", **simulated)
    row = sheet.note(row, t("risk.need_note", lang), chars=sheet.wide())
    money_cols = {  # column key -> field of the risk table
        "col.planned_principal": "planned_principal",
        "col.exp_early": "expected_early",
        "col.exp_maturity": "expected_maturity",
        "col.exp_renewed": "expected_renewed",
        "col.exp_outflow": "expected_outflow",
        "col.need_p50": "need_p50",
        "col.need_p95": "need_p95",
        "col.need_p99": "need_p99",
    }
    with_p = "p_shortfall" in table.columns
    keys = ("fiscal_year", *money_cols, *(("col.p_shortfall",) if with_p else ()))
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for rec in table.to_dict("records"):
        sheet.number(row, col["fiscal_year"], int(rec["fiscal_year"]), "plain")
        for key, field in money_cols.items():
            sheet.money(row, col[key], _expected(rec[field]))
        if with_p:
            sheet.rate(row, col["col.p_shortfall"], float(rec["p_shortfall"]))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    for key in list(money_cols)[:5]:  # the needs (percentiles) have no total
        sheet.money(row, col[key], _expected(table[money_cols[key]].sum()), total=True)
    row += 1

    if chart is not None:
        sheet.pictures(row + 1, [chart])
    sheet.ws.set_h_pagebreaks(breaks)
