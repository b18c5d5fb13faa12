"""The B4 Case studies sheet: this scenario beside the public reference issues (Québec and
Canadian community bonds), their lessons, their sources (French titles as published, with
an English rendering on English sheets) and the Québec market figures, then how to set
the scenario beside other options. The comparison workbook shows its options in the same
table (:func:`cases_table`).

The table is fourteen columns wide: its words wrap in narrow columns (:data:`_WRAP`) so
that it prints one landscape page wide at a readable scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bondkit.data.references import reference_issues
from bondkit.labels import LABELS, money_text, number_text, percent_short, t
from bondkit.report.workbook.kit import FIRST_ROW, MAX_WIDTH, VALUE_COL, Sheet, column_map
from bondkit.report.workbook.pieces import cents_from_units, step_rates_text, term_text

if TYPE_CHECKING:
    from bondkit.data.references import ReferenceIssue, Source
    from bondkit.runner import Result

__all__ = ["write_cases", "cases_table"]

#: the width (characters) at which the words of a column of the table wrap
_WRAP = {
    "ref.col.issue": 18.0,
    "ref.col.place": 11.0,
    "ref.col.year": 8.0,
    "ref.col.amount_kind": 12.0,
    "ref.col.bonds": 12.0,
    "ref.col.rate": 11.0,
    "ref.col.term": 11.0,
    "ref.col.payment": 14.0,
    "ref.col.investors": 10.0,
    "ref.col.campaign": 11.0,
    "ref.col.notes": 18.0,
}


def _text(
    sheet: Sheet, row: int, col: dict[str, int], key: str, s: str, kind: str = "text"
) -> None:
    """Words in the table's column ``key``, wrapped at its width (:data:`_WRAP`)."""
    sheet.text(row, col[key], s, kind=kind, max_width=_WRAP.get(key, MAX_WIDTH))


def write_cases(sheet: Sheet) -> None:
    """B4: this scenario (first row) beside the public reference issues, their sources and
    the Québec market figures; then how to set it beside other options (bondkit compare).

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b4", "title.b4")
    >>> write_cases(sheet)
    >>> sheet.ws.name, sheet.header_row  # printed again only over the pages it runs over
    ('B4 Case studies', 6)
    """
    res = sheet.book.result
    row = sheet.kv(FIRST_ROW, "issuer")
    # the name runs over the empty cells on its right: column B is the table's
    sheet.overflow(row, VALUE_COL, res.scenario.issuer.name)
    row = sheet.section(row + 2, "ref.sec.table")
    row = cases_table(sheet, row, [(sheet.book.result, None)])
    row = sheet.section(row + 1, "sec.compare_hint")
    sheet.note(row, t("hint.b4", sheet.lang), chars=sheet.wide())


def cases_table(sheet: Sheet, row: int, scenarios: list[tuple[Result, str | None]]) -> int:
    """The case-study table: the scenarios (result, name), then the public reference
    issues, their note, lessons, sources and the Québec market figures; the next row.

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b4", "title.b4")
    >>> row = cases_table(sheet, FIRST_ROW, [(sheet.book.result, "Option A")])
    >>> sheet.header_row, row > FIRST_ROW + 10  # the header, the option, the references
    (3, True)
    """
    lang = sheet.lang
    keys = [k for k in LABELS if k.startswith("ref.col.")]
    row = sheet.header(row, 0, [t(k, lang) for k in keys], repeat=True)
    col = column_map(keys)
    for k, (res, name) in enumerate(scenarios):
        _case_scenario_row(sheet, row + k, col, res, name)
    row += len(scenarios) - 1
    for ref in reference_issues():
        row += 1
        _case_reference_row(sheet, row, col, ref)
    row = sheet.note(row + 2, t("ref.note", lang), chars=sheet.wide())
    row = sheet.section(row + 1, "ref.sec.lessons")
    row = sheet.note(row, t("ref.lessons_note", lang), chars=sheet.wide())
    for ref in reference_issues():
        for lesson in ref.lessons:
            line = t("ref.lesson_line", lang).format(
                issue=ref.issuer, year=ref.year, lesson=lesson.text(lang)
            )
            row = sheet.note(row, line, chars=sheet.wide())
    row = sheet.section(row + 1, "ref.sec.sources")
    for ref in reference_issues():
        source = "; ".join(_source_text(s, lang) for s in ref.sources)
        line = t("ref.source_line", lang).format(issue=ref.issuer, year=ref.year, source=source)
        row = sheet.note(row, line, chars=sheet.wide())
    row = sheet.section(row + 1, "ref.sec.market")
    return sheet.note(row, t("ref.market", lang), chars=sheet.wide())


