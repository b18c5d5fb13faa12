"""The B3.1 Planning sheet: with ``[planning]``, the need as uses and sources of funds with
the gap, the timeline (milestones with the campaign window and the issue dates), the steps
of the issue and the pre-issue budget beside the upfront costs of ``[costs]``; without it,
the steps and what the table would add. Then the scenario inputs and the series' issue
dates and amounts.

The steps (:mod:`bondkit.data.steps`): the legal and practical steps of the issue for the
issuer's legal form and jurisdiction and the offer's legal frame, each with the role that
carries it, its latest date counted back from the campaign's dates and its status on a day
(the run's, or ``today``).
"""

from __future__ import annotations

import datetime as dt
import math

from bondkit.data.steps import STEP_STATUSES, moments, plan_steps, roles, route
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
from bondkit.report.workbook.pieces import series_table, totals

__all__ = ["write_planning"]


def write_planning(sheet: Sheet, today: dt.date | None = None) -> None:
    """With ``[planning]``: the need as sources and uses of funds with the gap, the timeline,
    the steps of the issue, the pre-issue budget beside ``[costs]``; without it, the steps
    and what the table would add. Then the scenario inputs. The steps' statuses are those
    of ``today`` (default: the day of the run).

    >>> import datetime as dt
    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_1", "title.b3_1")
    >>> write_planning(sheet, today=dt.date(2026, 1, 15))
    >>> sheet.ws.name, sheet.last_row
    ('B3.1 Planning', 42)
    """
    res = sheet.book.result
    plan = res.scenario.planning_terms()
    today = dt.date.today() if today is None else today
    if plan is None:
        row = _plan_steps(sheet, FIRST_ROW, today)
        row = sheet.note(row - 1, t("hint.b3_1", sheet.lang)) + 1
    else:
        row = _plan_stack(sheet, FIRST_ROW)
        row = _plan_timeline(sheet, row)
        row = _plan_steps(sheet, row, today)
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


def _plan_steps(sheet: Sheet, row: int, today: dt.date) -> int:
    """The steps of the issue (:func:`bondkit.data.steps.plan_steps`) for the issuer and the
    offer's legal frame: each with its latest date, its status on ``today``, its source, the
    role that carries it, its kind and moment; the notes that say where the dates and the
    frame come from; next row."""
    res, lang = sheet.book.result, sheet.lang
    sc = res.scenario
    issuer, offer = sc.issuer, sc.offer_terms()
    campaign = sc.campaign_terms()
    first_issue = min(x.issue_date for x in res.series)
    opens, closes = (
        (campaign.opens, campaign.closes) if campaign is not None else (first_issue, first_issue)
    )
    soon = _SOON_DAYS
    planned = plan_steps(
        issuer.legal_form, issuer.jurisdiction, offer.exemption, opens, closes, today, soon
    )
    row = sheet.section(row, "sec.plan_steps")
    frame = route(offer.exemption).title(lang)
    if sc.offer is not None and sc.offer.exemption is not None:
        row = sheet.note(
            row, t("steps.frame_written", lang).format(frame=frame), chars=sheet.wide()
        )
    else:
        row = sheet.note(
            row,
            t("steps.frame_usual", lang).format(
                frame=frame,
                form=t(f"legal_form.{issuer.legal_form}", lang),
                jurisdiction=issuer.jurisdiction,
            ),
            chars=sheet.wide(),
        )
    if campaign is not None:
        when = t("steps.anchor_campaign", lang).format(
            opens=opens.isoformat(), closes=closes.isoformat()
        )
    else:
        when = t("steps.anchor_issue", lang).format(date=first_issue.isoformat())
    row = sheet.note(row, when, chars=sheet.wide())
    row = sheet.note(
        row, t("steps.today", lang).format(today=today.isoformat()), chars=sheet.wide()
    )
    keys = (
        "steps.col.step",
        "steps.col.latest",
        "steps.col.status",
        "steps.col.source",
        "steps.col.role",
        "steps.col.kind",
        "steps.col.moment",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    who = roles()
    for p in planned:
        step = p.step
        # the step's words wrap at _STEP_LINE, its source at _PLAN_LINE: the sheet fits
        # each row's height to them when it finishes
        sheet.text(row, col["steps.col.step"], step.title(lang), max_width=_STEP_WIDTH)
        sheet.date(row, col["steps.col.latest"], p.latest)
        word = t(f"steps.status.{p.status}", lang).format(days=soon)
        sheet.status(row, col["steps.col.status"], _STEP_COLOURS[p.status], word)
        source = step.source(lang)
        if step.confirm:
            source = (
                t("steps.source_confirm", lang).format(source=source)
                if source
                else t("steps.confirm", lang)
            )
        elif not source:
            source = t("steps.practice", lang)
        sheet.text(row, col["steps.col.source"], source, max_width=_PLAN_LINE / CHARS_PER_WIDTH)
        role = who[step.role].title(lang)
        sheet.text(row, col["steps.col.role"], role)
        kind = t("steps.kind.legal" if step.legal else "steps.kind.practical", lang)
        sheet.text(row, col["steps.col.kind"], kind)
        sheet.text(row, col["steps.col.moment"], step.moment)
        sheet.fit(row, col["steps.col.moment"], _MOMENT_WIDTH)  # its bold heading whole
        row += 1
    words = moments()
    legend = " · ".join(pair[1] if lang == "fr" else pair[0] for pair in words.values())
    row = sheet.note(row + 1, t("steps.moments", lang).format(moments=legend), chars=sheet.wide())
    row = sheet.note(row, t("steps.roles", lang), chars=sheet.wide())
    row = sheet.note(row, t("steps.note", lang), chars=sheet.wide())
    return row + 1


#: a step due within this many days is "soon"
_SOON_DAYS = 30
#: the width (characters) at which a step's words wrap, and the moment column's width
_STEP_WIDTH = 40 / CHARS_PER_WIDTH
_MOMENT_WIDTH = 10.0
#: the colour of each step status (see :data:`bondkit.data.steps.STEP_STATUSES`)
_STEP_COLOURS = dict(zip(STEP_STATUSES, ("ok", "watch", "risk", "na"), strict=True))


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
