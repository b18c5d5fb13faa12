"""The keys a sweep varies, in words: each key's label (FR/EN) and the kind of its values.

A sweep's table has a column per varied key (``annual_rate``, ``series[2].term_years``,
``campaign.target``), named by the key as typed on the command line. Shown to a reader (a
chart's axis, the header of the sweep's sheet), a key is its label from
:mod:`bondkit.labels` (``vary.<key>``) with the unit of its kind (one of
:data:`bondkit.columns.KINDS`: money, rate, ratio, count, years, date, text), and its values
are written by that kind: ``annual_rate`` is "Taux annuel (%)" with 3,0 % ticks, not
``annual_rate`` and 0.03. :data:`VARIED` gives the kind of every key of the scenario
schema that a sweep can vary; a key it lacks reads as itself.

Also the columns shared by the sweep's modules: :data:`PROBLEM`, :data:`EXTRAPOLATED`,
:func:`keys_of` and :func:`plain`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bondkit.columns import METRICS
from bondkit.labels import LABELS, check_language, t
from bondkit.report.chartkit import axis_label, fewest_decimals, kind_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PROBLEM",
    "EXTRAPOLATED",
    "VARIED",
    "keys_of",
    "plain",
    "varied_kind",
    "varied_label",
    "varied_axis",
    "varied_texts",
    "varied_value_text",
]

PROBLEM = "first_problem"  # the column of a variant's first problem (None when it ran)
EXTRAPOLATED = "extrapolated_years"  # years added to a variant's cash-flow table (0: none)

#: the kind of the values of every key a sweep can vary (a series key stands for
#: ``series[N].key`` too); its label is ``vary.<key>`` in :mod:`bondkit.labels`
VARIED: dict[str, str] = {
    # [[series]]
    "amount": "money",
    "face_value": "money",
    "annual_rate": "rate",
    "issue_date": "date",
    "term_years": "years",
    "maturity_date": "date",
    "repayment": "text",
    "interest": "text",
    "frequency": "text",
    "day_count": "text",
    "interest_only_years": "years",
    "business_day": "text",
    # [campaign]
    "campaign.opens": "date",
    "campaign.closes": "date",
    "campaign.minimum": "money",
    "campaign.target": "money",
    "campaign.cap": "money",
    "campaign.allocation": "text",
    "campaign.rule_set": "text",
    "campaign.min_subscription": "money",
    "campaign.max_per_investor": "money",
    "campaign.interest_start": "text",
    "campaign.simulations": "count",
    "campaign.reference_rate": "rate",
    "campaign.rate_sensitivity": "ratio",
    "campaign.arrivals.start_days": "count",
    "campaign.arrivals.start_share": "rate",
    "campaign.arrivals.final_days": "count",
    "campaign.arrivals.final_share": "rate",
    "campaign.costs.fixed": "money",
    "campaign.costs.staff_hours": "count",
    "campaign.costs.hourly_cost": "money",
    "campaign.costs.per_subscriber": "money",
    "campaign.costs.payment_fee_rate": "rate",
    "campaign.costs.commission_rate": "rate",
    "campaign.match.ratio": "ratio",
    "campaign.match.max_amount": "money",
    "campaign.match.annual_rate": "rate",
    "campaign.match.term_years": "years",
    "campaign.match.repayment": "text",
    "campaign.match.counts_toward_minimum": "text",
    "campaign.underwriter.max_amount": "money",
    "campaign.underwriter.annual_rate": "rate",
    "campaign.underwriter.term_years": "years",
    "campaign.underwriter.repayment": "text",
    # [capacity]
    "capacity.cash_flow_base": "money",
    "capacity.cash_flow_growth": "rate",
    "capacity.first_fiscal_year": "text",  # a year: 2017, never 2 017
    "capacity.opening_cash": "money",
    "capacity.minimum_cash": "money",
    "capacity.coverage_threshold": "ratio",
    "capacity.sizing_rate": "rate",
    "capacity.sizing_term_years": "years",
    "capacity.sinking_fund.rate": "rate",
    "capacity.reserve.target": "text",
    "capacity.reserve.months": "count",
    # [costs]
    "costs.upfront": "money",
    "costs.upfront_rate": "rate",
    "costs.annual_admin": "money",
    # [risk]
    "risk.annual_probability": "rate",
    "risk.lock_in_years": "years",
    "risk.notice_months": "count",
    "risk.annual_cap": "rate",
    "risk.stress_probability": "rate",
    "risk.stress_annual_probability": "rate",
    "risk.renewal_rate": "rate",
    "risk.shortfall_level": "rate",
    "risk.holding": "money",
    "risk.paths": "count",
    # [offer], [issuer]
    "offer.rank": "text",
    "offer.transfer": "text",
    "offer.lock_in_years": "years",
    "offer.notice_months": "count",
    "offer.annual_cap": "rate",
    "issuer.legal_form": "text",
    "issuer.jurisdiction": "text",
    "issuer.fiscal_year_end": "text",
}

#: the words of the values of some text keys: the labels ``<prefix><value>``
_VALUE_WORDS: dict[str, str] = {
    "repayment": "repayment_short.",
    "interest": "cmp.interest.",
    "frequency": "frequency.",
    "campaign.allocation": "allocation.",
    "campaign.match.repayment": "repayment_short.",
    "campaign.underwriter.repayment": "repayment_short.",
    "issuer.legal_form": "legal_form.",
}


def keys_of(table: pd.DataFrame) -> list[str]:
    """The varied keys of a sweep's table: its columns before the figures.

    >>> import pandas as pd
    >>> keys_of(pd.DataFrame(columns=["annual_rate", "term_years", "total_interest", PROBLEM]))
    ['annual_rate', 'term_years']
    """
    return [c for c in table.columns if c not in METRICS and c not in (EXTRAPOLATED, PROBLEM)]


def plain(value: Any) -> str:
    """A cell as plain text: numbers unformatted, dates ISO, None empty.

    >>> plain(0.025), plain(None), plain(dt.date(2016, 9, 1)), plain(7)
    ('0.025', '', '2016-09-01', '7')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _base(key: str) -> tuple[str, int | None]:
    """(the key of :data:`VARIED`, the series number or None) of a varied key."""
    from bondkit.scenario import series_key

    found = series_key(key)
    return (found[1], found[0]) if found else (key, None)


