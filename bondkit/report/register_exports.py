"""The register exported as files (issue #13): a CSV and an XLSX a person reads, and a CSV
in the field names of Odoo's loan-issue lines for co-ops that keep their loans in Odoo.

- ``<stem>-register.csv``: one row per holding, with its holder (number, name, address,
  e-mail, language, kind, joint holder, country, payment method), the holding (number,
  series, subscription date, interest start, the holding it came from) and its balances
  (bonds, principal owed, interest accrued and unpaid, net cash); money in currency units
  with 2 decimals, dates ISO, headers in the register's language (from
  :data:`bondkit.labels.LABELS`). UTF-8 with a byte-order mark, so that Excel reads the
  accents; text that a spreadsheet could take for a formula gets a leading apostrophe
  (:func:`bondkit.report.tables.spreadsheet_text`).
- ``<stem>-register.xlsx``: four sheets (the holdings as in the CSV, the holders, the
  ledger of events, the series), each with a frozen header row and column widths; dates
  are dates, money numbers with 2 decimals, and every text cell a string (with Excel's
  quote prefix when it starts like a formula), never a formula.
- ``<stem>-odoo-loan-issue-lines.csv``: the fields of easy_my_coop_loan's
  ``loan.issue.line`` (:data:`ODOO_FIELDS`), one line per holding, amounts with a dot
  decimal; the mapping is :func:`odoo_rows`'s and docs/register.md's.

The SIN is in the files only when the tables were read with it
(``read_tables(reg, include_sin=True)``, ``--with-sin``). The files hold names: they are
written together (:func:`bondkit.report.fileset.write_file_set`), readable by their owner
only (mode 0600).

>>> import tempfile, pathlib
>>> from bondkit.register import Register
>>> from bondkit.scenario import load_example
>>> with tempfile.TemporaryDirectory() as tmp:
...     with Register.create(pathlib.Path(tmp) / "a.db", load_example("grand-costumier-2016")) as reg:
...         _ = reg.add_subscription(name="=1+1", series="A", bonds=2,
...                                  subscribed_on="2016-07-15", reason="form")
...         tables = read_tables(reg)
...     paths = write_register_export(tables, pathlib.Path(tmp) / "out", stem="a", lang="en")
...     print([p.name for p in paths])
...     print(paths[1].read_text(encoding="utf-8-sig").splitlines()[1])
['a-odoo-loan-issue-lines.csv', 'a-register.csv', 'a-register.xlsx']
1,'=1+1,,,,person,,,,1,A,2016-07-15,2016-09-01,,2,2000.00,0.00,0.00
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.core.conventions import cents_to_str
from bondkit.errors import BondkitError, Message
from bondkit.labels import t
from bondkit.report.fileset import write_file_set
from bondkit.report.register_files import FILE_MODE, Money
from bondkit.report.tables import spreadsheet_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from bondkit.register import Register

__all__ = [
    "ODOO_FIELDS",
    "ODOO_STATES",
    "RegisterTables",
    "read_tables",
    "holding_rows",
    "odoo_rows",
    "write_register_export",
]

#: the fields of easy_my_coop_loan's ``loan.issue.line``, in the order of the Odoo file
ODOO_FIELDS = (
    "reference",
    "loan_issue_id",
    "partner_id",
    "quantity",
    "face_value",
    "amount",
    "date",
    "payment_date",
    "state",
    "tax_exemption",
)
#: the states of a ``loan.issue.line`` (bondkit writes cancelled, ended, paid, subscribed)
ODOO_STATES = ("draft", "subscribed", "waiting", "paid", "cancelled", "ended")
#: how many times the tables are read again when the register changed meanwhile
_TRIES = 5
#: what starts a formula in an XLSX cell a person edits (xlsx itself: only "=")
_FORMULA_START = ("=", "+", "-", "@")
#: day 0 of Excel's serial dates (valid from 1900-03-01 on)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: the cells of a column measured for its width
_WIDTH_SAMPLE = 2000


class Rate(str):
    """A rate as the scenario wrote it (``"0.04125"``): text in a CSV, a percentage in XLSX."""


# the columns of each table: (label key after "reg.export.col.", DataFrame column, kind);
# kinds: int, text, money (cents), date, rate
_HOLDER = (
    ("holder", "holder_id", "int"),
    ("name", "name", "text"),
    ("address", "address", "text"),
    ("email", "email", "text"),
)
_HOLDER_MORE = (
    ("language", "language", "text"),
    ("kind", "kind", "text"),
    ("co_holder", "co_holder", "text"),
    ("country", "country", "text"),
    ("payment_method", "payment_method", "text"),
)
_SIN = (("sin", "sin", "text"),)
_HOLDING = (
    ("holding", "holding_id", "int"),
    ("series", "series_id", "text"),
    ("subscribed_on", "subscribed_on", "date"),
    ("interest_start", "interest_start", "date"),
    ("origin", "origin_holding_id", "int"),
    ("bonds", "bonds", "int"),
    ("principal", "principal_cents", "money"),
    ("interest", "interest_cents", "money"),
    ("cash", "cash_cents", "money"),
)
_EVENT = (
    ("event", "event_id", "int"),
    ("event_kind", "kind", "text"),
    ("occurred_on", "occurred_on", "date"),
    ("created_at", "recorded_at", "text"),
    ("recorded_by", "recorded_by", "text"),
    ("reason", "reason", "text"),
    ("reverses", "reverses", "int"),
    ("posting", "posting_id", "int"),
    ("holding", "holding_id", "int"),
    ("series", "series_id", "text"),
    ("holder", "holder_id", "int"),
    ("bonds_moved", "bonds", "int"),
    ("principal_moved", "principal_cents", "money"),
    ("interest_moved", "interest_cents", "money"),
    ("cash", "cash_cents", "money"),
)
_SERIES = (
    ("series", "series_id", "text"),
    ("amount", "amount_cents", "money"),
    ("face_value", "face_value_cents", "money"),
    ("series_bonds", "bonds", "int"),
    ("annual_rate", "annual_rate", "rate"),
    ("issue_date", "issue_date", "date"),
    ("maturity", "maturity", "date"),
    ("term_years", "term_years", "int"),
    ("repayment", "repayment", "text"),
    ("interest_kind", "interest", "text"),
    ("frequency", "frequency", "text"),
    ("day_count", "day_count", "text"),
    ("renews", "renews", "text"),
    ("bonds", "bonds_held", "int"),
    ("principal", "principal_held_cents", "money"),
    ("interest", "interest_owed_cents", "money"),
    ("cash", "cash_cents", "money"),
)


@dataclass(frozen=True)
class RegisterTables:
    """The tables of one register, read from one state of it (:func:`read_tables`).

    ``holders`` has a ``sin`` column only when read with ``include_sin=True``; the other
    frames are :meth:`~bondkit.register.Register.holdings`,
    :meth:`~bondkit.register.Register.events` and :meth:`~bondkit.register.Register.series`.
    """

    issue: dict[str, Any]
    holders: pd.DataFrame
    holdings: pd.DataFrame
    events: pd.DataFrame
    series: pd.DataFrame

    @property
    def include_sin(self) -> bool:
        """Whether the holders' SINs were read (and so will be written).

        >>> import pandas as pd
        >>> empty = pd.DataFrame()
        >>> RegisterTables({}, pd.DataFrame(columns=["name"]), empty, empty, empty).include_sin
        False
        """
        return "sin" in self.holders.columns


def read_tables(reg: Register, *, include_sin: bool = False) -> RegisterTables:
    """The issue, holders (their SINs only with ``include_sin``), holdings, events and
    series of ``reg``, all from one state of the register: read between two equal
    :meth:`~bondkit.register.Register.digest` values, again if another command wrote in
    between (a few times, then :class:`~bondkit.errors.BondkitError`).

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("grand-costumier-2016")) as reg:
    ...         _ = reg.add_subscription(name="Lucie", sin="046 454 286", series="A",
    ...                                  bonds=1, subscribed_on="2016-07-15", reason="form")
    ...         plain, full = read_tables(reg), read_tables(reg, include_sin=True)
    >>> plain.include_sin, full.include_sin, len(plain.holdings), len(full.events)
    (False, True, 1, 1)
    """
    for _ in range(_TRIES):
        before = reg.digest()
        tables = RegisterTables(
            issue=reg.issue,
            holders=reg.holders(include_sin=include_sin),
            holdings=reg.holdings(),
            events=reg.events(),
            series=reg.series(),
        )
        if reg.digest() == before:
            return tables
    raise BondkitError(Message("reg.export.busy"))


# ---------------------------------------------------------------- the tables as cells


def _values(values: list[Any], kind: str) -> list[Any]:
    """A column's cells: None (empty: None, pandas' NA and NaT, NaN), ``int``, ``str``,
    :class:`Money` (cents), ``datetime.date`` or :class:`Rate`."""
    import pandas as pd

    na, nat = pd.NA, pd.NaT
    make = {
        "int": int,
        "money": lambda v: Money(int(v)),
        "date": lambda v: v.date() if hasattr(v, "date") else dt.date.fromisoformat(str(v)),
        "rate": lambda v: Rate(str(v)),
    }.get(kind, str)
    return [None if v is None or v is na or v is nat or v != v else make(v) for v in values]


#: a table: (header, kind, cells) for each column
Columns = list[tuple[str, str, list[Any]]]


def _columns(df: pd.DataFrame, spec: tuple, lang: str) -> Columns:
    return [
        (t(f"reg.export.col.{key}", lang), kind, _values(df[col].tolist(), kind))
        for key, col, kind in spec
    ]


def _rows(columns: Columns) -> list[list[Any]]:
    return [
        [h for h, _, _ in columns],
        *(list(r) for r in zip(*(c for _, _, c in columns), strict=True)),
    ]


def _tuples(df: pd.DataFrame, *spec: tuple[str, str]) -> list[tuple[Any, ...]]:
    """The rows of ``df``'s columns ``spec`` ((column, kind) pairs), as cells."""
    return list(zip(*(_values(df[col].tolist(), kind) for col, kind in spec), strict=True))


