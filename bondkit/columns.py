"""Column keys of bondkit's DataFrames, defined once, with their unit and FR/EN labels.

DataFrames keep snake_case keys; human labels appear only at export (workbook, charts),
so a notebook and a workbook show the same things under the same names.
Money columns hold whole **cents** as int64, so totals reconcile exactly; the unit
``"cents"`` tells exporters to divide by 100.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Column",
    "COLUMNS",
    "SCHEDULE_COLUMNS",
    "CONTRACT_COLUMNS",
    "METRIC_KINDS",
    "METRICS",
    "label",
]


@dataclass(frozen=True)
class Column:
    key: str
    unit: str  # cents | fraction | date | int | text | years
    en: str
    fr: str


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in [
        Column("series", "text", "Series", "Série"),
        Column("period", "int", "Period", "Période"),
        Column("accrual_start", "date", "Accrual start", "Début de la période"),
        Column("date", "date", "Payment date", "Date de paiement"),
        Column("year_fraction", "years", "Year fraction", "Fraction d'année"),
        Column("annual_rate", "fraction", "Annual rate", "Taux annuel"),
        Column("opening_balance", "cents", "Opening balance", "Solde d'ouverture"),
        Column("interest", "cents", "Interest", "Intérêts"),
        Column("principal", "cents", "Principal", "Capital"),
        Column("payment", "cents", "Payment", "Versement"),
        Column("closing_balance", "cents", "Closing balance", "Solde de clôture"),
        Column("fiscal_year", "int", "Fiscal year", "Exercice"),
        Column("debt_service", "cents", "Debt service", "Service de la dette"),
        Column("outstanding", "cents", "Outstanding at year end", "Encours en fin d'exercice"),
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
#: order, and how each is shown: money (currency units), pct (a fraction shown as a
#: percentage) or times (a ratio)
METRIC_KINDS: dict[str, str] = {
    "total_principal": "money",
    "issuer_all_in_cost": "pct",
    "total_interest": "money",
    "max_annual_debt_service": "money",
    "min_dscr": "times",
    "p_minimum_reached": "pct",
    "p_shortfall": "pct",
}
METRICS: tuple[str, ...] = tuple(METRIC_KINDS)


def label(key: str, language: str = "en") -> str:
    """The human label of a column key in ``language`` (``"fr"`` or ``"en"``).

    The unit of the column is in :data:`COLUMNS` (money columns are in cents):

    >>> label("interest", "fr")
    'Intérêts'
    >>> label("closing_balance")
    'Closing balance'
    >>> COLUMNS["closing_balance"].unit
    'cents'
    """
    col = COLUMNS[key]
    return col.fr if language == "fr" else col.en
