"""B3.5's renewal offered to each series and the cash at each maturity, net of the expected
renewals (booklet 3, moment 5: renewal or repayment).

- The renewal offer of each series (``[[offer.renewals]]``): the new rate and term for
  those who renew, and the new maturity.
- The cash each series repaid at maturity (bullet, accumulating) needs then: what falls
  due (a formula on its last row of B3.4's schedule), the expected renewals (the renewal
  rate of ``[risk]`` × its principal, as in B3.4's maturity test; none without ``[risk]``),
  the need net of them. With ``[capacity]``, by maturity fiscal year: that need (a SUMIFS
  over the series), the cash available then (the cash at the start of the year, the
  sinking fund and the year's cash flow left after everything else: B3.4's maturity test),
  the shortfall and a live status. Then the options when a maturity falls short, in words.

Figures that follow from the inputs are formulas, each with bondkit's value cached beside it.
"""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname

from bondkit.core.conventions import add_years, exact, fiscal_year, round_half_up
from bondkit.labels import money_text, t
from bondkit.report.workbook.formulas import SCHEDULE_SHEET_COLUMNS, cell, round_cents
from bondkit.report.workbook.kit import Sheet, column_map, heading, text_literal

__all__ = ["write_renewal_offers", "write_cash_at_maturity", "series_needs", "maturity_needs"]

#: the repayments that leave a lump sum at maturity
_AT_MATURITY = ("bullet", "accumulating")
#: the options when a maturity falls short, in the order shown (their label keys)
OPTIONS = (
    "renew.option.reserve",
    "renew.option.bridge",
    "renew.option.campaign",
    "renew.option.partial",
    "renew.option.extend",
)


