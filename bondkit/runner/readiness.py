"""The readiness grid of booklet 2: criteria, their values, thresholds and statuses.

:func:`readiness_grid` gives every criterion of a run as a DataFrame (group, criterion, kind,
value, threshold, status), in French or English; the workbook (B2 and the Summary) and a
notebook's display of a result show the same rows. Statuses are ``"ok"``, ``"watch"``,
``"risk"`` (best first, :data:`STATUSES`), ``"na"`` where a criterion does not apply and
``"unanswered"`` for a self-assessed criterion the scenario leaves without a level; their
words are the labels ``status.<status>``.

Community capacity (with a campaign): the expected raise against the target and the
minimum, the chances of reaching the minimum, the investor rule set. Financial capacity
(with ``[capacity]`` or ``[risk]``): the lowest coverage ratio, the coverage of each
maturity year, the chance of a liquidity shortfall, the reserve covered. Self-assessed
(always, from ``[readiness]``): the qualitative criteria of the guide's grid, each a level
from 1 to 4 that the enterprise gives itself (:mod:`bondkit.core.readiness`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import exact, round_half_up, to_cents
from bondkit.core.readiness import READINESS_CRITERIA, UNANSWERED, ReadinessTerms, level_status
from bondkit.data.rules import rule_set
from bondkit.labels import LABELS, money_text, number_text, percent_short, percent_text, t

if TYPE_CHECKING:
    import pandas as pd

    from bondkit.data.rules import Finding, RuleSet
    from bondkit.runner import Result

__all__ = [
    "READINESS_THRESHOLDS",
    "STATUSES",
    "STATUS_COLOURS",
    "readiness_status",
    "readiness_grid",
    "community_rows",
    "financial_rows",
    "self_assessed_rows",
    "readiness_counts",
    "finding_parts",
]

#: the statuses of the readiness grid, best first (labels ``status.<x>``)
STATUSES: tuple[str, ...] = ("ok", "watch", "risk")

#: thresholds of the community-capacity criteria of the readiness grid (B2, Summary):
#: criterion -> (OK at or above, Watch at or above); below the second: Risk. Chances are
#: fractions; the expected raise is measured against the campaign's own target and
#: minimum (named by their label keys). A breach of the rule set is always a Risk.
READINESS_THRESHOLDS: dict[str, tuple[Any, Any]] = {
    "expected_raise": ("camp.target", "camp.minimum"),
    "p_minimum": (0.90, 0.70),
    "p_minimum_community": (0.90, 0.70),
    # financial capacity (B2 and the Summary, with [capacity] and [risk]):
    # the lowest coverage ratio: OK at or above the scenario's own threshold
    # (``coverage_threshold``), Watch at or above 1.0 (the cash flow still pays the debt
    # service, with no margin left), Risk below; no debt service at all: not applicable
    "min_coverage": ("cap.threshold", 1.0),
    # each maturity year of a bullet or accumulating series, the maturity test: (cash at
    # start + sinking fund + the year's cash flow left after its other payments + the
    # renewals expected from [risk]'s renewal_rate) / what falls due. At 1 or more the
    # enterprise repays what it expects to repay: OK. From 0.9 the gap is at most a tenth
    # of the maturity, which a bridge loan or a renewal offer can fill: Watch. Below: Risk
    "maturity_coverage": (1.0, 0.9),
    # the simulated chance of a liquidity shortfall, in multiples of the scenario's own
    # ``shortfall_level`` and read the other way: OK at or below 1x the level, Watch at
    # or below 2x, Risk above. Reserve covered (no threshold): OK when every fiscal year
    # closes with the minimum cash plus the reserve target, else Risk
    "p_shortfall": (1.0, 2.0),
}


#: fill and font colour of each status (Excel's good / neutral / bad styles); the cell also
#: carries the status word, so colour is never the only signal
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#c6efce", "#006100"),
    "watch": ("#ffeb9c", "#7a4a00"),
    "risk": ("#ffc7ce", "#9c0006"),
    "na": ("#ededed", "#404040"),  # a criterion that does not apply (word ``status.na``)
    UNANSWERED: ("#ddebf7", "#1f4e79"),  # a self-assessed criterion left without a level
}


def readiness_status(value: float, ok: float, watch: float, higher_is_better: bool = True) -> str:
    """``"ok"`` when ``value >= ok``, ``"watch"`` when ``value >= watch``, else ``"risk"``.

    With ``higher_is_better=False`` the comparisons turn round (``value <= ok`` is OK),
    for a chance of something going wrong.

    >>> readiness_status(0.95, 0.90, 0.70), readiness_status(0.75, 0.90, 0.70)
    ('ok', 'watch')
    >>> readiness_status(0.08, 0.05, 0.10, higher_is_better=False)
    'watch'
    """
    if not higher_is_better:
        return readiness_status(-value, -ok, -watch)
    if value >= ok:
        return "ok"
    if value >= watch:
        return "watch"
    return "risk"


def finding_parts(
    result: Result, lang: str, finding: Finding, rules: RuleSet
) -> tuple[str, str, str]:
    """A rule finding in words: (its criterion, the limit, the scenario's value).

    Amounts are shown in the rule set's currency (else the scenario's), shares as
    percentages, in ``lang``. Le Grand Costumier under the start-up crowdfunding
    exemption, which allows 2 500 $ per investor where the campaign accepts up to 5 000 $:

    >>> from bondkit.data.rules import rule_set
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.rule_set": "crowdfunding", "campaign.simulations": 200, "risk.paths": 200})
    >>> res = run(sc)
    >>> [finding] = res.campaign.findings
    >>> finding
    Finding(rule='max_per_investor', limit='2500', value='5000')
    >>> finding_parts(res, "en", finding, rule_set("crowdfunding"))
    ('Investor-limit rules: most one investor may subscribe', '$2,500.00', '$5,000.00')
    """
    rule = finding.rule
    currency = rules.currency or result.scenario.currency

    def amount(text: str) -> str:
        return money_text(to_cents(text), lang, currency)

    def share(text: str) -> str:
        return percent_text(float(text), lang, 2)

    def form(code: str) -> str:
        return t(f"legal_form.{code}", lang) if f"legal_form.{code}" in LABELS else code

    limit, value = finding.limit, finding.value
    if rule == "legal_form":
        limit, value = " / ".join(form(f) for f in rules.legal_forms or ()), form(value)
    elif rule in ("max_per_investor", "max_per_issuer"):
        limit, value = amount(limit), amount(value)
    elif rule == "max_share_of_raise":
        limit, value = share(limit), share(value)
    elif rule == "commission":
        limit, value = t("rules.no_commission", lang), share(value)
    if f"rule.{rule}" in LABELS:
        criterion = t(f"rule.{rule}", lang)
    else:
        criterion = t("rule.other", lang).format(rule=rule)
    return criterion, limit, value


def community_rows(result: Result, lang: str) -> list[tuple[str, str, Any, str, str]]:
    """The community-capacity rows of the readiness grid.

    Each row: (criterion, kind of value: money | rate | text, value, threshold, status).
    Money values are in cents, rates are fractions (0.9 is 90 %). Needs a ``[campaign]``.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> rows = community_rows(run(sc), "en")
    >>> [(kind, status) for _criterion, kind, _value, _threshold, status in rows]
    [('money', 'watch'), ('rate', 'ok'), ('rate', 'ok'), ('text', 'ok')]
    >>> rows[0][3]  # the expected raise against the 20 000 $ target and 10 000 $ minimum
    'OK at or above the target ($20,000.00); Watch at or above the minimum ($10,000.00); Risk below'
    >>> rows[3][0], rows[3][2]
    ('Investor-limit rules: Québec non-profit exemption (Securities Act, s. 3(3))', 'Respected')
    """
    res = result
    camp = res.campaign
    sim, summary = camp.simulation, camp.summary()
    words = {k: t(f"status.{k}", lang) for k in STATUSES}
    rows = []
    ok, watch = READINESS_THRESHOLDS["expected_raise"]
    need = {"camp.target": sim.target, "camp.minimum": sim.minimum}
    mean = round_half_up(exact(float(sim.community.mean())))
    threshold = t("thr.amount", lang).format(
        target=money_text(need[ok], lang, res.scenario.currency),
        minimum=money_text(need[watch], lang, res.scenario.currency),
        **words,
    )
    rows.append(
        (
            t("ready.expected_raise", lang),
            "money",
            mean,
            threshold,
            readiness_status(mean, need[ok], need[watch]),
        )
    )
    for key, chance in (
        ("p_minimum", summary["p_minimum_reached"]),
        ("p_minimum_community", summary["p_minimum_reached_by_community"]),
    ):
        high, low = READINESS_THRESHOLDS[key]
        threshold = t("thr.chance", lang).format(
            high=percent_text(high, lang, 0), low=percent_text(low, lang, 0), **words
        )
        rows.append(
            (t(f"out.{key}", lang), "rate", chance, threshold, readiness_status(chance, high, low))
        )
    rules = rule_set(camp.terms.rule_set)
    for finding in camp.findings:
        criterion, limit, value = finding_parts(result, lang, finding, rules)
        rows.append((criterion, "text", value, t("thr.rule", lang).format(limit=limit), "risk"))
    if not camp.findings and rules.name != "none":
        rows.append(
            (
                t("ready.rules", lang).format(title=rules.title(lang)),
                "text",
                t("ready.respected", lang),
                t("thr.no_breach", lang),
                "ok",
            )
        )
    return rows


def financial_rows(result: Result, lang: str) -> list[tuple[str, str, Any, str, str]]:
    """The financial-capacity rows of the readiness grid (rows as :func:`community_rows`).

    Lowest coverage ratio, coverage of each maturity year, chance of a liquidity
    shortfall, reserve (or minimum cash) covered; thresholds from
    :data:`READINESS_THRESHOLDS` and the scenario's own coverage threshold and shortfall
    level. A criterion that does not apply has the status ``"na"``.

    Le Grand Costumier pays nothing before maturity: its periodic debt service is the
    sinking fund's 3,920.80 $ a year, covered 1.15 times by 4,500 $ in fiscal year 2017
    (Watch under its 1.25 threshold). In fiscal year 2022 the cash at the start
    (7,742.12 $), the sinking fund (20,000 $), the year's cash flow (6,500 $) and the
    expected renewals (65 % of the 20,000 $ principal) cover the 22,000 $ due 2.15 times.
    The campaign and launch costs paid in 2017 leave the closing cash under its minimum:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> rows = financial_rows(run(sc), "en")
    >>> [(criterion, status) for criterion, _kind, _value, _threshold, status in rows]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Lowest debt service coverage ratio (fiscal year 2017)', 'watch'),
     ('Repayment at maturity: coverage in fiscal year 2022', 'ok'),
     ('Chance of a liquidity shortfall in some fiscal year (simulated)', 'ok'),
     ('Closing cash at least the minimum cash (no reserve set)', 'risk')]
    >>> rows[0][1], round(rows[0][2], 4), rows[1][1], round(rows[1][2], 4)
    ('ratio', 1.1477, 'ratio', 2.1474)
    """
    res = result
    cap, risk = res.capacity, res.risk
    words = {k: t(f"status.{k}", lang) for k in (*STATUSES, "na")}
    rows: list[tuple[str, str, Any, str, str]] = []
    if cap is not None:
        table = cap.table
        own = float(cap.terms.coverage_threshold)
        low = min(float(READINESS_THRESHOLDS["min_coverage"][1]), own)
        threshold = t("thr.coverage", lang).format(
            threshold=number_text(own, lang, 2), low=number_text(low, lang, 2), **words
        )
        # coverage of periodic debt service; what falls due at maturity has its own test below
        dscr = cap.min_dscr
        lacking = table.loc[table["no_capacity"], "fiscal_year"]
        if len(lacking):  # debt service in a year whose cash flow is zero or negative
            rows.append(
                (
                    t("ready.coverage", lang),
                    "text",
                    f"{t('cap.no_capacity', lang)}: {', '.join(str(int(y)) for y in lacking)}",
                    threshold,
                    "risk",
                )
            )
        elif dscr is None:
            rows.append(
                (
                    t("ready.coverage", lang),
                    "text",
                    t("ready.no_debt_service", lang),
                    threshold,
                    "na",
                )
            )
        else:
            year = int(table.loc[table["coverage"].idxmin(), "fiscal_year"])
            rows.append(
                (
                    t("ready.min_coverage", lang).format(year=year),
                    "ratio",
                    dscr,
                    threshold,
                    readiness_status(dscr, own, low),
                )
            )
        high, low = READINESS_THRESHOLDS["maturity_coverage"]
        threshold = t("thr.chance", lang).format(
            high=number_text(high, lang, 2), low=number_text(low, lang, 2), **words
        )
        if cap.maturities.empty:
            rows.append(
                (
                    t("ready.maturity", lang),
                    "text",
                    t("ready.no_maturity_test", lang),
                    t("thr.no_maturity_test", lang),
                    "na",
                )
            )
        for rec in cap.maturities.itertuples(index=False):
            cov = float(rec.coverage)
            rows.append(
                (
                    t("ready.maturity_coverage", lang).format(year=int(rec.fiscal_year)),
                    "ratio",
                    None if math.isnan(cov) else cov,
                    threshold,
                    "na" if math.isnan(cov) else readiness_status(cov, high, low),
                )
            )
    if risk is not None:
        if risk.p_shortfall is None:
            rows.append(
                (
                    t("ready.p_shortfall", lang),
                    "text",
                    t("not_applicable", lang),
                    t("thr.needs_capacity", lang),
                    "na",
                )
            )
        else:
            level = risk.terms.shortfall_level
            ok, watch = (level * m for m in READINESS_THRESHOLDS["p_shortfall"])
            threshold = t("thr.shortfall", lang).format(
                level=percent_short(ok, lang), double=percent_short(watch, lang), **words
            )
            status = readiness_status(risk.p_shortfall, ok, watch, higher_is_better=False)
            rows.append((t("ready.p_shortfall", lang), "rate", risk.p_shortfall, threshold, status))
    if cap is not None:
        table = cap.table
        missed = [int(y) for y in table.loc[~table["reserve_covered"], "fiscal_year"]]
        key = "ready.reserve" if cap.terms.reserve is not None else "ready.minimum_cash"
        if missed:
            value = t("ready.not_covered", lang).format(year=missed[0], n=len(missed))
        else:
            value = t("ready.every_year", lang)
        rows.append(
            (
                t(key, lang),
                "text",
                value,
                t("thr.every_year", lang).format(**words),
                "risk" if missed else "ok",
            )
        )
    return rows


def self_assessed_rows(result: Result, lang: str) -> list[tuple[str, str, Any, str, str]]:
    """The self-assessed rows of the readiness grid (rows as :func:`community_rows`): one
    per criterion of :data:`~bondkit.core.readiness.READINESS_CRITERIA`, its value the
    level the scenario's ``[readiness]`` gives (as words), its status OK at 3 or 4, Watch
    at 2, Risk at 1, ``"unanswered"`` without a level (or without the table).

    The Cinéma du Parc example answers every criterion, its staff and volunteers under way:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> rows = self_assessed_rows(run(sc), "en")
    >>> [(value, status) for _criterion, _kind, value, _threshold, status in rows[2:4]]
    [('3 – In place', 'ok'), ('2 – Under way', 'watch')]
    >>> rows[0][0]
    'Governance: a board that decides on the issue, with roles and rules'
    >>> no_table = run(sc.with_changes(readiness=None))
    >>> {status for *_rest, status in self_assessed_rows(no_table, "fr")}
    {'unanswered'}
    """
    answers = result.scenario.readiness_terms() or ReadinessTerms()
    words = {k: t(f"status.{k}", lang) for k in (*STATUSES, UNANSWERED)}
    threshold = t("thr.level", lang).format(**words)
    rows: list[tuple[str, str, Any, str, str]] = []
    for criterion, level in answers.answers():
        if level is None:
            value = t("readiness.not_answered", lang)
        else:
            value = t("readiness.answer", lang).format(
                level=level, word=t(f"readiness.level.{level}", lang)
            )
        rows.append(
            (t(f"readiness.{criterion}", lang), "text", value, threshold, level_status(level))
        )
    assert len(rows) == len(READINESS_CRITERIA)
    return rows


def readiness_counts(result: Result) -> dict[str, int]:
    """How many criteria of the readiness grid have each status, and how many apply.

    ``criteria`` counts the criteria that apply (all but ``na``); ``ok`` those that are
    met. The Cinéma du Parc example: fifteen criteria, none inapplicable:

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> counts = readiness_counts(run(sc))
    >>> counts["criteria"], counts["unanswered"], counts["na"]
    (15, 0, 0)
    >>> counts["ok"] + counts["watch"] + counts["risk"]
    15
    """
    statuses = list(readiness_grid(result, "en")["status"])
    counts = {s: statuses.count(s) for s in (*STATUSES, "na", UNANSWERED)}
    return {"criteria": len(statuses) - counts["na"], **counts}


def readiness_grid(result: Result, lang: str | None = None) -> pd.DataFrame:
    """Every criterion of the readiness grid for ``result``, one row each.

    Columns: ``group`` (``"financial"``, ``"community"`` or ``"self_assessed"``),
    ``criterion`` (words), ``kind`` of the value (``money`` in cents, ``rate`` a fraction,
    ``ratio``, ``text``), ``value``, ``threshold`` (words) and ``status`` (``ok``,
    ``watch``, ``risk``, ``na`` or ``unanswered``). The financial rows need a
    ``[capacity]`` or ``[risk]`` table, the community rows a ``[campaign]``; the seven
    self-assessed rows are always there (``unanswered`` without ``[readiness]``).

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> grid = readiness_grid(run(sc), "en")
    >>> grid[["group", "status"]].iloc[0].tolist()
    ['financial', 'ok']
    >>> sorted(set(grid["status"]))
    ['ok', 'risk', 'watch']
    >>> grid["group"].value_counts().to_dict()
    {'self_assessed': 7, 'financial': 4, 'community': 4}
    """
    import pandas as pd

    lang = lang or result.scenario.language
    rows = []
    if result.capacity is not None or result.risk is not None:
        rows += [("financial", *r) for r in financial_rows(result, lang)]
    if result.campaign is not None:
        rows += [("community", *r) for r in community_rows(result, lang)]
    rows += [("self_assessed", *r) for r in self_assessed_rows(result, lang)]
    columns = ["group", "criterion", "kind", "value", "threshold", "status"]
    return pd.DataFrame(rows, columns=columns, dtype=object)