def _holder_spec(tables: RegisterTables) -> tuple:
    return _HOLDER + (_SIN if tables.include_sin else ()) + _HOLDER_MORE


def _holding_columns(tables: RegisterTables, lang: str) -> Columns:
    joined = tables.holdings.merge(
        tables.holders, on="holder_id", how="left", suffixes=("", "_holder")
    )
    return _columns(joined, _holder_spec(tables) + _HOLDING, lang)


def holding_rows(tables: RegisterTables, lang: str) -> list[list[Any]]:
    """The register as a person reads it: a header row in ``lang``, then one row per
    holding with its holder. Cells are ``int``, ``str``, :class:`Money` (cents),
    ``datetime.date`` or None (empty).

    >>> import pandas as pd
    >>> holders = pd.DataFrame({"holder_id": [1], "name": ["Lucie"], "address": [None],
    ...     "email": ["l@x.ca"], "language": ["fr"], "kind": ["person"], "co_holder": [None],
    ...     "country": ["CA"], "payment_method": [None]})
    >>> holdings = pd.DataFrame({"holding_id": [3], "holder_id": [1], "series_id": ["A"],
    ...     "subscribed_on": [pd.Timestamp("2016-07-15")],
    ...     "interest_start": [pd.Timestamp("2016-09-01")], "origin_holding_id": [None],
    ...     "bonds": [2], "principal_cents": [200000], "interest_cents": [0], "cash_cents": [0]})
    >>> rows = holding_rows(RegisterTables({}, holders, holdings, None, None), "fr")
    >>> rows[0][:3], rows[1][:2], rows[1][9:12], rows[1][-4:]
    (['Numéro du détenteur', 'Nom du détenteur', 'Adresse du détenteur'], [1, 'Lucie'], [3, 'A', datetime.date(2016, 7, 15)], [2, 200000, 0, 0])
    """
    return _rows(_holding_columns(tables, lang))


