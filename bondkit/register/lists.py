"""Subscription lists as files: reading a CSV or an XLSX as text cells, matching its
headers in French or English, and reading numbers and dates as people type them
(:mod:`bondkit.register.importing` checks the rows against the register and records them).

- **Reading.** A CSV is read as UTF-8 (with or without a byte-order mark), else as
  Windows-1252; its delimiter is the one of ``;``, tab and ``,`` that splits the first
  lines into the most regular columns. An XLSX is read with openpyxl (read-only, computed
  values), its first sheet or the one named. Every cell is taken as text; only a cell
  Excel stores as a date is taken as that date (and a SIN Excel stored as a number gets
  back its leading zeros). The first non-blank row holds the headers; rows are numbered
  as the spreadsheet shows them (the header row of a plain file is row 1).
- **Headers** are matched whatever their case, accents, spaces and punctuation, against
  one table (:data:`ALIASES`); a mapping (``--map``) names the field of a header that
  does not match (``{"Courriel du membre": "email"}``; ``ignore`` leaves a column out).
  With a ``first_name`` column, a ``name`` column is the family name ("Prénom", "Nom").
  Other columns are ignored and listed.
- **Numbers**: ``1 000``, ``1 000,00 $``, ``1,000.00``, ``$1,000``: a comma followed by
  exactly three digits groups thousands, by one or two it is the decimal comma.
- **Dates**: ISO (``2016-11-20``), Excel date cells, or day/month/year and month/day/year
  text (``20/11/2016``). The order is decided per column: a first number above 12 means
  day first, a second above 12 month first; a column that cannot tell takes the order of
  the file's other date columns, else ``dates`` (``--dates dmy|mdy``) must say it, else
  the import is refused. ``dates`` given always wins.

>>> header_key("Numéro d'assurance sociale"), ALIAS_INDEX[header_key("Numéro d'assurance sociale")]
('numerodassurancesociale', 'sin')
>>> parse_number("1 000,00 $"), parse_number("1,000.00"), parse_number("12,5")
(Decimal('1000.00'), Decimal('1000.00'), Decimal('12.5'))
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bondkit.errors import Message, Problem
from bondkit.register.store import RegisterError

if TYPE_CHECKING:  # pragma: no cover
    import os

__all__ = [
    "FIELDS",
    "ALIASES",
    "ALIAS_INDEX",
    "PERSONAL",
    "Table",
    "header_key",
    "fold",
    "read_table",
    "REQUIRED",
    "match_columns",
    "parse_number",
    "parse_date",
    "date_orders",
]


def header_key(text: Any) -> str:
    """A header (or a word) without case, accents, spaces or punctuation.

    >>> header_key("  Date de souscription "), header_key("E-mail"), header_key("Série")
    ('datedesouscription', 'email', 'serie')
    """
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


#: the fields a subscription list may give, in the order of their labels
FIELDS: tuple[str, ...] = (
    "name", "first_name", "last_name", "address", "email", "sin", "series", "bonds", "amount",
    "subscription_date", "payment_date", "payment_method", "language", "co_holder", "country",
    "kind",
)  # fmt: skip

#: the headers each field is known by, in English and French (matched by :func:`header_key`)
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "nom", "nom complet", "full name", "holder", "détenteur", "holder name",
             "nom du détenteur", "subscriber", "souscripteur", "investor", "investisseur",
             "nom et prénom", "prénom et nom"),
    "first_name": ("first name", "prénom", "given name"),
    "last_name": ("last name", "nom de famille", "family name", "surname"),
    "address": ("address", "adresse", "adresse postale", "postal address", "mailing address"),
    "email": ("email", "e-mail", "courriel", "adresse courriel", "adresse électronique",
              "email address", "mail"),
    "sin": ("sin", "nas", "numéro d'assurance sociale", "social insurance number", "no nas"),
    "series": ("series", "série", "series id"),
    "bonds": ("bonds", "nombre d'obligations", "obligations", "quantité", "quantity",
              "number of bonds", "nb d'obligations"),
    "amount": ("amount", "montant", "montant souscrit", "amount subscribed", "somme"),
    "subscription_date": ("subscription date", "date de souscription", "date", "subscribed on",
                          "souscrit le"),
    "payment_date": ("payment date", "date de paiement", "date du paiement", "paid on", "payé le"),
    "payment_method": ("payment method", "mode de paiement", "moyen de paiement",
                       "méthode de paiement"),
    "language": ("language", "langue", "langue de correspondance"),
    "co_holder": ("joint holder", "codétenteur", "co-holder", "cotitulaire"),
    "country": ("country", "pays", "country of residence", "pays de résidence"),
    "kind": ("kind", "type", "holder type", "type de détenteur"),
}  # fmt: skip

#: the field of each normalised header; a field's own key is known too
ALIAS_INDEX: dict[str, str] = {header_key(n): f for f, ns in ALIASES.items() for n in (f, *ns)}
#: what ``mapping`` may name to leave a column out
IGNORE = ("ignore", "ignorer")
#: fields whose values are personal data: never quoted in a message
PERSONAL = frozenset({"name", "first_name", "last_name", "address", "email", "sin", "co_holder"})
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?")
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"(CAD|CA\$|C\$|US\$|USD|EUR|\$|€)", re.IGNORECASE)


def fold(text: str | None) -> str:
    """Text without case, its spaces collapsed (how two names or e-mails are compared).

    >>> fold("  Lucie   TREMBLAY "), fold(None)
    ('lucie tremblay', '')
    """
    return " ".join(text.split()).casefold() if text else ""


@dataclass(frozen=True)
class Table:
    """The cells of a subscription list: its headers, then each row with its number as
    the spreadsheet shows it. A cell is text, or a date Excel stored as one, or a number
    Excel stored as one (read back as text by :meth:`text`)."""

    name: str
    sha256: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    delimiter: str = ","

    @staticmethod
    def text(cell: Any) -> str:
        """A cell as text: a date in ISO, a whole number without ``.0``.

        >>> Table.text(dt.datetime(2016, 11, 20)), Table.text(1000.0), Table.text(None)
        ('2016-11-20', '1000', '')
        """
        if cell is None:
            return ""
        if isinstance(cell, dt.datetime):
            return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ")
        if isinstance(cell, dt.date):
            return cell.isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)


def _sniff(text: str) -> str:
    """The delimiter among ``;``, tab and ``,`` that splits the first lines most regularly."""
    sample = "\n".join(text.splitlines()[:50])
    best: tuple[tuple[Any, ...], str] | None = None
    for rank, delimiter in enumerate((";", "\t", ",")):
        records = [
            r
            for r in csv.reader(io.StringIO(sample), delimiter=delimiter)
            if any(map(str.strip, r))
        ]
        if not records:
            continue
        width = len(records[0])
        same = sum(len(r) == width for r in records) / len(records)
        score = (width > 1, same, width, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else ","


def _records_csv(data: bytes, name: str) -> tuple[list[tuple[Any, ...]], str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise RegisterError(
                Message("reg.import.unreadable", file=name, reason=exc.reason)
            ) from None
    if "\x00" in text:
        raise RegisterError(Message("reg.import.format", file=name))
    delimiter = _sniff(text)
    try:
        records = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RegisterError(Message("reg.import.unreadable", file=name, reason=exc)) from None
    return records, delimiter


def _records_xlsx(data: bytes, name: str, sheet: str | None) -> list[tuple[Any, ...]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign zip: BadZipFile, KeyError, ...
        raise RegisterError(
            Message("reg.import.unreadable", file=name, reason=type(exc).__name__)
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise RegisterError(
                Message("reg.import.no_sheet", sheet=sheet, sheets=", ".join(book.sheetnames))
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()


def read_table(path: str | os.PathLike, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX subscription list (``sheet``: an XLSX sheet's name, default the
    first); :class:`RegisterError` for a file that cannot be read or has no header row.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "list.csv"
    ...     _ = p.write_bytes("\\ufeffNom;Montant\\nLucie;1 000,00 $\\n".encode())
    ...     table = read_table(p)
    >>> table.headers, table.rows, table.delimiter
    (('Nom', 'Montant'), ((2, ('Lucie', '1 000,00 $')),), ';')
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegisterError(Message("reg.import.no_file", file=path)) from None
    except OSError as exc:
        raise RegisterError(
            Message("reg.import.unreadable", file=path, reason=exc.strerror or exc)
        ) from None
    delimiter = ","
    if path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        records = _records_xlsx(data, path.name, sheet)
    elif path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise RegisterError(Message("reg.import.format", file=path.name))
    else:
        records, delimiter = _records_csv(data, path.name)
    numbered = [
        (n, r) for n, r in enumerate(records, start=1) if any(Table.text(c).strip() for c in r)
    ]
    if not numbered:
        raise RegisterError(Message("reg.import.empty", file=path.name))
    (_, head), body = numbered[0], numbered[1:]
    headers = tuple(Table.text(c).strip() for c in head)
    width = len(headers)
    rows = tuple((n, tuple(r[:width]) + ("",) * (width - len(r))) for n, r in body)
    return Table(path.name, hashlib.sha256(data).hexdigest(), headers, rows, delimiter)


def _field(target: str, index: Mapping[str, str]) -> str | None:
    return target if target in index.values() else index.get(header_key(target))


#: the fields a subscription list must give, for the register
REQUIRED = ("name", "series", "bonds", "subscription_date")


def match_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    where: str = "",
    aliases: Mapping[str, Sequence[str]] | None = None,
    required: Sequence[str] = REQUIRED,
) -> tuple[dict[str, int], list[str], list[Problem]]:
    """The column of each field found (its index), the headers ignored, and the problems:
    a mapping to an unknown field or header, two columns for one field, a required field
    missing (one problem naming the headers found). ``aliases`` adds fields of its own
    (a campaign's ``status``, ``segment``); ``required`` names the fields that must be
    there, among :data:`REQUIRED` (``bonds``: bonds or an amount; ``name``: a name or a
    first and last name).

    >>> columns, ignored, problems = match_columns(["Nom", "Série", "Montant", "Date",
    ...                                            "Remarque", "Courriel du membre"],
    ...                                           {"Courriel du membre": "email"})
    >>> columns, ignored, problems
    ({'name': 0, 'series': 1, 'amount': 2, 'subscription_date': 3, 'email': 5}, ['Remarque'], [])
    >>> print(match_columns(["Nom", "Montant"], where="a.csv")[2][0])  # doctest: +ELLIPSIS
    a.csv: required columns not found: series, subscription date; headers found: Nom, Montant...
    """
    problems: list[Problem] = []
    keys = [header_key(h) for h in headers]
    index = {**ALIAS_INDEX}
    for f, names in (aliases or {}).items():
        index.update({header_key(n): f for n in (f, *names)})
    chosen: dict[str, str | None] = {}
    for header, target in (mapping or {}).items():
        to = None if header_key(target) in IGNORE else _field(target, index)
        if to is None and header_key(target) not in IGNORE:
            problems.append(
                Problem(where, Message("reg.import.map_field", header=header, field=target))
            )
            continue
        if header_key(header) not in keys:
            problems.append(
                Problem(
                    where, Message("reg.import.map_header", header=header, headers=_list(headers))
                )
            )
        chosen[header_key(header)] = to
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, (header, key) in enumerate(zip(headers, keys, strict=True)):
        f = chosen[key] if key in chosen else index.get(key)
        if f is None:
            if header:
                ignored.append(header)
        elif f in columns:
            problems.append(
                Problem(
                    where,
                    Message(
                        "reg.import.twice",
                        first=headers[columns[f]],
                        second=header,
                        field=Message(f"reg.import.field.{f}"),
                    ),
                )
            )
        else:
            columns[f] = i
    missing = [
        f
        for f, ok in (
            ("name", "name" in columns or {"first_name", "last_name"} <= set(columns)),
            ("series", "series" in columns),
            ("bonds", "bonds" in columns or "amount" in columns),
            ("subscription_date", "subscription_date" in columns),
        )
        if not ok and f in required
    ]
    if missing:
        names = [
            Message("reg.import.bonds_or_amount" if f == "bonds" else f"reg.import.field.{f}")
            for f in missing
        ]
        problems.append(
            Problem(
                where,
                Message("reg.import.missing", fields=_Join(names), headers=_list(headers)),
            )
        )
    return columns, ignored, problems


def _list(headers: Sequence[str]) -> str:
    return ", ".join(h for h in headers if h) or "-"


class _Join(Message):
    """Messages joined by commas, in the language of the message that holds them."""

    def __init__(self, parts: Sequence[Message]) -> None:
        super().__init__("reg.import.field.name")
        object.__setattr__(self, "parts", tuple(parts))

    def render(self, lang: str = "en") -> str:
        return ", ".join(m.render(lang) for m in self.parts)  # type: ignore[attr-defined]


def parse_number(text: str) -> Decimal | None:
    """A number as people type it, or None: spaces (also no-break and thin) and an
    apostrophe group thousands, as does a comma or a point followed by three digits when
    the other is the decimal mark; a currency sign or code is dropped.

    >>> [parse_number(s) for s in ("1 000", "1\\u202f000,50 $", "$1,000", "2", "1,2,3", "abc")]
    [Decimal('1000'), Decimal('1000.50'), Decimal('1000'), Decimal('2'), None, None]
    """
    s = _SPACES.sub("", _CURRENCY.sub("", text))
    if not _NUMBER.fullmatch(s):
        return None
    sign, s = (s[0], s[1:]) if s[0] in "+-" else ("", s)
    if "," in s and "." in s:
        point = "," if s.rfind(",") > s.rfind(".") else "."
        whole, _, frac = s.rpartition(point)
        groups = whole.split("," if point == "." else ".")
    elif s.count(",") == 1 and len(s.partition(",")[2]) != 3:
        whole, _, frac = s.partition(",")
        groups = [whole]
    elif s.count(".") == 1 and "," not in s:
        whole, _, frac = s.partition(".")
        groups = [whole]
    else:
        groups, frac = re.split(r"[.,]", s), ""
    if "," in frac or "." in frac or not all(groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    try:
        return Decimal(sign + "".join(groups) + ("." + frac if frac else ""))
    except InvalidOperation:  # pragma: no cover (the pattern let only digits through)
        return None


def parse_date(cell: Any, order: str | None) -> dt.date | None:
    """A date cell: a date Excel stored, ISO text, or day/month/year (``order`` ``dmy``)
    or month/day/year (``mdy``) text; None when it is none of them.

    >>> parse_date("2016-11-20", None), parse_date("20/11/2016", "dmy"), parse_date("5.5.2016", None)
    (datetime.date(2016, 11, 20), datetime.date(2016, 11, 20), datetime.date(2016, 5, 5))
    >>> parse_date("11/20/2016", "dmy"), parse_date("4/5/2016", None)
    (None, None)
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = Table.text(cell).strip()
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a == b or order == "dmy":
                return dt.date(year, b, a)
            if order == "mdy":
                return dt.date(year, a, b)
    except ValueError:
        return None
    return None


def date_orders(
    table: Table, columns: Mapping[str, int], dates: str | None
) -> tuple[dict[str, str | None], list[Problem]]:
    """The order of each date column's day/month text (``dmy``, ``mdy``, or None when
    it holds no such text), and the problems of the columns that cannot tell.

    >>> t = Table("a.csv", "", ("Date", "Payé le"), ((2, ("20/11/2016", "04/12/2016")),))
    >>> date_orders(t, {"subscription_date": 0, "payment_date": 1}, None)
    ({'subscription_date': 'dmy', 'payment_date': 'dmy'}, [])
    >>> print(date_orders(t, {"payment_date": 1}, None)[1][0])  # doctest: +ELLIPSIS
    column "Payé le": cannot tell day/month/year from month/day/year...
    """
    orders: dict[str, str | None] = {}
    needs: list[str] = []
    problems: list[Problem] = []
    for f in ("subscription_date", "payment_date"):
        if f not in columns:
            continue
        seen = []
        for _, cells in table.rows:
            cell = cells[columns[f]]
            m = _DMY.fullmatch(cell.strip()) if isinstance(cell, str) else None
            if m:
                seen.append((int(m[1]), int(m[2]), cell.strip()))
        day_first = next((t for a, b, t in seen if a > 12), None)
        month_first = next((t for a, b, t in seen if b > 12), None)
        where = Message("reg.import.column", column=table.headers[columns[f]])
        if dates is not None:
            orders[f] = dates
        elif day_first and month_first:
            problems.append(
                Problem(where, Message("reg.import.date_mixed", dmy=day_first, mdy=month_first))
            )
        elif day_first or month_first:
            orders[f] = "dmy" if day_first else "mdy"
        else:
            orders[f] = None
            if any(a != b for a, b, _ in seen):
                needs.append(f)
    decided = {o for o in orders.values() if o}
    for f in needs:
        if len(decided) == 1:
            orders[f] = next(iter(decided))
        else:
            where = Message("reg.import.column", column=table.headers[columns[f]])
            problems.append(Problem(where, Message("reg.import.date_order")))
    return orders, problems