def _source_text(source: Source, lang: str) -> str:
    """A source in words: author, title as published (with its English rendering on an
    English sheet), year, the part of the source in ``lang``, site."""
    title = None
    if source.title:
        if lang == "en" and source.title_en and source.title_en != source.title:
            title = t("ref.source.translated", lang).format(
                title=source.title, translation=source.title_en
            )
        else:
            title = t("ref.source.title", lang).format(title=source.title)
        if source.year:
            title = f"{title} ({source.year})"
    parts = (source.author, title, source.part(lang), source.site)
    return ", ".join(p for p in parts if p)


def _dollars_text(dollars: float, lang: str, currency: str) -> str:
    """Whole dollars as text without cents (``500 $``, ``$500``); cents when there are some."""
    cents = round(dollars * 100)
    if cents % 100:
        return money_text(cents, lang, currency)
    return money_text(cents, lang, currency).replace(
        number_text(cents / 100, lang, 2), number_text(cents / 100, lang, 0)
    )


def _case_scenario_row(
    sheet: Sheet, row: int, col: dict[str, int], res: Result | None = None, name: str | None = None
) -> None:
    """A row of the B4 table for a scenario (this one by default), from its Result; ``name``
    replaces the issuer's name (an option of a comparison)."""
    res = sheet.book.result if res is None else res
    lang = sheet.lang
    sc, series = res.scenario, res.series
    cur = sc.currency
    _text(sheet, row, col, "ref.col.issue", sc.issuer.name if name is None else name, kind="bold")
    _text(sheet, row, col, "ref.col.place", sc.issuer.jurisdiction)
    sheet.number(row, col["ref.col.year"], min(x.issue_date for x in series).year, kind="plain")
    sheet.money(row, col["ref.col.amount"], res.total_principal)
    _text(sheet, row, col, "ref.col.amount_kind", t("ref.amount.planned", lang))
    bonds = [f"{x.bonds} × {_dollars_text(x.face_value_cents / 100, lang, cur)}" for x in series]
    _text(sheet, row, col, "ref.col.bonds", "; ".join(bonds))
    rates = list(dict.fromkeys(float(x.annual_rate) for x in series))
    if len(rates) == 1 and not any(x.step_rates for x in series):
        sheet.rate(row, col["ref.col.rate"], rates[0])
    else:
        texts = [
            step_rates_text(sheet, x) if x.step_rates else percent_short(float(x.annual_rate), lang)
            for x in series
        ]
        _text(sheet, row, col, "ref.col.rate", "; ".join(dict.fromkeys(texts)))
    terms = dict.fromkeys(term_text(sheet, x) for x in series)
    _text(sheet, row, col, "ref.col.term", "; ".join(terms))
    payments = dict.fromkeys(t(f"repayment.{x.repayment}", lang) for x in series)
    _text(sheet, row, col, "ref.col.payment", "; ".join(payments))
    if res.campaign is not None:
        sim = res.campaign.simulation
        sheet.money(
            row, col["ref.col.expected_raise"], cents_from_units(float(sim.community.mean()) / 100)
        )
        sheet.rate(row, col["ref.col.p_minimum"], res.campaign.summary()["p_minimum_reached"])