def write_renewal_offers(sheet: Sheet, row: int) -> int:
    """The renewal offered to each series at maturity (new rate, term and maturity), or
    that the offer proposes none; the next row.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("solar-coop-multi-series").with_changes({"risk.paths": 200})
    >>> book = Book(run(sc), None, "en")  # held in memory
    >>> write_renewal_offers(book.sheet("sheet.b3_5", "title.b3_5"), 3)
    11
    """
    res, lang = sheet.book.result, sheet.lang
    offer = res.scenario.offer_terms()
    row = sheet.section(row, "sec.renewal_offers")
    keys = (
        "series",
        "col.maturity",
        "annual_rate",
        "renew.col.new_rate",
        "renew.col.new_term",
        "renew.col.new_maturity",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for terms in res.series:
        sheet.text(row, col["series"], terms.id)
        sheet.date(row, col["col.maturity"], terms.maturity)
        sheet.rate(row, col["annual_rate"], float(terms.annual_rate))
        offered = offer.renewal(terms.id)
        if offered is None:
            sheet.overflow(row, col["renew.col.new_rate"], t("renew.none", lang))
        else:
            sheet.rate(row, col["renew.col.new_rate"], float(offered.annual_rate))
            sheet.number(row, col["renew.col.new_term"], offered.term_years)
            new = add_years(terms.maturity, offered.term_years)
            sheet.date(row, col["renew.col.new_maturity"], new)
        row += 1
    note = "renew.offers_note" if offer.renewals else "renew.offers_none"
    row = sheet.note(row, t(note, lang), chars=sheet.wide())
    return row + 1


def series_needs(result) -> list[dict]:
    """The cash each series repaid at maturity (bullet, accumulating) needs then [cents]:
    ``series`` (its id), ``year`` (the fiscal year of its last payment), ``period`` (that
    payment's), ``due`` (its principal, with the capitalised interest of an accumulating
    series), ``principal``, ``renewals`` (the renewal rate of ``[risk]`` × the principal,
    half up; 0 without ``[risk]``) and ``need`` (due − renewals), in the order of the series.

    The Cinéma du Parc's accumulating series: 100,000 $ at 2 % compounded over 5 years,
    110,408.08 $ due, 65 % of the principal renewed:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> [(x["series"], x["year"], x["due"], x["renewals"], x["need"]) for x in series_needs(run(sc))]
    [('A', 2022, 11040808, 6500000, 4540808)]
    """
    fye = result.scenario.issuer.fiscal_year_end
    rate = result.risk.terms.renewal_rate if result.risk is not None else None
    out = []
    for terms in result.series:
        if terms.repayment not in _AT_MATURITY:
            continue
        last = result.schedule.loc[result.schedule["series"] == terms.id].iloc[-1]
        whole = terms.repayment == "accumulating"
        due = int(last["payment"] if whole else last["principal"])
        principal = int(last["principal"])
        renewals = 0 if rate is None else round_half_up(exact(rate) * principal)
        out.append(
            {
                "series": terms.id,
                "year": fiscal_year(last["date"].date(), fye),
                "period": int(last["period"]),
                "due": due,
                "principal": principal,
                "renewals": renewals,
                "need": due - renewals,
            }
        )
    return out


def maturity_needs(result) -> list[dict]:
    """The cash needed at each maturity year of a series repaid at maturity, by fiscal year
    [cents]: ``year``, ``series`` (their ids), ``need`` (the sum of their needs net of the
    expected renewals: :func:`series_needs`), and with a capacity analysis ``available``
    (the cash at the start of the year, the sinking fund and the year's cash flow left after
    everything else paid that year, as in the maturity test) and ``shortfall`` (need −
    available, at least 0); both None without one.

    The solar co-op's two bullet series: 100,000 $ due in fiscal year 2029, 150,000 $ in
    2031, 65 % renewed: 35,000 $ and 52,500 $ to find, which its cash covers:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("solar-coop-multi-series").with_changes({"risk.paths": 200})
    >>> [(x["year"], x["series"], x["need"], x["shortfall"]) for x in maturity_needs(run(sc))]
    [(2029, ['A-3y'], 3500000, 0), (2031, ['B-5y'], 5250000, 0)]
    """
    by_year: dict[int, dict] = {}
    for x in series_needs(result):
        entry = by_year.setdefault(x["year"], {"year": x["year"], "series": [], "need": 0})
        entry["series"].append(x["series"])
        entry["need"] += x["need"]
    mats = None
    if result.capacity is not None:
        mats = result.capacity.maturities.set_index("fiscal_year")
    out = []
    for year in sorted(by_year):
        entry = by_year[year]
        entry["available"] = entry["shortfall"] = None
        if mats is not None and year in mats.index:
            m = mats.loc[year]
            entry["available"] = int(m["cash_start"]) + int(m["sinking_fund"]) + int(m["cash_flow"])
            entry["shortfall"] = max(entry["need"] - entry["available"], 0)
        out.append(entry)
    return out


def write_cash_at_maturity(sheet: Sheet, row: int) -> int:
    """The cash each series repaid at maturity needs then, net of the expected renewals;
    with a capacity analysis, by fiscal year, that need against the cash available then,
    the shortfall and a live status; then the options when a maturity falls short; the
    next row. Every formula has the same length whatever the number of series.

    >>> from bondkit.report.workbook.b3_4_management import write_management
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("solar-coop-multi-series").with_changes({"risk.paths": 200})
    >>> book = Book(run(sc), None, "en")  # held in memory
    >>> write_management(book.sheet("sheet.b3_4", "title.b3_4"), {})  # its cells come first
    >>> write_cash_at_maturity(book.sheet("sheet.b3_5", "title.b3_5"), 3)
    31
    """
    book = sheet.book
    res, lang = book.result, sheet.lang
    b34 = book.sheet_name("sheet.b3_4")
    row = sheet.section(row, "sec.renewal_cash")
    per_series = series_needs(res)
    amortizing = [x.id for x in res.series if x.repayment not in _AT_MATURITY]
    if not per_series:
        row = sheet.note(row, t("renew.nothing_at_maturity", lang), chars=sheet.wide())
        return row + 1
    row = sheet.note(row, t("renew.cash_note", lang).format(sheet=b34), chars=sheet.wide())
    rate_ref = None
    if res.risk is not None:
        rate_ref = book.refs.get("renewal_rate")
        if rate_ref is None:  # no capacity analysis on B3.4: the input is here

            def _rate(r: int, c: int) -> None:
                nonlocal rate_ref
                value = float(res.risk.terms.renewal_rate)
                rate_ref = sheet.input(r, c, "rate", value, book.name("name.renewal_rate"))

            row = sheet.kv_lines(row, [(t("renew.renewal_rate", lang), _rate)])
    # the need of each series, on its own schedule row of B3.4
    keys = ("series", "col.maturity", "fiscal_year", "col.due", "col.renewals", "renew.col.need")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    schedule = quote_sheetname(b34)
    sched_col = column_map(SCHEDULE_SHEET_COLUMNS)
    kinds = {x.id: x for x in res.series}
    first = row
    for x in per_series:
        c = {key: cell(row, col[key]) for key in keys}
        r = book.schedule_rows[(x["series"], x["period"])]
        key = "payment" if kinds[x["series"]].repayment == "accumulating" else "principal"
        due_ref = f"{schedule}!{cell(r, sched_col[key], True)}"
        principal_ref = f"{schedule}!{cell(r, sched_col['principal'], True)}"
        sheet.text(row, col["series"], x["series"])
        sheet.date(row, col["col.maturity"], kinds[x["series"]].maturity)
        sheet.number(row, col["fiscal_year"], x["year"], "plain")
        sheet.formula(row, col["col.due"], f"={due_ref}", x["due"])
        if rate_ref is None:
            sheet.money(row, col["col.renewals"], 0)
        else:
            renew = "=" + round_cents(f"{rate_ref}*{principal_ref}")
            sheet.formula(row, col["col.renewals"], renew, x["renewals"])
        need = f"={c['col.due']}-{c['col.renewals']}"
        sheet.formula(row, col["renew.col.need"], need, x["need"])
        row += 1
    years = f"{cell(first, col['fiscal_year'], True)}:{cell(row - 1, col['fiscal_year'], True)}"
    needs = (
        f"{cell(first, col['renew.col.need'], True)}:{cell(row - 1, col['renew.col.need'], True)}"
    )
    by_year = maturity_needs(res)
    if res.capacity is not None:
        row = _by_year(sheet, row + 1, by_year, years, needs)
    row += 1
    notes = [t("renew.no_risk" if res.risk is None else "renew.sim_note", lang)]
    if res.capacity is None:
        notes.append(t("renew.no_capacity", lang))
    if amortizing:
        notes.append(t("renew.amortizing", lang).format(ids=", ".join(amortizing), sheet=b34))
    for text in notes:
        row = sheet.note(row, text, chars=sheet.wide())
    return _options(sheet, row + 1, by_year, b34)


def _by_year(sheet: Sheet, row: int, by_year: list[dict], years: str, needs: str) -> int:
    """By maturity fiscal year: the need (a SUMIFS over the table of series above, whose
    fiscal years and needs are ``years`` and ``needs``), the cash available then (B3.4's
    maturity test), the shortfall and its live status; the next row."""
    book, lang = sheet.book, sheet.lang
    keys = (
        "fiscal_year",
        "renew.col.need",
        "renew.col.available",
        "renew.col.gap",
        "renew.col.status",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    short, covered = t("renew.short", lang), t("renew.covered", lang)
    for entry in by_year:
        c = {key: cell(row, col[key]) for key in keys}
        sheet.number(row, col["fiscal_year"], entry["year"], "plain")
        need = f"=SUMIFS({needs},{years},{c['fiscal_year']})"
        sheet.formula(row, col["renew.col.need"], need, entry["need"])
        cash = book.refs[f"maturity_cash.{entry['year']}"]
        sheet.formula(row, col["renew.col.available"], f"={cash}", entry["available"])
        gap = f"=MAX({c['renew.col.need']}-{c['renew.col.available']},0)"
        sheet.formula(row, col["renew.col.gap"], gap, entry["shortfall"])
        sheet.live_status(
            row, col["renew.col.status"],
            f"=IF({c['renew.col.gap']}>0,{text_literal(short)},{text_literal(covered)})",
            short if entry["shortfall"] > 0 else covered,
            {short: "risk", covered: "ok"},
        )  # fmt: skip
        row += 1
    return row


def _options(sheet: Sheet, row: int, needs: list[dict], b34: str) -> int:
    """What the scenario's figures say (the shortfall of each maturity year, or none), then
    the options when a maturity falls short; the next row."""
    lang, currency = sheet.lang, sheet.book.currency
    row = sheet.section(row, "sec.renewal_options")
    found = [e for e in needs if e["shortfall"]]
    if found:
        for e in found:
            row = sheet.note(
                row,
                t("renew.gap_found", lang).format(
                    year=e["year"],
                    gap=money_text(e["shortfall"], lang, currency),
                    need=money_text(e["need"], lang, currency),
                ),
                chars=sheet.wide(),
            )
    elif needs[0]["available"] is not None:
        row = sheet.note(row, t("renew.no_gap", lang), chars=sheet.wide())
    for key in OPTIONS:
        text = "– " + t(key, lang).format(sheet=b34)
        row = sheet.note(row, text, chars=sheet.wide())
    row = sheet.note(row, t("renew.options_note", lang), chars=sheet.wide())
    return row + 1
