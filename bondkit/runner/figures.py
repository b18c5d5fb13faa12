"""The key figures of a run, defined once: key, label, kind and how to read each from a Result.

Every face shows figures from this table: the summary JSON (:meth:`Result.to_dict`), the
notebook's :attr:`Result.summary` and display, the workbook's summary sheet, and the
comparison and sweep tables. A figure's **kind** is one word of :data:`KINDS`, the one unit
vocabulary of bondkit (the column units of :mod:`bondkit.columns` use it too):

- ``money``: whole cents inside (:attr:`Figure.value`), currency units rounded to the cent
  outside (:meth:`Figure.json`);
- ``rate``: a fraction (0.04 is 4 %), shown as a percentage;
- ``ratio``: a plain number such as a coverage ratio (1.25);
- ``count``: a whole number; ``date``: a date (ISO text outside); ``text``.

A figure of a table the scenario lacks (``part``: campaign, capacity or risk) is None.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bondkit.columns import KINDS, METRICS
from bondkit.core.conventions import money
from bondkit.labels import check_language, t

if TYPE_CHECKING:
    import pandas as pd

    from bondkit.runner.result import Result

__all__ = [
    "KINDS",
    "Figure",
    "FIGURES",
    "JSON_FIGURES",
    "SUMMARY_FIGURES",
    "COMPARED",
    "SHEET_FIGURES",
    "figure_value",
    "key_figures",
]


@dataclass(frozen=True)
class Figure:
    """One key figure: ``key`` (its name in the summary JSON and in the tables), ``label``
    (a key of :mod:`bondkit.labels`), ``short`` (the label where space is tight: the
    comparison), ``kind`` (one of :data:`KINDS`), ``part`` (the scenario table it needs, or
    None) and ``read`` (its value from a Result, money in cents)."""

    key: str
    label: str
    short: str
    kind: str
    part: str | None
    read: Callable[[Result], Any]
    #: the words for a value of None (a label key): not applicable, or not solvable
    missing: str = "not_applicable"

    def value(self, result: Result) -> Any:
        """The value inside bondkit: money in cents, rates and ratios as floats (None when
        unsolvable or not a number), dates as dates; None when ``part`` is missing."""
        if self.part is not None and getattr(result, self.part) is None:
            return None
        x = self.read(result)
        if x is not None and self.kind in ("rate", "ratio"):
            x = float(x)
            return None if math.isnan(x) else x
        return x

    def json(self, result: Result) -> Any:
        """The value outside: money in currency units rounded to the cent, dates ISO."""
        x = self.value(result)
        if x is None:
            return None
        if self.kind == "money":
            return money(x)
        if self.kind == "date":
            return x.isoformat()
        return x


def _first_issue(r: Result) -> Any:
    return min(s.issue_date for s in r.series)


def _last_maturity(r: Result) -> Any:
    return max(s.maturity for s in r.series)


_ALL = (
    Figure("total_principal", "kf.total_principal", "cmp.metric.total_principal", "money", None,
           lambda r: r.total_principal),
    Figure("total_interest", "kf.total_interest", "cmp.metric.total_interest", "money", None,
           lambda r: r.total_interest),
    Figure("max_annual_debt_service", "kf.max_debt_service",
           "cmp.metric.max_annual_debt_service", "money", None,
           lambda r: r.max_annual_debt_service),
    Figure("issuer_all_in_cost", "kf.all_in_cost", "cmp.metric.issuer_all_in_cost", "rate",
           None, lambda r: r.issuer_all_in_cost, missing="not_solvable"),
    Figure("issuer_all_in_cost_without_campaign", "kf.all_in_cost_without_campaign",
           "kf.all_in_cost_without_campaign", "rate", None,
           lambda r: r.issuer_all_in_cost_without_campaign, missing="not_solvable"),
    Figure("total_cost", "kf.total_cost", "cmp.metric.total_cost", "money", None,
           lambda r: r.total_cost),
    Figure("expected_campaign_cost", "kf.campaign_cost", "kf.campaign_cost", "money", "campaign",
           lambda r: r.campaign_cost),
    Figure("upfront_costs", "kf.upfront_costs", "kf.upfront_costs", "money", None,
           lambda r: r.upfront_costs),
    Figure("annual_admin_total", "kf.annual_admin_total", "kf.annual_admin_total", "money",
           None, lambda r: r.annual_admin_total),
    Figure("first_issue_date", "kf.first_issue", "kf.first_issue", "date", None, _first_issue),
    Figure("last_maturity_date", "kf.last_maturity", "kf.last_maturity", "date", None,
           _last_maturity),
    Figure("series_count", "kf.series_count", "kf.series_count", "count", None,
           lambda r: len(r.series)),
    Figure("seed", "risk.seed", "risk.seed", "count", None, lambda r: r.scenario.seed),
    Figure("expected_raised", "ready.expected_raise", "cmp.metric.expected_raised", "money",
           "campaign", lambda r: r.campaign.expected_raised),
    Figure("p_minimum_reached", "out.p_minimum", "cmp.metric.p_minimum_reached", "rate",
           "campaign", lambda r: r.campaign.p_minimum_reached),
    Figure("p_minimum_reached_by_community", "out.p_minimum_community",
           "out.p_minimum_community", "rate", "campaign",
           lambda r: r.campaign.p_minimum_reached_by_community),
    Figure("min_dscr", "kf.min_dscr", "cmp.metric.min_dscr", "ratio", "capacity",
           lambda r: r.capacity.min_dscr),
    Figure("maturity_coverage", "kf.maturity_coverage", "cmp.metric.maturity_coverage",
           "ratio", "capacity", lambda r: r.capacity.maturity_coverage),
    Figure("years_below_count", "kf.years_below", "cmp.metric.years_below_count", "count",
           "capacity", lambda r: len(r.capacity.years_below_threshold)),
    Figure("max_debt_level_payment", "kf.max_affordable", "cmp.metric.max_debt_level_payment",
           "money", "capacity", lambda r: r.capacity.max_debt_level_payment),
    Figure("p_shortfall", "kf.p_shortfall", "cmp.metric.p_shortfall", "rate", "risk",
           lambda r: r.risk.p_shortfall),
    Figure("recommended_reserve", "kf.recommended_reserve", "cmp.metric.recommended_reserve",
           "money", "risk", lambda r: r.risk.recommended_reserve),
)  # fmt: skip

#: every key figure, by key
FIGURES: dict[str, Figure] = {f.key: f for f in _ALL}

#: the key figures at the top of the summary JSON, in its order (scenario-format.md)
JSON_FIGURES: tuple[str, ...] = (
    "total_principal",
    "total_interest",
    "max_annual_debt_service",
    "issuer_all_in_cost",
    "issuer_all_in_cost_without_campaign",
    "total_cost",
    "upfront_costs",
    "expected_campaign_cost",
    "annual_admin_total",
    "first_issue_date",
    "last_maturity_date",
    "min_dscr",
    "maturity_coverage",
)

#: the rows of :attr:`Result.summary`, in order (a figure of a missing part is left out)
SUMMARY_FIGURES: tuple[str, ...] = (
    *JSON_FIGURES,
    "seed",
    "expected_raised",
    "p_minimum_reached",
    "p_minimum_reached_by_community",
    "years_below_count",
    "max_debt_level_payment",
    "p_shortfall",
    "recommended_reserve",
)

#: the key figures of the workbook's summary sheet, in order (after the scenario's name,
#: issuer, legal form and currency); a figure of a missing part is left out
SHEET_FIGURES: tuple[str, ...] = (
    "series_count",
    *JSON_FIGURES,
    "years_below_count",
    "max_debt_level_payment",
    "recommended_reserve",
    "p_shortfall",
)

#: the figures of ``bondkit compare`` and ``bondkit sweep`` (columns of their tables)
COMPARED: tuple[str, ...] = METRICS


def figure_value(result: Result, key: str) -> Any:
    """Figure ``key`` of ``result`` as the summary JSON gives it (money in currency units).

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> res = run(starter_scenario())  # 100,000 $ for 5 years at 4 %
    >>> figure_value(res, "total_interest"), figure_value(res, "min_dscr")  # CAD, no [capacity]
    (20000.0, None)
    >>> FIGURES["total_interest"].value(res)  # cents
    2000000
    """
    return FIGURES[key].json(result)


def key_figures(result: Result, lang: str | None = None) -> pd.DataFrame:
    """The key figures of ``result``, one row each: ``label``, ``value``, ``unit``.

    Units are the kinds of :data:`KINDS`: ``money`` (currency units, rounded to the cent),
    ``rate`` (0.04 is 4 %), ``ratio``, ``date`` (ISO text) and ``count``. The same numbers
    as the summary JSON; the figures of a table the scenario lacks are left out.

    >>> from bondkit.runner import run
    >>> from bondkit.scenario import load_example
    >>> sc = load_example("cinema-du-parc-2016").with_changes(
    ...     {"campaign.simulations": 200, "risk.paths": 200})
    >>> figures = key_figures(run(sc), "en")
    >>> figures.loc["total_interest"].tolist()
    ['Total interest paid', 10408.08, 'money']
    >>> figures.loc["min_dscr", "unit"], round(figures.loc["min_dscr", "value"], 2)
    ('ratio', 1.29)
    """
    import pandas as pd

    lang = check_language(lang or result.scenario.language)
    rows = {}
    for key in SUMMARY_FIGURES:
        f = FIGURES[key]
        if f.part is None or getattr(result, f.part) is not None:
            rows[key] = (t(f.label, lang), f.json(result), f.kind)
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["label", "value", "unit"], dtype=object
    )
    frame.index.name = "figure"
    return frame