def _case_reference_row(sheet: Sheet, row: int, col: dict[str, int], ref: ReferenceIssue) -> None:
    """One public reference issue; an unpublished fact leaves its cell empty."""
    lang = sheet.lang
    approx = set(ref.approximate)

    def about(text: str, fact: str) -> str:
        return t("ref.approx", lang).format(value=text) if fact in approx else text

    def typical(text: str) -> str:
        return t("ref.typical", lang).format(value=text) if ref.typical else text

    _text(sheet, row, col, "ref.col.issue", ref.issuer)
    place = ", ".join(p for p in (ref.city, ref.province) if p)
    if place:
        _text(sheet, row, col, "ref.col.place", place)
    if ref.year.isdigit():
        sheet.number(row, col["ref.col.year"], int(ref.year), kind="plain")
    else:
        _text(sheet, row, col, "ref.col.year", ref.year)
    same = ref.target == ref.raised
    for value, kind in (
        (ref.raised, "ref.amount.target_reached" if same else "ref.amount.raised"),
        (ref.target, "ref.amount.target"),
        (ref.amount, "ref.amount.stated"),
    ):
        if value is not None:
            sheet.money(row, col["ref.col.amount"], value * 100)
            _text(sheet, row, col, "ref.col.amount_kind", t(kind, lang))
            break
    if ref.bonds is not None and ref.face_value is not None:
        face = _dollars_text(ref.face_value, lang, "CAD")
        _text(sheet, row, col, "ref.col.bonds", f"{number_text(ref.bonds, lang)} × {face}")
    if ref.rate is not None:
        sheet.rate(row, col["ref.col.rate"], ref.rate)
    elif ref.rate_min is not None and ref.rate_max is not None:
        low, high = percent_short(ref.rate_min, lang), percent_short(ref.rate_max, lang)
        _text(
            sheet,
            row,
            col,
            "ref.col.rate",
            typical(t("ref.range", lang).format(low=low, high=high)),
        )
    if ref.term_years is not None:
        _text(sheet, row, col, "ref.col.term", t("years_n", lang).format(n=ref.term_years))
    elif ref.term_years_min is not None and ref.term_years_max is not None:
        span = t("ref.range", lang).format(low=ref.term_years_min, high=ref.term_years_max)
        _text(sheet, row, col, "ref.col.term", typical(t("years_n", lang).format(n=span)))
    if ref.payment is not None:
        _text(sheet, row, col, "ref.col.payment", t(f"ref.payment.{ref.payment}", lang))
    if ref.investors is not None:
        if "investors" in approx:
            _text(
                sheet,
                row,
                col,
                "ref.col.investors",
                about(number_text(ref.investors, lang), "investors"),
            )
        else:
            sheet.number(row, col["ref.col.investors"], ref.investors)
    if ref.campaign_days is not None:
        length = t("ref.days_n", lang).format(n=ref.campaign_days)
        _text(sheet, row, col, "ref.col.campaign", about(length, "campaign"))
    elif ref.campaign_months is not None:
        months = number_text(ref.campaign_months, lang, 0 if ref.campaign_months % 1 == 0 else 1)
        length = t("ref.months_n", lang).format(n=months)
        _text(sheet, row, col, "ref.col.campaign", about(length, "campaign"))
    notes = []
    if ref.tiess_pilot:
        notes.append(t("ref.tiess_pilot", lang))
    if ref.secured:
        notes.append(t("ref.secured", lang))
    if ref.early_redemption is False:
        notes.append(t("ref.no_early_redemption", lang))
    if ref.transferable_after_years is not None:
        notes.append(t("ref.transferable_after", lang).format(n=ref.transferable_after_years))
    if ref.note(lang):
        notes.append(ref.note(lang))
    if notes:
        _text(sheet, row, col, "ref.col.notes", " ".join(notes))
