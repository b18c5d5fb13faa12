"""The B3.1 Planning sheet: with ``[planning]``, the need as uses and sources of funds with
the gap, the timeline (milestones with the campaign window and the issue dates) and the
pre-issue budget beside the upfront costs of ``[costs]``; without it, what the table would
add. Then the scenario inputs and the series' issue dates and amounts.
"""

from __future__ import annotations

import datetime as dt
import math

from bondkit.columns import label
from bondkit.labels import money_text, t
from bondkit.report.workbook.kit import CHARS_PER_WIDTH, FIRST_ROW, LINE_HEIGHT, Sheet
from bondkit.report.workbook.pieces import SERIES_CELLS, coming, series_table, totals

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
    res, lang = sheet.book.result, sheet.lang
    plan = res.scenario.planning_terms()
    if plan is None:
        row = coming(sheet, FIRST_ROW, "coming.b3_1", ("hint.b3_1",))
    else:
        row = _plan_stack(sheet, FIRST_ROW)
        row = _plan_timeline(sheet, row)
        row = _plan_budget(sheet, row)
    row = sheet.section(row, "sec.inputs")
    for key, write in (
        ("kf.total_principal", lambda r: sheet.money(r, 1, res.total_principal)),
        ("kf.series_count", lambda r: sheet.number(r, 1, len(res.series))),
        ("kf.first_issue", lambda r: sheet.date(r, 1, min(x.issue_date for x in res.series))),
        ("kf.last_maturity", lambda r: sheet.date(r, 1, max(x.maturity for x in res.series))),
        ("kf.upfront_costs", lambda r: sheet.money(r, 1, res.upfront_costs)),
    ):
        write(sheet.kv(row, key))
        row += 1
    row += 1
    columns = [
        (label("series", lang), SERIES_CELLS["series"]),
        (t("col.issue_date", lang), SERIES_CELLS["col.issue_date"]),
        (t("col.amount", lang), SERIES_CELLS["col.amount"]),
        (t("col.maturity", lang), SERIES_CELLS["col.maturity"]),
    ]
    row = series_table(sheet, row, columns)
    totals(sheet, row, len(columns), {2: ("money", res.total_principal)})


def _plan_stack(sheet: Sheet, row: int) -> int:
    """Uses (columns A-B) beside sources (D-G: the bond issue first), their totals, then the
    gap with its status (OK when the sources cover the uses, else Risk); next row."""
    res, lang = sheet.book.result, sheet.lang
    plan, bond = res.scenario.planning_terms(), res.total_principal
    row = sheet.section(row, "sec.plan_stack")
    sheet.header(row, 0, [t("plan.col.use", lang), t("col.amount", lang)])
    row = sheet.header(
        row,
        3,
        [
            t("plan.col.source", lang),
            t("plan.col.kind", lang),
            t("col.amount", lang),
            t("plan.col.share", lang),
        ],
    )
    sources = [(t("plan.bond_issue", lang), t("plan.kind.issue", lang), bond)]
    sources += [(s.item, t(f"plan.kind.{s.kind}", lang), s.amount_cents) for s in plan.sources]
    shares = plan.source_shares(bond)
    for i in range(max(len(plan.uses), len(sources))):
        lines = 1
        if i < len(plan.uses):
            lines = _plan_text(sheet, row + i, 0, plan.uses[i].item)
            sheet.money(row + i, 1, plan.uses[i].amount_cents)
        elif i == 0:
            sheet.text(row, 0, t("plan.none", lang), kind="note")
        if i < len(sources):
            item, kind, cents = sources[i]
            lines = max(lines, _plan_text(sheet, row + i, 3, item))
            sheet.text(row + i, 4, kind)
            sheet.fit(row + i, 4, len(kind) + 4)  # a short word: never cut, never wrapped
            sheet.money(row + i, 5, cents)
            sheet.rate(row + i, 6, shares[i])
        _plan_height(sheet, row + i, lines)
    row += max(len(plan.uses), len(sources))
    sheet.total_row(row, 0, 1, t("plan.total_uses", lang))
    sheet.money(row, 1, plan.total_uses_cents, total=True)
    sheet.total_row(row, 3, 6, t("plan.total_sources", lang))
    sheet.money(row, 5, plan.total_sources_cents(bond), total=True)
    sheet.rate(row, 6, sum(shares), total=True)
    row += 2
    gap = plan.gap_cents(bond)
    sheet.kv(row, "plan.gap")
    sheet.money(row, 1, gap)
    sheet.status(row, 2, "ok" if gap <= 0 else "risk")
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
    row = sheet.header(
        row, 0, [t("plan.col.milestone", lang), t("col.date", lang), t("plan.col.origin", lang)]
    )
    for day, item, origin in events:
        _plan_height(sheet, row, _plan_text(sheet, row, 0, item))
        sheet.date(row, 1, day)
        sheet.text(row, 2, t(origin, lang))
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
    row = sheet.header(row, 0, [t("plan.col.budget_item", lang), t("col.amount", lang)])
    for entry in plan.budget:
        _plan_height(sheet, row, _plan_text(sheet, row, 0, entry.item))
        sheet.money(row, 1, entry.amount_cents)
        row += 1
    if not plan.budget:
        sheet.text(row, 0, t("plan.none", lang), kind="note")
        row += 1
    budget, upfront = plan.total_budget_cents, res.upfront_costs
    sheet.total_row(row, 0, 1, t("plan.total_budget", lang))
    sheet.money(row, 1, budget, total=True)
    row += 2
    sheet.kv(row, "plan.upfront")
    sheet.money(row, 1, upfront)
    sheet.kv(row + 1, "plan.budget_minus_upfront")
    sheet.money(row + 1, 1, budget - upfront)
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