def varied_kind(key: str) -> str:
    """The kind of the values of a varied key (``text`` for a key :data:`VARIED` lacks).

    >>> varied_kind("annual_rate"), varied_kind("series[2].term_years"), varied_kind("campaign.target")
    ('rate', 'years', 'money')
    """
    return VARIED.get(_base(key)[0], "text")


def varied_label(key: str, lang: str) -> str:
    """A varied key in words, without its unit (the key itself when it has no label).

    >>> varied_label("annual_rate", "fr"), varied_label("series[2].annual_rate", "en")
    ('Taux annuel', 'Annual rate, series 2')
    >>> varied_label("campaign.target", "fr"), varied_label("colour", "en")
    ('Objectif de la campagne', 'colour')
    """
    check_language(lang)
    base, n = _base(key)
    if f"vary.{base}" not in LABELS:
        return key
    words = t(f"vary.{base}", lang)
    return words if n is None else t("cmp.axis.series_n", lang).format(label=words, n=n)


def varied_axis(key: str, lang: str, currency: str = "CAD") -> str:
    """A varied key as an axis or a column reads it: its words and the unit of its kind.

    >>> varied_axis("annual_rate", "fr"), varied_axis("term_years", "en")
    ('Taux annuel (%)', 'Term of the bonds (years)')
    >>> varied_axis("campaign.target", "fr", "CAD")
    'Objectif de la campagne (CAD)'
    """
    return axis_label(varied_label(key, lang), varied_kind(key), lang, currency)


def varied_texts(key: str, values: Sequence[Any], lang: str) -> list[str]:
    """The values of a varied key as its axis shows them, with the same decimals (the unit
    is in the axis label: :func:`varied_axis`): rates as percentages with at least one
    decimal, amounts without cents when none has any, vocabulary in words.

    >>> varied_texts("annual_rate", [0.03, 0.04, 0.05], "fr")
    ['3,0\\xa0%', '4,0\\xa0%', '5,0\\xa0%']
    >>> varied_texts("annual_rate", [0.02, 0.0225], "en"), varied_texts("campaign.target", [15000, 20000], "fr")
    (['2.00%', '2.25%'], ['15\\xa0000', '20\\xa0000'])
    >>> varied_texts("repayment", ["bullet", "level-payment"], "fr")
    ['In fine', 'Versements constants']
    """
    check_language(lang)
    kind = varied_kind(key)
    words = _VALUE_WORDS.get(_base(key)[0])
    numbers = [float(v) for v in values if _is_number(v)]
    scale, least = (100, 1) if kind == "rate" else (1, 0)
    decimals = fewest_decimals([x * scale for x in numbers], least, 4)
    if kind == "money" and decimals:
        decimals = 2  # cents: both of them
    out = []
    for v in values:
        if words is not None and isinstance(v, str) and f"{words}{v}" in LABELS:
            out.append(t(f"{words}{v}", lang))
        elif _is_number(v) and kind not in ("date", "text"):
            out.append(kind_text(v, kind, lang, decimals))
        else:
            out.append(plain(v))
    return out


def varied_value_text(key: str, value: Any, lang: str, currency: str = "CAD") -> str:
    """One value of a varied key in words, with its unit: a percentage with as few
    decimals as it needs, an amount without cents when it has none, a term in years.

    >>> varied_value_text("annual_rate", 0.03, "fr"), varied_value_text("term_years", 6, "fr")
    ('3\xa0%', '6 ans')
    >>> varied_value_text("campaign.target", 15000, "en"), varied_value_text("costs.upfront", 1500.5, "en")
    ('$15,000', '$1,500.50')
    >>> varied_value_text("repayment", "bullet", "en"), varied_value_text("issue_date", dt.date(2016, 9, 1), "en")
    ('Bullet', '2016-09-01')
    """
    from bondkit.labels import money_text, number_text, percent_short

    kind = varied_kind(key)
    if not _is_number(value) or kind in ("date", "text"):
        return varied_texts(key, [value], lang)[0]
    x = float(value)
    if kind == "rate":
        return percent_short(x, lang)
    if kind == "money":
        cents = round(x * 100)
        text = money_text(cents, lang, currency)
        if cents % 100 == 0:  # whole: no cents
            text = text.replace(number_text(x, lang, 2), number_text(x, lang, 0))
        return text
    if kind == "years":
        return t("years_n", lang).format(n=number_text(x, lang, fewest_decimals([x])))
    return number_text(x, lang, fewest_decimals([x]))


def _is_number(v: Any) -> bool:
    from decimal import Decimal

    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)
