"""Text renderings of a schedule: the contract's CSV and JSON, and a table for reading.

Amounts are printed from integer cents, so a CSV value is the exact cent amount.
"""

from __future__ import annotations

import json

import pandas as pd

from bondkit.columns import COLUMNS, CONTRACT_COLUMNS, label
from bondkit.core.conventions import cents_to_str
from bondkit.labels import check_language, number_text

__all__ = [
    "schedule_records",
    "schedule_csv",
    "schedule_json",
    "schedule_table",
    "spreadsheet_text",
]

#: what makes a spreadsheet read a CSV cell as a formula (OWASP's CSV injection list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """A text cell of a CSV as Excel and LibreOffice will read it: as text, never a formula.

    Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (the OWASP rule); any other text is unchanged. Apply it to text
    cells only: numbers are written as numbers.

    >>> spreadsheet_text("-A1"), spreadsheet_text("=1+1"), spreadsheet_text("Série A")
    ("'-A1", "'=1+1", 'Série A')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cells(df: pd.DataFrame, csv: bool = False) -> list[list[str]]:
    """Each contract column as text: ISO dates, amounts with 2 decimals, no separators;
    with ``csv``, text cells safe for a spreadsheet (:func:`spreadsheet_text`)."""
    out = []
    for key in CONTRACT_COLUMNS:
        unit = COLUMNS[key].unit
        values = df[key]
        if unit == "money":
            out.append([cents_to_str(v) for v in values])
        elif unit == "date":
            out.append([d.date().isoformat() for d in values])
        elif unit == "text" and csv:
            out.append([spreadsheet_text(str(v)) for v in values])
        else:
            out.append([str(v) for v in values])
    return [list(row) for row in zip(*out, strict=True)]


def schedule_records(df: pd.DataFrame) -> list[dict]:
    """The schedule as a list of dicts with the contract keys (amounts as numbers).

    Amounts are floats in currency units (cents / 100), dates ISO strings:

    >>> import datetime as dt
    >>> from bondkit.core.schedule import series_schedule
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 1_000, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> df = series_schedule(s)  # money in cents
    >>> schedule_records(df)[-1]
    {'series': 'A', 'period': 5, 'date': '2032-01-15', 'opening_balance': 100000.0, 'interest': 4000.0, 'principal': 100000.0, 'payment': 104000.0, 'closing_balance': 0.0}
    """
    records = []
    for row in _cells(df):
        rec: dict = {}
        for key, text in zip(CONTRACT_COLUMNS, row, strict=True):
            unit = COLUMNS[key].unit
            rec[key] = float(text) if unit == "money" else int(text) if unit == "count" else text
        records.append(rec)
    return records


def schedule_csv(df: pd.DataFrame) -> str:
    """CSV with the header ``series,period,date,opening_balance,...``, lines ending in ``\\n``.

    A co-op's 100,000 $ 5-year bullet at 4 %, paid yearly; the schedule holds cents, the
    text shows currency units with two decimals:

    >>> import datetime as dt
    >>> from bondkit.core.schedule import series_schedule
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 1_000, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> df = series_schedule(s)  # money in cents
    >>> print(schedule_csv(df), end="")
    series,period,date,opening_balance,interest,principal,payment,closing_balance
    A,1,2028-01-15,100000.00,4000.00,0.00,4000.00,100000.00
    A,2,2029-01-15,100000.00,4000.00,0.00,4000.00,100000.00
    A,3,2030-01-15,100000.00,4000.00,0.00,4000.00,100000.00
    A,4,2031-01-15,100000.00,4000.00,0.00,4000.00,100000.00
    A,5,2032-01-15,100000.00,4000.00,100000.00,104000.00,0.00
    """
    lines = [",".join(CONTRACT_COLUMNS)]
    lines += [",".join(row) for row in _cells(df, csv=True)]
    return "\n".join(lines) + "\n"


def schedule_json(df: pd.DataFrame) -> str:
    """JSON array of objects with the contract keys (amounts in currency units).

    >>> import datetime as dt
    >>> from bondkit.core.schedule import series_schedule
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 1_000, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> df = series_schedule(s)  # money in cents
    >>> import json
    >>> rows = json.loads(schedule_json(df))
    >>> len(rows), rows[0]["date"], rows[0]["interest"], rows[-1]["payment"]
    (5, '2028-01-15', 4000.0, 104000.0)
    """
    return json.dumps(schedule_records(df), ensure_ascii=False, indent=2) + "\n"


def schedule_table(df: pd.DataFrame, lang: str = "en") -> str:
    """An aligned table for the terminal, amounts with thousands separators.

    In English the columns are headed by their keys (those of the CSV) and amounts are
    written ``100,000.00``; in French (``lang="fr"``) by their French labels, and amounts
    are written ``100 000,00`` (a no-break space between thousands, as
    :func:`~bondkit.labels.number_text` writes them). Dates are ISO in both.

    A co-op's 100,000 $ 5-year bullet at 4 %, paid yearly; the schedule holds cents, the
    text shows currency units with two decimals:

    >>> import datetime as dt
    >>> from bondkit.core.schedule import series_schedule
    >>> from bondkit.core.terms import SeriesTerms
    >>> s = SeriesTerms("A", 100_000, 1_000, 0.04, dt.date(2027, 1, 15), term_years=5)
    >>> df = series_schedule(s)  # money in cents
    >>> print(schedule_table(df), end="")
    series  period  date        opening_balance  interest   principal     payment  closing_balance
    ------  ------  ----------  ---------------  --------  ----------  ----------  ---------------
    A            1  2028-01-15       100,000.00  4,000.00        0.00    4,000.00       100,000.00
    A            2  2029-01-15       100,000.00  4,000.00        0.00    4,000.00       100,000.00
    A            3  2030-01-15       100,000.00  4,000.00        0.00    4,000.00       100,000.00
    A            4  2031-01-15       100,000.00  4,000.00        0.00    4,000.00       100,000.00
    A            5  2032-01-15       100,000.00  4,000.00  100,000.00  104,000.00             0.00
    >>> french = schedule_table(df, "fr").splitlines()
    >>> print(french[0])
    Série  Période  Date de paiement  Solde d'ouverture  Intérêts     Capital   Versement  Solde de clôture
    >>> [cell for cell in french[-1].split(" ") if cell][-3:]  # no-break spaces in amounts
    ['100\\xa0000,00', '104\\xa0000,00', '0,00']
    """
    check_language(lang)
    header = list(CONTRACT_COLUMNS) if lang == "en" else [label(k, lang) for k in CONTRACT_COLUMNS]
    rows = []
    for row in _cells(df):
        cells = []
        for key, text in zip(CONTRACT_COLUMNS, row, strict=True):
            if COLUMNS[key].unit == "money":
                whole, _, frac = text.partition(".")
                sign = "-" if whole.startswith("-") else ""
                grouped = number_text(int(whole.lstrip("-")), lang)  # exact: a whole number
                text = f"{sign}{grouped}{'.' if lang == 'en' else ','}{frac}"
            cells.append(text)
        rows.append(cells)
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    right = [COLUMNS[k].unit in ("money", "count") for k in CONTRACT_COLUMNS]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, rows)]) + "\n"
