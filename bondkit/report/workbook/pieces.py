"""Pieces several booklets share: per-series tables with their totals, the "coming in a
later version" block, the texts of a series' step rates and term, cents of an expectation.

A per-series table has one row per series of the scenario and its columns by key: the
label key of the column's heading (``"col.amount"``) or a column of
:data:`bondkit.columns.COLUMNS` (``"series"``). Its cells are written by the writers of
:data:`SERIES_CELLS` or by a booklet's own, all called as ``writer(sheet, row, col, terms)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bondkit.core.conventions import exact, round_half_up
from bondkit.labels import percent_text, t
from bondkit.report.workbook.kit import Sheet, column_map, heading

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from bondkit.core.terms import SeriesTerms

    #: a writer of a per-series table's cell: ``writer(sheet, row, col, terms)``
    SeriesCell = Callable[[Sheet, int, int, SeriesTerms], None]

__all__ = [
    "SERIES_CELLS",
    "series_table",
    "totals",
    "coming",
    "step_rates_text",
    "term_text",
    "cents_from_units",
]


def step_rates_text(sheet: Sheet, terms: SeriesTerms) -> str:
    """The step rates of a series in words, in the sheet's language.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> step_rates_text(book.sheet("sheet.b1", "title.b1"), book.result.series[0])
    'none'
    """
    if not terms.step_rates:
        return t("none", sheet.lang)
    return "; ".join(
        t("step_rate_item", sheet.lang).format(
            year=s.from_year, rate=percent_text(float(s.annual_rate), sheet.lang)
        )
        for s in terms.step_rates
    )


def term_text(sheet: Sheet, terms: SeriesTerms) -> str:
    """The term of a series in words: its years, or that its maturity date is given.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> term_text(book.sheet("sheet.b1", "title.b1"), book.result.series[0])
    '5 years'
    """
    if terms.term_years is not None:
        return t("years_n", sheet.lang).format(n=terms.term_years)
    return t("maturity_given", sheet.lang)


def coming(sheet: Sheet, row: int, key: str, hints: tuple[str, ...] = ()) -> int:
    """What a table of the scenario would add to this sheet (``key``), then ``hints``
    (label keys): how to add it.

    Returns the next row (a blank row is left below the notes):

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_3", "title.b3_3")
    >>> coming(sheet, FIRST_ROW, "coming.b3_3")
    8
    """
    row = sheet.section(row, "sec.coming")
    row = sheet.note(row, t(key, sheet.lang))
    for hint in hints:
        row = sheet.note(row, t(hint, sheet.lang))
    return row + 1


def series_table(
    sheet: Sheet, row: int, keys: Sequence[str], cells: dict[str, SeriesCell] | None = None
) -> int:
    """A table with one row per series, its columns by key (see
    :func:`~bondkit.report.workbook.kit.heading`): each column's cells are written by
    ``cells[key]`` or else by ``SERIES_CELLS[key]``; the next row.

    >>> from bondkit.report.workbook.kit import FIRST_ROW, Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_1", "title.b3_1")
    >>> series_table(sheet, FIRST_ROW, ("series", "col.amount"))  # the header, then series A
    5
    """
    writers = [{**SERIES_CELLS, **(cells or {})}[key] for key in keys]
    row = sheet.header(row, 0, [heading(key, sheet.lang) for key in keys])
    for terms in sheet.book.result.series:
        for c, write in enumerate(writers):
            write(sheet, row, c, terms)
        row += 1
    return row


def totals(sheet: Sheet, row: int, keys: Sequence[str], sums: dict[str, tuple[str, int]]) -> int:
    """A total row under a per-series table whose columns are ``keys``; ``sums`` = key ->
    ("money" | "int", value); the next row.

    >>> from bondkit.report.workbook.kit import Book
    >>> from bondkit.runner import run
    >>> from bondkit.scenario import starter_scenario
    >>> book = Book(run(starter_scenario()), None, "en")  # held in memory
    >>> sheet = book.sheet("sheet.b3_3", "title.b3_3")
    >>> keys = ("series", "col.bonds", "col.amount")
    >>> totals(sheet, 5, keys, {"col.bonds": ("int", 100), "col.amount": ("money", 10_000_000)})
    6
    """
    col = column_map(keys)
    sheet.total_row(row, 0, len(keys) - 1, t("total", sheet.lang))
    for key, (kind, value) in sums.items():
        if kind == "money":
            sheet.money(row, col[key], value, total=True)
        else:
            sheet.number(row, col[key], value, total=True)
    return row + 1


# ---------------------------------------------------------------- cells of per-series tables


def _c_id(s, r, c, terms):
    s.text(r, c, terms.id)


def _c_amount(s, r, c, terms):
    s.money(r, c, terms.amount_cents)


def _c_face(s, r, c, terms):
    s.money(r, c, terms.face_value_cents)


def _c_bonds(s, r, c, terms):
    s.number(r, c, terms.bonds)


def _c_rate(s, r, c, terms):
    s.rate(r, c, float(terms.annual_rate))


def _c_issue(s, r, c, terms):
    s.date(r, c, terms.issue_date)


def _c_maturity(s, r, c, terms):
    s.date(r, c, terms.maturity)


def _c_repayment(s, r, c, terms):
    s.text(r, c, t(f"repayment_short.{terms.repayment}", s.lang))


def _c_frequency(s, r, c, terms):
    s.text(r, c, t(f"frequency.{terms.frequency}", s.lang))


def _c_day_count(s, r, c, terms):
    s.text(r, c, terms.day_count)


def _c_io(s, r, c, terms):
    s.number(r, c, terms.interest_only_years)


def _c_steps(s, r, c, terms):
    s.text(r, c, step_rates_text(s, terms))


def _c_yield(s, r, c, terms):
    s.rate(r, c, s.book.result.series_results[terms.id].investor_yield)


#: writers of per-series table cells, by the label key of the column's header:
#: ``writer(sheet, row, col, terms)``
SERIES_CELLS: dict[str, SeriesCell] = {
    "series": _c_id,
    "col.repayment": _c_repayment,
    "col.amount": _c_amount,
    "col.face_value": _c_face,
    "col.bonds": _c_bonds,
    "annual_rate": _c_rate,
    "col.issue_date": _c_issue,
    "col.maturity": _c_maturity,
    "col.frequency": _c_frequency,
    "col.day_count": _c_day_count,
    "col.io_years": _c_io,
    "col.step_rates": _c_steps,
    "col.investor_yield": _c_yield,
}


def cents_from_units(x: float) -> int:
    """An expectation in currency units as whole cents (half up), as the summary rounds it.

    >>> cents_from_units(12.345), cents_from_units(0.004)
    (1235, 0)
    """
    return round_half_up(exact(float(x)) * 100)