def _sheets(tables: RegisterTables, holdings: Columns, lang: str) -> list[tuple[str, Columns]]:
    more = (("estate_of", "estate_of", "int"), ("created_at", "created_at", "text"))
    return [
        (t("reg.export.sheet.holdings", lang), holdings),
        (
            t("reg.export.sheet.holders", lang),
            _columns(tables.holders, _holder_spec(tables) + more, lang),
        ),
        (t("reg.export.sheet.events", lang), _columns(tables.events, _EVENT, lang)),
        (t("reg.export.sheet.series", lang), _columns(tables.series, _SERIES, lang)),
    ]


# ---------------------------------------------------------------- Odoo's loan-issue lines


def _payments(tables: RegisterTables) -> dict[int, dict[str, Any]]:
    """Per holding: the principal its subscriptions gave, the cash received for it by date,
    and the kind and date of the event that first gave it bonds. A correction counts as
    the kind of the event it reverses (with the opposite amounts, on the same date)."""
    events = tables.events.sort_values(["event_id", "posting_id"])
    rows = _tuples(
        events,
        ("event_id", "int"),
        ("kind", "text"),
        ("reverses", "int"),
        ("holding_id", "int"),
        ("occurred_on", "date"),
        ("bonds", "int"),
        ("principal_cents", "int"),
        ("cash_cents", "int"),
    )
    kind_of = {r[0]: r[1] for r in rows}
    out: dict[int, dict[str, Any]] = {}
    for _, kind, reverses, holding, on, bonds, principal, cash in rows:
        if kind == "correction":
            kind = kind_of.get(reverses, kind)
        h = out.setdefault(holding, {"subscribed": 0, "received": {}, "came_by": None})
        if kind == "subscription":
            h["subscribed"] += principal
        elif kind == "payment_received":
            h["received"][on] = h["received"].get(on, 0) + cash
        if h["came_by"] is None and bonds > 0:
            h["came_by"] = (kind, on)
    return out


