"""Column keys of bondkit's DataFrames, defined once, with their unit and FR/EN labels.

DataFrames keep snake_case keys; human labels appear only at export (workbook, charts),
so a notebook and a workbook show the same things under the same names.
Every column and figure has a **kind**, one word of :data:`KINDS`, the one unit vocabulary
of bondkit: ``money`` columns hold whole **cents** as int64 (so totals reconcile exactly;
exporters divide by 100), ``rate`` a fraction (0.04 is 4 %), ``ratio`` a plain number,
``count`` a whole number, ``years`` a duration in years, ``date`` and ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KINDS",
    "Column",
    "COLUMNS",
    "SCHEDULE_COLUMNS",
    "CONTRACT_COLUMNS",
    "METRICS",
    "label",
]


#: the kinds of value (units) of every column and key figure
KINDS: tuple[str, ...] = ("money", "rate", "ratio", "count", "years", "date", "text")


@dataclass(frozen=True)
class Column:
    key: str
    unit: str  # one of KINDS
    en: str
    fr: str


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("series", "text", "Series", "Série"),
        Column("period", "count", "Period", "Période"),
        Column("accrual_start", "date", "Accrual start", "Début de la période"),
        Column("date", "date", "Payment date", "Date de paiement"),
        Column("year_fraction", "years", "Year fraction", "Fraction d'année"),
        Column("annual_rate", "rate", "Annual rate", "Taux annuel"),
        Column("opening_balance", "money", "Opening balance", "Solde d'ouverture"),
        Column("interest", "money", "Interest", "Intérêts"),
        Column("principal", "money", "Principal", "Capital"),
        Column("payment", "money", "Payment", "Versement"),
        Column("closing_balance", "money", "Closing balance", "Solde de clôture"),
        Column("fiscal_year", "count", "Fiscal year", "Exercice"),
        Column("debt_service", "money", "Debt service", "Service de la dette"),
        Column("outstanding", "money", "Outstanding at year end", "Encours en fin d'exercice"),
    ]
}

#: columns of a series or issue schedule, in order
SCHEDULE_COLUMNS: tuple[str, ...] = (
    "series",
    "period",
    "accrual_start",
    "date",
    "year_fraction",
    "annual_rate",
    "opening_balance",
    "interest",
    "principal",
    "payment",
    "closing_balance",
)

#: the columns of ``bondkit schedule`` output, exactly as scenario-format.md fixes them
CONTRACT_COLUMNS: tuple[str, ...] = (
    "series",
    "period",
    "date",
    "opening_balance",
    "interest",
    "principal",
    "payment",
    "closing_balance",
)

#: the figures of ``bondkit compare`` and ``bondkit sweep`` (columns of their tables), in
#: order; each is a key figure of :data:`bondkit.runner.figures.FIGURES`, which gives its
#: label and kind (kept here so that ``bondkit --help`` lists them without loading pandas)
METRICS: tuple[str, ...] = (
    "total_principal",
    "issuer_all_in_cost",
    "total_interest",
    "total_cost",
    "max_annual_debt_service",
    "min_dscr",
    "maturity_coverage",
    "p_minimum_reached",
    "p_shortfall",
    # added for issue #15 (after the first nine, so that the CSV's columns only grow)
    "expected_raised",
    "years_below_count",
    "max_debt_level_payment",
    "recommended_reserve",
)


def label(key: str, language: str = "en") -> str:
    """The human label of a column key in ``language`` (``"fr"`` or ``"en"``).

    The unit of the column is in :data:`COLUMNS` (money columns are in cents):

    >>> label("interest", "fr")
    'Intérêts'
    >>> label("closing_balance")
    'Closing balance'
    >>> COLUMNS["closing_balance"].unit  # whole cents
    'money'
    """
    col = COLUMNS[key]
    return col.fr if language == "fr" else col.en
