"""The B3.3 Issue sheet: without a subscription campaign, what a later version will add and
the series' face values, bonds, amounts and issue dates.

With a campaign (``result.campaign``), the campaign under way first when the run tracks it
(``bondkit track``: :mod:`bondkit.report.workbook.b3_3_tracking`), then the campaign itself: its terms (with the number of
simulated campaigns and the seed), the funnel, the expected path by week, the simulated
distribution of outcomes with the two campaign charts, the allocation of the median
campaign, the costs, the median campaign beside the planned issue, and the rule findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import to_cents
from bondkit.data.rules import rule_set
from bondkit.labels import LABELS, number_text, t
from bondkit.report.workbook.b3_3_tracking import write_tracking
from bondkit.report.workbook.kit import (
    FIRST_ROW,
    LABEL_COL,
    LABEL_WIDTH,
    VALUE_COL,
    Sheet,
    column_map,
    heading,
)
from bondkit.report.workbook.pieces import (
    cents_from_units,
    coming,
    series_table,
    totals,
)
from bondkit.runner.readiness import finding_parts

if TYPE_CHECKING:
    from pathlib import Path

    from bondkit.data.rules import Finding, RuleSet

__all__ = ["write_issue"]


def write_issue(sheet: Sheet, charts: dict[str, Path]) -> None:
    """B3.3: the campaign with ``charts`` (chart name -> PNG path: ``"campaign"`` and
    ``"raised"`` are shown) when the run has one; else what is to come and the inputs.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_3", "title.b3_3")
    >>> write_issue(sheet, {})
    >>> sheet.ws.name, sheet.last_row
    ('B3.3 Issue', 11)
    """
    res = sheet.book.result
    if res.campaign is not None:
        _campaign(
            sheet,
            [charts[k] for k in ("campaign", "raised") if k in charts],
            charts.get("tracking"),
        )
        return
    row = coming(sheet, FIRST_ROW, "coming.b3_3")
    row = sheet.section(row, "sec.inputs")
    keys = ("series", "col.face_value", "col.bonds", "col.amount", "col.issue_date")
    row = series_table(sheet, row, keys)
    totals(
        sheet,
        row,
        keys,
        {
            "col.bonds": ("int", sum(x.bonds for x in res.series)),
            "col.amount": ("money", res.total_principal),
        },
    )


def _finding_sentence(sheet: Sheet, finding: Finding, rules: RuleSet) -> str:
    """The sentence that tells a rule finding (``Finding.message()`` in the sheet's language)."""
    _criterion, limit, value = finding_parts(sheet.book.result, sheet.lang, finding, rules)
    key = f"finding.{finding.rule}" if f"finding.{finding.rule}" in LABELS else "finding.other"
    return t(key, sheet.lang).format(rule=finding.rule, limit=limit, value=value)


def _campaign(sheet: Sheet, charts: list[Path], tracking_chart: Path | None) -> None:
    """B3.3 with a campaign: the campaign under way when tracked, then the plan's: terms,
    funnel, expected path, outcomes, allocation, costs, rules."""
    res, lang = sheet.book.result, sheet.lang
    camp = res.campaign
    terms, sim, summary = camp.terms, camp.simulation, camp.summary()
    rules = rule_set(terms.rule_set)
    simulated = {"n": number_text(sim.n, lang), "seed": sim.seed}

    # the campaign under way (bondkit track), on its own pages
    row, breaks = FIRST_ROW, []
    if res.tracking is not None:
        row, breaks = write_tracking(sheet, tracking_chart)
    # the campaign terms, with the size and seed of the simulation
    row = sheet.section(row, "sec.campaign_terms")

    def words(r: int, text: str, col: int = VALUE_COL) -> None:
        # text beside a figure column: it overflows into the empty cells on its right
        sheet.text(r, col, text, track=False)

    def _min_subscription(r: int) -> None:
        if terms.min_subscription is None:
            words(r, t("camp.one_bond", lang))
        else:
            sheet.money(r, VALUE_COL, to_cents(terms.min_subscription))

    def _max_per_investor(r: int) -> None:
        if terms.max_per_investor is not None:
            sheet.money(r, VALUE_COL, to_cents(terms.max_per_investor))
        elif rules.max_per_investor is not None:
            sheet.money(r, VALUE_COL, to_cents(rules.max_per_investor))
            words(r, t("camp.from_rules", lang), col=VALUE_COL + 1)  # beside the amount
        else:
            words(r, t("camp.no_limit", lang))

    lines: list[tuple[str, Any]] = [
        ("camp.opens", lambda r: sheet.date(r, VALUE_COL, terms.opens)),
        ("camp.closes", lambda r: sheet.date(r, VALUE_COL, terms.closes)),
        ("camp.days", lambda r: sheet.number(r, VALUE_COL, terms.days)),
        ("camp.minimum", lambda r: sheet.money(r, VALUE_COL, sim.minimum)),
        ("camp.target", lambda r: sheet.money(r, VALUE_COL, sim.target)),
        ("camp.cap", lambda r: sheet.money(r, VALUE_COL, sim.cap)),
        ("camp.allocation", lambda r: words(r, t(f"allocation.{terms.allocation}", lang))),
        ("camp.rule_set", lambda r: words(r, rules.title(lang))),
        ("camp.min_subscription", _min_subscription),
        ("camp.max_per_investor", _max_per_investor),
        (
            "camp.interest_start",
            lambda r: words(r, t(f"interest_start.{terms.interest_start}", lang)),
        ),
    ]
    if terms.match is not None:
        lines += [
            ("camp.match", lambda r: sheet.money(r, VALUE_COL, to_cents(terms.match.max_amount))),
            (
                "camp.match_ratio",
                lambda r: sheet.number(r, VALUE_COL, float(terms.match.ratio), "years"),
            ),
        ]
    if terms.underwriter is not None:
        lines.append(
            (
                "camp.underwriter",
                lambda r: sheet.money(r, VALUE_COL, to_cents(terms.underwriter.max_amount)),
            )
        )
    lines += [
        ("camp.simulations", lambda r: sheet.number(r, VALUE_COL, sim.n)),
        ("camp.seed", lambda r: sheet.seed(r, VALUE_COL, sim.seed)),
    ]
    for key, write in lines:
        write(sheet.kv(row, key))
        row += 1
    row = sheet.note(row, t("camp.simulated_note", lang).format(**simulated))

    # the funnel of each segment (expectations)
    row = sheet.section(row + 1, "sec.funnel")
    row = sheet.note(row, t("funnel.note", lang))
    keys = (
        "col.segment",
        "col.people",
        "col.reached",
        "col.supporting",
        "col.exp_subscribers",
        "col.p_subscribe",
        "col.avg_ticket",
        "col.exp_demand",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    fun = camp.funnel
    for rec in fun.itertuples(index=False):
        sheet.text(row, col["col.segment"], str(rec.segment))
        sheet.number(row, col["col.people"], int(rec.people))
        sheet.number(row, col["col.reached"], float(rec.reached), "decimal")
        sheet.number(row, col["col.supporting"], float(rec.supporting), "decimal")
        sheet.number(row, col["col.exp_subscribers"], float(rec.subscribers), "decimal")
        sheet.rate(row, col["col.p_subscribe"], float(rec.p_subscribe))
        sheet.money(row, col["col.avg_ticket"], cents_from_units(rec.average_ticket))
        sheet.money(row, col["col.exp_demand"], cents_from_units(rec.demand))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    people, subscribers = int(fun["people"].sum()), camp.expected_subscribers
    sheet.number(row, col["col.people"], people, total=True)
    sheet.number(row, col["col.reached"], float(fun["reached"].sum()), "decimal", total=True)
    sheet.number(row, col["col.supporting"], float(fun["supporting"].sum()), "decimal", total=True)
    sheet.number(row, col["col.exp_subscribers"], subscribers, "decimal", total=True)
    share = subscribers / people if people else None
    sheet.rate(row, col["col.p_subscribe"], share, total=True)
    demand = camp.expected_demand
    if subscribers:
        ticket = cents_from_units(demand / subscribers)
        sheet.money(row, col["col.avg_ticket"], ticket, total=True)
    sheet.money(row, col["col.exp_demand"], cents_from_units(demand), total=True)
    row += 1

    # the expected path by week, all segments and series together, on a new printed page
    breaks.append(row + 1)
    row = sheet.section(row + 1, "sec.path")
    path = (
        camp.expected_path.groupby(["week", "week_start"], sort=True)[["subscribers", "amount"]]
        .sum()
        .reset_index()
    )
    keys = ("col.week", "col.week_start", "col.exp_subscribers", "col.exp_amount", "col.cumulative")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    cumulative = 0.0
    for rec in path.itertuples(index=False):
        cumulative += float(rec.amount)
        sheet.text(row, col["col.week"], t("week_n", lang).format(n=int(rec.week)))
        sheet.date(row, col["col.week_start"], rec.week_start)
        sheet.number(row, col["col.exp_subscribers"], float(rec.subscribers), "decimal")
        sheet.money(row, col["col.exp_amount"], cents_from_units(rec.amount))
        sheet.money(row, col["col.cumulative"], cents_from_units(cumulative))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    expected = float(path["subscribers"].sum())
    sheet.number(row, col["col.exp_subscribers"], expected, "decimal", total=True)
    sheet.money(row, col["col.exp_amount"], cents_from_units(path["amount"].sum()), total=True)
    row += 1

    # the distribution of outcomes over the simulated campaigns, with the charts, on a new page
    breaks.append(row + 1)
    row = sheet.section(row + 1, "sec.outcomes", **simulated)
    keys = ("col.percentile", "col.raised")
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    for q in ("p05", "p25", "p50", "p75", "p95"):
        sheet.text(row, col["col.percentile"], t(f"pct.{q}", lang))
        sheet.money(row, col["col.raised"], cents_from_units(summary[f"raised_{q}"]))
        row += 1
    row += 1
    outcomes: list[tuple[str, Any]] = [
        (
            "out.mean",
            lambda r: sheet.money(r, VALUE_COL, cents_from_units(summary["expected_raised"])),
        ),
        ("out.p_minimum", lambda r: sheet.rate(r, VALUE_COL, summary["p_minimum_reached"])),
        (
            "out.p_minimum_community",
            lambda r: sheet.rate(r, VALUE_COL, summary["p_minimum_reached_by_community"]),
        ),
        ("out.p_target", lambda r: sheet.rate(r, VALUE_COL, summary["p_target_reached"])),
        ("out.p_cap", lambda r: sheet.rate(r, VALUE_COL, summary["p_cap_reached"])),
        (
            "out.days_to_minimum",
            lambda r: sheet.number(r, VALUE_COL, summary["median_days_to_minimum"], "decimal"),
        ),
        (
            "out.subscribers",
            lambda r: sheet.number(r, VALUE_COL, summary["subscribers_p50"], "decimal"),
        ),
    ]
    if terms.match is not None:
        outcomes.append(
            (
                "out.match",
                lambda r: sheet.money(r, VALUE_COL, cents_from_units(summary["expected_match"])),
            )
        )
    if terms.underwriter is not None:
        outcomes += [
            (
                "out.underwriter",
                lambda r: sheet.money(
                    r, VALUE_COL, cents_from_units(summary["expected_underwriter"])
                ),
            ),
            (
                "out.p_underwriter",
                lambda r: sheet.rate(r, VALUE_COL, summary["p_underwriter_called"]),
            ),
        ]
    for key, write in outcomes:
        write(sheet.kv(row, key))
        row += 1
    row = sheet.note(row, t("out.note", lang))
    if charts:
        row = sheet.section(row + 1, "sec.charts")
        row = sheet.pictures(row, charts)

    # allocation in the median campaign, by series: a new page
    breaks.append(row + 1)
    sheet.ws.set_h_pagebreaks(breaks)
    row = sheet.section(row + 1, "sec.allocation")
    row = sheet.note(row, t("alloc.note", lang))
    keys = (
        "series",
        "col.applications",
        "col.allotted",
        "col.demanded",
        "col.allocated",
        "col.refunded",
    )
    col = column_map(keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    # the register's amounts, by the key of their column
    summed = {"col.demanded": "demanded", "col.allocated": "amount", "col.refunded": "refunded"}
    reg = sim.register
    for terms_ in res.series:
        own = reg[reg["series"] == terms_.id]
        sheet.text(row, col["series"], terms_.id)
        sheet.number(row, col["col.applications"], len(own))
        sheet.number(row, col["col.allotted"], int((own["amount"] > 0).sum()))
        for key, field in summed.items():
            sheet.money(row, col[key], int(own[field].sum()))
        row += 1
    sheet.total_row(row, 0, len(keys) - 1, t("total", lang))
    sheet.number(row, col["col.applications"], len(reg), total=True)
    sheet.number(row, col["col.allotted"], int((reg["amount"] > 0).sum()), total=True)
    for key, field in summed.items():
        sheet.money(row, col[key], int(reg[field].sum()), total=True)
    row += 1

    # campaign costs: inputs, then the expected and simulated costs
    row = sheet.section(row + 1, "sec.campaign_costs")
    c = terms.costs
    per_dollar = summary["cost_per_dollar_raised"]
    for key, write in (
        ("ccost.fixed", lambda r: sheet.money(r, VALUE_COL, to_cents(c.fixed))),
        (
            "ccost.staff_hours",
            lambda r: sheet.number(r, VALUE_COL, float(c.staff_hours), "decimal"),
        ),
        ("ccost.hourly_cost", lambda r: sheet.money(r, VALUE_COL, to_cents(c.hourly_cost))),
        ("ccost.per_subscriber", lambda r: sheet.money(r, VALUE_COL, to_cents(c.per_subscriber))),
        ("ccost.fee_rate", lambda r: sheet.rate(r, VALUE_COL, float(c.payment_fee_rate))),
        ("ccost.commission", lambda r: sheet.rate(r, VALUE_COL, float(c.commission_rate))),
        ("ccost.expected", lambda r: sheet.money(r, VALUE_COL, camp.expected_cost)),
        (
            "ccost.mean",
            lambda r: sheet.money(r, VALUE_COL, cents_from_units(summary["campaign_cost"])),
        ),
        ("ccost.median", lambda r: sheet.money(r, VALUE_COL, camp.median_cost)),
        ("ccost.per_dollar", lambda r: sheet.rate(r, VALUE_COL, per_dollar)),
    ):
        write(sheet.kv(row, key))
        row += 1

    # the median campaign beside the planned issue
    row = sheet.section(row + 1, "sec.median_vs_plan")
    keys = ("col.item", "col.planned", "col.median_campaign")
    col = column_map(keys)
    item, plan_col, median_col = (col[k] for k in keys)
    row = sheet.header(row, 0, [heading(k, lang) for k in keys])
    raised = {s.id: s.amount_cents for s in camp.median_series}
    m = sim.median_path
    for terms_ in res.series:
        sheet.text(row, item, t("series_n", lang).format(series=terms_.id), kind="bold")
        sheet.money(row, plan_col, terms_.amount_cents)
        sheet.money(row, median_col, raised.get(terms_.id, 0))
        row += 1
    for key, cents in (("mvp.match", sim.match[m]), ("mvp.underwriter", sim.underwriter[m])):
        sheet.text(row, item, t(key, lang), kind="bold")
        sheet.text(row, plan_col, t("not_applicable", lang))
        sheet.money(row, median_col, int(cents))
        row += 1
    for key, planned, median, kind in (
        ("mvp.total", res.total_principal, sum(raised.values()), "money"),
        ("col.total_interest", res.total_interest, camp.median_total_interest, "money"),
        ("mvp.campaign_cost", None, camp.median_cost, "money"),
        ("kf.all_in_cost", res.issuer_all_in_cost, camp.median_all_in_cost, "rate"),
    ):
        sheet.text(row, item, t(key, lang), kind="bold")
        if kind == "rate":
            sheet.rate(row, plan_col, planned)
            sheet.rate(row, median_col, median)
        else:
            if planned is None:
                sheet.text(row, plan_col, t("not_applicable", lang))
            else:
                sheet.money(row, plan_col, planned)
            sheet.money(row, median_col, median)
        row += 1
    row = sheet.note(row, t("mvp.note", lang))

    # the rule set and what in the scenario breaks it
    row = sheet.section(row + 1, "sec.rules", title=rules.title(lang))
    if rules.name == "none":
        row = sheet.note(row, t("rules.none_checked", lang))
    elif not camp.findings:
        text = t("rules.respected", lang)
        sheet.text(row, LABEL_COL, text, kind="bold", max_width=LABEL_WIDTH)
        sheet.status(row, VALUE_COL, "ok")
        row += 1
    for finding in camp.findings:
        text = _finding_sentence(sheet, finding, rules)
        sheet.text(row, LABEL_COL, text, max_width=LABEL_WIDTH)
        sheet.status(row, VALUE_COL, "risk")
        row += 1
    sheet.note(row, t("legal.disclaimer", lang))