def _paid_on(
    holding: int, origins: dict[int, int | None], pay: dict[int, dict[str, Any]]
) -> dt.date | None:
    """The day the holding was paid for in full, or None: a renewal's holding on the day it
    was renewed (the money rolled over); a holding that came by a transfer or an estate,
    as the holding it came from; any other, the first day at whose end the cash received
    covers the principal its subscriptions gave."""
    seen: set[int] = set()
    while holding not in seen:
        seen.add(holding)
        p = pay.get(holding, {"subscribed": 0, "received": {}, "came_by": None})
        came_by = p["came_by"]
        if came_by is not None and came_by[0] == "renewal":
            return came_by[1]
        origin = origins.get(holding)
        if origin is not None and came_by is not None and came_by[0] != "subscription":
            holding = origin
            continue
        if p["subscribed"] <= 0 or sum(p["received"].values()) < p["subscribed"]:
            return None
        total = 0
        for on in sorted(p["received"]):
            total += p["received"][on]
            if total >= p["subscribed"]:
                return on
    return None  # pragma: no cover - origins never loop


def odoo_rows(tables: RegisterTables) -> list[list[str]]:
    """The lines of easy_my_coop_loan's ``loan.issue.line``: the header
    (:data:`ODOO_FIELDS`), then one line per holding, as text.

    ``reference`` is the holding's number; ``loan_issue_id`` its series (create one loan
    issue per series in Odoo, named by the series' id); ``partner_id`` the holder's name;
    ``quantity`` the bonds held today; ``face_value`` the series' face value and
    ``amount`` quantity x face value (Odoo computes both itself, as here); ``date`` the
    subscription date (a transfer keeps the original one); ``payment_date`` the day it
    was paid for in full (see below), else empty; ``state``: ``cancelled`` for a
    subscription corrected away, ``ended`` for a holding that holds no bond any more
    (repaid, redeemed, transferred, renewed), ``paid`` once paid for in full, else
    ``subscribed``; ``tax_exemption`` empty (the register does not know it; Odoo reads
    it as no). Paid in full: the cash received (``payment_received`` events, corrections
    counted) covers the principal subscribed; a holding that came by a transfer or an
    estate is paid as the one it came from; a renewal's holding on its renewal date.

    >>> import pandas as pd
    >>> holders = pd.DataFrame({"holder_id": [1], "name": ["Lucie"]})
    >>> holdings = pd.DataFrame({"holding_id": [1], "holder_id": [1], "series_id": ["A"],
    ...     "subscribed_on": [pd.Timestamp("2016-07-15")], "origin_holding_id": [None],
    ...     "bonds": [2]})
    >>> events = pd.DataFrame({"event_id": [1, 2], "posting_id": [1, 2],
    ...     "kind": ["subscription", "payment_received"], "reverses": [None, None],
    ...     "occurred_on": pd.to_datetime(["2016-07-15", "2016-07-20"]), "holding_id": [1, 1],
    ...     "bonds": [2, 0], "principal_cents": [200000, 0], "cash_cents": [0, 200000]})
    >>> series = pd.DataFrame({"series_id": ["A"], "face_value_cents": [100000]})
    >>> rows = odoo_rows(RegisterTables({}, holders, holdings, events, series))
    >>> rows[1]
    ['1', 'A', 'Lucie', '2', '1000.00', '2000.00', '2016-07-15', '2016-07-20', 'paid', '']
    """
    names = dict(_tuples(tables.holders, ("holder_id", "int"), ("name", "text")))
    face = dict(_tuples(tables.series, ("series_id", "text"), ("face_value_cents", "int")))
    holdings = _tuples(
        tables.holdings,
        ("holding_id", "int"),
        ("holder_id", "int"),
        ("series_id", "text"),
        ("subscribed_on", "date"),
        ("origin_holding_id", "int"),
        ("bonds", "int"),
    )
    origins = {h[0]: h[4] for h in holdings}
    pay = _payments(tables)
    out = [list(ODOO_FIELDS)]
    for hid, holder, series, subscribed_on, origin, bonds in holdings:
        paid_on = _paid_on(hid, origins, pay)
        if bonds == 0 and origin is None and pay.get(hid, {"subscribed": 0})["subscribed"] <= 0:
            state = "cancelled"
        elif bonds == 0:
            state = "ended"
        else:
            state = "paid" if paid_on is not None else "subscribed"
        value = face[series]
        out.append(
            [
                str(hid),
                series,
                names.get(holder) or "",
                str(bonds),
                cents_to_str(value),
                cents_to_str(bonds * value),
                subscribed_on.isoformat(),
                paid_on.isoformat() if paid_on else "",
                state,
                "",
            ]
        )
    return out


