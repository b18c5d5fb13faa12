"""The answer first: the four questions a board asks, each with its figure, a status and a
plain sentence, in the run's language. The Sommaire sheet opens with them, ``bondkit run``
prints them before the paths, and a result's notebook display leads with them.

1. **Can we raise it?** the chance that the campaign reaches its minimum (with the match
   and the underwriter), graded by the readiness grid's thresholds; when the run tracks a
   campaign under way (``bondkit track``), its chance by the close, beside the plan's.
2. **Can we afford it?** the lowest coverage of periodic debt service against the
   scenario's threshold, the fiscal years below it, the maturity test, and the largest
   issue the cash flow carries (level payments at the threshold) against the one planned.
   The status is the worst of the three.
3. **What does it cost?** the all-in cost (every cost of raising the money, the campaign's
   included) and the total cost in dollars. Graded by what the costs add to the average
   coupon rate: OK up to :data:`COST_SPREAD` [0] (one point), Watch up to [1] (two points),
   Risk above, where the costs of raising eat most of what a community bond saves.
4. **What could go wrong?** the simulated chance of a liquidity shortfall and the reserve
   to hold, graded by the readiness grid's thresholds.

A question whose table the scenario lacks has the status ``"na"`` and a sentence naming
the table that would answer it. Every word comes from :mod:`bondkit.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING

from bondkit.labels import check_language, money_text, number_text, percent_text, t
from bondkit.runner.readiness import READINESS_THRESHOLDS, STATUSES, readiness_status

if TYPE_CHECKING:
    from bondkit.runner.result import Result

__all__ = ["Answer", "QUESTIONS", "HEADLINES", "COST_SPREAD", "answers", "worst"]

#: the four questions, in order (label keys ``ask.<key>``)
QUESTIONS: tuple[str, ...] = ("raise", "afford", "cost", "wrong")

#: the key figures (keys of :data:`bondkit.runner.figures.FIGURES`) behind each question's
#: answer, in the order the answer gives them; "afford" also holds the largest yearly debt
#: service, what the cash flow must carry. A comparison of options shows them by question.
HEADLINES: dict[str, tuple[str, ...]] = {
    "raise": ("p_minimum_reached", "expected_raised"),
    "afford": (
        "min_dscr",
        "years_below_count",
        "maturity_coverage",
        "max_debt_level_payment",
        "max_annual_debt_service",
    ),
    "cost": ("issuer_all_in_cost", "total_interest", "total_cost"),
    "wrong": ("p_shortfall", "recommended_reserve"),
}

#: what the costs of raising may add to the average coupon rate (all-in cost − coupon):
#: OK up to the first, Watch up to the second, Risk above (fractions a year)
COST_SPREAD: tuple[float, float] = (0.01, 0.02)


@dataclass(frozen=True)
class Answer:
    """One question answered: ``key`` (one of :data:`QUESTIONS`), ``question`` and
    ``figure`` (words), ``status`` (``ok``, ``watch``, ``risk`` or ``na``) and
    ``sentence``, all in the run's language."""

    key: str
    question: str
    figure: str
    status: str
    sentence: str

    def line(self, lang: str) -> str:
        """The answer on one line: question, figure, status word, sentence."""
        word = t(f"status.{self.status}", lang)
        return f"{self.question} {self.figure} [{word}] {self.sentence}"


def worst(*statuses: str) -> str:
    """The worst of some statuses (``na`` counts only when all are ``na``).

    >>> worst("ok", "watch", "na"), worst("na", "na"), worst("risk", "ok")
    ('watch', 'na', 'risk')
    """
    graded = [s for s in statuses if s != "na"]
    return max(graded, key=STATUSES.index) if graded else "na"


def _raise(res: Result, lang: str) -> tuple[str, str, str]:
    camp = res.campaign
    if camp is None:
        return t("not_applicable", lang), "na", t("ans.raise.none", lang)
    p = camp.p_minimum_reached
    ok, watch = READINESS_THRESHOLDS["p_minimum"]
    cur = res.scenario.currency
    sim = camp.simulation
    tr = res.tracking
    if tr is not None:  # the campaign under way answers, beside the plan's chance
        sentence = t("ans.raise.tracking", lang).format(
            date=tr.as_of,
            seen=money_text(tr.seen_cents, lang, cur),
            p=percent_text(tr.p_minimum, lang, 0),
            minimum=money_text(tr.minimum, lang, cur),
            plan=percent_text(p, lang, 0),
        )
        return (
            percent_text(tr.p_minimum, lang, 0),
            readiness_status(tr.p_minimum, ok, watch),
            sentence,
        )
    sentence = t("ans.raise", lang).format(
        p=percent_text(p, lang, 0),
        minimum=money_text(int(sim.minimum), lang, cur),
        expected=money_text(camp.expected_raised, lang, cur),
        n=number_text(sim.n, lang),
    )
    return percent_text(p, lang, 0), readiness_status(p, ok, watch), sentence


