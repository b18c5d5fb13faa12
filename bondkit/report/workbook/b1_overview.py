"""The B1 Overview sheet: the terms of every series side by side, simple against compound
interest for one bond held to maturity, the legal check that applies to the issuer, and
what one bond pays its holder and when.
"""

from __future__ import annotations

from bondkit.columns import label
from bondkit.core.metrics import bond_cash_flows
from bondkit.labels import money_text, percent_text, t
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    LABEL_COL,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.report.workbook.pieces import step_rates_text, term_text

__all__ = ["write_overview"]


def _words(sheet: Sheet, prefix: str, value: str | None) -> str:
    return t(f"{prefix}.{value}", sheet.lang) if value else t("not_applicable", sheet.lang)


def write_overview(sheet: Sheet) -> None:
    """B1: the terms by series (one column each), simple against compound interest, the
    legal check, then one bond's flows (their header repeated on printed pages).

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b1", "title.b1")
    >>> write_overview(sheet)
    >>> sheet.ws.name, sheet.header_row
    ('B1 Overview', 47)
    """
    res, lang = sheet.book.result, sheet.lang
    series = res.series
    row = sheet.section(FIRST_ROW, "sec.terms")
    row = sheet.header(row, 0, [label("series", lang)] + [s.id for s in series])
    fields = [
        ("col.amount", lambda r, c, s: sheet.money(r, c, s.amount_cents)),
        ("col.face_value", lambda r, c, s: sheet.money(r, c, s.face_value_cents)),
        ("col.bonds", lambda r, c, s: sheet.number(r, c, s.bonds)),
        (None, lambda r, c, s: sheet.rate(r, c, float(s.annual_rate))),
        ("col.issue_date", lambda r, c, s: sheet.date(r, c, s.issue_date)),
        ("col.term", lambda r, c, s: sheet.text(r, c, term_text(sheet, s))),
        ("col.maturity", lambda r, c, s: sheet.date(r, c, s.maturity)),
        ("col.repayment", lambda r, c, s: sheet.text(r, c, t(f"repayment.{s.repayment}", lang))),
        (
            "col.interest_kind",
            lambda r, c, s: sheet.text(r, c, _words(sheet, "interest", s.interest)),
        ),
        ("col.frequency", lambda r, c, s: sheet.text(r, c, t(f"frequency.{s.frequency}", lang))),
        ("col.day_count", lambda r, c, s: sheet.text(r, c, t(f"daycount.{s.day_count}", lang))),
        (
            "col.business_day",
            lambda r, c, s: sheet.text(r, c, t(f"businessday.{s.business_day}", lang)),
        ),
        ("col.io_years", lambda r, c, s: sheet.number(r, c, s.interest_only_years)),
        ("col.step_rates", lambda r, c, s: sheet.text(r, c, step_rates_text(sheet, s))),
    ]
    for key, write in fields:
        text = t(key, lang) if key else label("annual_rate", lang)
        sheet.text(row, LABEL_COL, text, kind="bold")
        for c, terms in enumerate(series, start=VALUE_COL):  # a column per series
            write(row, c, terms)
        row += 1

    # simple vs compound, one bond held to maturity, value at each anniversary
    row = sheet.section(row + 1, "sec.simple_compound")
    row = sheet.note(row, t("sc.note", lang))
    keys = (
        "series",
        "col.bond_year",
        "col.date",
        "col.simple_interest",
        "col.simple_value",
        "col.compound_interest",
        "col.compound_value",
        "col.difference",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for terms in series:
        table = sheet.book.result.series_results[terms.id].simple_vs_compound
        face = terms.face_value_cents
        for year, when, simple, compound in table.itertuples(index=False):
            year, simple, compound = int(year), int(simple), int(compound)
            sheet.text(row, col["series"], terms.id)
            sheet.number(row, col["col.bond_year"], year)
            sheet.date(row, col["col.date"], when)
            sheet.money(row, col["col.simple_interest"], simple)
            sheet.money(row, col["col.simple_value"], face + simple)
            sheet.money(row, col["col.compound_interest"], compound)
            sheet.money(row, col["col.compound_value"], face + compound)
            sheet.money(row, col["col.difference"], compound - simple)
            row += 1

    # the legal check that applies
    row = sheet.section(row + 1, "sec.legal")
    row = sheet.note(row, t("legal.rule", lang))
    issuer = res.scenario.issuer
    in_qc = str(issuer.jurisdiction).upper() == "QC"
    is_npo = issuer.legal_form == "npo"
    keys = ("col.check", "col.status")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for key, answer in (
        ("legal.cond_qc", "legal.yes" if in_qc else "legal.no"),
        ("legal.cond_npo", "legal.yes" if is_npo else "legal.no"),
        ("legal.cond_commission", "legal.to_confirm"),
    ):
        sheet.text(row, col["col.check"], t(key, lang))
        sheet.text(row, col["col.status"], t(answer, lang), kind="bold")
        row += 1
    row = sheet.note(
        row + 1, t("legal.applies" if in_qc and is_npo else "legal.does_not_apply", lang)
    )
    if is_npo:
        row = sheet.note(row, t("legal.bylaw", lang))
    row = sheet.note(row, t("legal.disclaimer", lang))

    # what one bond pays its holder, and when
    row = sheet.section(row + 1, "sec.one_bond")
    flows = {terms.id: bond_cash_flows(terms) for terms in series}
    for terms in series:
        f = flows[terms.id]
        received = f["amount"].iloc[1:]
        r = res.series_results[terms.id]
        sentence = t("one_bond.sentence", lang).format(
            series=terms.id,
            face=money_text(terms.face_value_cents, lang, sheet.book.currency),
            issue=terms.issue_date.isoformat(),
            count=len(received),
            total=money_text(int(received.sum()), lang, sheet.book.currency),
            last=f["date"].iloc[-1].date().isoformat(),
            yield_=percent_text(r.investor_yield, lang),
        )
        row = sheet.note(row, sentence)
    row += 1
    top = row
    keys = ("col.date", "col.amount")
    for k, terms in enumerate(series):
        # each series' table side by side, an empty column between two
        col, r = column_map(keys, first=(len(keys) + 1) * k), top
        first, amount_col = col["col.date"], col["col.amount"]
        face = money_text(terms.face_value_cents, lang, sheet.book.currency)
        sheet.text(
            r,
            first,
            t("one_bond.header", lang).format(series=terms.id, face=face),
            kind="bold",
            track=False,
        )
        r = sheet.header(r + 1, first, [heading(key, lang) for key in keys], repeat=True)
        f = flows[terms.id]
        for d, amount in zip(f["date"], f["amount"], strict=True):
            sheet.date(r, col["col.date"], d)
            sheet.money(r, amount_col, int(amount))
            r += 1
        sheet.total_row(r, first, amount_col, t("flow.net", lang))
        sheet.money(r, amount_col, int(f["amount"].sum()), total=True)