# ---------------------------------------------------------------- the files


def _csv_cell(value: Any, safe: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return cents_to_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and not isinstance(value, Rate) and safe:
        return spreadsheet_text(value)
    return str(value)


def _csv_text(rows: list[list[Any]], safe: bool) -> str:
    """CSV text; with ``safe``, text cells kept as text for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_csv_cell(v, safe) for v in row])
    return buffer.getvalue()


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _width(value: Any) -> int:
    if isinstance(value, Money):
        return len(f"{int(value) / 100:,.2f}")
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _xlsx(path: Path, sheets: list[tuple[str, Columns]]) -> None:
    """The workbook, column by column: each kind of cell with its own writer and format."""
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    try:
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        quoted = book.add_format({"quote_prefix": True})
        formats = {
            "money": book.add_format({"num_format": "#,##0.00"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "rate": book.add_format({"num_format": "0.00##%"}),
            "int": None,
        }
        number = {
            "money": lambda v: int(v) / 100,
            "date": lambda v: (v - _EXCEL_EPOCH).days,  # Excel's serial day number
            "rate": float,
            "int": int,
        }
        for name, columns in sheets:
            sheet = book.add_worksheet(name)
            for c, (header, kind, cells) in enumerate(columns):
                sheet.write_string(0, c, header, head)
                if kind in number:
                    fmt, convert = formats[kind], number[kind]
                    for r, value in enumerate(cells, start=1):
                        if value is not None:
                            sheet.write_number(r, c, convert(value), fmt)
                else:
                    for r, value in enumerate(cells, start=1):
                        if value:
                            if value.startswith(_FORMULA_START):
                                sheet.write_string(r, c, value, quoted)
                            else:
                                sheet.write_string(r, c, value)
                sample = [_width(v) for v in cells[:_WIDTH_SAMPLE] if v is not None]
                wide = max(max(sample, default=0), min(len(header), 18))
                sheet.set_column(c, c, min(max(wide, 6) + 2, 60))
            sheet.freeze_panes(1, 0)
    finally:
        book.close()
    os.chmod(path, FILE_MODE)


def write_register_export(
    tables: RegisterTables, out_dir: str | os.PathLike, *, stem: str, lang: str
) -> list[Path]:
    """Write ``<stem>-register.csv``, ``<stem>-register.xlsx`` and
    ``<stem>-odoo-loan-issue-lines.csv`` into ``out_dir``, together (all or nothing, the
    previous export of ``stem`` replaced whole), mode 0600; their paths, by name. Headers
    and sheet names in ``lang``; the SIN only if ``tables`` hold it.

    >>> import tempfile, pathlib
    >>> from bondkit.register import Register
    >>> from bondkit.scenario import load_example
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Register.create(pathlib.Path(tmp) / "a.db",
    ...                          load_example("grand-costumier-2016")) as reg:
    ...         tables = read_tables(reg)
    ...     paths = write_register_export(tables, tmp, stem="a", lang="fr")
    ...     print(paths[0].read_text(encoding="utf-8"))
    reference,loan_issue_id,partner_id,quantity,face_value,amount,date,payment_date,state,tax_exemption
    <BLANKLINE>
    """
    name = f"{stem}-register"
    holdings = _holding_columns(tables, lang)
    people = _rows(holdings)
    sheets = _sheets(tables, holdings, lang)
    odoo = odoo_rows(tables)

    def fill(folder: Path) -> None:
        _write_private(folder / f"{name}.csv", _csv_text(people, safe=True).encode("utf-8-sig"))
        _xlsx(folder / f"{name}.xlsx", sheets)
        odoo_file = folder / f"{stem}-odoo-loan-issue-lines.csv"
        _write_private(odoo_file, _csv_text(odoo, safe=False).encode("utf-8"))

    return write_file_set(out_dir, f"{name}-export", fill)