def _afford(res: Result, lang: str) -> tuple[str, str, str]:
    cap = res.capacity
    if cap is None:
        return t("not_applicable", lang), "na", t("ans.afford.none", lang)
    cur = res.scenario.currency
    own = float(cap.terms.coverage_threshold)
    low = min(float(READINESS_THRESHOLDS["min_coverage"][1]), own)
    dscr, mat = cap.min_dscr, cap.maturity_coverage
    high_m, low_m = READINESS_THRESHOLDS["maturity_coverage"]
    below = cap.years_below_threshold
    statuses = [
        "risk" if cap.years_without_capacity else
        ("na" if dscr is None else readiness_status(dscr, own, low)),
        "na" if mat is None else readiness_status(mat, high_m, low_m),
        "ok" if cap.max_debt_level_payment >= res.total_principal else "watch",
    ]  # fmt: skip
    parts = []
    if dscr is None:
        parts.append(t("ready.no_debt_service", lang))
    else:
        parts.append(
            t("ans.afford.coverage", lang).format(
                ratio=number_text(dscr, lang, 2), threshold=number_text(own, lang, 2)
            )
        )
    parts.append(
        t("ans.afford.below", lang).format(years=", ".join(map(str, below)))
        if below
        else t("ans.afford.none_below", lang)
    )
    if mat is not None:
        parts.append(t("ans.afford.maturity", lang).format(ratio=number_text(mat, lang, 2)))
    parts.append(
        t("ans.afford.size", lang).format(
            largest=money_text(cap.max_debt_level_payment, lang, cur),
            planned=money_text(res.total_principal, lang, cur),
        )
    )
    figure = t("not_applicable", lang) if dscr is None else number_text(dscr, lang, 2)
    return (
        figure,
        worst(*statuses),
        reduce(lambda a, b: t("ans.then", lang).format(a=a, b=b), parts) + ".",
    )


def _cost(res: Result, lang: str) -> tuple[str, str, str]:
    cur = res.scenario.currency
    cost = res.issuer_all_in_cost
    total = money_text(res.total_cost, lang, cur)
    if cost is None:
        return total, "na", t("ans.cost.none", lang).format(total=total)
    coupon = sum(float(s.rate) * s.amount_cents for s in res.series) / res.total_principal
    status = readiness_status(cost - coupon, *COST_SPREAD, higher_is_better=False)
    sentence = t("ans.cost", lang).format(
        rate=percent_text(cost, lang, 2),
        coupon=percent_text(coupon, lang, 2),
        total=total,
        interest=money_text(res.total_interest, lang, cur),
        costs=money_text(res.total_cost - res.total_interest, lang, cur),
    )
    return percent_text(cost, lang, 2), status, sentence


def _wrong(res: Result, lang: str) -> tuple[str, str, str]:
    risk = res.risk
    if risk is None:
        return t("not_applicable", lang), "na", t("ans.wrong.none", lang)
    cur = res.scenario.currency
    reserve = money_text(risk.recommended_reserve, lang, cur)
    if risk.p_shortfall is None:
        return reserve, "na", t("ans.wrong.no_capacity", lang).format(reserve=reserve)
    level = risk.terms.shortfall_level
    ok, watch = (level * m for m in READINESS_THRESHOLDS["p_shortfall"])
    p = risk.p_shortfall
    sentence = t("ans.wrong", lang).format(
        p=percent_text(p, lang, 1), reserve=reserve, level=percent_text(level, lang, 0)
    )
    return percent_text(p, lang, 1), readiness_status(p, ok, watch, False), sentence


def answers(result: Result, lang: str | None = None) -> list[Answer]:
    """The four questions of :data:`QUESTIONS` answered for ``result`` in ``lang``
    (default: the scenario's).

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("grand-costumier-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> [(a.key, a.figure, a.status) for a in answers(run(sc), "en")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('raise', '100%', 'ok'), ('afford', '1.15', 'watch'), ('cost', '6.12%', 'risk'),
     ('wrong', '0.0%', 'ok')]
    """
    lang = check_language(lang or result.scenario.language)
    out = []
    for key, answer in zip(QUESTIONS, (_raise, _afford, _cost, _wrong), strict=True):
        figure, status, sentence = answer(result, lang)
        out.append(Answer(key, t(f"ask.{key}", lang), figure, status, sentence))
    return out
