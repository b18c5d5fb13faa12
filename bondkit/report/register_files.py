"""The files of a payment run of the register (issue #13): CSV and XLSX, for the person
who sends the payments.

One row per holding paid (holder number and name, holding, series, interest, principal,
total, payment method), a total line, then the difference from the plan's schedule by
series with its three causes (:meth:`bondkit.register.Register.plan_difference`). Words
in the register's language, from :data:`bondkit.labels.LABELS`; money in currency units
with 2 decimals (exact: written from integer cents). The files hold holders' names, so
they are readable by their owner only (mode 0600); a SIN is never read, so never written.
Text that a spreadsheet could take for a formula stays text: in the CSV it gets a leading
apostrophe (:func:`bondkit.report.tables.spreadsheet_text`), in the XLSX it is written as
a string with Excel's quote prefix.

>>> import datetime as dt, tempfile, pandas as pd
>>> run = pd.DataFrame({"holder_id": [1], "name": ["=Café"], "holding_id": [1],
...                     "series_id": ["A"], "interest_cents": [4000], "principal_cents": [0],
...                     "total_cents": [4000], "payment_method": ["cheque"]})
>>> with tempfile.TemporaryDirectory() as out:
...     paths = write_payment_run(run, None, out, stem="demo", date=dt.date(2027, 3, 2),
...                               lang="en", issue="Demo")
...     print([p.name for p in paths])
...     print(paths[0].read_text(encoding="utf-8").splitlines()[1])
['demo-payment-run-2027-03-02.csv', 'demo-payment-run-2027-03-02.xlsx']
1,'=Café,1,A,40.00,0.00,40.00,cheque
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import cents_to_str
from bondkit.labels import t
from bondkit.report.fileset import write_file_set
from bondkit.report.tables import spreadsheet_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["write_payment_run", "payment_run_rows", "FILE_MODE"]

#: the files hold names: readable and writable by their owner only
FILE_MODE = 0o600
_RUN = ("holder_id", "name", "holding_id", "series_id")
_MONEY = ("interest_cents", "principal_cents", "total_cents")
_HEAD = ("holder", "name", "holding", "series", "interest", "principal", "total", "method")
_DIFF = ("register", "plan", "difference", "rounding", "starts", "unsold")
_DIFF_COLS = (
    "register_cents",
    "plan_cents",
    "difference_cents",
    "rounding_cents",
    "interest_start_cents",
    "unsold_cents",
)
#: what starts a formula in an XLSX cell typed by a person
_FORMULA_START = ("=", "+", "-", "@")


class Money(int):
    """An amount in cents, to be written in currency units with 2 decimals."""


def payment_run_rows(
    run: pd.DataFrame, difference: pd.DataFrame | None, lang: str
) -> list[list[Any]]:
    """The cells of the files, row by row: ``str`` text, ``int`` numbers, :class:`Money`
    amounts in cents; an empty row between the holdings and the difference.

    >>> import pandas as pd
    >>> run = pd.DataFrame({"holder_id": [1], "name": ["Lucie"], "holding_id": [3],
    ...                     "series_id": ["A"], "interest_cents": [4000],
    ...                     "principal_cents": [0], "total_cents": [4000],
    ...                     "payment_method": [None]})
    >>> payment_run_rows(run, None, "fr")[:3]
    [['Détenteur', 'Nom du détenteur', 'Placement', 'Série', 'Intérêts', 'Capital', 'Total', 'Mode de paiement'], [1, 'Lucie', 3, 'A', 4000, 0, 4000, ''], ['', 'Total', '', '', 4000, 0, 4000, '']]
    """
    out: list[list[Any]] = [[t(f"reg.pay.col.{key}", lang) for key in _HEAD]]
    columns = [run[c].tolist() for c in (*_RUN, *_MONEY, "payment_method")]
    for holder, name, holding, series, i, p, total, method in zip(*columns, strict=True):
        out.append(
            [
                int(holder),
                str(name),
                int(holding),
                str(series),
                Money(i),
                Money(p),
                Money(total),
                "" if method is None or method != method else str(method),
            ]
        )
    sums = [Money(int(run[c].sum())) for c in _MONEY]
    out.append(["", t("reg.pay.total", lang), "", "", *sums, ""])
    if difference is not None and len(difference):
        out.append([])
        out.append([t("reg.pay.diff.title", lang)])
        out.append([t("reg.pay.col.series", lang), *(t(f"reg.pay.diff.{k}", lang) for k in _DIFF)])
        for row in difference.itertuples(index=False):
            out.append([str(row.series_id), *(Money(getattr(row, c)) for c in _DIFF_COLS)])
    return out


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(
            [
                cents_to_str(v)
                if isinstance(v, Money)
                else spreadsheet_text(v)
                if isinstance(v, str)
                else str(v)
                for v in row
            ]
        )
    return buffer.getvalue()


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _xlsx(path: Path, title: str, rows: list[list[Any]], lang: str) -> None:
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    try:
        sheet = book.add_worksheet(t("reg.pay.sheet", lang))
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        quoted = book.add_format({"quote_prefix": True})
        sheet.write_string(0, 0, title, bold)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row):
                if isinstance(value, Money):
                    sheet.write_number(r, c, int(value) / 100, money)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                elif value:
                    fmt = quoted if value.startswith(_FORMULA_START) else None
                    sheet.write_string(r, c, value, *([fmt] if fmt else []))
        sheet.set_column(1, 1, 28)
        sheet.set_column(4, 6, 14)
        sheet.set_column(7, 7, 18)
    finally:
        book.close()
    os.chmod(path, FILE_MODE)


def write_payment_run(
    run: pd.DataFrame,
    difference: pd.DataFrame | None,
    out_dir: str | os.PathLike,
    *,
    stem: str,
    date: dt.date,
    lang: str,
    issue: str,
) -> list[Path]:
    """Write ``<stem>-payment-run-<date>.csv`` and ``.xlsx`` into ``out_dir``, together
    (all or nothing, :func:`bondkit.report.fileset.write_file_set`), mode 0600; their
    paths. ``run`` is :meth:`~bondkit.register.Register.payment_run`, ``difference``
    :meth:`~bondkit.register.Register.plan_difference` of the same date (or None).

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("building-purchase-2010")) as reg:
    ...         _ = reg.add_subscription(name="Lucie", series="A", bonds=1,
    ...                                  subscribed_on="2010-06-15", reason="form")
    ...         run = reg.payment_run("2011-07-01")
    ...     paths = write_payment_run(run, None, pathlib.Path(tmp) / "runs", stem="a",
    ...                               date=dt.date(2011, 7, 1), lang="en", issue="Building")
    ...     names = sorted(p.name for p in paths)
    >>> names
    ['a-payment-run-2011-07-01.csv', 'a-payment-run-2011-07-01.xlsx']
    """
    name = f"{stem}-payment-run-{date.isoformat()}"
    rows = payment_run_rows(run, difference, lang)
    title = t("reg.pay.title", lang).format(issue=issue, date=date.isoformat())

    def fill(folder: Path) -> None:
        _write_private(folder / f"{name}.csv", _csv_text(rows).encode("utf-8"))
        _xlsx(folder / f"{name}.xlsx", title, rows, lang)

    return write_file_set(out_dir, name, fill)
