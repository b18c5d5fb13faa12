"""B3.2's clauses of the offer beyond the money (booklet 3, moment 2A), each in words in
the sheet's language, from :meth:`~bondkit.scenario.Scenario.offer_terms`: the purpose,
the rank and security, the transfer of the bonds, the early-redemption terms as written in
the offer (with a line saying they are the terms the risk model simulates), when interest
starts, the tax reporting of each series (the annual accrual of accumulating bonds under
s. 12(4) in Canada: :mod:`bondkit.data.tax_rules`), the legal frame
(:mod:`bondkit.data.steps`), the renewal offered to each series, the contact.

Each clause is a line: its name in column A, its words from column B, cut into lines that
run over the empty cells on their right.
"""

from __future__ import annotations

import math
import textwrap

from bondkit.data.steps import route
from bondkit.data.tax_rules import anniversary_day, rules_for_jurisdiction
from bondkit.labels import money_text, percent_short, percent_text, t
from bondkit.report.workbook.kit import LABEL_COL, VALUE_COL, Sheet

__all__ = ["write_clauses"]

#: the width (characters) at which a clause's name wraps in column A (B3.2's labels)
_LABELS = 36.0
#: the fewest characters a line of a clause's words holds
_MIN_CHARS = 70


def write_clauses(sheet: Sheet, row: int) -> int:
    """The offer's clauses from ``row``, under their heading; the next row.

    The solar co-op's offer (subordinated bonds, transfers with the board's consent, the
    redemption terms of its ``[risk]``, a renewal offered to series A-3y):

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("solar-coop-multi-series").with_changes({"risk.paths": 200})
    >>> book = Book(run(sc), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_2", "title.b3_2")
    >>> write_clauses(sheet, 3)
    34
    """
    res, lang = sheet.book.result, sheet.lang
    sc = res.scenario
    offer = sc.offer_terms()
    row = sheet.section(row, "sec.offer_clauses")
    row = sheet.note(row, t("design.clauses_note", lang))
    chars = max(_MIN_CHARS, sheet.wide() - int(_LABELS))
    lines: list[tuple[str, list[str]]] = []

    def clause(key: str, *texts: str) -> None:
        lines.append((t(key, lang), list(texts)))

    clause("design.purpose", offer.purpose or t("design.purpose_none", lang))
    if offer.security is not None:  # only a secured offer says what secures it
        rank = t("design.rank.secured", lang).format(security=offer.security)
    else:
        rank = t(f"design.rank.{offer.rank}", lang)
    clause("design.rank", rank)
    clause("design.transfer", t(f"design.transfer.{offer.transfer}", lang))
    model = t("design.redemption_model" if sc.risk is not None else "design.redemption_alone", lang)
    clause(
        "design.redemption", _redemption(sheet, offer), model.format(sheet=t("sheet.b3_5", lang))
    )
    campaign = sc.campaign_terms()
    if campaign is None:
        start = t("design.interest_start_issue", lang)
    else:
        start = t(f"design.interest_start.{campaign.interest_start}", lang)
    clause("design.interest_start", start.format(sheet=t("sheet.b3_3", lang)))
    frame = route(offer.exemption)
    frame_words = [frame.frame(lang)]
    if frame.source(lang):
        frame_words.append(t("design.frame_source", lang).format(source=frame.source(lang)))
    if frame.confirm:
        frame_words.append(t("design.frame_confirm", lang))
    if sc.offer is None or sc.offer.exemption is None:
        frame_words.append(t("design.frame_usual", lang))
    clause("design.frame", " ".join(frame_words))
    lines.extend(_tax(sheet))
    lines.append((t("design.renewal", lang), []))
    for terms in res.series:
        offered = offer.renewal(terms.id)
        if offered is None:
            words = t("design.renewal.none", lang).format(date=terms.maturity.isoformat())
        else:
            words = t("design.renewal.offer", lang).format(
                date=terms.maturity.isoformat(),
                rate=percent_text(float(offered.annual_rate), lang),
                n=offered.term_years,
            )
        lines.append((t("series_n", lang).format(series=terms.id), [words]))
    clause("design.contact", offer.contact or t("design.contact_none", lang))

    for name, texts in lines:
        sheet.text(row, LABEL_COL, name, kind="bold", max_width=_LABELS)
        used = 1
        for text in texts:
            for line in textwrap.wrap(text, chars):
                sheet.text(row + used - 1, VALUE_COL, line, track=False)
                used += 1
        row += max(used - 1, 1)
    return row + 1


def _redemption(sheet: Sheet, offer) -> str:
    """The early-redemption terms of ``offer`` in one sentence (lock-in; notice; cap)."""
    lang = sheet.lang
    if offer.lock_in_years == 0:
        lock = t("design.no_lock_in", lang)
    elif offer.lock_in_years == 1:
        lock = t("design.lock_in_one", lang)
    else:
        lock = t("design.lock_in", lang).format(n=offer.lock_in_years)
    if offer.notice_months == 0:
        notice = t("design.no_notice", lang)
    elif offer.notice_months == 1:
        notice = t("design.notice_one", lang)
    else:
        notice = t("design.notice", lang).format(n=offer.notice_months)
    if offer.annual_cap is None:
        cap = t("design.no_cap", lang)
    else:
        total = sheet.book.result.total_principal
        cents = math.floor(offer.annual_cap * total)  # Decimal × int: exact
        cap = t("design.cap", lang).format(
            share=percent_short(float(offer.annual_cap), lang),
            amount=money_text(cents, lang, sheet.book.currency),
        )
    sentence = t("design.redemption_terms", lang).format(lock=lock, notice=notice, cap=cap)
    return sentence[0].upper() + sentence[1:]


def _tax(sheet: Sheet) -> list[tuple[str, list[str]]]:
    """The tax reporting: the rules of the issuer's jurisdiction, then each series' line
    (interest paid during the term, or the accrual of an accumulating series)."""
    res, lang = sheet.book.result, sheet.lang
    where = res.scenario.issuer.jurisdiction
    rules = rules_for_jurisdiction(where)
    name = t("design.tax", lang)
    if rules is None:
        return [(name, [t("design.tax.none", lang).format(jurisdiction=where)])]
    slips = [
        s
        for s in rules.slips
        if not (s.key == "rl3" and where.strip().upper() != "QC")  # RL-3: Québec only
    ]
    words = "; ".join(
        t("design.tax.slip", lang).format(
            form=s.form,
            box=s.box,
            threshold=money_text(s.threshold_cents, lang, rules.currency),
        )
        for s in slips
    )
    general = t("design.tax.rules", lang).format(
        country=t(f"design.tax.country.{rules.country}", lang), year=rules.year, slips=words
    )
    out = [(name, [general])]
    for terms in res.series:
        if terms.repayment != "accumulating":
            text = t("design.tax.paid", lang)
        elif rules.accrual is not None:
            first = anniversary_day(terms.issue_date, 1)
            text = t("design.tax.accrual", lang).format(date=first.isoformat())
        elif rules.accrual_flag is not None:
            text = t("design.tax.accrual_flag", lang).format(form=rules.accrual_flag)
        else:
            text = t("design.tax.at_maturity", lang)
        out.append((t("series_n", lang).format(series=terms.id), [text]))
    return out
