"""The B3.1 Planning sheet: with ``[planning]``, the need as uses and sources of funds with
the gap, the timeline (milestones with the campaign window and the issue dates) and the
pre-issue budget beside the upfront costs of ``[costs]``; without it, what the table would
add. Then the scenario inputs and the series' issue dates and amounts.
"""

from __future__ import annotations

import datetime as dt
import math

from bondkit.labels import money_text, t
from bondkit.report.workbook.kit import (
    CHARS_PER_WIDTH,
    FIRST_ROW,
    LINE_HEIGHT,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.report.workbook.pieces import coming, series_table, totals

__all__ = ["write_planning"]


def write_planning(sheet: Sheet) -> None:
    """With ``[planning]``: the need as sources and uses of funds with the gap, the timeline,
    the pre-issue budget beside ``[costs]``; without it, what the table would add. Then the
    scenario inputs.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_1", "title.b3_1")
    >>> write_planning(sheet)
    >>> sheet.ws.name, sheet.last_row
    ('B3.1 Planning', 18)
    """
    res = sheet.book.result
    plan = res.scenario.planning_terms()
    if plan is None:
        row = coming(sheet, FIRST_ROW, "coming.b3_1", ("hint.b3_1",))
    else:
        row = _plan_stack(sheet, FIRST_ROW)
        row = _plan_timeline(sheet, row)
        row = _plan_budget(sheet, row)
    row = sheet.section(row, "sec.inputs")
    for key, write in (
        ("kf.total_principal", lambda r: sheet.money(r, VALUE_COL, res.total_principal)),
        ("kf.series_count", lambda r: sheet.number(r, VALUE_COL, len(res.series))),
        (
            "kf.first_issue",
            lambda r: sheet.date(r, VALUE_COL, min(x.issue_date for x in res.series)),
        ),
        (
            "kf.last_maturity",
            lambda r: sheet.date(r, VALUE_COL, max(x.maturity for x in res.series)),
        ),
        ("kf.upfront_costs", lambda r: sheet.money(r, VALUE_COL, res.upfront_costs)),
    ):
        write(sheet.kv(row, key))
        row += 1
    row += 1
    keys = ("series", "col.issue_date", "col.amount", "col.maturity")
    row = series_table(sheet, row, keys)
    totals(sheet, row, keys, {"col.amount": ("money", res.total_principal)})


def _plan_stack(sheet: Sheet, row: int) -> int:
    """Uses (columns A-B) beside sources (D-G: the bond issue first), their totals, then the
    gap with its status (OK when the sources cover the uses, else Risk); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan, bond = res.scenario.planning_terms(), res.total_principal
    row = sheet.section(row, "sec.plan_stack")
    use_keys = ("plan.col.use", "col.amount")
    source_keys = ("plan.col.source", "plan.col.kind", "col.amount", "plan.col.share")
    use = column_map(use_keys)
    source = column_map(source_keys, first=len(use_keys) + 1)  # an empty column between
    sheet.header(row, use["plan.col.use"], [heading(k, lang) for k in use_keys])
    row = sheet.header(row, source["plan.col.source"], [heading(k, lang) for k in source_keys])
    sources = [(t("plan.bond_issue", lang), t("plan.kind.issue", lang), bond)]
    sources += [(s.item, t(f"plan.kind.{s.kind}", lang), s.amount_cents) for s in plan.sources]
    shares = plan.source_shares(bond)
    for i in range(max(len(plan.uses), len(sources))):
        lines = 1
        if i < len(plan.uses):
            lines = _plan_text(sheet, row + i, use["plan.col.use"], plan.uses[i].item)
            sheet.money(row + i, use["col.amount"], plan.uses[i].amount_cents)
        elif i == 0:
            sheet.text(row, use["plan.col.use"], t("plan.none", lang), kind="note")
        if i < len(sources):
            item, kind, cents = sources[i]
            lines = max(lines, _plan_text(sheet, row + i, source["plan.col.source"], item))
            at = source["plan.col.kind"]
            sheet.text(row + i, at, kind)
            sheet.fit(row + i, at, len(kind) + 4)  # a short word: never cut, never wrapped
            sheet.money(row + i, source["col.amount"], cents)
            sheet.rate(row + i, source["plan.col.share"], shares[i])
        _plan_height(sheet, row + i, lines)
    row += max(len(plan.uses), len(sources))
    sheet.total_row(row, use["plan.col.use"], use["col.amount"], t("plan.total_uses", lang))
    sheet.money(row, use["col.amount"], plan.total_uses_cents, total=True)
    last = source["plan.col.share"]
    sheet.total_row(row, source["plan.col.source"], last, t("plan.total_sources", lang))
    sheet.money(row, source["col.amount"], plan.total_sources_cents(bond), total=True)
    sheet.rate(row, source["plan.col.share"], sum(shares), total=True)
    row += 2
    gap = plan.gap_cents(bond)
    sheet.kv(row, "plan.gap")
    sheet.money(row, VALUE_COL, gap)
    sheet.status(row, VALUE_COL + 1, "ok" if gap <= 0 else "risk")  # beside the gap
    amount = money_text(abs(gap), lang, sheet.book.currency)
    if gap > 0:
        finding = t("plan.gap_short", lang).format(amount=amount)
    elif gap < 0:
        finding = t("plan.gap_surplus", lang).format(amount=amount)
    else:
        finding = t("plan.gap_covered", lang)
    row = sheet.note(row + 1, finding)
    row = sheet.note(row, t("plan.stack_note", lang))
    return row + 1


def _plan_timeline(sheet: Sheet, row: int) -> int:
    """The milestones with the campaign window and the issue dates of the scenario, sorted
    by date (on one date: the milestones first, as written); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    events = [(m.date, m.item, "plan.origin.planning") for m in plan.milestones]
    campaign = res.scenario.campaign_terms()
    if campaign is not None:
        events.append((campaign.opens, t("plan.auto.opens", lang), "plan.origin.scenario"))
        events.append((campaign.closes, t("plan.auto.closes", lang), "plan.origin.scenario"))
    issues: dict[dt.date, list[str]] = {}
    for terms in res.series:
        issues.setdefault(terms.issue_date, []).append(terms.id)
    for day, ids in issues.items():
        key = "plan.auto.issue_one" if len(ids) == 1 else "plan.auto.issue_many"
        events.append((day, t(key, lang).format(ids=", ".join(ids)), "plan.origin.scenario"))
    events.sort(key=lambda event: event[0])  # stable: milestones before the added dates
    row = sheet.section(row, "sec.plan_timeline")
    keys = ("plan.col.milestone", "col.date", "plan.col.origin")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for day, item, origin in events:
        _plan_height(sheet, row, _plan_text(sheet, row, col["plan.col.milestone"], item))
        sheet.date(row, col["col.date"], day)
        sheet.text(row, col["plan.col.origin"], t(origin, lang))
        row += 1
    note = "plan.timeline_note" if campaign is not None else "plan.timeline_note_issue"
    row = sheet.note(row + 1, t(note, lang))
    return row + 1


def _plan_budget(sheet: Sheet, row: int) -> int:
    """The pre-issue budget, totalled, beside the upfront costs of ``[costs]`` (the budget
    does not feed the cost model); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    row = sheet.section(row, "sec.plan_budget")
    keys = ("plan.col.budget_item", "col.amount")
    col = column_map(keys)
    item, amount = col["plan.col.budget_item"], col["col.amount"]
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for entry in plan.budget:
        _plan_height(sheet, row, _plan_text(sheet, row, item, entry.item))
        sheet.money(row, amount, entry.amount_cents)
        row += 1
    if not plan.budget:
        sheet.text(row, item, t("plan.none", lang), kind="note")
        row += 1
    budget, upfront = plan.total_budget_cents, res.upfront_costs
    sheet.total_row(row, item, amount, t("plan.total_budget", lang))
    sheet.money(row, amount, budget, total=True)
    row += 2
    sheet.kv(row, "plan.upfront")
    sheet.money(row, VALUE_COL, upfront)
    sheet.kv(row + 1, "plan.budget_minus_upfront")
    sheet.money(row + 1, VALUE_COL, budget - upfront)
    row += 2
    if plan.budget:
        if budget == upfront:
            row = sheet.note(row, t("plan.budget_same", lang))
        else:
            cur = sheet.book.currency
            row = sheet.note(
                row,
                t("plan.budget_differs", lang).format(
                    budget=money_text(budget, lang, cur), upfront=money_text(upfront, lang, cur)
                ),
            )
    row = sheet.note(
        row,
        t("plan.budget_note", lang).format(
            sheet=t("sheet.b3_2", lang), campaign_sheet=t("sheet.b3_3", lang)
        ),
    )
    return row + 1


#: characters of plan text that surely fit on one line of a column MAX_WIDTH wide in
#: LibreOffice and Excel; longer text is wrapped and its row given a line per this many
_PLAN_LINE = 26


def _plan_text(sheet: Sheet, row: int, col: int, s: str) -> int:
    """Text of the plan (user text included), through the text primitive; text longer than
    ``_PLAN_LINE`` wraps. Returns the lines its row should allow."""
    if len(s) <= _PLAN_LINE:
        sheet.text(row, col, s)
        return 1
    sheet.text(row, col, s, max_width=_PLAN_LINE / CHARS_PER_WIDTH)
    return math.ceil(len(s) / _PLAN_LINE)


def _plan_height(sheet: Sheet, row: int, lines: int) -> None:
    """A row tall enough for ``lines`` lines: where the sheet's own estimate (made when it
    finishes, with more characters on a line) expects one line, this height stays."""
    if lines > 1:
        sheet.ws.set_row(row, LINE_HEIGHT * lines + 2)
